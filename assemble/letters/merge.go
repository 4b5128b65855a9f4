package letters

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf16"

	pdffont "github.com/pdfcpu/pdfcpu/pkg/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Bookmark is one outline entry of the final document, merged or a
// Bundle; Page is 1-based in that document.
type Bookmark struct {
	Title string
	Page  int
	Kids  []Bookmark
}

// PageLink is a clickable rectangle on a dossier page that jumps to a page of the final document.
type PageLink struct {
	Page       int
	X, Y, W, H float64 // PDF points, origin bottom-left
	Target     int
}

// MergePlan says how Merge finishes the document.
type MergePlan struct {
	Outline []Bookmark                   // replaces the whole outline of the result (nil keeps the dossier's)
	Links   []PageLink                   // added to dossier pages (the TOC links to the annexes)
	Footer  func(page, total int) string // text stamped on letter pages, e.g. "page 12 / 40"; nil -> "page X / N"
	Label   func(letterIndex int) string // optional short text for the band, e.g. "Annexe 2 – Lettre de la Région"
	// Info adds entries to the information dictionary (the inputs' digests);
	// Seal seals the file: the SHA-256 of its bytes, written in that
	// dictionary (see CheckSeal).
	Info map[string]string
	Seal bool
	// Date is written as the document's creation and modification dates
	// (the build's date); zero writes none.
	Date time.Time
	// Access, when set, tags the result (PDF/UA): the dossier's structure,
	// a section per letter whose pages are figures, metadata.
	Access *Accessibility
}

// MergeError reports a failure of Merge that is not tied to one letter
// (unreadable dossier, plan pointing outside the document, write error).
type MergeError struct {
	Reason string // French, lower-case
	Err    error
}

// Error implements error.
func (e *MergeError) Error() string { return "fusion du dossier impossible : " + e.Reason }

// Unwrap returns the cause.
func (e *MergeError) Unwrap() error { return e.Err }

// footerFont is the resource name of the footer font on letter pages.
const footerFont = "NecFooter"

// Merge writes to w the dossier (a PDF rendered by us, dossier pages first)
// followed by every letter's pages, stamps the footer on each letter page in
// the band reserved below the letter's content, replaces the outline with
// plan.Outline and adds plan.Links.
//
// The dossier is trusted (we rendered it) and kept as is, except that its
// catalog loses any OpenAction/AA so the result opens inert. Letters were
// made harmless by letters.Read; their pages are copied through the
// copier of prepared letters, which still drops active keys but does not
// decompress streams again (Read bounded, repaired and neutralised them).
// Merge never panics and does not modify the letters, so several Merge
// calls may share them concurrently.
func Merge(w io.Writer, dossier io.ReadSeeker, letters []*Letter, plan MergePlan) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &MergeError{Reason: "erreur interne", Err: fmt.Errorf("panic: %v", r)}
		}
	}()
	c, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	ctx, err := pdfcpu.ReadWithContext(c, dossier, PdfConf())
	if err != nil {
		return &MergeError{Reason: "le PDF du dossier est illisible", Err: err}
	}
	// Not validated (we rendered it): what validation set up and Merge
	// needs is the page count, and the empty name tree fpdf writes was
	// dropped by it.
	if err := ctx.EnsurePageCount(); err != nil {
		return &MergeError{Reason: "le PDF du dossier est invalide", Err: err}
	}
	if err := dropEmptyNames(ctx); err != nil {
		return &MergeError{Reason: "le PDF du dossier est invalide", Err: err}
	}
	total := ctx.PageCount
	for i, l := range letters {
		if l == nil || l.prepared == nil {
			return &MergeError{Reason: fmt.Sprintf("lettre n° %d non préparée (utilisez ReadLetter)", i+1)}
		}
		total += l.Pages
	}
	refs := make([]types.IndirectRef, 0, total)
	dicts := make([]types.Dict, 0, total)
	for i := 1; i <= ctx.PageCount; i++ {
		d, ref, _, err := ctx.PageDict(i, false)
		if err != nil {
			return &MergeError{Reason: "pages du dossier illisibles", Err: err}
		}
		refs, dicts = append(refs, *ref), append(dicts, d)
	}
	face := findFace(ctx)
	var helvetica *types.IndirectRef
	tagging := plan.Access != nil && plan.Access.Tree != nil
	letterPages := make([][]int, len(letters))
	for li, l := range letters {
		label := ""
		if plan.Label != nil {
			label = plan.Label(li)
		}
		first := len(refs)
		if err := mergeLetter(ctx, l, face, &helvetica, label, plan.Footer, total, tagging, &refs, &dicts); err != nil {
			return err
		}
		for p := first; p < len(refs); p++ {
			letterPages[li] = append(letterPages[li], p+1)
		}
	}
	if len(refs) != total {
		return &MergeError{Reason: fmt.Sprintf("nombre de pages incohérent (%d au lieu de %d)", len(refs), total)}
	}
	if err := addLinks(ctx, plan.Links, refs, dicts); err != nil {
		return err
	}
	if err := setOutline(ctx, plan.Outline, refs); err != nil {
		return err
	}
	if tagging {
		if err := writeStructure(ctx, plan.Access, refs, letterPages); err != nil {
			return &MergeError{Reason: "structure du document (accessibilité)", Err: err}
		}
	}
	if err := setInfo(ctx, plan.Info, plan.Seal); err != nil {
		return &MergeError{Reason: "erreur interne", Err: err}
	}
	cat, err := ctx.Catalog()
	if err != nil {
		return &MergeError{Reason: "erreur interne", Err: err}
	}
	delete(cat, "OpenAction")
	delete(cat, "AA")
	if err := writeDoc(w, ctx, plan.Date, plan.Seal); err != nil {
		return &MergeError{Reason: "écriture du PDF impossible", Err: err}
	}
	return nil
}

