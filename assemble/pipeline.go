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
	"time"

	"necdossier/assemble/check"
	"necdossier/assemble/french"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/render"
	"necdossier/assemble/workbook"
)

// ErrFindings is returned by Build and BuildFS when the checks found an
// error: the findings are in the result, and nothing was produced.
var ErrFindings = errors.New("le classeur comporte des erreurs")

// Options say how to build a dossier in memory.
type Options struct {
	Call    *model.Call // the call applied to
	Fonts   fs.FS       // the typeface (fonts.FS)
	Now     time.Time   // date written in the dossier
	MaxSize int64       // warn above this size in bytes (0 → 10 MB)
	Split   bool        // over MaxSize, make the annexes a second PDF
	Email   bool        // also make the e-mail draft (.eml)
	// Name is the dossier's file name, which the split annexes and the
	// e-mail name ("" → OutputName).
	Name string
	// Source is the workbook as the user named it, for messages ("" → its
	// name in fsys).
	Source string
	// Reviewer regenerates a received candidacy (batch): an error does not
	// stop the build, it is marked in the dossier (« pièce introuvable »,
	// « valeur illisible »), whose cover says it was regenerated; Received
	// is when the files were received (zero: unknown). A collectivité's own
	// build refuses errors.
	Reviewer bool
	Received time.Time
}

// Result is what BuildFS made.
type Result struct {
	Findings []model.Finding // what the checks found (warnings only when the build succeeded)
	Warnings []string        // about the build itself: letters, size, deadline
	Row      *model.Row      // the candidate's figures for the comparison (nil when unreadable)
	// Parts are the files made, in memory: the dossier first, then its
	// annexes when split, then the e-mail draft when asked.
	Parts []Part
	// Inputs are the files read, the workbook first, named as in fsys.
	Inputs []ManifestFile
	// Outline is the dossier's outline, annexes included.
	Outline []letters.Bookmark
	// OwnPages are the dossier's own pages, before the letters'.
	OwnPages int
	// Findings' notes as the manifest keeps them.
}

// Part is one file BuildFS made.
type Part struct {
	Name  string // file name (no folder)
	Role  string // "dossier", "annexes" or "email"
	Data  []byte
	Pages int // for a PDF
}

// CheckFS reads the workbook named workbook in fsys and checks it against
// the call, with the files it names looked up beside it in fsys and read in
// full, as BuildFS reads them. The findings come in the workbook's order.
func CheckFS(fsys fs.FS, workbook string, opt Options) ([]model.Finding, error) {
	in, err := takeIn(fsys, workbook, opt.source(workbook), opt.Call)
	if err != nil {
		return nil, err
	}
	return in.findings, nil
}

