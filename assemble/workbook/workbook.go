package workbook

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Reading a workbook is tolerant: each field is found by its label or its
// column header, and each value is read the way people type it (« 12 500 € »,
// « 25 septembre 2025 », « x »). What cannot be read becomes a finding that
// names the cell; only a file that is not a usable workbook at all is an
// error.
//
// Cells are read from the package's XML by a streaming scanner of our own,
// not through excelize's cell getters: those expand a sheet into a dense
// grid, so a tiny file with a cell in XFD1048576 would take gigabytes. The
// zip's declared sizes are checked before anything is unzipped (a zip bomb
// is refused having read its directory only), and archive/zip refuses a
// part longer than declared. excelize opens the file, with the same unzip
// limits, only to evaluate a formula the user typed in an input cell.

// Limits on what a workbook may hold. A filled form is a few hundred
// kilobytes; beyond these it is refused, with bounded memory.
const (
	maxFileSize    = 32 << 20 // bytes of the .xlsx file
	maxUnzipped    = 32 << 20 // bytes of all its parts, unzipped
	maxParts       = 2000     // files inside the zip
	maxCells       = 100000   // non-empty cells read
	maxRow         = 10000    // cells below are ignored
	maxCol         = 100      // cells right of column CV are ignored
	maxFormulaSize = 2000     // characters of a formula evaluated
)

// Sentinel errors of ReadWorkbook, for errors.Is.
var (
	ErrNotWorkbook = errors.New("ce fichier n’est pas un classeur Excel (.xlsx)")
	ErrEncrypted   = errors.New("classeur protégé par un mot de passe")
	ErrCorrupt     = errors.New("classeur endommagé")
	ErrTooLarge    = errors.New("classeur trop volumineux")
	ErrNotOurForm  = errors.New("ce classeur n’est pas le formulaire de candidature")
)

// WorkbookError is a fatal problem with a workbook: the file cannot be read
// as the candidature form. Sheet and Cell are set when the problem has a
// place.
type WorkbookError struct {
	Name  string // the workbook's file name
	Sheet string
	Cell  string
	Err   error
}

func (e *WorkbookError) Error() string {
	s := e.Name
	if e.Sheet != "" {
		s += " : feuille « " + e.Sheet + " »"
		if e.Cell != "" {
			s += ", cellule " + e.Cell
		}
	}
	return french.Spaced(s + " : " + e.Err.Error())
}

func (e *WorkbookError) Unwrap() error { return e.Err }

// detailError is a sentinel with a French explanation of what to do.
type detailError struct {
	kind   error
	detail string
}

func (e *detailError) Error() string { return e.kind.Error() + " : " + e.detail }
func (e *detailError) Unwrap() error { return e.kind }

// causeError says in French what a system error means for the user, and
// keeps it for errors.Is.
type causeError struct {
	msg   string
	cause error
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.cause }

// panicError is a bug of the reader met on some file: reported as a
// damaged workbook, and recognised by the fuzz tests.
type PanicError struct{ value string }

func (e *PanicError) Error() string {
	return ErrCorrupt.Error() + " : lecture interrompue (" + e.value + ") ; enregistrez-le de nouveau depuis votre tableur"
}
func (e *PanicError) Unwrap() error { return ErrCorrupt }

func fail(name string, kind error, format string, args ...any) error {
	return &WorkbookError{Name: name, Err: &detailError{kind, fmt.Sprintf(format, args...)}}
}

// ReadWorkbookFile opens path, fills c.Source and reads it with ReadWorkbook.
func ReadWorkbookFile(p string) (*model.Candidature, []model.Finding, error) {
	name := p // messages name the file as the user gave it
	file, err := os.Open(p)
	if err != nil {
		return nil, nil, FileError(name, err)
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, nil, FileError(name, err)
	}
	if st.IsDir() {
		return nil, nil, FileError(name, ErrIsDir)
	}
	c, findings, err := ReadWorkbook(file, st.Size(), name)
	if err != nil {
		return nil, nil, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(file, 0, st.Size())); err != nil {
		return nil, nil, &WorkbookError{Name: name, Err: err}
	}
	dir, _ := filepath.Abs(filepath.Dir(p))
	c.Source = model.Source{Name: p, Dir: dir, SHA256: hex.EncodeToString(h.Sum(nil)), Size: st.Size()}
	return c, findings, nil
}

// ErrIsDir is the cause given to FileError for a folder named as the workbook.
var ErrIsDir = errors.New("c’est un dossier")

// FileError is the WorkbookError for a workbook file that could not be
// opened or read (err from the file system), said in French.
func FileError(name string, err error) error {
	switch {
	case errors.Is(err, ErrIsDir):
		return fail(name, ErrNotWorkbook, "c’est un dossier ; donnez le chemin du fichier .xlsx")
	case errors.Is(err, fs.ErrNotExist):
		return &WorkbookError{Name: name, Err: &causeError{"fichier introuvable ; vérifiez le chemin, ou créez le classeur avec « necdossier init »", err}}
	case errors.Is(err, fs.ErrPermission):
		return &WorkbookError{Name: name, Err: &causeError{"lecture refusée par le système", err}}
	}
	var we *WorkbookError
	if errors.As(err, &we) {
		return err
	}
	return &WorkbookError{Name: name, Err: fmt.Errorf("ouverture impossible : %w", err)}
}

// ReadWorkbook reads a workbook. Fatal problems (not a workbook, encrypted,
// corrupt, not our form, too big) are a *WorkbookError; cell-level problems
// are findings, so that `check` reports everything at once. name is for
// messages only.
func ReadWorkbook(r io.ReaderAt, size int64, name string) (c *model.Candidature, findings []model.Finding, err error) {
	defer func() {
		// The reader is written not to panic; this is the last net, so that
		// a user never sees a stack trace for a file they were sent.
		if p := recover(); p != nil {
			c, findings = nil, nil
			err = &WorkbookError{Name: name, Err: &PanicError{fmt.Sprint(p)}}
		}
	}()
	pkg, err := openPackage(r, size, name)
	if err != nil {
		return nil, nil, err
	}
	rd := &reader{pkg: pkg, name: name}
	c, err = rd.read()
	if err != nil {
		return nil, nil, err
	}
	SortFindings(rd.findings)
	return c, rd.findings, nil
}

// pkg is an opened workbook package.
type pkg struct {
	name     string
	zip      *zip.Reader
	files    map[string]*zip.File // by lower-case part name
	sheets   []sheetRef           // in the workbook's order
	date1904 bool
	sst      []string
	ra       io.ReaderAt
	size     int64
	xl       *excelize.File // opened when needed, see excelize
	xlErr    error
	// calcSafe is false when some worksheet has rows or cells beyond the
	// limits: excelize's calculation would expand them, so formulas are
	// not evaluated.
	calcSafe bool
}

