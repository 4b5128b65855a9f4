package assemble

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"necdossier/assemble/check"
	"necdossier/assemble/french"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/render"
	"necdossier/assemble/workbook"
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
	Workbook string      // path of the workbook
	Output   string      // PDF to write; "" → <file_prefix>-<slug>.pdf in OutDir
	OutDir   string      // folder of the default output ("" → current folder)
	Call     *model.Call // the call applied to
	Fonts    fs.FS       // the typeface (fonts.FS)
	Now      time.Time   // date written in the dossier
	MaxSize  int64       // warn above this size in bytes (0 → 10 MB)
	Email    bool        // also write the e-mail draft (.eml) beside the PDF
	Manifest string      // also write what went in and came out (JSON) to this path
	Split    bool        // over MaxSize, write the annexes as a second PDF
}

// BuildResult tells what Build did.
type BuildResult struct {
	Output     string          // the dossier written
	Pages      int             // its pages: annexes included, unless split apart
	Size       int64           // its size in bytes
	Findings   []model.Finding // what the checks found (warnings only when Build succeeded)
	Warnings   []string        // about the build itself: annexLetters, size
	Row        *model.Row      // the candidate's figures for the comparison (nil when unreadable)
	Email      string          // the e-mail draft written, if asked
	Annexes    string          // the annexes' PDF, when the dossier was split…
	AnnexPages int             // …its pages, cover included,
	AnnexSize  int64           // …and its size
}

// Init writes the blank workbook for call to path ("" → the call's default
// name). It refuses to replace an existing file unless force is set, and
// returns the path written.
func Init(call *model.Call, path string, force bool) (string, error) {
	if path == "" {
		path = call.WorkbookName
	}
	err := writeAtomic(path, !force, func(w io.Writer) error {
		return workbook.WriteWorkbook(w, call, nil)
	})
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s existe déjà : choisissez un autre nom (-o) ou ajoutez --force pour le remplacer", path)
	}
	return path, err
}

// CheckFile reads the workbook at path and checks it against call, with the
// annexes looked up in the workbook's folder and read in full, as build
// reads them. The findings come in the workbook's order.
func CheckFile(path string, call *model.Call) ([]model.Finding, error) {
	_, _, root, findings, err := readAndCheck(path, call)
	if err != nil {
		return nil, err
	}
	root.Close()
	return findings, nil
}

// readAndCheck reads the workbook at path, checks it, and reads its
// letters. The annexes are reached through the returned root, the
// workbook's folder, which nothing can leave (no "..", no absolute path, no
// symbolic link leading out). letters has an entry per annex row, nil where
// the letter could not be read (a finding says why).
func readAndCheck(path string, call *model.Call) (c *model.Candidature, annexLetters []*letters.Letter, root *os.Root, findings []model.Finding, err error) {
	c, findings, err = workbook.ReadWorkbookFile(path)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	root, err = os.OpenRoot(c.Source.Dir)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("dossier %s : %w", c.Source.Dir, err)
	}
	findings = append(findings, consequences(findings, check.Check(c, call, root.FS()))...)
	annexLetters, more := readLetters(c, root, findings)
	findings = append(findings, more...)
	workbook.SortFindings(findings)
	return c, annexLetters, root, findings, nil
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

// readLetters reads in full every annex the checks did not already refuse:
// a letter that cannot go into the dossier (a password to open it, a file
// cut short…) is an error at its cell for check as for build, and what a
// letter loses in the merge (a signature) a warning there.
func readLetters(c *model.Candidature, root *os.Root, findings []model.Finding) ([]*letters.Letter, []model.Finding) {
	refused := map[string]bool{}
	for _, f := range findings {
		if f.Severity == model.Erreur && f.Sheet == workbook.SheetAnnexes {
			refused[f.Cell] = true
		}
	}
	var annexLetters []*letters.Letter
	var out []model.Finding
	for _, a := range c.Annexes {
		cell := a.At.Cell("Fichier")
		annexLetters = append(annexLetters, nil)
		if a.Fichier == "" || refused[cell] {
			continue
		}
		data, err := readCapped(root.FS(), a.Fichier, maxLetterBytes)
		if err != nil {
			out = append(out, model.Finding{Severity: model.Erreur, Sheet: workbook.SheetAnnexes, Cell: cell,
				Message: fmt.Sprintf("fichier « %s » : %v", a.Fichier, err), Hint: "placez le fichier lui-même (pas un raccourci) dans le dossier du classeur"})
			continue
		}
		l, err := letters.ReadLetter(a.Fichier, data, letters.LetterOptions{})
		if err != nil {
			out = append(out, model.Finding{Severity: model.Erreur, Sheet: workbook.SheetAnnexes, Cell: cell, Message: err.Error()})
			continue
		}
		for _, w := range l.Warnings {
			// How the letter was processed: for the person building (terminal,
			// manifest), not for the committee.
			out = append(out, model.Finding{Severity: model.Note, Sheet: workbook.SheetAnnexes, Cell: cell, Message: w})
		}
		annexLetters[len(annexLetters)-1] = l
	}
	return annexLetters, out
}