// BuildFS reads and checks the workbook named workbook in fsys, then makes
// the dossier: rendered pages followed by the support letters, all
// numbered, and what opt asks besides. Nothing is written: the files come
// back in Result.Parts. The command line, the local server and the web page
// all build through it.
func BuildFS(fsys fs.FS, workbook string, opt Options) (*Result, error) {
	in, err := takeIn(fsys, workbook, opt.source(workbook), opt.Call)
	if err != nil {
		return nil, err
	}
	c := in.c
	criteria := check.Evaluate(c, opt.Call)
	row := RowOf(c, opt.Call, criteria)
	res := &Result{Findings: in.findings, Row: &row}
	if model.HasError(in.findings) && !opt.Reviewer {
		return res, ErrFindings
	}
	shown := in.findings
	if opt.Reviewer {
		shown = marked(in.findings)
	}
	row.Points = pointsOf(shown)
	if len(row.Points) > 0 {
		row.Etat = model.AConfirmer
	}
	dir := path.Dir(workbook)
	res.Inputs = append(res.Inputs, ManifestFile{Path: workbook, Role: "workbook", Kind: "xlsx", Size: c.Source.Size, SHA256: c.Source.SHA256})

	// The letters were read with the checks: their page counts are in the
	// table of contents, and their digests in the fingerprint. A file named
	// by two rows goes in once.
	fingerprint := sha256.New()
	fmt.Fprintf(fingerprint, "workbook %s\n", c.Source.SHA256)
	var merged []*letters.Letter
	var annexes []render.Annexe
	seen := map[*letters.Letter]bool{}
	for i, a := range c.Annexes {
		l := in.letters[i]
		if l == nil && opt.Reviewer && a.Fichier != "" {
			// A reviewer's dossier keeps the row, saying what is missing.
			annexes = append(annexes, render.Annexe{
				Title: a.Titre, Organisation: a.Organisation, Signataire: a.Signataire,
				Kind: a.Type, Date: a.Date, File: a.Fichier, Problem: annexProblem(in.findings, a.At.Cell("Fichier")),
			})
			continue
		}
		if l == nil || seen[l] { // an empty row (the checks allow it only without a file), or a duplicate
			continue
		}
		seen[l] = true
		fmt.Fprintf(fingerprint, "letter %s\n", l.SHA256)
		merged = append(merged, l)
		annexes = append(annexes, render.Annexe{
			Title: a.Titre, Organisation: a.Organisation, Signataire: a.Signataire,
			Kind: a.Type, Date: a.Date, File: a.Fichier, Pages: l.Pages,
		})
		res.Inputs = append(res.Inputs, ManifestFile{Path: path.Join(dir, a.Fichier), Role: "annex", Kind: l.Kind, Pages: l.Pages, Size: l.Size, SHA256: l.SHA256})
	}
	if in.logo != nil {
		logo := fileEntry(path.Join(dir, c.Collectivite.Logo), "logo", letters.Sniff(in.logo), 0, in.logo)
		fmt.Fprintf(fingerprint, "logo %s\n", logo.SHA256)
		res.Inputs = append(res.Inputs, logo)
	}
	row.Empreinte = hex.EncodeToString(fingerprint.Sum(nil))

	ropt := render.Options{
		Fonts:       opt.Fonts,
		Created:     opt.Now,
		Fingerprint: row.Empreinte,
		Annexes:     annexes,
		Criteria:    criteria,
		Findings:    shown,
		Logo:        in.logo,
		Regenerated: opt.Reviewer,
		Received:    opt.Received,
	}
	draw := func(annexFile string) ([]byte, *render.Layout, error) {
		var buf bytes.Buffer
		o := ropt
		o.AnnexFile = annexFile
		l, err := render.Render(&buf, c, opt.Call, o)
		if err != nil {
			return nil, nil, fmt.Errorf("mise en page : %w", err)
		}
		pdf, err := letters.Finish(buf.Bytes(), l.Levels())
		if err != nil {
			return nil, nil, fmt.Errorf("mise en page : %w", err)
		}
		return pdf, l, nil
	}
	name := opt.Name
	if name == "" {
		name = OutputName(opt.Call, c)
	}
	limit := opt.maxSize()
	info := map[string]string{InfoFingerprint: row.Empreinte, InfoInputs: inputsText(res.Inputs)}
	parts, layout, err := mergeParts(opt, c, draw, merged, annexes, name, limit, info)
	if err != nil {
		return res, err
	}
	row.Pages = layout.Total
	res.OwnPages = layout.Pages
	res.Parts = parts
	res.Outline = mergePlan(layout, annexes, merged).Outline
	res.Warnings = append(buildWarnings(opt, parts, limit), accessWarnings(merged, len(parts) > 1)...)
	if opt.Email {
		var msg bytes.Buffer
		if err := WriteEmail(&msg, draftFor(c, opt.Call, opt.Now, parts, limit)); err != nil {
			return res, fmt.Errorf("courriel : %w", err)
		}
		res.Parts = append(res.Parts, Part{Name: strings.TrimSuffix(name, path.Ext(name)) + ".eml", Role: "email", Data: msg.Bytes()})
	}
	return res, nil
}

// buildWarnings are the warnings about the build itself: size, split,
// deadline.
func buildWarnings(opt Options, parts []Part, limit int64) []string {
	var ws []string
	size := int64(len(parts[0].Data))
	switch {
	case len(parts) > 1:
		ws = append(ws, fmt.Sprintf("le dossier pesait plus de %s : il est scindé en deux fichiers, le dossier (%s) et ses annexes (%s), qui renvoient l’un à l’autre", Size(limit), Size(size), Size(int64(len(parts[1].Data)))))
	case size > limit:
		ws = append(ws, fmt.Sprintf("le dossier pèse %s, au-delà de %s : il risque d’être refusé par une messagerie ; allégez les annexes (scans en 150 dpi), scindez-le (--split) ou envoyez-le par un service de transfert (France transfert)", Size(size), Size(limit)))
	}
	if deadline := opt.Call.Deadline.AddDate(0, 0, 1); !opt.Now.IsZero() && !opt.Now.Before(deadline) {
		ws = append(ws, fmt.Sprintf("la date limite de l’appel (%s) est passée : le dossier est produit, mais vérifiez auprès du destinataire (%s) qu’une candidature est encore reçue", french.ShortDate(opt.Call.Deadline.Time), opt.Call.Recipient.Email))
	}
	return ws
}