// dropEmptyNames removes the catalog's name dictionary when none of its
// trees holds a name, as fpdf writes it (/EmbeddedFiles << /Names [] >>).
// pdfcpu's validation, which Merge does not run on the dossier, dropped
// such trees; the output stays the same.
func dropEmptyNames(ctx *model.Context) error {
	cat, err := ctx.Catalog()
	if err != nil {
		return err
	}
	names, ok := deref(ctx.XRefTable, cat["Names"]).(types.Dict)
	if !ok {
		return nil
	}
	for _, v := range names {
		tree, _ := deref(ctx.XRefTable, v).(types.Dict)
		if a, _ := deref(ctx.XRefTable, tree["Names"]).(types.Array); len(a) > 0 {
			return nil
		}
		if a, _ := deref(ctx.XRefTable, tree["Kids"]).(types.Array); len(a) > 0 {
			return nil
		}
	}
	delete(cat, "Names")
	return nil
}

func mergeLetter(ctx *model.Context, l *Letter, face *fontFace, helvetica **types.IndirectRef, label string, footer func(int, int) string,
	total int, tagging bool, refs *[]types.IndirectRef, dicts *[]types.Dict) error {
	l.prepared.Lock() // made by us, only read here
	defer l.prepared.Unlock()
	lc := l.prepared.ctx
	if lc.PageCount != l.Pages || len(l.prepared.pages) != l.Pages {
		return &Error{Name: l.Name, Reason: "nombre de pages incohérent (erreur interne)"}
	}
	cp := l.prepared.copier(ctx.XRefTable)
	for _, pd := range l.prepared.pages {
		mb, ok := rectOf(lc.XRefTable, pd["MediaBox"])
		if !ok {
			return &Error{Name: l.Name, Reason: "lettre préparée illisible (erreur interne)"}
		}
		res, err := cp.obj(pd["Resources"], 0)
		if err != nil {
			return &Error{Name: l.Name, Reason: "copie impossible", Err: err}
		}
		rd, ok := deref(ctx.XRefTable, res).(types.Dict)
		if !ok {
			rd = types.Dict{}
		}
		rd = rd.Clone().(types.Dict)
		content, err := cp.obj(pd["Contents"], 0)
		if err != nil {
			return &Error{Name: l.Name, Reason: "copie impossible", Err: err}
		}
		page := len(*refs) + 1
		text := fmt.Sprintf("page %d / %d", page, total)
		if footer != nil {
			text = footer(page, total)
		}
		// The number in the dossier's own font when it has the glyphs
		// (render draws them for that), else in Helvetica.
		fc, ok := face.footer(mb[2]-mb[0], label, text)
		font := face.ref()
		if !ok {
			if *helvetica == nil {
				h, err := ctx.IndRefForNewObject(types.Dict{
					"Type": types.Name("Font"), "Subtype": types.Name("Type1"),
					"BaseFont": types.Name("Helvetica"), "Encoding": types.Name("WinAnsiEncoding"),
				})
				if err != nil {
					return &MergeError{Reason: "erreur interne", Err: err}
				}
				*helvetica = h
			}
			fc, font = footerContent(mb[2]-mb[0], label, text), **helvetica
		}
		rd["Font"] = types.Dict{footerFont: font}
		fc = append([]byte("/Artifact <</Type /Pagination>> BDC\n"), append(fc, "EMC\n"...)...)
		if tagging {
			fc = append([]byte("EMC\n"), fc...)
		}
		fs, err := flateStream(types.Dict{}, fc)
		if err != nil {
			return &MergeError{Reason: "erreur interne", Err: err}
		}
		fref, err := ctx.IndRefForNewObject(*fs)
		if err != nil {
			return &MergeError{Reason: "erreur interne", Err: err}
		}
		contents := types.Array{content, *fref}
		if tagging { // the letter's page is one figure (see writeStructure)
			os, err := flateStream(types.Dict{}, []byte(letterFigure))
			if err != nil {
				return &MergeError{Reason: "erreur interne", Err: err}
			}
			open, err := ctx.IndRefForNewObject(*os)
			if err != nil {
				return &MergeError{Reason: "erreur interne", Err: err}
			}
			contents = types.Array{*open, content, *fref}
		}
		ref, err := appendPage(ctx, types.NewNumberArray(mb[:]...), rd, contents)
		if err != nil {
			return &MergeError{Reason: "erreur interne", Err: err}
		}
		d, _ := deref(ctx.XRefTable, *ref).(types.Dict)
		*refs, *dicts = append(*refs, *ref), append(*dicts, d)
	}
	if lcat, err := lc.Catalog(); err == nil && lcat["OCProperties"] != nil {
		oc, err := cp.obj(lcat["OCProperties"], 0)
		if err != nil {
			return &Error{Name: l.Name, Reason: "copie impossible", Err: err}
		}
		if d, ok := oc.(types.Dict); ok {
			if err := mergeLayers(ctx, d); err != nil {
				return &MergeError{Reason: "erreur interne", Err: err}
			}
		}
	}
	return nil
}

