// Package assemble is TEMPORARY (see necdossier/web/wasm/tmpapi): it gives
// the in-memory API announced for necdossier/assemble — CheckFS, BuildFS,
// Options, Result, Part — on top of today's exported functions, so that the
// web page runs before that API lands. Nothing here is new behaviour: each
// step is copied from today's assemble.Build and assemble.CheckFile
// (build.go, bundle.go), reading from an fs.FS instead of a folder and
// writing nothing. Delete this package at the merge.
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
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	real "necdossier/assemble"
	"necdossier/web/wasm/tmpapi/model"
)

// Options says what to build, as the announced assemble.Options.
type Options struct {
	Call    *model.Call
	Fonts   fs.FS
	Now     time.Time
	MaxSize int64
	Email   bool // also make the .eml draft
}

// Result is what BuildFS made, as the announced assemble.Result.
type Result struct {
	Findings []model.Finding
	Warnings []string
	Parts    []Part // Parts[0] the dossier PDF; an .eml part when Email
}

// Part is one file made, as the announced assemble.Part.
type Part struct {
	Name, Role string
	Data       []byte
	Pages      int
}

// ErrFindings is today's assemble.ErrFindings.
var ErrFindings = real.ErrFindings

// WriteWorkbook is today's assemble.WriteWorkbook (the blank workbook with c nil).
func WriteWorkbook(w io.Writer, call *model.Call, c *real.Candidature) error {
	return real.WriteWorkbook(w, call, c)
}

// Copied from today's assemble (build.go).
const (
	maxLetterBytes = 50 << 20
	maxLogoBytes   = 5 << 20
	sheetAnnexes   = "Annexes"
)

// CheckFS reads the workbook named workbook in fsys and checks it; letters
// and logo are looked up beside it in fsys.
func CheckFS(fsys fs.FS, workbook string, opt Options) ([]model.Finding, error) {
	_, _, findings, err := readAndCheck(fsys, workbook, opt.Call)
	return findings, err
}

// readAndCheck is today's assemble.readAndCheck on an fs.FS.
func readAndCheck(fsys fs.FS, workbook string, call *model.Call) (*real.Candidature, []*real.Letter, []model.Finding, error) {
	data, err := fs.ReadFile(fsys, workbook)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = errors.New("fichier introuvable")
		}
		return nil, nil, nil, &real.WorkbookError{Name: workbook, Err: err}
	}
	c, findings, err := real.ReadWorkbook(bytes.NewReader(data), int64(len(data)), workbook)
	if err != nil {
		return nil, nil, nil, err
	}
	sum := sha256.Sum256(data)
	c.Source = real.Source{Name: workbook, Dir: path.Dir(workbook), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	dir, err := fs.Sub(fsys, path.Dir(workbook))
	if err != nil {
		return nil, nil, nil, err
	}
	findings = append(findings, consequences(findings, real.Check(c, call, dir))...)
	letters, more := readLetters(c, dir, findings)
	findings = append(findings, more...)
	real.SortFindings(findings)
	return c, letters, findings, nil
}

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

func readLetters(c *real.Candidature, dir fs.FS, findings []model.Finding) ([]*real.Letter, []model.Finding) {
	refused := map[string]bool{}
	for _, f := range findings {
		if f.Severity == model.Erreur && f.Sheet == sheetAnnexes {
			refused[f.Cell] = true
		}
	}
	var letters []*real.Letter
	var out []model.Finding
	for _, a := range c.Annexes {
		cell := a.At.Cell("Fichier")
		letters = append(letters, nil)
		if a.Fichier == "" || refused[cell] {
			continue
		}
		data, err := readCapped(dir, a.Fichier, maxLetterBytes)
		if err != nil {
			out = append(out, model.Finding{Severity: model.Erreur, Sheet: sheetAnnexes, Cell: cell,
				Message: fmt.Sprintf("fichier « %s » : %v", a.Fichier, err), Hint: "placez le fichier lui-même (pas un raccourci) dans le dossier du classeur"})
			continue
		}
		l, err := real.ReadLetter(a.Fichier, data, real.LetterOptions{})
		if err != nil {
			out = append(out, model.Finding{Severity: model.Erreur, Sheet: sheetAnnexes, Cell: cell, Message: err.Error()})
			continue
		}
		for _, w := range l.Warnings {
			out = append(out, model.Finding{Severity: model.Avertissement, Sheet: sheetAnnexes, Cell: cell, Message: w})
		}
		letters[len(letters)-1] = l
	}
	return letters, out
}

