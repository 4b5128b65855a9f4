package assemble

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
)

// folderFS is a candidate's folder as the fs.FS every input is read
// through. It opens through an *os.Root, so nothing leads out of the folder
// (no "..", no absolute path, no symbolic link leaving it); it opens without
// blocking (a named pipe cannot make the read wait) and hands out only what
// its handle says is a regular file or a folder. flat limits it to the
// files lying directly in the folder (a workbook placed directly in a batch
// folder must not reach into the candidates' sub-folders), and hidden
// folders (the batch's output folder) are never entered.
type folderFS struct {
	root   *os.Root
	flat   bool
	hidden []os.FileInfo
}

// Errors of folderFS, French as they reach the user inside a finding.
var (
	errNotRegular = errors.New("ce n’est pas un fichier ordinaire (tube, périphérique ou socket)")
	errNotBeside  = errors.New("il doit être à côté du classeur, pas dans un sous-dossier")
	errHidden     = errors.New("il est dans le dossier de sortie, qui n’est jamais lu")
)

func newFolderFS(root *os.Root, flat bool, hidden ...string) *folderFS {
	f := &folderFS{root: root, flat: flat}
	for _, h := range hidden {
		if st, err := os.Stat(h); err == nil {
			f.hidden = append(f.hidden, st)
		}
	}
	return f
}

// allowed refuses a name that flat or hidden keep out of reach.
func (f *folderFS) allowed(op, name string) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if f.flat && strings.Contains(name, "/") {
		return &fs.PathError{Op: op, Path: name, Err: errNotBeside}
	}
	if len(f.hidden) == 0 {
		return nil
	}
	// Every folder on the way, and the name itself, is compared with the
	// hidden folders (through links too: the root resolves them).
	for p := name; ; p = path.Dir(p) {
		if st, err := f.root.Stat(p); err == nil {
			for _, h := range f.hidden {
				if os.SameFile(st, h) {
					return &fs.PathError{Op: op, Path: name, Err: errHidden}
				}
			}
		}
		if p == "." {
			return nil
		}
	}
}

func (f *folderFS) Open(name string) (fs.File, error) {
	if err := f.allowed("open", name); err != nil {
		return nil, err
	}
	file, err := openNonBlocking(f.root, name)
	if err != nil {
		return nil, err
	}
	st, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() && !st.IsDir() {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errNotRegular}
	}
	return file, nil
}

func (f *folderFS) Stat(name string) (fs.FileInfo, error) {
	if err := f.allowed("stat", name); err != nil {
		return nil, err
	}
	return f.root.Stat(name)
}

// ReadDir lists a folder, leaving out what Open would refuse.
func (f *folderFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := f.allowed("readdir", name); err != nil {
		return nil, err
	}
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	d, ok := file.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("pas un dossier")}
	}
	entries, err := d.ReadDir(-1)
	var out []fs.DirEntry
	for _, e := range entries {
		p := path.Join(name, e.Name())
		if f.flat && e.IsDir() || f.allowed("readdir", p) != nil {
			continue
		}
		out = append(out, e)
	}
	return out, err
}

var _ interface {
	fs.StatFS
	fs.ReadDirFS
} = (*folderFS)(nil)
