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
	"necdossier/assemble/french"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"

	"golang.org/x/text/unicode/norm"
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
	in.findings = append(findings, check.Candidature(c, call)...)
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
	c, findings, err := workbook.Read(bytes.NewReader(data), int64(len(data)), display)
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
		data, _, f := openAt(dir, workbook.SheetCollectivite, cell, co.Logo, maxLogoBytes)
		switch kind := letters.Sniff(data); {
		case f != nil:
			in.findings = append(in.findings, *f)
		case kind != "png" && kind != "jpeg":
			in.add(model.Erreur, workbook.SheetCollectivite, cell,
				fmt.Sprintf("fichier « %s » : le logo doit être une image PNG ou JPEG", printable(co.Logo)), "enregistrez le logo en PNG")
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
		cell := a.At.Cell("Fichier")
		if p, err := cleanName(a.Fichier); err == nil {
			if p, _ := resolve(dir, p); read[p] != nil {
				in.letters[len(in.letters)-1] = read[p]
				continue
			}
		}
		data, key, f := openAt(dir, workbook.SheetAnnexes, cell, a.Fichier, maxLetterBytes)
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
		l, err := letters.Read(a.Fichier, data, letters.Options{})
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
			in.add(model.Erreur, workbook.SheetAnnexes, cell, printable(err.Error()), "remplacez le fichier, ou demandez-en un nouvel exemplaire à son auteur")
			continue
		}
		for _, w := range l.Warnings {
			// How the letter was processed: for the person building
			// (terminal, manifest), not for the committee.
			in.add(model.Note, workbook.SheetAnnexes, cell, printable(w), "")
		}
		read[key] = l
		in.letters[len(in.letters)-1] = l
	}
}

// add records a finding, in French typography.
func (in *intake) add(sev model.Severity, sheet, cell, msg, hint string) {
	in.findings = append(in.findings, model.Finding{Severity: sev, Sheet: sheet, Cell: cell, Message: french.Spaced(msg), Hint: french.Spaced(hint)})
}

// openAt reads the file name, typed in the workbook at sheet!cell, from
// dir, or returns the finding that says why it cannot. It also returns the
// file's name in dir, which may differ from name (see resolve).
func openAt(dir fs.FS, sheet, cell, name string, max int64) ([]byte, string, *model.Finding) {
	here := "placez le fichier dans le dossier du classeur et écrivez seulement son nom"
	bad := func(msg, hint string) ([]byte, string, *model.Finding) {
		return nil, "", &model.Finding{Severity: model.Erreur, Sheet: sheet, Cell: cell, Message: french.Spaced(msg), Hint: french.Spaced(hint)}
	}
	p, err := cleanName(name)
	name = printable(name)
	if err != nil {
		return bad(fmt.Sprintf("chemin refusé « %s » : %v", printable(name), err), here)
	}
	p, near := resolve(dir, p)
	data, err := readFile(dir, p, max)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		hint := "placez le fichier dans le même dossier que le classeur, ou corrigez son nom, extension comprise"
		if near != "" {
			hint = fmt.Sprintf("vouliez-vous dire « %s » ? %s", printable(near), difference(path.Base(p), path.Base(near)))
		}
		return bad(fmt.Sprintf("fichier « %s » introuvable dans le dossier du classeur", printable(name)), hint)
	case err != nil:
		return bad(fmt.Sprintf("fichier « %s » : %v", printable(name), err), "placez le fichier lui-même (pas un raccourci ni un dossier) dans le dossier du classeur")
	case len(data) == 0:
		return bad(fmt.Sprintf("fichier « %s » vide", printable(name)), "remplacez-le par le bon fichier")
	}
	return data, p, nil
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

// resolve finds the file of dir that the name p typed in a workbook means.
// A name as typed wins; failing that, the same name once both are in
// Unicode's composed form (NFC: macOS and zip files made there write « é »
// as « e » and an accent), then the same name in another case (the name
// typed on Windows, where case does not matter). When nothing matches, near
// is the closest name of the folder, if one is close enough to suggest:
// one or two characters apart, or the same name with another extension.
func resolve(dir fs.FS, p string) (found, near string) {
	if _, err := fs.Stat(dir, p); err == nil {
		return p, ""
	}
	folder, base := path.Dir(p), norm.NFC.String(path.Base(p))
	entries, err := fs.ReadDir(dir, folder)
	if err != nil {
		return p, ""
	}
	for _, same := range []func(a, b string) bool{
		func(a, b string) bool { return a == b },
		strings.EqualFold,
	} {
		for _, e := range entries {
			if same(norm.NFC.String(e.Name()), base) {
				return path.Join(folder, e.Name()), ""
			}
		}
	}
	best := 3
	want := strings.ToLower(base)
	stem := strings.TrimSuffix(want, path.Ext(want))
	for _, e := range entries {
		got := strings.ToLower(norm.NFC.String(e.Name()))
		d := editDistance(want, got, best)
		if d > 2 && strings.TrimSuffix(got, path.Ext(got)) == stem {
			d = 2 // another extension
		}
		if d < best {
			best, near = d, path.Join(folder, e.Name())
		}
	}
	return p, near
}

// editDistance is the Levenshtein distance between a and b, in runes, or
// limit when it is at least limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}

// difference shows where the name typed differs from the one suggested,
// the part that differs between brackets:
// « soutien-re[gi]on.pdf » where the workbook says « soutien-re[ig]on.pdf ».
func difference(typed, near string) string {
	a, b := []rune(norm.NFC.String(typed)), []rune(norm.NFC.String(near))
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	mark := func(r []rune) string {
		return printable(string(r[:pre]) + "[" + string(r[pre:len(r)-suf]) + "]" + string(r[len(r)-suf:]))
	}
	return fmt.Sprintf("Le nom doit être exact : « %s » dans le dossier, « %s » dans le classeur", mark(b), mark(a))
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
	// Read into a buffer of the size announced (plus the room ReadFrom
	// wants to see end of file): no doubling and copying on the way. A file
	// that grew meanwhile is still cut at max+1.
	buf := bytes.NewBuffer(make([]byte, 0, min(st.Size(), max)+bytes.MinRead+1))
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, fmt.Errorf("fichier illisible (%v)", unwrapPath(err))
	}
	data := buf.Bytes()
	if int64(len(data)) > max {
		return nil, fmt.Errorf("fichier trop lourd (au plus %s)", Size(max))
	}
	return data, nil
}
