// Package fonts holds the typeface of the dossier, embedded in the binary:
// Lato (regular, bold, italic, bold italic), under the SIL Open Font
// License 1.1 (OFL.txt). Lato covers French fully, including œ, « », ’, €
// and the narrow no-break space U+202F.
//
// Folder prepared/ holds the fonts the documents use as fpdf parses them
// (Prepared), data derived from the fonts under the same licence: not
// fonts, and named without the Reserved Font Name.
package fonts

import (
	"bytes"
	_ "embed" // the files below
	"io"
	"io/fs"
	"slices"
	"time"
)

// The files are embedded as byte slices rather than in an embed.FS, whose
// files can only be had as copies: Data hands the renderer the bytes
// themselves (a cold build copied 2 MB of fonts, issue 15).
var (
	//go:embed Lato-Regular.ttf
	latoRegular []byte
	//go:embed Lato-Bold.ttf
	latoBold []byte
	//go:embed Lato-Italic.ttf
	latoItalic []byte
	//go:embed Lato-BoldItalic.ttf
	latoBoldItalic []byte
	//go:embed OFL.txt
	ofl []byte
)

// The fonts as fpdf parses them (fpdf.PrepareUTF8Font): their metrics,
// the widths and glyphs of the runes they map, their glyph offsets; no
// glyph outline. Data derived from the fonts, under their licence (OFL.txt),
// named without the Reserved Font Name. Written by
// « go test ./assemble/render -run TestPreparedFonts -update » (go generate).
var (
	//go:embed prepared/regular.fpdf
	preparedRegular []byte
	//go:embed prepared/bold.fpdf
	preparedBold []byte
	//go:embed prepared/italic.fpdf
	preparedItalic []byte
)

// PreparedFiles maps each font file of FS that has a parsed form to its
// file, in folder prepared/ of this package (not in FS): the styles the
// documents use, bold italic left out.
var PreparedFiles = map[string]string{
	"Lato-Regular.ttf": "regular.fpdf",
	"Lato-Bold.ttf":    "bold.fpdf",
	"Lato-Italic.ttf":  "italic.fpdf",
}

var prepared = map[string][]byte{
	"Lato-Regular.ttf": preparedRegular,
	"Lato-Bold.ttf":    preparedBold,
	"Lato-Italic.ttf":  preparedItalic,
}

// Prepared returns font file name of FS as fpdf parses it
// (fpdf.PrepareUTF8Font, given back to fpdf.RegisterPreparedUTF8Font): the
// process then need not parse the font. The bytes are shared: they must
// not be modified. It reports false for a name without a parsed form.
func Prepared(name string) ([]byte, bool) {
	b, ok := prepared[name]
	return b, ok && len(b) > 0
}

//go:generate go test ../assemble/render -run TestPreparedFonts -update

// Files maps each style ("", "B", "I", "BI") to its file in FS.
var Files = map[string]string{
	"":   "Lato-Regular.ttf",
	"B":  "Lato-Bold.ttf",
	"I":  "Lato-Italic.ttf",
	"BI": "Lato-BoldItalic.ttf",
}

// FS holds the TrueType files and their licence, read-only, at its root.
var FS fs.FS = &fileSystem{files: map[string][]byte{
	"Lato-Regular.ttf":    latoRegular,
	"Lato-Bold.ttf":       latoBold,
	"Lato-Italic.ttf":     latoItalic,
	"Lato-BoldItalic.ttf": latoBoldItalic,
	"OFL.txt":             ofl,
}}

// Data returns the bytes of file name of FS themselves, not a copy, shared
// by every caller: they must not be modified. It reports false for a name
// FS does not hold.
func Data(name string) ([]byte, bool) {
	b, ok := FS.(*fileSystem).files[name]
	return b, ok
}

// fileSystem is FS: files at the root, read from memory.
type fileSystem struct {
	files map[string][]byte
}

// Open opens file name, or the root ".", a directory.
func (f *fileSystem) Open(name string) (fs.File, error) {
	if name == "." {
		return &dir{entries: f.entries()}, nil
	}
	b, ok := f.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &file{Reader: bytes.NewReader(b), info: info{name: name, size: int64(len(b))}}, nil
}

// ReadFile returns a copy of file name, which the caller may modify.
func (f *fileSystem) ReadFile(name string) ([]byte, error) {
	b, ok := f.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(b), nil
}

// ReadDir lists the root, by name.
func (f *fileSystem) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return f.entries(), nil
}

func (f *fileSystem) entries() []fs.DirEntry {
	var es []fs.DirEntry
	for name, b := range f.files {
		es = append(es, fs.FileInfoToDirEntry(info{name: name, size: int64(len(b))}))
	}
	slices.SortFunc(es, func(a, b fs.DirEntry) int {
		if a.Name() < b.Name() {
			return -1
		}
		return 1
	})
	return es
}

// file is an open file of FS.
type file struct {
	*bytes.Reader
	info info
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return nil }

// dir is the root of FS, open.
type dir struct {
	entries []fs.DirEntry
	read    int
}

func (d *dir) Stat() (fs.FileInfo, error) { return info{name: ".", dir: true}, nil }
func (d *dir) Close() error               { return nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: fs.ErrInvalid}
}

// ReadDir returns the next n entries (all that are left when n <= 0).
func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	left := d.entries[d.read:]
	if n <= 0 {
		d.read = len(d.entries)
		return left, nil
	}
	if len(left) == 0 {
		return nil, io.EOF
	}
	left = left[:min(n, len(left))]
	d.read += len(left)
	return left, nil
}

// info describes a file of FS, or its root.
type info struct {
	name string
	size int64
	dir  bool
}

func (i info) Name() string { return i.name }
func (i info) Size() int64  { return i.size }
func (i info) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.dir }
func (i info) Sys() any           { return nil }
