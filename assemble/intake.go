package assemble

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"necdossier/assemble/check"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
)

// Limits on what a candidate's folder may make the tool read.
const (
	maxWorkbookBytes = 20 << 20 // the workbook
	maxLetterBytes   = 50 << 20 // one annex
	maxLogoBytes     = 5 << 20
)

// Caps on all the letters of one candidate together: they bound the memory
// and time one candidate can take, so that a batch never runs out of
// memory because of one folder. Variables so that tests can lower them.
var (
	maxLettersBytes int64 = 200 << 20 // 200 Mo read
	maxLettersPages       = 500
)

// intake is what one workbook brings in, each file read once: the
// candidature, the letter of each annex row (nil where the row names no
// file, or one that cannot go into the dossier: a finding says why), the
// logo, and every finding of the reading and the checks, in the
// workbook's order.
type intake struct {
	c        *model.Candidature
	letters  []*letters.Letter
	logo     []byte
	findings []model.Finding
}

// takeIn reads the workbook named name in fsys and every file it names,
// looked up beside it in fsys, and checks the whole against call. An error
// means the workbook itself could not be read; everything else is a
// finding.
func takeIn(fsys fs.FS, name, display string, call *model.Call) (*intake, error) {
	c, findings, err := readWorkbook(fsys, name, display)
	if err != nil {
		return nil, err
	}
	dir := fsys
	if d := path.Dir(name); d != "." {
		if dir, err = fs.Sub(fsys, d); err != nil {
			return nil, workbook.FileError(display, err)
		}
	}
	in := &intake{c: c}
	in.findings = append(findings, consequences(findings, check.Check(c, call, nil))...)
	in.readFiles(dir)
	workbook.SortFindings(in.findings)
	return in, nil
}

// readWorkbook reads the workbook name of fsys, and the Source that
// identifies it (its digest and size); messages name it display.
func readWorkbook(fsys fs.FS, name, display string) (*model.Candidature, []model.Finding, error) {
	if st, err := fs.Stat(fsys, name); err == nil && st.IsDir() {
		return nil, nil, workbook.FileError(display, workbook.ErrIsDir)
	}
	data, err := readFile(fsys, name, maxWorkbookBytes)
	if err != nil {
		return nil, nil, workbook.FileError(display, err)
	}
	c, findings, err := workbook.ReadWorkbook(bytes.NewReader(data), int64(len(data)), display)
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(data)
	c.Source = model.Source{Name: display, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	return c, findings, nil
}

// readFiles reads the logo and the annexes of in.c from dir, the
// workbook's folder, once each: two rows naming the same file share one
// Letter (the checks warn of the duplicate). A file that cannot go into the
// dossier is an error at its cell; what a letter loses in the merge (a
// signature) a warning there.
func (in *intake) readFiles(dir fs.FS) {
	co := in.c.Collectivite
	if co.Logo != "" {
		cell := co.At.Cell("Logo")
		data, f := openAt(dir, workbook.SheetCollectivite, cell, co.Logo, maxLogoBytes)
		switch kind := letters.Sniff(data); {
		case f != nil:
			in.findings = append(in.findings, *f)
		case kind != "png" && kind != "jpeg":
			in.findings = append(in.findings, model.Finding{Severity: model.Erreur, Sheet: workbook.SheetCollectivite, Cell: cell,
				Message: fmt.Sprintf("fichier « %s » : le logo doit être une image PNG ou JPEG", printable(co.Logo)), Hint: "enregistrez le logo en PNG"})
		default:
			in.logo = data
		}
	}
	read := map[string]*letters.Letter{}
	var bytesRead int64
	pages, over := 0, false
	for _, a := range in.c.Annexes {
		in.letters = append(in.letters, nil)
		if a.Fichier == "" || over {
			continue
		}
		key := workbook.Normalize(a.Fichier)
		if l, ok := read[key]; ok {
			in.letters[len(in.letters)-1] = l
			continue
		}
		read[key] = nil
		cell := a.At.Cell("Fichier")
		data, f := openAt(dir, workbook.SheetAnnexes, cell, a.Fichier, maxLetterBytes)
		if f != nil {
			in.findings = append(in.findings, *f)
			continue
		}
		bytesRead += int64(len(data))
		if bytesRead > maxLettersBytes {
			over = true
			in.findings = append(in.findings, model.Finding{Severity: model.Erreur, Sheet: workbook.SheetAnnexes, Cell: cell,
				Message: fmt.Sprintf("les lettres dépassent ensemble %s avec « %s » (au plus %s par candidature) : les suivantes ne sont pas lues",
					Size(bytesRead), printable(a.Fichier), Size(maxLettersBytes)),
				Hint: "réduisez les scans (150 ppp suffisent) ou retirez des pièces"})
			continue
		}
		l, err := letters.ReadLetter(a.Fichier, data, letters.LetterOptions{})
		if err == nil && pages+l.Pages > maxLettersPages {
			over = true
			in.findings = append(in.findings, model.Finding{Severity: model.Erreur, Sheet: workbook.SheetAnnexes, Cell: cell,
				Message: fmt.Sprintf("les lettres dépassent ensemble %d pages avec « %s » (au plus %d par candidature) : les suivantes ne sont pas lues",
					pages+l.Pages, printable(a.Fichier), maxLettersPages),
				Hint: "ne joignez que les lettres de soutien, pas des documents entiers"})
			continue
		}
		if err == nil {
			pages += l.Pages
		}
		if err != nil {
			in.findings = append(in.findings, model.Finding{Severity: model.Erreur, Sheet: workbook.SheetAnnexes, Cell: cell, Message: err.Error()})
			continue
		}
		for _, w := range l.Warnings {
			in.findings = append(in.findings, model.Finding{Severity: model.Avertissement, Sheet: workbook.SheetAnnexes, Cell: cell, Message: w})
		}
		read[key] = l
		in.letters[len(in.letters)-1] = l
	}
}

// openAt reads the file name, typed in the workbook at sheet!cell, from
// dir, or returns the finding that says why it cannot.
func openAt(dir fs.FS, sheet, cell, name string, max int64) ([]byte, *model.Finding) {
	here := "placez le fichier dans le dossier du classeur et écrivez seulement son nom"
	bad := func(msg, hint string) ([]byte, *model.Finding) {
		return nil, &model.Finding{Severity: model.Erreur, Sheet: sheet, Cell: cell, Message: msg, Hint: hint}
	}
	p, err := cleanName(name)
	name = printable(name)
	if err != nil {
		return bad(fmt.Sprintf("chemin refusé « %s » : %v", name, err), here)
	}
	data, err := readFile(dir, p, max)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		hint := "placez le fichier dans le même dossier que le classeur, ou corrigez son nom, extension comprise"
		if near := nearName(dir, p); near != "" {
			hint = fmt.Sprintf("vouliez-vous dire « %s » ? Le nom doit être exact", printable(near))
		}
		return bad(fmt.Sprintf("fichier « %s » introuvable dans le dossier du classeur", name), hint)
	case err != nil:
		return bad(fmt.Sprintf("fichier « %s » : %v", name, err), "placez le fichier lui-même (pas un raccourci ni un dossier) dans le dossier du classeur")
	case len(data) == 0:
		return bad(fmt.Sprintf("fichier « %s » vide", name), "remplacez-le par le bon fichier")
	}
	return data, nil
}