// mergeLayers adds a prepared letter's optional content properties (already
// copied into ctx) to the document's.
func mergeLayers(ctx *model.Context, oc types.Dict) error {
	cat, err := ctx.Catalog()
	if err != nil {
		return err
	}
	dest, _ := deref(ctx.XRefTable, cat["OCProperties"]).(types.Dict)
	if dest == nil {
		dest = types.Dict{}
		cat["OCProperties"] = dest
	}
	appendTo := func(d types.Dict, key string, v types.Object) {
		a, _ := deref(ctx.XRefTable, v).(types.Array)
		if len(a) == 0 {
			return
		}
		old, _ := deref(ctx.XRefTable, d[key]).(types.Array)
		d[key] = append(append(types.Array{}, old...), a...)
	}
	appendTo(dest, "OCGs", oc["OCGs"])
	dd, _ := deref(ctx.XRefTable, dest["D"]).(types.Dict)
	if dd == nil {
		dd = types.Dict{}
		dest["D"] = dd
	}
	if sd, ok := deref(ctx.XRefTable, oc["D"]).(types.Dict); ok {
		for _, key := range []string{"OFF", "AS", "Order"} {
			appendTo(dd, key, sd[key])
		}
	}
	return nil
}

var winAnsi = encoding.ReplaceUnsupported(charmap.Windows1252.NewEncoder())