func (o Options) source(workbook string) string {
	if o.Source != "" {
		return o.Source
	}
	return workbook
}

func (o Options) maxSize() int64 {
	if o.MaxSize <= 0 {
		return 10e6
	}
	return o.MaxSize
}

// mergeParts merges the rendered dossier with its letters into one PDF;
// or, with opt.Split when that PDF is over limit, into two: the dossier's
// own pages, and the letters behind a cover page that names the dossier.
// Both keep the one numbering (« page X / N ») and have their outline. The
// layout returned is the dossier's.
func mergeParts(opt Options, c *model.Candidature, draw func(annexFile string) ([]byte, *render.Layout, error),
	merged []*letters.Letter, annexInfo []render.Annexe, name string, limit int64, info map[string]string) ([]Part, *render.Layout, error) {
	dossier, l, err := draw("")
	if err != nil {
		return nil, nil, err
	}
	plan := mergePlan(l, annexInfo, merged)
	plan.Info, plan.Seal, plan.Date = info, true, opt.Now
	var whole bytes.Buffer
	if err := letters.Merge(&whole, bytes.NewReader(dossier), merged, plan); err != nil {
		return nil, nil, err
	}
	one := []Part{{Name: name, Role: "dossier", Data: whole.Bytes(), Pages: l.Total}}
	// Split over the size limit, or when a letter keeps the whole from
	// being accessible: the dossier alone then is.
	if !opt.Split || (int64(whole.Len()) <= limit && plan.Access.Claim) || len(merged) == 0 {
		return one, l, nil
	}
	annexName := strings.TrimSuffix(name, path.Ext(name)) + "-annexes.pdf"
	// Drawn again, the dossier names the file its annexes are in.
	dossier, l, err = draw(annexName)
	if err != nil {
		return nil, nil, err
	}
	plan = mergePlan(l, annexInfo, merged)

	// The dossier's pages: the outline stops before the annexes, and the
	// links to annex pages are dropped (they are in the other file).
	var main bytes.Buffer
	mainPlan := letters.MergePlan{Outline: keepOutline(plan.Outline, l.Pages), Access: accessOf(l, nil, nil), Info: info, Seal: true, Date: opt.Now}
	if err := letters.Merge(&main, bytes.NewReader(dossier), nil, mainPlan); err != nil {
		return nil, nil, err
	}
	// The annexes: an unnumbered cover naming the dossier, then the letters
	// numbered as in the whole (page Pages+1 onwards).
	cover, err := finished(func(w io.Writer) error {
		return render.AnnexCover(w, opt.Call, c, name, l, opt.Fonts, opt.Now)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("annexes : %w", err)
	}
	annexPlan := letters.MergePlan{
		Footer: func(page, _ int) string { return fmt.Sprintf("page %d / %d", l.Pages+page-1, l.Total) },
	}
	annexPlan.Outline = []letters.Bookmark{{Title: "Annexes du dossier " + name, Page: 1}}
	annexPlan.Info, annexPlan.Seal, annexPlan.Date = info, true, opt.Now
	for _, e := range l.Outline {
		if e.Page > l.Pages && e.Level > 0 {
			annexPlan.Outline = append(annexPlan.Outline, letters.Bookmark{Title: e.Title, Page: e.Page - l.Pages + 1})
		}
	}
	var annexes bytes.Buffer
	if err := letters.Merge(&annexes, bytes.NewReader(cover), merged, annexPlan); err != nil {
		return nil, nil, err
	}
	return []Part{
		{Name: name, Role: "dossier", Data: main.Bytes(), Pages: l.Pages},
		{Name: annexName, Role: "annexes", Data: annexes.Bytes(), Pages: l.Total - l.Pages + 1},
	}, l, nil
}

// finished runs draw, one of render's functions, into memory and finishes
// the PDF it writes: render draws with fpdf, letters completes the bytes.
// For pages with no outline of their own (the comparison, the bundle's
// front pages, the annexes' cover).
func finished(draw func(io.Writer) error) ([]byte, error) {
	var raw bytes.Buffer
	if err := draw(&raw); err != nil {
		return nil, err
	}
	return letters.Finish(raw.Bytes(), nil)
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

// accessOf is how the final document is tagged: the dossier's structure,
// and each letter named by its annex.
func accessOf(l *render.Layout, annexes []render.Annexe, merged []*letters.Letter) *letters.Accessibility {
	a := &letters.Accessibility{Tree: l.Tree, Title: l.Title, Lang: "fr-FR", Claim: true}
	for _, m := range merged {
		if m.Problem() != "" {
			a.Claim = false
		}
	}
	name := func(i int) string {
		if i >= len(annexes) {
			return "Annexe " + fmt.Sprint(i+1)
		}
		an := annexes[i]
		kind := strings.TrimSpace(an.Kind)
		if kind == "" {
			kind = "Annexe"
		}
		var who []string
		if s := strings.TrimSpace(an.Signataire); s != "" {
			who = append(who, s)
		}
		if s := strings.TrimSpace(an.Organisation); s != "" {
			if len(who) > 0 {
				s = "(" + s + ")"
			}
			who = append(who, s)
		}
		if len(who) == 0 {
			return french.Typo(kind)
		}
		return french.Typo(kind + " de " + strings.Join(who, " "))
	}
	a.Letter = name
	a.Page = func(i, p, n int) string { return fmt.Sprintf("%s, page %d / %d", name(i), p, n) }
	return a
}

// accessWarnings say which letters keep the dossier from being accessible.
func accessWarnings(merged []*letters.Letter, split bool) []string {
	var ws []string
	for _, m := range merged {
		if p := m.Problem(); p != "" {
			w := fmt.Sprintf("le dossier n’est pas déclaré accessible (PDF/UA-1) à cause de la lettre %s : %s", m.Name, p)
			if split {
				w += " ; le dossier, scindé, est accessible sans ses annexes"
			} else {
				w += " ; --split produit un dossier accessible à part de ses annexes"
			}
			ws = append(ws, w)
		}
	}
	return ws
}

// mergePlan turns the renderer's layout into the letters stage's plan.
func mergePlan(l *render.Layout, annexes []render.Annexe, merged []*letters.Letter) letters.MergePlan {
	var plan letters.MergePlan
	plan.Access = accessOf(l, annexes, merged)
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

// The information entries of a dossier that verify reads: the
// fingerprint of the inputs, and each input's digest.
const (
	InfoFingerprint = "NecdossierEmpreinte"
	InfoInputs      = "NecdossierPieces"
)

// inputsText lists the inputs for the PDF's metadata, one a line:
// « role sha256 path ».
func inputsText(in []ManifestFile) string {
	var b strings.Builder
	for _, f := range in {
		fmt.Fprintf(&b, "%s %s %s\n", f.Role, f.SHA256, f.Path)
	}
	return b.String()
}

// marked returns the findings a reviewer's dossier shows: each error
// named by what it means for the dossier (« pièce introuvable », « valeur
// illisible »), then the warnings.
func marked(fs []model.Finding) []model.Finding {
	out := make([]model.Finding, 0, len(fs))
	for _, f := range fs {
		if f.Severity == model.Erreur {
			f.Message = errorKind(f) + " : " + f.Message
		}
		out = append(out, f)
	}
	return out
}

// errorKind names what an error means for the dossier.
func errorKind(f model.Finding) string {
	switch {
	case f.Sheet == workbook.SheetAnnexes && strings.Contains(f.Message, "introuvable"):
		return "pièce introuvable"
	case f.Sheet == workbook.SheetAnnexes:
		return "pièce illisible ou refusée"
	case strings.Contains(f.Message, "introuvable"):
		return "élément introuvable"
	}
	return "valeur illisible ou manquante"
}

// annexProblem is what a reviewer's dossier says of an annex that is not
// in it: the kind of the error at its cell.
func annexProblem(fs []model.Finding, cell string) string {
	for _, f := range fs {
		if f.Severity == model.Erreur && f.Sheet == workbook.SheetAnnexes && f.Cell == cell {
			return errorKind(f)
		}
	}
	return "pièce non jointe"
}

// pointsOf are the points to confirm as the comparison lists them: the
// errors and warnings, with their sheet.
func pointsOf(fs []model.Finding) []string {
	var out []string
	for _, sev := range []model.Severity{model.Erreur, model.Avertissement} {
		for _, f := range fs {
			if f.Severity == sev {
				out = append(out, french.Spaced(f.Sheet+" : "+f.Message))
			}
		}
	}
	return out
}