// BuildFS does what `necdossier build` does, in memory: nothing is written.
// When the checks find an error, the result holds the findings and the
// error is ErrFindings.
func BuildFS(fsys fs.FS, workbook string, opt Options) (*Result, error) {
	c, read, findings, err := readAndCheck(fsys, workbook, opt.Call)
	if err != nil {
		return nil, err
	}
	criteria := real.Evaluate(c, opt.Call)
	res := &Result{Findings: findings}
	if real.HasError(findings) {
		return res, ErrFindings
	}

	fingerprint := sha256.New()
	fmt.Fprintf(fingerprint, "workbook %s\n", c.Source.SHA256)
	var letters []*real.Letter
	var annexes []real.Annex
	for i, a := range c.Annexes {
		l := read[i]
		if l == nil {
			continue
		}
		fmt.Fprintf(fingerprint, "letter %s\n", l.SHA256)
		letters = append(letters, l)
		annexes = append(annexes, real.Annex{
			Title: a.Titre, Organisation: a.Organisation, Signataire: a.Signataire,
			Kind: a.Type, Date: a.Date, File: a.Fichier, Pages: l.Pages,
		})
	}
	empreinte := hex.EncodeToString(fingerprint.Sum(nil))
	dir, err := fs.Sub(fsys, path.Dir(workbook))
	if err != nil {
		return res, err
	}
	var logo []byte
	if c.Collectivite.Logo != "" {
		logo, err = readCapped(dir, c.Collectivite.Logo, maxLogoBytes)
		if err != nil {
			return res, fmt.Errorf("%s : logo « %s » : %w", placeOf(c.Collectivite.At, "Logo"), c.Collectivite.Logo, err)
		}
	}

	var buf bytes.Buffer
	layout, err := real.Render(&buf, c, opt.Call, real.RenderOptions{
		Fonts:       opt.Fonts,
		Created:     opt.Now,
		Fingerprint: empreinte,
		Annexes:     annexes,
		Criteria:    criteria,
		Findings:    findings,
		Logo:        logo,
	})
	if err != nil {
		return res, fmt.Errorf("mise en page : %w", err)
	}
	var whole bytes.Buffer
	if err := real.Merge(&whole, bytes.NewReader(buf.Bytes()), letters, mergePlan(layout)); err != nil {
		return res, err
	}
	name := real.OutputName(opt.Call, c)
	dossier := Part{Name: name, Role: "dossier", Data: pinDates(whole.Bytes(), opt.Now), Pages: layout.Total}
	res.Parts = []Part{dossier}

	limit := opt.MaxSize
	if limit <= 0 {
		limit = 10e6
	}
	if size := int64(len(dossier.Data)); size > limit {
		res.Warnings = append(res.Warnings, fmt.Sprintf("le dossier pèse %s, au-delà de %s : il risque d’être refusé par une messagerie ; allégez les annexes (scans en 150 dpi), scindez-le (--split) ou envoyez-le par un service de transfert (France transfert)", real.Size(size), real.Size(limit)))
	}
	if deadline := opt.Call.Deadline.AddDate(0, 0, 1); !opt.Now.IsZero() && !opt.Now.Before(deadline) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("la date limite de l’appel (%s) est passée : le dossier est produit, mais vérifiez auprès du destinataire (%s) qu’une candidature est encore reçue", real.ShortDate(opt.Call.Deadline.Time), opt.Call.Recipient.Email))
	}
	if opt.Email {
		var msg bytes.Buffer
		if err := real.WriteEmail(&msg, draftFor(c, opt.Call, opt.Now, dossier)); err != nil {
			return res, fmt.Errorf("courriel : %w", err)
		}
		res.Parts = append(res.Parts, Part{Name: strings.TrimSuffix(name, path.Ext(name)) + ".eml", Role: "email", Data: msg.Bytes()})
	}
	return res, nil
}

