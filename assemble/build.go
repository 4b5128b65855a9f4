package assemble

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrFindings is returned by Build when the checks found an error: the
// findings are in the result, and no file was written.
var ErrFindings = errors.New("le classeur comporte des erreurs")

// Limits on what a candidate's folder may make the tool read.
const (
	maxLetterBytes = 50 << 20 // one annex
	maxLogoBytes   = 5 << 20
)

// BuildOptions says what to build and where.
type BuildOptions struct {
	Workbook string    // path of the workbook
	Output   string    // PDF to write; "" → <file_prefix>-<slug>.pdf in OutDir
	OutDir   string    // folder of the default output ("" → current folder)
	Call     *Call     // the call applied to
	Fonts    fs.FS     // the typeface (fonts.FS)
	Now      time.Time // date written in the dossier
	MaxSize  int64     // warn above this size in bytes (0 → 10 MB)
	Email    bool      // also write the e-mail draft (.eml) beside the PDF
	Manifest string    // also write what went in and came out (JSON) to this path
}

// BuildResult tells what Build did.
type BuildResult struct {
	Output   string    // path written
	Pages    int       // pages of the whole dossier, annexes included
	Size     int64     // bytes written
	Findings []Finding // what the checks found (warnings only when Build succeeded)
	Warnings []string  // about the build itself: letters, size
	Row      *Row      // the candidate's figures for the comparison (nil when unreadable)
	Email    string    // the e-mail draft written, if asked
}

// Init writes the blank workbook for call to path ("" → the call's default
// name). It refuses to replace an existing file unless force is set, and
// returns the path written.
func Init(call *Call, path string, force bool) (string, error) {
	if path == "" {
		path = call.WorkbookName
	}
	err := writeAtomic(path, !force, func(w io.Writer) error {
		return WriteWorkbook(w, call, nil)
	})
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s existe déjà : choisissez un autre nom (-o) ou ajoutez --force pour le remplacer", path)
	}
	return path, err
}

// CheckFile reads the workbook at path and checks it against call, with the
// annexes looked up in the workbook's folder.
func CheckFile(path string, call *Call) ([]Finding, error) {
	c, findings, err := ReadWorkbookFile(path)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(c.Source.Dir)
	if err != nil {
		return nil, fmt.Errorf("dossier %s : %w", c.Source.Dir, err)
	}
	defer root.Close()
	return append(findings, Check(c, call, root.FS())...), nil
}