// pdfText encodes s in WinAnsi (the encoding of the footer font) as a PDF
// literal string; characters outside WinAnsi become "?".
func pdfText(s string) (string, string) {
	s = strings.NewReplacer("\u202f", " ", "\u2009", " ", "\u00a0", " ").Replace(s)
	b, err := winAnsi.String(s)
	if err != nil {
		b = strings.Map(func(r rune) rune {
			if r < 0x80 {
				return r
			}
			return '?'
		}, s)
	}
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`, "\r", `\r`, "\n", `\n`).Replace(b)
	return b, "(" + esc + ")"
}

func textWidth(enc string) float64 {
	w, err := pdffont.TextWidthFloat(enc, "Helvetica", footerSize)
	if err != nil {
		return float64(len(enc)) * footerSize * 0.6
	}
	return w
}

// footerContent draws the label (left) and the page text (right) in the
// band, in grey, with Helvetica (not embedded): only when the dossier's own
// font lacks a glyph (see fontFace.footer).
func footerContent(width float64, label, text string) []byte {
	tEnc, tLit := pdfText(text)
	tw := textWidth(tEnc)
	baseline := footerBaseline
	var sb strings.Builder
	sb.WriteString("q 0.35 g BT /" + footerFont + " " + nums(footerSize) + " Tf\n")
	if label != "" {
		room := width - 2*footerSide - tw - 12
		lEnc, lLit := pdfText(label)
		if textWidth(lEnc) > room {
			r := []rune(label)
			for len(r) > 0 {
				r = r[:len(r)-1]
				lEnc, lLit = pdfText(strings.TrimSpace(string(r)) + "…")
				if textWidth(lEnc) <= room {
					break
				}
			}
		}
		if textWidth(lEnc) <= room {
			fmt.Fprintf(&sb, "1 0 0 1 %s Tm %s Tj\n", nums(footerSide, baseline), lLit)
		}
	}
	fmt.Fprintf(&sb, "1 0 0 1 %s Tm %s Tj\nET Q\n", nums(width-footerSide-tw, baseline), tLit)
	return []byte(sb.String())
}

func addLinks(ctx *model.Context, links []PageLink, refs []types.IndirectRef, dicts []types.Dict) error {
	for _, pl := range links {
		if pl.Page < 1 || pl.Page > len(refs) || pl.Target < 1 || pl.Target > len(refs) {
			return &MergeError{Reason: fmt.Sprintf("lien de la page %d vers la page %d hors du document (%d pages)", pl.Page, pl.Target, len(refs))}
		}
		ann, err := ctx.IndRefForNewObject(types.Dict{
			"Type":    types.Name("Annot"),
			"Subtype": types.Name("Link"),
			"Rect":    types.NewNumberArray(pl.X, pl.Y, pl.X+pl.W, pl.Y+pl.H),
			"Border":  types.NewIntegerArray(0, 0, 0),
			"Dest":    types.Array{refs[pl.Target-1], types.Name("Fit")},
			"P":       refs[pl.Page-1],
		})
		if err != nil {
			return &MergeError{Reason: "erreur interne", Err: err}
		}
		d := dicts[pl.Page-1]
		switch a := d["Annots"].(type) {
		case types.IndirectRef:
			arr, _ := deref(ctx.XRefTable, a).(types.Array)
			ctx.Table[int(a.ObjectNumber)].Object = append(arr, *ann)
		case types.Array:
			d["Annots"] = append(a, *ann)
		default:
			d["Annots"] = types.Array{*ann}
		}
	}
	return nil
}

// setOutline replaces the document outline. Titles are written as UTF-16BE
// with a byte-order mark, which every reader supports for any character.
func setOutline(ctx *model.Context, bms []Bookmark, refs []types.IndirectRef) error {
	if bms == nil {
		return nil
	}
	cat, err := ctx.Catalog()
	if err != nil {
		return &MergeError{Reason: "erreur interne", Err: err}
	}
	delete(cat, "Outlines")
	if len(bms) == 0 {
		return nil
	}
	root := types.Dict{"Type": types.Name("Outlines")}
	rootRef, err := ctx.IndRefForNewObject(root)
	if err != nil {
		return &MergeError{Reason: "erreur interne", Err: err}
	}
	first, last, count, err := outlineItems(ctx, bms, *rootRef, refs, 0)
	if err != nil {
		return err
	}
	root["First"], root["Last"], root["Count"] = first, last, types.Integer(count)
	cat["Outlines"] = *rootRef
	cat["PageMode"] = types.Name("UseOutlines")
	return nil
}

func outlineItems(ctx *model.Context, bms []Bookmark, parent types.IndirectRef, refs []types.IndirectRef, depth int) (first, last types.IndirectRef, count int, err error) {
	if depth > 16 {
		return first, last, 0, &MergeError{Reason: "signets imbriqués trop profondément"}
	}
	var prev types.Dict
	var prevRef types.IndirectRef
	for i, bm := range bms {
		if bm.Page < 1 || bm.Page > len(refs) {
			return first, last, 0, &MergeError{Reason: fmt.Sprintf("signet « %s » vers la page %d hors du document (%d pages)", bm.Title, bm.Page, len(refs))}
		}
		d := types.Dict{
			"Title":  utf16Text(bm.Title),
			"Parent": parent,
			"Dest":   types.Array{refs[bm.Page-1], types.Name("Fit")},
		}
		ref, err := ctx.IndRefForNewObject(d)
		if err != nil {
			return first, last, 0, &MergeError{Reason: "erreur interne", Err: err}
		}
		count++
		if len(bm.Kids) > 0 {
			f, l, n, err := outlineItems(ctx, bm.Kids, *ref, refs, depth+1)
			if err != nil {
				return first, last, 0, err
			}
			d["First"], d["Last"], d["Count"] = f, l, types.Integer(n)
			count += n
		}
		if i == 0 {
			first = *ref
		} else {
			prev["Next"] = *ref
			d["Prev"] = prevRef
		}
		prev, prevRef = d, *ref
	}
	return first, prevRef, count, nil
}

func utf16Text(s string) types.HexLiteral {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(u))
	b[0], b[1] = 0xfe, 0xff
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return types.NewHexLiteral(b)
}