// Build reads and checks the workbook, then writes the dossier: rendered
// pages followed by the support letters, all numbered. The output appears
// only when everything succeeded; it never replaces an input.
func Build(opt BuildOptions) (*BuildResult, error) {
	c, read, root, findings, err := readAndCheck(opt.Workbook, opt.Call)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	criteria := check.Evaluate(c, opt.Call)
	row := RowOf(c, opt.Call, criteria)
	res := &BuildResult{Findings: findings, Row: &row}
	if model.HasError(findings) {
		return res, ErrFindings
	}

	// The letters were read with the checks: their page counts are in the
	// table of contents, and their digests in the fingerprint.
	fingerprint := sha256.New()
	fmt.Fprintf(fingerprint, "workbook %s\n", c.Source.SHA256)
	var annexLetters []*letters.Letter
	var annexes []render.Annex
	for i, a := range c.Annexes {
		l := read[i]
		if l == nil { // an empty row: the checks allow it only when it has no file
			continue
		}
		fmt.Fprintf(fingerprint, "letter %s\n", l.SHA256)
		annexLetters = append(annexLetters, l)
		annexes = append(annexes, render.Annex{
			Title: a.Titre, Organisation: a.Organisation, Signataire: a.Signataire,
			Kind: a.Type, Date: a.Date, File: a.Fichier, Pages: l.Pages,
		})
	}
	row.Empreinte = hex.EncodeToString(fingerprint.Sum(nil))
	var logo []byte
	if c.Collectivite.Logo != "" {
		logo, err = readCapped(root.FS(), c.Collectivite.Logo, maxLogoBytes)
		if err != nil {
			return res, fmt.Errorf("%s : logo « %s » : %w", placeOf(c.Collectivite.At, "Logo"), c.Collectivite.Logo, err)
		}
	}

	ropt := render.RenderOptions{
		Fonts:       opt.Fonts,
		Created:     opt.Now,
		Fingerprint: row.Empreinte,
		Annexes:     annexes,
		Criteria:    criteria,
		Findings:    findings,
		Logo:        logo,
	}
	draw := func(annexFile string) ([]byte, *render.Layout, error) {
		var buf bytes.Buffer
		o := ropt
		o.AnnexFile = annexFile
		l, err := render.Render(&buf, c, opt.Call, o)
		if err != nil {
			return nil, nil, fmt.Errorf("mise en page : %w", err)
		}
		return buf.Bytes(), l, nil
	}
	dossier, layout, err := draw("")
	if err != nil {
		return res, err
	}

	out := opt.Output
	if out == "" {
		out = filepath.Join(opt.OutDir, OutputName(opt.Call, c))
	}
	if err := notAnInput(out, opt.Workbook, c); err != nil {
		return res, err
	}
	limit := opt.MaxSize
	if limit <= 0 {
		limit = 10e6
	}
	parts, err := mergeParts(opt, c, draw, dossier, layout, annexLetters, out, limit)
	if err != nil {
		return res, err
	}
	// Every part is written through a temporary file; the parts appear
	// together, or, when a later one fails, the earlier ones are removed.
	for i, p := range parts {
		if err := writeAtomic(p.path, false, func(w io.Writer) error { _, err := w.Write(p.data); return err }); err != nil {
			for _, q := range parts[:i] {
				os.Remove(q.path)
			}
			return res, err
		}
	}
	res.Output, res.Pages, res.Size = out, parts[0].pages, int64(len(parts[0].data))
	if len(parts) > 1 {
		res.Annexes, res.AnnexPages, res.AnnexSize = parts[1].path, parts[1].pages, int64(len(parts[1].data))
	}
	row.Pages = layout.Total
	switch {
	case res.Annexes != "":
		res.Warnings = append(res.Warnings, fmt.Sprintf("le dossier pesait plus de %s : il est scindé en deux fichiers, le dossier (%s) et ses annexes (%s), qui renvoient l’un à l’autre", Size(limit), Size(int64(len(parts[0].data))), Size(int64(len(parts[1].data)))))
	case res.Size > limit:
		res.Warnings = append(res.Warnings, fmt.Sprintf("le dossier pèse %s, au-delà de %s : il risque d’être refusé par une messagerie ; allégez les annexes (scans en 150 dpi), scindez-le (--split) ou envoyez-le par un service de transfert (France transfert)", Size(res.Size), Size(limit)))
	}
	if deadline := opt.Call.Deadline.AddDate(0, 0, 1); !opt.Now.IsZero() && !opt.Now.Before(deadline) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("la date limite de l’appel (%s) est passée : le dossier est produit, mais vérifiez auprès du destinataire (%s) qu’une candidature est encore reçue", french.ShortDate(opt.Call.Deadline.Time), opt.Call.Recipient.Email))
	}

	var outputs []ManifestFile
	for _, p := range parts {
		outputs = append(outputs, fileEntry(p.path, p.role, "pdf", p.pages, p.data))
	}
	if opt.Email {
		eml := strings.TrimSuffix(out, filepath.Ext(out)) + ".eml"
		var msg bytes.Buffer
		if err := WriteEmail(&msg, draftFor(c, opt.Call, opt.Now, parts, limit)); err != nil {
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
			Warnings: res.Warnings,
		}
		for i, l := range annexLetters {
			m.Inputs = append(m.Inputs, ManifestFile{Path: filepath.Join(c.Source.Dir, annexes[i].File), Role: "annex", Kind: l.Kind, Pages: l.Pages, Size: l.Size, SHA256: l.SHA256})
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
// When the dossier was split because it was too heavy for an e-mail, only
// its first part is attached, and the body says how the annexes follow.
func draftFor(c *model.Candidature, call *model.Call, now time.Time, parts []outPart, limit int64) Draft {
	col := c.Collectivite
	attach := parts[:1]
	var b strings.Builder
	fmt.Fprintf(&b, "Madame, Monsieur,\n\n")
	fmt.Fprintf(&b, "Veuillez trouver ci-joint le dossier de candidature de la collectivité « %s » à la co-organisation de %s.\n\n", col.Nom, call.Title)
	for _, p := range attach {
		fmt.Fprintf(&b, "Pièce jointe : %s (%s, %d pages)\n", filepath.Base(p.path), Size(int64(len(p.data))), p.pages)
	}
	fmt.Fprintf(&b, "\nLe dossier comprend :\n")
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
	if len(parts) > 1 {
		p := parts[1]
		fmt.Fprintf(&b, "\nLes annexes (%s, %s) dépassent avec le dossier la taille qu’une messagerie accepte (%s) : "+
			"nous vous les adressons par France transfert (https://francetransfert.numerique.gouv.fr).\n",
			filepath.Base(p.path), Size(int64(len(p.data))), Size(limit))
	}
	fmt.Fprintf(&b, "\nPersonne à contacter : %s", col.ContactNom)
	if col.ContactFonction != "" {
		fmt.Fprintf(&b, ", %s", col.ContactFonction)
	}
	fmt.Fprintf(&b, "\n%s %s\n\n", col.ContactEmail, col.ContactTel)
	fmt.Fprintf(&b, "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.\n\n%s\n", col.Nom)
	d := Draft{
		To:      []*mail.Address{{Name: call.Recipient.Name, Address: call.Recipient.Email}},
		Subject: strings.ReplaceAll(call.EmailSubject, "{collectivite}", col.Nom),
		Body:    b.String(),
		Date:    now,
	}
	for _, p := range attach {
		d.Attachments = append(d.Attachments, Attachment{Name: filepath.Base(p.path), ContentType: "application/pdf", Data: p.data})
	}
	if addr, err := mail.ParseAddress(col.ContactEmail); err == nil {
		d.From = &mail.Address{Name: col.ContactNom, Address: addr.Address}
	}
	return d
}

// outPart is a PDF that Build writes: the dossier, or its annexes when split.
type outPart struct {
	path, role string
	data       []byte
	pages      int
}

// mergeParts merges the rendered dossier with its letters into one PDF;
// or, with opt.Split when that PDF is over limit, into two: the dossier's
// own pages, and the letters behind a cover page that names the dossier.
// Both keep the one numbering (« page X / N ») and have their outline.
func mergeParts(opt BuildOptions, c *model.Candidature, draw func(annexFile string) ([]byte, *render.Layout, error),
	dossier []byte, l *render.Layout, annexLetters []*letters.Letter, out string, limit int64) ([]outPart, error) {
	plan := mergePlan(l)
	var whole bytes.Buffer
	if err := letters.Merge(&whole, bytes.NewReader(dossier), annexLetters, plan); err != nil {
		return nil, err
	}
	one := []outPart{{path: out, role: "dossier", data: letters.PinDates(whole.Bytes(), opt.Now), pages: l.Total}}
	if !opt.Split || int64(whole.Len()) <= limit || len(annexLetters) == 0 {
		return one, nil
	}
	annexPath := strings.TrimSuffix(out, filepath.Ext(out)) + "-annexes.pdf"
	// Drawn again, the dossier names the file its annexes are in.
	dossier, l, err := draw(filepath.Base(annexPath))
	if err != nil {
		return nil, err
	}
	plan = mergePlan(l)

	// The dossier's pages: the outline stops before the annexes, and the
	// links to annex pages are dropped (they are in the other file).
	var main bytes.Buffer
	mainPlan := letters.MergePlan{Outline: keepOutline(plan.Outline, l.Pages)}
	if err := letters.Merge(&main, bytes.NewReader(dossier), nil, mainPlan); err != nil {
		return nil, err
	}
	// The annexes: an unnumbered cover naming the dossier, then the letters
	// numbered as in the whole (page Pages+1 onwards).
	var cover bytes.Buffer
	if err := render.RenderAnnexCover(&cover, opt.Call, c, filepath.Base(out), l, opt.Fonts, opt.Now); err != nil {
		return nil, fmt.Errorf("annexes : %w", err)
	}
	annexPlan := letters.MergePlan{
		Footer: func(page, _ int) string { return fmt.Sprintf("page %d / %d", l.Pages+page-1, l.Total) },
	}
	annexPlan.Outline = []letters.Bookmark{{Title: "Annexes du dossier " + filepath.Base(out), Page: 1}}
	for _, e := range l.Outline {
		if e.Page > l.Pages && e.Level > 0 {
			annexPlan.Outline = append(annexPlan.Outline, letters.Bookmark{Title: e.Title, Page: e.Page - l.Pages + 1})
		}
	}
	var annexes bytes.Buffer
	if err := letters.Merge(&annexes, bytes.NewReader(cover.Bytes()), annexLetters, annexPlan); err != nil {
		return nil, err
	}
	return []outPart{
		{path: out, role: "dossier", data: letters.PinDates(main.Bytes(), opt.Now), pages: l.Pages},
		{path: annexPath, role: "annexes", data: letters.PinDates(annexes.Bytes(), opt.Now), pages: l.Total - l.Pages + 1},
	}, nil
}

// keepOutline keeps the bookmarks (and their children) up to page last.
func keepOutline(bms []letters.Bookmark, last int) []letters.Bookmark {
	var out []letters.Bookmark
	for _, b := range bms {
		if b.Page > last {
			continue
		}
		b.Kids = keepOutline(b.Kids, last)
		out = append(out, b)
	}
	return out
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
func mergePlan(l *render.Layout) letters.MergePlan {
	var plan letters.MergePlan
	// The outline is flat in the layout, with levels; nest it.
	var stack []*[]letters.Bookmark
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
		*dst = append(*dst, letters.Bookmark{Title: e.Title, Page: e.Page})
	}
	for _, s := range l.Links {
		plan.Links = append(plan.Links, letters.PageLink{Page: s.Page, X: s.X, Y: s.Y, W: s.W, H: s.H, Target: s.Target})
	}
	plan.Footer = func(page, total int) string { return fmt.Sprintf("page %d / %d", page, total) }
	return plan
}

// OutputName is the dossier's default file name: ASCII, no spaces, safe for
// e-mail and every operating system: NEC2025-candidature-<slug>.pdf.
func OutputName(call *model.Call, c *model.Candidature) string {
	return call.FilePrefix + "-" + french.Slug(c.Collectivite.Nom) + ".pdf"
}

// placeOf names the cell of field key in a record, for messages.
func placeOf(at model.Ref, key string) string {
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
func notAnInput(out, workbook string, c *model.Candidature) error {
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
		return french.Number(n) + french.NBSP + "o"
	case n < 1000*1000:
		return french.Number((n+500)/1000) + french.NBSP + "ko"
	default:
		return strings.TrimSuffix(french.Decimal(float64(n)/1e6, 1), ",0") + french.NBSP + "Mo"
	}
}