// Build reads and checks the workbook, then writes the dossier: rendered
// pages followed by the support letters, all numbered. The output appears
// only when everything succeeded; it never replaces an input.
func Build(opt BuildOptions) (*BuildResult, error) {
	c, findings, err := ReadWorkbookFile(opt.Workbook)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(c.Source.Dir)
	if err != nil {
		return nil, fmt.Errorf("dossier %s : %w", c.Source.Dir, err)
	}
	defer root.Close()
	findings = append(findings, Check(c, opt.Call, root.FS())...)
	criteria := Evaluate(c, opt.Call)
	row := RowOf(c, criteria)
	res := &BuildResult{Findings: findings, Row: &row}
	if HasError(findings) {
		return res, ErrFindings
	}

	// Letters: read, checked and made harmless before anything is drawn,
	// since their page counts are in the table of contents.
	fingerprint := sha256.New()
	fmt.Fprintf(fingerprint, "workbook %s\n", c.Source.SHA256)
	var letters []*Letter
	var annexes []Annex
	for _, a := range c.Annexes {
		data, err := readCapped(root.FS(), a.Fichier, maxLetterBytes)
		if err != nil {
			return res, fmt.Errorf("%s : annexe %q : %w", placeOf(a.At, "Fichier"), a.Fichier, err)
		}
		l, err := ReadLetter(a.Fichier, data, LetterOptions{})
		if err != nil {
			return res, fmt.Errorf("%s : %w", placeOf(a.At, "Fichier"), err)
		}
		fmt.Fprintf(fingerprint, "letter %s\n", l.SHA256)
		letters = append(letters, l)
		res.Warnings = append(res.Warnings, l.Warnings...)
		annexes = append(annexes, Annex{
			Title: a.Titre, Organisation: a.Organisation, Signataire: a.Signataire,
			Kind: a.Type, Date: a.Date, File: a.Fichier, Pages: l.Pages,
		})
	}
	row.Empreinte = hex.EncodeToString(fingerprint.Sum(nil))
	var logo []byte
	if c.Collectivite.Logo != "" {
		logo, err = readCapped(root.FS(), c.Collectivite.Logo, maxLogoBytes)
		if err != nil {
			return res, fmt.Errorf("%s : logo %q : %w", placeOf(c.Collectivite.At, "Logo"), c.Collectivite.Logo, err)
		}
	}

	var dossier bytes.Buffer
	layout, err := Render(&dossier, c, opt.Call, RenderOptions{
		Fonts:       opt.Fonts,
		Created:     opt.Now,
		Fingerprint: row.Empreinte,
		Annexes:     annexes,
		Criteria:    criteria,
		Findings:    findings,
		Logo:        logo,
	})
	if err != nil {
		return res, fmt.Errorf("mise en page : %w", err)
	}

	out := opt.Output
	if out == "" {
		out = filepath.Join(opt.OutDir, OutputName(opt.Call, c))
	}
	if err := notAnInput(out, opt.Workbook, c); err != nil {
		return res, err
	}
	var merged bytes.Buffer
	if err := Merge(&merged, bytes.NewReader(dossier.Bytes()), letters, mergePlan(layout)); err != nil {
		return res, err
	}
	final := bytes.NewBuffer(pinDates(merged.Bytes(), opt.Now))
	if err := writeAtomic(out, false, func(w io.Writer) error { _, err := w.Write(final.Bytes()); return err }); err != nil {
		return res, err
	}
	res.Output, res.Pages, res.Size = out, layout.Total, int64(final.Len())
	row.Pages = layout.Total
	limit := opt.MaxSize
	if limit <= 0 {
		limit = 10e6
	}
	if res.Size > limit {
		res.Warnings = append(res.Warnings, fmt.Sprintf("le dossier pèse %s, au-delà de %s : il risque d’être refusé par une messagerie ; allégez les annexes (scans en 150 dpi) ou envoyez-le par un service de transfert (France transfert)", Size(res.Size), Size(limit)))
	}
	if deadline := opt.Call.Deadline.AddDate(0, 0, 1); !opt.Now.IsZero() && !opt.Now.Before(deadline) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("la date limite de l’appel (%s) est passée : le dossier est produit, mais vérifiez auprès de %s qu’une candidature est encore reçue", ShortDate(opt.Call.Deadline.Time), opt.Call.Recipient.Email))
	}

	outputs := []ManifestFile{fileEntry(out, "dossier", "pdf", layout.Total, final.Bytes())}
	if opt.Email {
		eml := strings.TrimSuffix(out, filepath.Ext(out)) + ".eml"
		var msg bytes.Buffer
		if err := WriteEmail(&msg, draftFor(c, opt.Call, opt.Now, filepath.Base(out), final.Bytes(), layout)); err != nil {
			return res, fmt.Errorf("courriel : %w", err)
		}
		if err := writeAtomic(eml, false, func(w io.Writer) error { _, err := w.Write(msg.Bytes()); return err }); err != nil {
			return res, err
		}
		res.Email = eml
		outputs = append(outputs, fileEntry(eml, "email", "eml", 0, msg.Bytes()))
	}
	if opt.Manifest != "" {
		m := &Manifest{
			Tool: "necdossier", Call: opt.Call.ID, Built: opt.Now.UTC(), Fingerprint: row.Empreinte,
			Inputs:   []ManifestFile{{Path: opt.Workbook, Role: "workbook", Kind: "xlsx", Size: c.Source.Size, SHA256: c.Source.SHA256}},
			Outputs:  outputs,
			Findings: notes(findings),
		}
		for i, l := range letters {
			m.Inputs = append(m.Inputs, ManifestFile{Path: filepath.Join(c.Source.Dir, c.Annexes[i].Fichier), Role: "annex", Kind: l.Kind, Pages: l.Pages, Size: l.Size, SHA256: l.SHA256})
		}
		if logo != nil {
			m.Inputs = append(m.Inputs, fileEntry(filepath.Join(c.Source.Dir, c.Collectivite.Logo), "logo", sniffKind(logo), 0, logo))
		}
		if err := writeAtomic(opt.Manifest, false, func(w io.Writer) error { return WriteManifest(w, m) }); err != nil {
			return res, err
		}
	}
	return res, nil
}

