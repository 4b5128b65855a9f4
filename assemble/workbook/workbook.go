package workbook

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"os"
	"path/filepath"
	"slices"

	"github.com/xuri/excelize/v2"
)

// Reading a workbook is tolerant: each field is found by its label or its
// column header, and each value is read the way people type it (« 12 500 € »,
// « 25 septembre 2025 », « x »). What cannot be read becomes a finding that
// names the cell; only a file that is not a usable workbook at all is an
// error.
//
// Cells are read from the package's XML by a scanner of our own (xmlScan,
// with encoding/xml where it is unsure: see xmlscan.go), not through
// excelize's cell getters: those expand a sheet into a dense grid, so a
// tiny file with a cell in XFD1048576 would take gigabytes. The
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

// Sentinel errors of workbook.Read, for errors.Is.
var (
	ErrNotWorkbook = errors.New("ce fichier n’est pas un classeur Excel (.xlsx)")
	ErrEncrypted   = errors.New("classeur protégé par un mot de passe")
	ErrCorrupt     = errors.New("classeur endommagé")
	ErrTooLarge    = errors.New("classeur trop volumineux")
	ErrNotOurForm  = errors.New("ce classeur n’est pas le formulaire de candidature")
)

// Error is a fatal problem with a workbook: the file cannot be read
// as the candidature form. Sheet and Cell are set when the problem has a
// place.
type Error struct {
	Name  string // the workbook's file name
	Sheet string
	Cell  string
	Err   error
}

func (e *Error) Error() string {
	s := e.Name
	if e.Sheet != "" {
		s += " : feuille « " + e.Sheet + " »"
		if e.Cell != "" {
			s += ", cellule " + e.Cell
		}
	}
	return french.Spaced(s + " : " + e.Err.Error())
}

func (e *Error) Unwrap() error { return e.Err }

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

// PanicError is a bug of the reader met on some file: reported as a
// damaged workbook, and recognised by the fuzz tests.
type PanicError struct{ value string }

func (e *PanicError) Error() string {
	return ErrCorrupt.Error() + " : lecture interrompue (" + e.value + ") ; enregistrez-le de nouveau depuis votre tableur"
}
func (e *PanicError) Unwrap() error { return ErrCorrupt }

// fail is the workbook.Error of kind for the whole workbook, explained by
// format and args.
func fail(name string, kind error, format string, args ...any) error {
	return failSheet(name, "", kind, format, args...)
}

// failSheet is fail for a problem within a sheet.
func failSheet(name, sheet string, kind error, format string, args ...any) error {
	return &Error{Name: name, Sheet: sheet, Err: &detailError{kind, fmt.Sprintf(format, args...)}}
}

// ReadFile opens path, fills c.Source and reads it with workbook.Read.
func ReadFile(p string) (*model.Candidature, []model.Finding, error) {
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
	c, findings, err := Read(file, st.Size(), name)
	if err != nil {
		return nil, nil, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(file, 0, st.Size())); err != nil {
		return nil, nil, &Error{Name: name, Err: err}
	}
	dir, _ := filepath.Abs(filepath.Dir(p))
	c.Source = model.Source{Name: p, Dir: dir, SHA256: hex.EncodeToString(h.Sum(nil)), Size: st.Size()}
	return c, findings, nil
}

// ErrIsDir is the cause given to FileError for a folder named as the workbook.
var ErrIsDir = errors.New("c’est un dossier")

// FileError is the workbook.Error for a workbook file that could not be
// opened or read (err from the file system), said in French.
func FileError(name string, err error) error {
	switch {
	case errors.Is(err, ErrIsDir):
		return fail(name, ErrNotWorkbook, "c’est un dossier ; donnez le chemin du fichier .xlsx")
	case errors.Is(err, fs.ErrNotExist):
		return &Error{Name: name, Err: &causeError{"fichier introuvable ; vérifiez le chemin, ou créez le classeur avec « necdossier init »", err}}
	case errors.Is(err, fs.ErrPermission):
		return &Error{Name: name, Err: &causeError{"lecture refusée par le système", err}}
	}
	var we *Error
	if errors.As(err, &we) {
		return err
	}
	return &Error{Name: name, Err: fmt.Errorf("ouverture impossible : %w", err)}
}

// Read reads a workbook. Fatal problems (not a workbook, encrypted,
// corrupt, not our form, too big) are a *workbook.Error; cell-level problems
// are findings, so that `check` reports everything at once. name is for
// messages only.
func Read(r io.ReaderAt, size int64, name string) (c *model.Candidature, findings []model.Finding, err error) {
	defer func() {
		// The reader is written not to panic; this is the last net, so that
		// a user never sees a stack trace for a file they were sent.
		if p := recover(); p != nil {
			c, findings = nil, nil
			err = &Error{Name: name, Err: &PanicError{fmt.Sprint(p)}}
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

// SortFindings orders findings by sheet (the workbook's order), then by
// cell: row, then column; findings on a whole sheet come first. workbook.Read
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