type sheetRef struct {
	name, part string
	hidden     bool
}

// openPackage checks that r is a readable xlsx within the limits.
func openPackage(r io.ReaderAt, size int64, name string) (*pkg, error) {
	if size == 0 {
		return nil, fail(name, ErrNotWorkbook, "le fichier est vide")
	}
	if size > maxFileSize {
		return nil, fail(name, ErrTooLarge, "%d Mo, %d Mo au plus ; retirez les images collées dans le classeur", size>>20, maxFileSize>>20)
	}
	head := make([]byte, 512)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if err := sniffWorkbook(r, size, head, name); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fail(name, ErrCorrupt, "l’archive zip est illisible (détail technique : %v) ; enregistrez-le de nouveau depuis votre tableur au format .xlsx", err)
	}
	p := &pkg{name: name, zip: zr, files: map[string]*zip.File{}, calcSafe: true}
	if len(zr.File) > maxParts {
		return nil, fail(name, ErrTooLarge, "%d fichiers dans l’archive, %d au plus", len(zr.File), maxParts)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxUnzipped {
			return nil, fail(name, ErrTooLarge, "plus de %d Mo une fois décompressé ; retirez les images collées dans le classeur", maxUnzipped>>20)
		}
		p.files[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	if mt, ok := p.files["mimetype"]; ok {
		b, _ := p.read(mt.Name)
		if bytes.Contains(b, []byte("opendocument")) {
			return nil, fail(name, ErrNotWorkbook, "c’est un fichier OpenDocument (.ods) ; ouvrez-le dans votre tableur et enregistrez-le au format Excel (.xlsx)")
		}
	}
	if _, ok := p.files["[content_types].xml"]; !ok {
		return nil, fail(name, ErrNotWorkbook, "c’est une archive zip mais pas un classeur Excel ; enregistrez le formulaire au format .xlsx")
	}
	if err := p.workbook(); err != nil {
		return nil, err
	}
	p.ra, p.size = r, size
	return p, nil
}

// excelize returns the package opened by excelize, the engine for formulas
// typed in input cells. It is opened on the first such formula only: most
// workbooks have none, and excelize holds every part in memory.
func (p *pkg) excelize() (*excelize.File, error) {
	if p.xl == nil && p.xlErr == nil {
		p.xl, p.xlErr = openExcelize(p.ra, p.size)
	}
	return p.xl, p.xlErr
}

// openExcelize opens the package with excelize, within the same limits as
// ours. A panic of excelize on a malformed file is an error like any other.
func openExcelize(r io.ReaderAt, size int64) (xl *excelize.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			xl, err = nil, fmt.Errorf("%v", p)
		}
	}()
	return excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped, RawCellValue: true,
	})
}

// sniffWorkbook recognises what the file is when it is not a zip.
func sniffWorkbook(r io.ReaderAt, size int64, head []byte, name string) error {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// An OLE2 compound file: a password-protected xlsx (its streams
		// are EncryptionInfo and EncryptedPackage) or an old .xls (its
		// stream is Workbook or Book). Stream names are UTF-16LE.
		all, _ := io.ReadAll(io.NewSectionReader(r, 0, size))
		if bytes.Contains(all, utf16le("EncryptedPackage")) || bytes.Contains(all, utf16le("EncryptionInfo")) {
			return fail(name, ErrEncrypted, "ouvrez-le dans votre tableur, retirez le mot de passe (Fichier › Informations › Protéger le classeur) et enregistrez-le sans mot de passe")
		}
		if bytes.Contains(all, utf16le("Workbook")) || bytes.Contains(all, utf16le("Book")) {
			return fail(name, ErrNotWorkbook, "c’est un classeur Excel 97-2003 (.xls) ; ouvrez-le et enregistrez-le au format .xlsx")
		}
		return fail(name, ErrNotWorkbook, "c’est un ancien document Office ou un classeur protégé par un mot de passe ; enregistrez-le au format .xlsx, sans mot de passe")
	case bytes.HasPrefix(head, []byte("%PDF")):
		return fail(name, ErrNotWorkbook, "c’est un PDF ; donnez le classeur .xlsx de la candidature")
	case looksLikeText(head):
		return fail(name, ErrNotWorkbook, "c’est un fichier texte (CSV ?) ; ouvrez-le dans votre tableur et enregistrez-le au format Excel (.xlsx)")
	}
	return fail(name, ErrNotWorkbook, "format inconnu ; partez du classeur créé par « necdossier init »")
}

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// looksLikeText reports whether b starts a text file: UTF-8, Latin-1 or
// Windows-1252 (CSV files saved by Excel in France are), or UTF-16 with
// its byte-order mark (Excel's « texte Unicode »).
func looksLikeText(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F {
			return false
		}
	}
	return true
}