// draftFor is the e-mail that sends the dossier to the call's recipient.
func draftFor(c *Candidature, call *Call, now time.Time, name string, pdf []byte, l *Layout) Draft {
	col := c.Collectivite
	var b strings.Builder
	fmt.Fprintf(&b, "Madame, Monsieur,\n\n")
	fmt.Fprintf(&b, "Veuillez trouver ci-joint la candidature de %s à la co-organisation de %s.\n\n", col.Nom, call.Title)
	fmt.Fprintf(&b, "Pièce jointe : %s (%s", name, Size(int64(len(pdf))))
	fmt.Fprintf(&b, ", %d pages), comprenant :\n", l.Total)
	for _, s := range call.Sections {
		fmt.Fprintf(&b, "- %s\n", s.Title)
	}
	for _, a := range c.Annexes {
		t := a.Titre
		if t == "" {
			t = a.Fichier
		}
		if a.Organisation != "" {
			t += " (" + a.Organisation + ")"
		}
		fmt.Fprintf(&b, "  - annexe : %s\n", t)
	}
	fmt.Fprintf(&b, "\nPersonne à contacter : %s", col.ContactNom)
	if col.ContactFonction != "" {
		fmt.Fprintf(&b, ", %s", col.ContactFonction)
	}
	fmt.Fprintf(&b, "\n%s %s\n\n", col.ContactEmail, col.ContactTel)
	fmt.Fprintf(&b, "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.\n\n%s\n", col.Nom)
	d := Draft{
		To:          []*mail.Address{{Name: call.Recipient.Name, Address: call.Recipient.Email}},
		Subject:     strings.ReplaceAll(call.EmailSubject, "{collectivite}", col.Nom),
		Body:        b.String(),
		Date:        now,
		Attachments: []Attachment{{Name: name, ContentType: "application/pdf", Data: pdf}},
	}
	if addr, err := mail.ParseAddress(col.ContactEmail); err == nil {
		d.From = &mail.Address{Name: col.ContactNom, Address: addr.Address}
	}
	return d
}

// sniffKind names a file's format from its first bytes.
func sniffKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	}
	return "inconnu"
}

// mergePlan turns the renderer's layout into the letters stage's plan.
func mergePlan(l *Layout) MergePlan {
	var plan MergePlan
	// The outline is flat in the layout, with levels; nest it.
	var stack []*[]Bookmark
	stack = append(stack, &plan.Outline)
	for _, e := range l.Outline {
		lvl := max(e.Level, 0)
		for len(stack) > lvl+1 {
			stack = stack[:len(stack)-1]
		}
		for len(stack) < lvl+1 {
			parent := *stack[len(stack)-1]
			if len(parent) == 0 {
				break
			}
			stack = append(stack, &parent[len(parent)-1].Kids)
		}
		dst := stack[len(stack)-1]
		*dst = append(*dst, Bookmark{Title: e.Title, Page: e.Page})
	}
	for _, s := range l.Links {
		plan.Links = append(plan.Links, PageLink{Page: s.Page, X: s.X, Y: s.Y, W: s.W, H: s.H, Target: s.Target})
	}
	plan.Footer = func(page, total int) string { return fmt.Sprintf("page %d / %d", page, total) }
	return plan
}