// draftFor is today's assemble.draftFor for a dossier in one part.
func draftFor(c *real.Candidature, call *model.Call, now time.Time, p Part) real.Draft {
	col := c.Collectivite
	var b strings.Builder
	fmt.Fprintf(&b, "Madame, Monsieur,\n\n")
	fmt.Fprintf(&b, "Veuillez trouver ci-joint le dossier de candidature de la collectivité « %s » à la co-organisation de %s.\n\n", col.Nom, call.Title)
	fmt.Fprintf(&b, "Pièce jointe : %s (%s, %d pages)\n", p.Name, real.Size(int64(len(p.Data))), p.Pages)
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
	fmt.Fprintf(&b, "\nPersonne à contacter : %s", col.ContactNom)
	if col.ContactFonction != "" {
		fmt.Fprintf(&b, ", %s", col.ContactFonction)
	}
	fmt.Fprintf(&b, "\n%s %s\n\n", col.ContactEmail, col.ContactTel)
	fmt.Fprintf(&b, "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.\n\n%s\n", col.Nom)
	d := real.Draft{
		To:      []*mail.Address{{Name: call.Recipient.Name, Address: call.Recipient.Email}},
		Subject: strings.ReplaceAll(call.EmailSubject, "{collectivite}", col.Nom),
		Body:    b.String(),
		Date:    now,
	}
	d.Attachments = append(d.Attachments, real.Attachment{Name: p.Name, ContentType: "application/pdf", Data: p.Data})
	if addr, err := mail.ParseAddress(col.ContactEmail); err == nil {
		d.From = &mail.Address{Name: col.ContactNom, Address: addr.Address}
	}
	return d
}

// mergePlan is today's assemble.mergePlan.
func mergePlan(l *real.Layout) real.MergePlan {
	var plan real.MergePlan
	var stack []*[]real.Bookmark
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
		*dst = append(*dst, real.Bookmark{Title: e.Title, Page: e.Page})
	}
	for _, s := range l.Links {
		plan.Links = append(plan.Links, real.PageLink{Page: s.Page, X: s.X, Y: s.Y, W: s.W, H: s.H, Target: s.Target})
	}
	plan.Footer = func(page, total int) string { return fmt.Sprintf("page %d / %d", page, total) }
	return plan
}

func placeOf(at real.Ref, key string) string {
	if cell := at.Cell(key); cell != "" {
		return at.Sheet + "!" + cell
	}
	return at.Sheet
}

// readCapped is today's assemble.readCapped.
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
		return nil, fmt.Errorf("fichier trop lourd (%s ; au plus %s)", real.Size(st.Size()), real.Size(max))
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("fichier trop lourd (au plus %s)", real.Size(max))
	}
	return data, nil
}

// pinDates is today's assemble.pinDates (bundle.go).
var (
	pdfDates = regexp.MustCompile(`/(CreationDate|ModDate)\s*\(D:[0-9]{14}[-+Z][0-9']*\)`)
	pdfID    = regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]`)
)

func pinDates(pdf []byte, t time.Time) []byte {
	out := pdfDates.ReplaceAllFunc(pdf, func(m []byte) []byte {
		key := m[:bytes.IndexByte(m, '(')]
		repl := append(append([]byte{}, key...), "("+types.DateString(t.UTC())+")"...)
		if len(repl) != len(m) {
			return m
		}
		return repl
	})
	loc := pdfID.FindSubmatchIndex(out)
	if loc == nil {
		return out
	}
	blank := bytes.Clone(out)
	for _, i := range []int{2, 4} {
		copy(blank[loc[i]:loc[i+1]], bytes.Repeat([]byte("0"), 32))
	}
	sum := sha256.Sum256(blank)
	id := strings.ToUpper(hex.EncodeToString(sum[:16]))
	for _, i := range []int{2, 4} {
		copy(out[loc[i]:loc[i+1]], id)
	}
	return out
}