// cleanName turns a file name typed in the workbook into a path of the
// workbook's folder, refusing absolute paths and paths that leave it.
func cleanName(name string) (string, error) {
	p := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(p, "/") || (len(p) > 1 && p[1] == ':') {
		return "", errors.New("chemin absolu")
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return "", errors.New("il sort du dossier du classeur")
		}
	}
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if !fs.ValidPath(p) {
		return "", errors.New("nom de fichier invalide")
	}
	return p, nil
}

// nearName finds a file of the folder whose name differs from p only by
// case or accents, to suggest it.
func nearName(dir fs.FS, p string) string {
	entries, err := fs.ReadDir(dir, path.Dir(p))
	if err != nil {
		return ""
	}
	want := workbook.Normalize(path.Base(p))
	for _, e := range entries {
		if workbook.Normalize(e.Name()) == want {
			return path.Join(path.Dir(p), e.Name())
		}
	}
	return ""
}

// readFile reads name from fsys: a regular file of at most max bytes. What
// is not a regular file (a folder, a named pipe, a device) is refused
// before it is opened, so that nothing can make the read wait.
func readFile(fsys fs.FS, name string, max int64) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fs.ErrNotExist
		}
		for _, known := range []error{errNotBeside, errHidden, errNotRegular} {
			if errors.Is(err, known) {
				return nil, known
			}
		}
		return nil, fmt.Errorf("fichier illisible ou hors du dossier du classeur (%v)", unwrapPath(err))
	}
	if !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, errors.New("c’est un dossier, pas un fichier")
		}
		return nil, errNotRegular
	}
	if st.Size() > max {
		return nil, fmt.Errorf("fichier trop lourd (%s ; au plus %s)", Size(st.Size()), Size(max))
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("fichier illisible (%v)", unwrapPath(err))
	}
	defer f.Close()
	// What was opened may not be what was looked at (replaced meanwhile):
	// the handle itself must be a regular file.
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, errNotRegular
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("fichier illisible (%v)", unwrapPath(err))
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("fichier trop lourd (au plus %s)", Size(max))
	}
	return data, nil
}

// consequences drops the checks' findings on a whole sheet that the reader
// already found missing or unusable: « tableau vide » says nothing more
// than « feuille introuvable ».
func consequences(read, checked []model.Finding) []model.Finding {
	lost := map[string]bool{}
	for _, f := range read {
		if f.Severity == model.Erreur && f.Cell == "" {
			lost[f.Sheet] = true
		}
	}
	out := checked[:0:0]
	for _, f := range checked {
		if !(f.Cell == "" && lost[f.Sheet]) {
			out = append(out, f)
		}
	}
	return out
}