// OutputName is the dossier's default file name: ASCII, no spaces, safe for
// e-mail and every operating system: NEC2025-candidature-<slug>.pdf.
func OutputName(call *Call, c *Candidature) string {
	return call.FilePrefix + "-" + Slug(c.Collectivite.Nom) + ".pdf"
}

// placeOf names the cell of field key in a record, for messages.
func placeOf(at Ref, key string) string {
	if cell := at.Cell(key); cell != "" {
		return at.Sheet + "!" + cell
	}
	return at.Sheet
}

// readCapped reads name from fsys, refusing anything larger than max bytes
// or that is not a regular file.
func readCapped(fsys fs.FS, name string, max int64) ([]byte, error) {
	name = filepath.ToSlash(name)
	if !fs.ValidPath(name) {
		return nil, errors.New("chemin refusé : indiquez un fichier placé dans le dossier du classeur, sans « .. » ni chemin absolu")
	}
	f, err := fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("fichier introuvable dans le dossier du classeur")
		}
		return nil, fmt.Errorf("fichier illisible ou hors du dossier du classeur (%v)", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("ce n’est pas un fichier ordinaire")
	}
	if st.Size() > max {
		return nil, fmt.Errorf("fichier trop lourd (%s ; au plus %s)", Size(st.Size()), Size(max))
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("fichier trop lourd (au plus %s)", Size(max))
	}
	return data, nil
}

// notAnInput refuses an output path that is the workbook or one of its annexes.
func notAnInput(out, workbook string, c *Candidature) error {
	ost, err := os.Stat(out)
	if err != nil {
		return nil // does not exist yet: cannot be an input
	}
	inputs := []string{workbook}
	for _, a := range c.Annexes {
		inputs = append(inputs, filepath.Join(c.Source.Dir, a.Fichier))
	}
	if c.Collectivite.Logo != "" {
		inputs = append(inputs, filepath.Join(c.Source.Dir, c.Collectivite.Logo))
	}
	for _, in := range inputs {
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			return fmt.Errorf("%s est un fichier d’entrée (%s) : choisissez un autre nom de sortie avec -o", out, in)
		}
	}
	return nil
}

// writeAtomic writes path through a temporary file in the same folder,
// renamed over path only once write succeeded: a failed run leaves nothing
// behind. With exclusive, an existing path is never replaced (fs.ErrExist).
func writeAtomic(path string, exclusive bool, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s est un dossier : indiquez un nom de fichier", path)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("impossible d’écrire dans %s : %w", dirName(dir), unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes the file private (0600); the result is an ordinary
	// document, readable like any other the user saves.
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("écriture de %s : %w", path, err)
	}
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("écriture de %s : %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("écriture de %s : %w", path, err)
	}
	if exclusive {
		// A hard link fails when path exists, with no window for a race.
		if err := os.Link(tmp.Name(), path); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return err
			}
			return fmt.Errorf("écriture de %s : %w", path, unwrapPath(err))
		}
		os.Remove(tmp.Name())
		return nil
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("écriture de %s : %w", path, unwrapPath(err))
	}
	return nil
}

func dirName(dir string) string {
	if dir == "." || dir == "" {
		return "le dossier courant"
	}
	return "le dossier " + dir
}

// unwrapPath drops the Go operation and path from an *fs.PathError, which
// the caller's message already names, and says the usual causes in French.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission refusée")
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("dossier introuvable")
	}
	return err
}

// Size formats a size in bytes the French way: "850 ko", "2,4 Mo".
func Size(n int64) string {
	switch {
	case n < 1000:
		return Number(n) + NBSP + "o"
	case n < 1000*1000:
		return Number((n+500)/1000) + NBSP + "ko"
	default:
		return strings.TrimSuffix(Decimal(float64(n)/1e6, 1), ",0") + NBSP + "Mo"
	}
}