// read returns the bytes of a part, within the declared size (archive/zip
// refuses data longer than declared, so a lying header cannot inflate it).
func (p *pkg) read(part string) ([]byte, error) {
	f, ok := p.files[strings.ToLower(part)]
	if !ok {
		return nil, fmt.Errorf("partie %s absente", part)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := bytes.NewBuffer(make([]byte, 0, min(f.UncompressedSize64, maxUnzipped)+1))
	_, err = buf.ReadFrom(io.LimitReader(rc, maxUnzipped))
	return buf.Bytes(), err
}

// open returns a reader of a part, for the parts that are scanned as a
// stream (worksheets, shared strings) rather than held in memory.
func (p *pkg) open(part string) (io.ReadCloser, error) {
	f, ok := p.files[strings.ToLower(part)]
	if !ok {
		return nil, fmt.Errorf("partie %s absente", part)
	}
	return f.Open()
}

// workbook reads the sheet list and the date system.
func (p *pkg) workbook() error {
	wbPart := "xl/workbook.xml"
	if b, err := p.read("_rels/.rels"); err == nil {
		rels, err := parseRels(b)
		if err != nil {
			return fail(p.name, ErrCorrupt, "le sommaire de l’archive (_rels/.rels) est illisible (détail technique : %v) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau", err)
		}
		for _, rel := range rels {
			if strings.HasSuffix(rel.Type, "/officeDocument") {
				wbPart = strings.TrimPrefix(path.Clean("/"+rel.Target), "/")
			}
		}
	}
	b, err := p.read(wbPart)
	if err != nil {
		return fail(p.name, ErrNotWorkbook, "pas de classeur dans l’archive (%s) ; enregistrez le formulaire au format .xlsx", wbPart)
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			ID    string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			IDs   string `xml:"http://purl.oclc.org/ooxml/officeDocument/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(b, &wb); err != nil {
		return fail(p.name, ErrCorrupt, "la liste des feuilles est illisible (%v)", err)
	}
	p.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	dir := path.Dir(wbPart)
	relPart := path.Join(dir, "_rels", path.Base(wbPart)+".rels")
	rb, err := p.read(relPart)
	if err != nil {
		return fail(p.name, ErrCorrupt, "les liens du classeur vers ses feuilles manquent (%s) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau", relPart)
	}
	rels, err := parseRels(rb)
	if err != nil {
		return fail(p.name, ErrCorrupt, "les liens du classeur vers ses feuilles sont illisibles (détail technique : %v) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau", err)
	}
	targets := map[string]string{}
	for _, rel := range rels {
		t := rel.Target
		if strings.HasPrefix(t, "/") {
			t = path.Clean(t)[1:]
		} else {
			t = path.Join(dir, t)
		}
		targets[rel.ID] = t
	}
	for _, s := range wb.Sheets {
		id := s.ID
		if id == "" {
			id = s.IDs
		}
		p.sheets = append(p.sheets, sheetRef{name: s.Name, part: targets[id], hidden: s.State != "" && s.State != "visible"})
	}
	if len(p.sheets) == 0 {
		return fail(p.name, ErrCorrupt, "le classeur n’a aucune feuille")
	}
	// The shared strings are named by the relationships; every producer
	// we know calls them sharedStrings.xml, beside the workbook.
	sstPart := path.Join(dir, "sharedStrings.xml")
	for _, r := range rels {
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			sstPart = targets[r.ID]
		}
	}
	if rc, err := p.open(sstPart); err == nil {
		defer rc.Close()
		if p.sst, err = parseSST(rc); err != nil {
			return fail(p.name, ErrCorrupt, "les textes du classeur sont illisibles (détail technique : %v) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau", err)
		}
	}
	return nil
}

type rel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func parseRels(b []byte) ([]rel, error) {
	var v struct {
		Rels []rel `xml:"Relationship"`
	}
	err := xml.Unmarshal(b, &v)
	return v.Rels, err
}

// parseSST reads the shared strings: each item's text runs, without the
// phonetic guides (rPh).
func parseSST(r io.Reader) ([]string, error) {
	d := xml.NewDecoder(io.LimitReader(r, maxUnzipped))
	var out []string
	var cur strings.Builder
	inSI, inT, rph := false, false, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "rPh":
				rph++
			case "t":
				inT = inSI && rph == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, cur.String())
				inSI = false
			case "rPh":
				rph--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				cur.Write(t)
			}
		}
	}
}

// cell is a cell as stored: its raw value and type.
type cell struct {
	raw     string
	typ     byte // 'n' number, 's' text, 'b' boolean, 'e' error, 'd' ISO date
	formula string
	hasF    bool
}

func (c cell) empty() bool { return strings.TrimFunc(c.raw, IsSpace) == "" && !c.hasF }

// grid is the content of one sheet, sparse.
type grid struct {
	sheet string // the name in the workbook
	cells map[[2]int]cell
	rows  []int         // row numbers holding a cell, ascending
	cols  map[int][]int // columns holding a cell, by row, ascending
	norms map[[2]int]string
	wide  bool // content beyond maxRow or maxCol was ignored
}

func (g *grid) at(col, row int) cell { return g.cells[[2]int{col, row}] }

// norm returns the normalised text of a cell, for matching labels; cells
// too long to be a label are not normalised.
func (g *grid) norm(col, row int) string {
	k := [2]int{col, row}
	if n, ok := g.norms[k]; ok {
		return n
	}
	c, ok := g.cells[k]
	n := ""
	if ok && c.typ == 's' && len(c.raw) < 200 {
		n = Normalize(c.raw)
	}
	g.norms[k] = n
	return n
}

// isLabel reports whether cell (col, row) holds label.
func (g *grid) isLabel(col, row int, label string) bool {
	n := g.norm(col, row)
	return n != "" && slices.Contains(labelKeys(label), n)
}

// startsWithLabel reports whether cell (col, row) holds label followed by
// more words: « Montant en euros » for « Montant (€) ». It is the second
// choice, after an exact match.
func (g *grid) startsWithLabel(col, row int, label string) bool {
	n := g.norm(col, row)
	for _, k := range labelKeys(label) {
		if k != "" && strings.HasPrefix(n, k+" ") {
			return true
		}
	}
	return false
}

// scanSheet reads a worksheet part into a grid, stopping at the limits.
func (p *pkg) scanSheet(s sheetRef, budget *int) (*grid, error) {
	g := &grid{sheet: s.name, cells: map[[2]int]cell{}, cols: map[int][]int{}, norms: map[[2]int]string{}}
	rc, err := p.open(s.part)
	if err != nil {
		return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrCorrupt, fmt.Sprintf("feuille illisible (détail technique : %v) ; enregistrez le classeur de nouveau depuis votre tableur", err)}}
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, maxUnzipped))
	var (
		row, col       int
		cur            cell
		inC, inV, inIS bool
		inF            bool
		inT            bool
		rph            int
		text           strings.Builder
		seen           = map[int]bool{}
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrCorrupt, fmt.Sprintf("XML de la feuille illisible (%v)", err)}}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row++
				col = 0
				if v := attr(t, "r"); v != "" {
					n, err := strconv.Atoi(v)
					if err != nil || n < 1 || n > excelize.TotalRows {
						return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrCorrupt, fmt.Sprintf("numéro de ligne invalide « %s »", Clip(v, 20))}}
					}
					row = n
				}
				if row > maxRow {
					p.calcSafe = false
				}
			case "c":
				inC = true
				cur = cell{typ: 'n'}
				text.Reset()
				col++
				if ref := attr(t, "r"); ref != "" {
					c, r, err := excelize.CellNameToCoordinates(ref)
					if err != nil {
						return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrCorrupt, fmt.Sprintf("référence de cellule invalide « %s »", Clip(ref, 20))}}
					}
					col, row = c, r
				}
				if col > maxCol || row > maxRow {
					p.calcSafe = false
				}
				switch attr(t, "t") {
				case "s":
					cur.typ = 'S' // index into the shared strings
				case "str", "inlineStr":
					cur.typ = 's'
				case "b":
					cur.typ = 'b'
				case "e":
					cur.typ = 'e'
				case "d":
					cur.typ = 'd'
				}
			case "v":
				inV = inC
			case "f":
				inF = inC
				if inC {
					cur.hasF = true
				}
			case "is":
				inIS = inC
			case "rPh":
				rph++
			case "t":
				inT = inIS && rph == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "c":
				inC = false
				if cur.typ == 'S' {
					cur.typ = 's'
					i, err := strconv.Atoi(strings.TrimSpace(text.String()))
					if err != nil || i < 0 || i >= len(p.sst) {
						cur.raw = ""
					} else {
						cur.raw = p.sst[i]
					}
				} else {
					cur.raw = text.String()
				}
				if cur.empty() {
					continue
				}
				if col > maxCol || row > maxRow {
					g.wide = true
					continue
				}
				*budget--
				if *budget < 0 {
					return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrTooLarge, fmt.Sprintf("plus de %d cellules remplies", maxCells)}}
				}
				g.cells[[2]int{col, row}] = cur
				g.cols[row] = append(g.cols[row], col)
				if !seen[row] {
					seen[row] = true
					g.rows = append(g.rows, row)
				}
			case "v":
				inV = false
			case "f":
				inF = false
			case "is":
				inIS = false
			case "rPh":
				rph--
			case "t":
				inT = false
			}
		case xml.CharData:
			switch {
			case inV, inT:
				text.Write(t)
			case inF:
				if len(cur.formula) < maxFormulaSize+1 {
					cur.formula += string(t)
				}
			}
		}
	}
	slices.Sort(g.rows)
	for _, cs := range g.cols {
		slices.Sort(cs)
	}
	return g, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// reader carries the state of one ReadWorkbook call.
type reader struct {
	pkg      *pkg
	name     string
	findings []model.Finding
	c        *model.Candidature
}

func (rd *reader) add(sev model.Severity, sheet, cell, msg, hint string) {
	rd.findings = append(rd.findings, model.Finding{Severity: sev, Sheet: sheet, Cell: cell, Message: french.Spaced(msg), Hint: french.Spaced(hint)})
}

func (rd *reader) read() (*model.Candidature, error) {
	p := rd.pkg
	defer func() {
		if p.xl != nil {
			p.xl.Close()
		}
	}()
	// Match each sheet of the schema with a sheet of the workbook, by
	// name, ignoring case, accents and spaces.
	found := map[string]sheetRef{}
	for _, s := range Schema {
		for _, ws := range p.sheets {
			if sameSheet(ws.name, s.Name) {
				found[s.Name] = ws
				break
			}
		}
	}
	var present []string
	for _, ws := range p.sheets {
		present = append(present, "« "+ws.name+" »")
	}
	// Another form saved as .xlsx (it may share a sheet name, « Budget »
	// say) is one sentence, not a finding per missing sheet: without the
	// sheet « Collectivité » and with fewer than half the sheets, it is not
	// ours.
	if _, ok := found[SheetCollectivite]; !ok && 2*len(found) < len(Schema) {
		var expected []string
		for _, s := range Schema {
			expected = append(expected, "« "+s.Name+" »")
		}
		return nil, &WorkbookError{Name: rd.name, Err: &detailError{ErrNotOurForm, fmt.Sprintf(
			"feuille « %s » introuvable ; feuilles présentes : %s ; feuilles attendues : %s ; partez du classeur créé par « necdossier init »",
			SheetCollectivite, strings.Join(present, ", "), strings.Join(expected, ", "))}}
	}
	rd.c = &model.Candidature{}
	budget := maxCells
	for _, s := range Schema {
		ws, ok := found[s.Name]
		if !ok {
			rd.add(model.Erreur, s.Name, "", "feuille « "+s.Name+" » introuvable ; feuilles présentes : "+strings.Join(present, ", "),
				"ne renommez pas et ne supprimez pas les feuilles du formulaire ; rendez-lui son nom ou recopiez-la depuis un classeur neuf, créé par « necdossier init »")
			continue
		}
		if ws.part == "" || p.files[strings.ToLower(ws.part)] == nil {
			return nil, &WorkbookError{Name: rd.name, Sheet: ws.name, Err: &detailError{ErrCorrupt, "le contenu de la feuille manque dans le fichier ; ouvrez-le dans votre tableur et enregistrez-le de nouveau"}}
		}
		g, err := p.scanSheet(ws, &budget)
		if err != nil {
			return nil, err
		}
		if g.wide {
			rd.add(model.Avertissement, s.Name, "", fmt.Sprintf("du contenu au-delà de la colonne %s ou de la ligne %d a été ignoré", colName(maxCol), maxRow),
				"placez vos réponses dans les tableaux du formulaire")
		}
		rd.sheet(s, g)
	}
	return rd.c, nil
}

// sameSheet reports whether the workbook's sheet name is the schema's, by
// its normalised form; Apple Numbers exports a sheet as « Sheet - Table »,
// which is recognised too.
func sameSheet(name, want string) bool {
	n, w := Normalize(name), Normalize(want)
	if n == w {
		return true
	}
	before, _, ok := strings.Cut(name, " - ")
	return ok && Normalize(before) == w
}

// normalize folds a label for matching: lower case, no accents, letters and
// digits only, single spaces; « Montant (€) * » gives « montant ».
func Normalize(s string) string {
	s = french.Fold(strings.ToLower(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue // a decomposed accent (macOS writes « é » as e + U+0301)
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// labelKeys are the normalised forms a label is recognised by: as written,
// and without its parenthesised part (« Logo (fichier) » is also « Logo »).
func labelKeys(label string) []string {
	if k, ok := schemaLabels[label]; ok {
		return k
	}
	return makeLabelKeys(label)
}

// schemaLabels caches the keys of the schema's labels and titles.
var schemaLabels = func() map[string][]string {
	m := map[string][]string{}
	for _, s := range Schema {
		for _, b := range s.Blocks {
			m[b.Title] = makeLabelKeys(b.Title)
			for _, f := range b.Fields {
				m[f.Label] = makeLabelKeys(f.Label)
			}
		}
	}
	return m
}()

func makeLabelKeys(label string) []string {
	keys := []string{Normalize(label)}
	if i := strings.Index(label, "("); i > 0 {
		keys = append(keys, Normalize(label[:i]))
	}
	return keys
}

// sheet reads the blocks of one sheet.
func (rd *reader) sheet(s sheetSpec, g *grid) {
	// Tables first: their header rows bound the other blocks.
	headers := make([]int, len(s.Blocks))
	cols := make([]map[string]int, len(s.Blocks))
	used := map[int]bool{}
	for i, b := range s.Blocks {
		if b.Kind == tableKind {
			headers[i], cols[i] = rd.findHeader(s, b, g, used)
			used[headers[i]] = true
		}
	}
	for i, b := range s.Blocks {
		if b.Kind == FormKind {
			rd.form(s, b, g)
			continue
		}
		if headers[i] == 0 {
			continue
		}
		// The table ends at the next block's header or title below it.
		end := maxRow + 1
		for j, ob := range s.Blocks {
			if j == i {
				continue
			}
			if headers[j] > headers[i] && headers[j] < end {
				end = headers[j]
			}
			if ob.Title != "" {
				for _, r := range g.rows {
					if r > headers[i] && r < end && g.isLabel(1, r, ob.Title) {
						end = r
					}
				}
			}
			if ob.Kind == FormKind {
				for _, f := range ob.Fields {
					for _, r := range g.rows {
						if r > headers[i] && r < end && g.isLabel(1, r, f.Label) {
							end = r
						}
					}
				}
			}
		}
		rd.table(s, b, g, headers[i], end, cols[i])
	}
}

// findHeader finds the header row of table b: the row matching most of its
// column labels. It returns the row (0 when not found) and the column of
// each field found.
func (rd *reader) findHeader(s sheetSpec, b SheetBlock, g *grid, used map[int]bool) (int, map[string]int) {
	best, bestN := 0, 0
	var bestCols map[string]int
	for _, r := range g.rows {
		if used[r] {
			continue
		}
		if len(g.cols[r]) < 2 {
			continue
		}
		cols := map[string]int{}
		taken := map[int]bool{}
		for _, f := range b.Fields {
			for _, c := range g.cols[r] {
				if g.isLabel(c, r, f.Label) {
					cols[f.Key], taken[c] = c, true
					break
				}
			}
		}
		for _, f := range b.Fields {
			if _, ok := cols[f.Key]; ok {
				continue
			}
			for _, c := range g.cols[r] {
				if !taken[c] && g.startsWithLabel(c, r, f.Label) {
					cols[f.Key], taken[c] = c, true
					break
				}
			}
		}
		if len(cols) > bestN {
			best, bestN, bestCols = r, len(cols), cols
		}
	}
	need := (len(b.Fields) + 1) / 2
	if bestN < max(need, 1) {
		name := b.Title
		if name == "" {
			name = s.Name
		}
		var labels []string
		for _, f := range b.Fields {
			labels = append(labels, f.Label)
		}
		rd.add(model.Erreur, s.Name, "", fmt.Sprintf("tableau « %s » introuvable : aucune ligne d’en-tête « %s »", name, strings.Join(labels, " | ")),
			"rétablissez la ligne d’en-tête du tableau telle que dans un classeur neuf, créé par « necdossier init »")
		return 0, nil
	}
	for _, f := range b.Fields {
		if _, ok := bestCols[f.Key]; !ok {
			sev := model.Avertissement
			if f.Required {
				sev = model.Erreur
			}
			rd.add(sev, s.Name, cellName(1, best), fmt.Sprintf("colonne « %s » introuvable dans l’en-tête du tableau (ligne %d)", f.Label, best),
				"rétablissez le titre de la colonne tel que dans le classeur neuf")
		}
	}
	return best, bestCols
}

// form reads a form block: each label, wherever it is, and the value at its right.
func (rd *reader) form(s sheetSpec, b SheetBlock, g *grid) {
	rec := ModelOf(rd.c, b)
	ref := model.Ref{Sheet: s.Name, Cells: map[string]string{}}
	for _, f := range b.Fields {
		col, row := 0, 0
	search:
		for _, r := range g.rows {
			for c := 1; c <= 3; c++ {
				if g.isLabel(c, r, f.Label) {
					col, row = c, r
					break search
				}
			}
		}
		if row == 0 {
			// A label with words added (« Population totale »), in column
			// A only: further right, answers could start like a label.
			for _, r := range g.rows {
				if g.startsWithLabel(1, r, f.Label) {
					col, row = 1, r
					break
				}
			}
		}
		if row == 0 {
			sev := model.Avertissement
			if f.Required {
				sev = model.Erreur
			}
			rd.add(sev, s.Name, "", fmt.Sprintf("libellé « %s » introuvable", f.Label),
				"rétablissez ce libellé en colonne A, tel que dans le classeur neuf, et sa réponse à sa droite")
			continue
		}
		ref.Cells[f.Key] = cellName(col+1, row)
		if !rd.value(s.Name, g, col+1, row, f, rec.FieldByName(f.Key)) {
			ref.MarkUnread(f.Key)
		}
		markTyped(&ref, f, g.at(col+1, row))
	}
	rec.FieldByName("At").Set(reflect.ValueOf(ref))
}

// table reads the records of a table between its header and end.
func (rd *reader) table(s sheetSpec, b SheetBlock, g *grid, header, end int, cols map[string]int) {
	slice := ModelOf(rd.c, b)
	for _, r := range g.rows {
		if r <= header || r >= end {
			continue
		}
		blank := true
		for _, c := range cols {
			if !g.at(c, r).empty() {
				blank = false
				break
			}
		}
		if blank {
			continue // blank rows inside a table are allowed
		}
		rec := reflect.New(slice.Type().Elem()).Elem()
		ref := model.Ref{Sheet: s.Name, Row: r, Cells: map[string]string{}}
		for _, f := range b.Fields {
			c, ok := cols[f.Key]
			if !ok {
				continue
			}
			ref.Cells[f.Key] = cellName(c, r)
			if !rd.value(s.Name, g, c, r, f, rec.FieldByName(f.Key)) {
				ref.MarkUnread(f.Key)
			}
			markTyped(&ref, f, g.at(c, r))
		}
		rec.FieldByName("At").Set(reflect.ValueOf(ref))
		if l, ok := rec.Addr().Interface().(*model.LigneBudget); ok {
			l.Sens = model.SensOf(l.Compte())
		}
		slice.Set(reflect.Append(slice, rec))
	}
}

// markTyped records in ref that f's cell was filled in, and whether a
// number was typed there as text, which the sheet's formulas ignore.
func markTyped(ref *model.Ref, f field, cl cell) {
	if cl.empty() {
		return
	}
	numeric := f.Kind == kMoney || f.Kind == kDecimal || f.Kind == kInt
	ref.MarkTyped(f.Key, numeric && cl.typ == 's' && !cl.hasF)
}

// Totalled reports whether the sheet's own total formulas sum field key:
// a number typed as text there is left out of the sheet's totals.
func Totalled(sheet, key string) bool {
	s, ok := SheetByName(sheet)
	if !ok {
		return false
	}
	for _, b := range s.Blocks {
		for _, t := range b.total {
			if strings.Contains(t.formula, "{col:"+key+"}") {
				return true
			}
		}
	}
	return false
}

// value reads the cell (col, row) as field f into v. It reports false when
// the cell held something it could not read (a finding says what).
func (rd *reader) value(sheet string, g *grid, col, row int, f field, v reflect.Value) bool {
	ok := true
	rd.readValue(sheet, g, col, row, f, v, &ok)
	return ok
}

func (rd *reader) readValue(sheet string, g *grid, col, row int, f field, v reflect.Value, read *bool) {
	cl := g.at(col, row)
	at := cellName(col, row)
	if cl.hasF {
		var ok bool
		if cl, ok = rd.calc(sheet, g, at, cl); !ok {
			*read = false
			return
		}
	}
	if cl.typ == 'e' || isErrorValue(cl.raw) {
		rd.add(model.Erreur, sheet, at, fmt.Sprintf("la cellule contient l’erreur « %s » du tableur", strings.TrimSpace(cl.raw)),
			"corrigez la formule ou saisissez directement la valeur")
		*read = false
		return
	}
	raw := cl.raw
	if strings.TrimFunc(raw, IsSpace) == "" {
		return
	}
	switch cl.typ {
	case 'b':
		// A TRUE/FALSE cell means something for a yes/no answer only;
		// elsewhere it is shown as the spreadsheet shows it.
		if f.Kind != KYesNo {
			cl.typ, raw = 's', map[bool]string{true: "VRAI", false: "FAUX"}[raw == "1"]
		}
	case 'n':
		raw = numberText(raw, f)
	}
	found := func(what string) {
		hint := "corrigez la valeur"
		if f.example != "" {
			hint = "exemple : " + f.example
		}
		rd.add(model.Erreur, sheet, at, fmt.Sprintf("%s, trouvé « %s »", what, Clip(strings.TrimFunc(raw, IsSpace), 60)), hint)
		*read = false
	}
	switch f.Kind {
	case kText, kEmail, kPhone, kFile, kURL:
		s := cleanLine(raw)
		if f.Kind == kFile {
			// Windows users write sub\folder\file.pdf: the model holds
			// slash-separated paths, as fs.FS wants them.
			s = strings.TrimPrefix(strings.ReplaceAll(s, `\`, "/"), "./")
		}
		if n := utf8.RuneCountInString(s); n > maxShortText {
			rd.add(model.Erreur, sheet, at, fmt.Sprintf("texte trop long : %s caractères, %d au plus", french.Number(int64(n)), maxShortText), "raccourcissez-le ; les longs développements vont dans les champs de texte libre")
		}
		v.SetString(s)
	case kLongText:
		s := cleanText(raw)
		if n := utf8.RuneCountInString(s); n > maxLongText {
			rd.add(model.Erreur, sheet, at, fmt.Sprintf("texte trop long : %s caractères, %s au plus", french.Number(int64(n)), french.Number(maxLongText)), "raccourcissez-le")
		}
		v.SetString(s)
	case kPostcode:
		s := cleanLine(raw)
		if cl.typ == 'n' {
			// A postcode typed in a number cell lost its leading zero.
			if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 100000 {
				s = fmt.Sprintf("%05d", n)
			}
		}
		v.SetString(s)
	case kChoice:
		s := cleanLine(raw)
		if c, ok := matchChoice(s, f.choices); ok {
			v.SetString(c)
			return
		}
		sev := model.Avertissement
		if f.Key == "Categorie" || f.Key == "Statut" {
			sev = model.Erreur // the budget's arithmetic depends on them
		}
		rd.add(sev, sheet, at, fmt.Sprintf("choix attendu parmi la liste (%s), trouvé « %s »", strings.Join(f.choices, ", "), Clip(s, 60)),
			"choisissez une valeur dans la liste déroulante")
		v.SetString(s)
	case KYesNo:
		b, ok := parseYesNo(raw)
		if !ok {
			// « en cours de réservation » is an answer, not a mistake to
			// stop on: read as « non », said so, and no hint towards a
			// « Oui » that may be untrue.
			rd.add(model.Avertissement, sheet, at, fmt.Sprintf("réponse attendue (oui ou non), trouvé « %s » : le dossier la lit comme « non »", Clip(cleanLine(raw), 60)),
				"répondez Oui seulement si c’est acquis ; sinon, répondez Non et précisez la situation dans un commentaire")
			*read = false
			return
		}
		v.SetBool(b)
	case kInt, kYear:
		var n int64
		var ok bool
		if cl.typ == 'n' {
			n, ok = numberCellInt(raw)
			if f.Kind == kYear && ok && n > 3000 {
				// A date typed where the year was asked: its year.
				var t time.Time
				if t, ok = serialDate(raw, rd.pkg.date1904); ok {
					n = int64(t.Year())
				}
			}
		} else {
			n, ok = parseInt(raw)
		}
		if !ok {
			if f.Kind == kYear {
				found("année attendue (AAAA)")
			} else {
				found("nombre entier attendu")
			}
			return
		}
		v.SetInt(n)
	case kMoney:
		var n int64
		var ok bool
		if cl.typ == 'n' {
			x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
			if err == nil {
				n, ok = french.Cents(x)
			}
		} else {
			n, ok = parseAmount(raw)
		}
		if !ok {
			found("montant attendu (nombre)")
			return
		}
		v.SetInt(n)
	case kDecimal:
		var x float64
		var ok bool
		if cl.typ == 'n' {
			var err error
			x, err = strconv.ParseFloat(strings.TrimSpace(raw), 64)
			ok = err == nil
		} else {
			x, ok = parseDecimal(raw)
		}
		if !ok {
			if p, isPct := strings.CutSuffix(strings.TrimFunc(raw, IsSpace), "%"); isPct {
				if y, ok := parseDecimal(p); ok && f.Key == "ETP" {
					rd.add(model.Erreur, sheet, at, fmt.Sprintf("nombre d’ETP attendu, trouvé « %s »", Clip(cleanLine(raw), 60)),
						"écrivez "+french.DecimalTrim(y/100, 2)+" : 1 ETP est un temps plein, 0,5 un mi-temps")
					*read = false
					return
				}
			}
			found("nombre attendu")
			return
		}
		v.SetFloat(x)
	case kDate:
		var t time.Time
		var ok bool
		if cl.typ == 'n' {
			t, ok = serialDate(raw, rd.pkg.date1904)
		} else {
			t, ok = parseDate(raw)
		}
		if !ok {
			if m, days, bad := missingDay(raw); bad {
				rd.add(model.Erreur, sheet, at, fmt.Sprintf("date inexistante « %s » : %s n’a que %d jours", Clip(cleanLine(raw), 60), french.MonthName(m), days), "corrigez le jour ou le mois")
				*read = false
				return
			}
			found("date attendue (JJ/MM/AAAA)")
			return
		}
		if cl.typ != 'n' {
			if w := typedWeekday(raw); w >= 0 && w != t.Weekday() {
				rd.add(model.Avertissement, sheet, at, fmt.Sprintf("« %s » : le %s est un %s", Clip(cleanLine(raw), 60), french.ShortDate(t), french.WeekdayName(t.Weekday())),
					"vérifiez le jour de la semaine ou la date ; le dossier retient le "+french.LongDate(t))
			}
		}
		v.Set(reflect.ValueOf(t))
	}
}

// typedWeekday is the weekday a date typed in words starts with
// (« mercredi 2 octobre 2025 »), or -1.
func typedWeekday(s string) time.Weekday {
	first, _, _ := strings.Cut(cleanLine(strings.ToLower(s)), " ")
	first = strings.TrimSuffix(first, ",")
	for d := time.Sunday; d <= time.Saturday; d++ {
		if first == french.WeekdayName(d) {
			return d
		}
	}
	return -1
}

// numberText is what a number cell says when a text is expected: its
// shortest decimal form (« 2020 », not « 2020.0 »), a phone number's lost
// leading zero given back, a time of day (Excel stores « 9:30 » as
// 0.395833…) written the French way, « 9 h 30 ».
func numberText(raw string, f field) string {
	x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil {
		return raw
	}
	switch f.Kind {
	case kText:
		if f.Key == "Heure" && x > 0 && x < 1 {
			m := int(x*24*60 + 0.5)
			if m%60 == 0 {
				return fmt.Sprintf("%d h", m/60)
			}
			return fmt.Sprintf("%d h %02d", m/60, m%60)
		}
	case kPhone:
		if x >= 1e8 && x < 1e9 && x == float64(int64(x)) {
			return fmt.Sprintf("0%d", int64(x))
		}
	case kMoney, kInt, kYear, kDecimal, kDate:
		return raw
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// calc evaluates a formula typed in an input cell: the cached value the
// spreadsheet program stored is not trusted.
func (rd *reader) calc(sheet string, g *grid, at string, cl cell) (cell, bool) {
	if !rd.pkg.calcSafe || len(cl.formula) > maxFormulaSize {
		rd.add(model.Erreur, sheet, at, "formule impossible à vérifier dans une cellule de saisie", "saisissez directement la valeur")
		return cl, false
	}
	xl, err := rd.pkg.excelize()
	if err != nil {
		rd.add(model.Erreur, sheet, at, fmt.Sprintf("formule « =%s » impossible à calculer : le classeur ne s’ouvre pas pour le calcul (détail technique : %v)", Clip(cl.formula, 60), err), "saisissez directement la valeur")
		return cl, false
	}
	v, err := calcCell(xl, g.sheet, at)
	if err != nil || isErrorValue(v) {
		rd.add(model.Erreur, sheet, at, fmt.Sprintf("formule « =%s » impossible à calculer", Clip(cl.formula, 60)), "saisissez directement la valeur")
		return cl, false
	}
	out := cell{raw: v, typ: 's'}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		out.typ = 'n'
	}
	return out, true
}

// calcCell evaluates a cell's formula with excelize; its panics on
// malformed formulas are errors.
func calcCell(xl *excelize.File, sheet, cell string) (v string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return xl.CalcCellValue(sheet, cell, excelize.Options{RawCellValue: true})
}

var errorValues = []string{"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}

func isErrorValue(s string) bool {
	return slices.Contains(errorValues, strings.ToUpper(strings.TrimSpace(s)))
}

// SortFindings orders findings by sheet (the workbook's order), then by
// cell: row, then column; findings on a whole sheet come first. ReadWorkbook
// and Check each return sorted findings; `check` sorts the two lists
// together with it.
func SortFindings(fs []model.Finding) {
	slices.SortStableFunc(fs, func(a, b model.Finding) int {
		if d := sheetIndex(a.Sheet) - sheetIndex(b.Sheet); d != 0 {
			return d
		}
		ac, ar := cellOrder(a.Cell)
		bc, br := cellOrder(b.Cell)
		if ar != br {
			return ar - br
		}
		return ac - bc
	})
}

func cellOrder(ref string) (col, row int) {
	if ref == "" {
		return 0, 0
	}
	c, r, err := excelize.CellNameToCoordinates(ref)
	if err != nil {
		return 0, 0
	}
	return c, r
}

// Text parsers. Each takes what a person typed in a text cell.

func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u2060'
}

// cleanLine trims a one-line text and collapses its runs of spaces, the
// no-break ones included.
func cleanLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, IsSpace), " ")
}

// cleanText trims a long text line by line, keeping its paragraphs.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = cleanLine(l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// compact removes every kind of space.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// parseNumber reads a decimal number written the French or the English way:
// « 12 500,50 », « 12.500,00 », « 12,500.50 », « 12500 ». A lone comma is
// decimal; a lone dot followed by exactly three digits groups thousands
// (« 12.500 »). It returns the sign, the integer digits and the decimals.
func parseNumber(s string) (neg bool, ip, fp string, ok bool) {
	s = compact(s)
	s = strings.TrimPrefix(s, "+")
	if rest, cut := strings.CutPrefix(s, "-"); cut {
		neg, s = true, rest
	} else if rest, cut := strings.CutPrefix(s, "−"); cut {
		neg, s = true, rest
	}
	if s == "" {
		return false, "", "", false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' && r != '\'' {
			return false, "", "", false
		}
	}
	s = strings.ReplaceAll(s, "'", "") // Swiss thousands
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	dec := byte(0)
	switch {
	case dots > 0 && commas > 0:
		dec = s[max(strings.LastIndex(s, "."), strings.LastIndex(s, ","))]
		if (dec == '.' && dots > 1) || (dec == ',' && commas > 1) {
			return false, "", "", false
		}
	case commas == 1:
		dec = ','
	case dots == 1:
		i := strings.Index(s, ".")
		if !(len(s)-i-1 == 3 && i > 0 && strings.Trim(s[:i], "0") != "") {
			dec = '.'
		}
	}
	ip, fp = s, ""
	if dec != 0 {
		i := strings.LastIndexByte(s, dec)
		ip, fp = s[:i], s[i+1:]
		if strings.ContainsAny(fp, ".,") {
			return false, "", "", false
		}
	}
	// What remains in ip are thousands separators: groups of three.
	if strings.ContainsAny(ip, ".,") {
		groups := strings.FieldsFunc(ip, func(r rune) bool { return r == '.' || r == ',' })
		if len(groups) != strings.Count(ip, ".")+strings.Count(ip, ",")+1 {
			return false, "", "", false
		}
		for i, g := range groups {
			if (i > 0 && len(g) != 3) || (i == 0 && (len(g) == 0 || len(g) > 3)) {
				return false, "", "", false
			}
		}
		ip = strings.Join(groups, "")
	}
	if ip == "" {
		ip = "0"
	}
	if len(ip) > 15 || (dec != 0 && fp == "" && ip == "") {
		return false, "", "", false
	}
	return neg, ip, fp, true
}

// parseAmount reads an amount in euros, as cents: « 12 500 € », « 12.500,00 »,
// « 12500 euros », « 12 500,50 », « 12 k€ ». Decimals beyond the cent are
// rounded.
func parseAmount(s string) (int64, bool) {
	s = strings.ToLower(compact(s))
	thousand := false
	// « 46 800 € TTC », « 46 800 €. », « 12 500 EUR HT » : the unit, the
	// tax word and a closing dot, in any order, until none is left.
	for trimmed := true; trimmed; {
		trimmed = false
		for _, suf := range []string{".", "€", "euros", "euro", "eur", "ttc", "ht"} {
			if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
				s, trimmed = t, true
			}
		}
	}
	s = strings.TrimPrefix(s, "€")
	if t, ok := strings.CutSuffix(s, "k"); ok {
		s, thousand = t, true
	}
	neg, ip, fp, ok := parseNumber(s)
	if !ok {
		return 0, false
	}
	if thousand {
		fp += "000"
		ip, fp = ip+fp[:3], fp[3:]
	}
	fp += "000"
	n, err := strconv.ParseInt(ip+fp[:2], 10, 64)
	if err != nil {
		return 0, false
	}
	if fp[2] >= '5' {
		n++
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseInt reads a whole number, « 2 400 », « 2.400 », « 2400 places »: a unit
// word after the number is allowed, the label says what is counted.
func parseInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsLetter)
	if i > 0 {
		s = s[:i]
	}
	neg, ip, fp, ok := parseNumber(s)
	if !ok || strings.Trim(fp, "0") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(ip, 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// numberCellInt reads a number cell's raw value as a whole number.
func numberCellInt(raw string) (int64, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || x != float64(int64(x)) || x > 1e15 || x < -1e15 {
		return 0, false
	}
	return int64(x), true
}

// parseDecimal reads a number with decimals, « 0,5 », « 1.5 », « 2 ».
func parseDecimal(s string) (float64, bool) {
	neg, ip, fp, ok := parseNumber(s)
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(ip+"."+fp+"0", 64)
	if err != nil {
		return 0, false
	}
	if neg {
		x = -x
	}
	return x, true
}

// parseYesNo reads oui/non the ways people write it: « oui », « x », « ✓ »,
// « VRAI », TRUE, 1; « non », « - », FALSE, 0.
func parseYesNo(s string) (bool, bool) {
	switch normalizeWord(s) {
	case "oui", "o", "yes", "y", "x", "vrai", "true", "1", "✓", "✔", "☑", "✅", "ok":
		return true, true
	case "non", "n", "no", "faux", "false", "0", "-", "✗", "✘", "☐", "❌":
		return false, true
	}
	return false, false
}

func normalizeWord(s string) string {
	return french.Fold(strings.ToLower(compact(s)))
}

// parseDate reads a date typed as text: « 25/09/2025 », « 25/9/25 »,
// « 25-09-2025 », « 25.09.2025 », « 2025-09-25 » (with a time part, as the
// ISO cells of t="d" hold), « 25 septembre 2025 », « jeudi 1er octobre 2025 », « 1ᵉʳ octobre 2025 ».
func parseDate(s string) (time.Time, bool) {
	s = cleanLine(strings.ToLower(s))
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil && (len(s) == 10 || s[10] == 't' || s[10] == ' ') {
			return civil(t.Year(), int(t.Month()), t.Day())
		}
	}
	// Numeric day, month, year.
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(parts) == 3 && AllDigits(parts[0]) && AllDigits(parts[1]) && AllDigits(parts[2]) {
		d, _ := strconv.Atoi(parts[0])
		m, _ := strconv.Atoi(parts[1])
		y, _ := strconv.Atoi(parts[2])
		if len(parts[2]) == 2 {
			y += 2000
		} else if len(parts[2]) != 4 {
			return time.Time{}, false
		}
		return civil(y, m, d)
	}
	// Words: [weekday] day month year.
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	if len(words) == 4 {
		words = words[1:] // the weekday, whatever it says
	}
	if len(words) != 3 {
		return time.Time{}, false
	}
	// « 1er », « 1ᵉʳ » (as the dossier writes it), « 2e ».
	day := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(words[0], "ᵉʳ"), "er"), "e")
	d, err := strconv.Atoi(day)
	if err != nil {
		return time.Time{}, false
	}
	m, ok := french.ParseMonth(words[1])
	if !ok || len(words[2]) != 4 || !AllDigits(words[2]) {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(words[2])
	return civil(y, int(m), d)
}

// missingDay recognises a numeric date whose day does not exist in its
// month (« 31/09/2025 »): it returns the month and its number of days.
func missingDay(s string) (time.Month, int, bool) {
	parts := strings.FieldsFunc(cleanLine(s), func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(parts) != 3 || !AllDigits(parts[0]) || !AllDigits(parts[1]) || !AllDigits(parts[2]) || len(parts[2]) > 4 || len(parts[0]) > 2 {
		return 0, 0, false
	}
	d, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	y, _ := strconv.Atoi(parts[2])
	if len(parts[2]) == 2 {
		y += 2000
	}
	if m < 1 || m > 12 || d < 29 || d > 31 || y < 1900 || y > 2200 {
		return 0, 0, false
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Month(m), days, d > days
}

func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// civil builds a date, refusing days that do not exist (31/02).
func civil(y, m, d int) (time.Time, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// serialDate converts a date cell's serial number, in the workbook's date
// system (1900 or 1904), to a civil date; the time of day is dropped.
func serialDate(raw string, date1904 bool) (time.Time, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || x < 1 || x > 2958465 {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(x, date1904)
	if err != nil {
		return time.Time{}, false
	}
	return civil(t.Year(), int(t.Month()), t.Day())
}

// matchChoice finds s among choices, ignoring case, accents and spaces; a
// budget category is also recognised by its account number alone (« 74 »).
func matchChoice(s string, choices []string) (string, bool) {
	n := Normalize(s)
	for _, c := range choices {
		if Normalize(c) == n {
			return c, true
		}
	}
	if len(n) >= 2 && AllDigits(n[:2]) && (len(n) == 2 || n[2] == ' ') {
		for _, c := range choices {
			if strings.HasPrefix(c, n[:2]+" ") {
				return c, true
			}
		}
	}
	return "", false
}
