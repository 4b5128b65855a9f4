package letters

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/validate"
)

// readPDF parses and validates data with pdfcpu (relaxed mode, empty user
// password), bounded by readTimeout.
func readPDF(data []byte) (*model.Context, error) {
	c, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	ctx, err := pdfcpu.ReadWithContext(c, bytes.NewReader(data), PdfConf())
	if err != nil {
		return nil, err
	}
	setAside(ctx)
	if err := validate.XRefTable(ctx); err != nil {
		return nil, &validationError{err}
	}
	return ctx, nil
}

// setAside removes from a letter's catalog, before it is validated, the
// parts that Read neither reads nor copies into the dossier: the structure
// tree, the outline and the named destinations. Validating them took a
// third of the validation's time on tagged or hyperlinked letters, and a
// fault in them refused a letter none of whose visible content it touches.
// What reaches the dossier (the page tree, pages, resources, content,
// annotations, forms, layers) is still validated.
func setAside(ctx *model.Context) {
	cat, err := ctx.Catalog()
	if err != nil {
		return // validation reports it
	}
	delete(cat, "StructTreeRoot")
	delete(cat, "Outlines")
	delete(cat, "Dests")
	if names, ok := deref(ctx.XRefTable, cat["Names"]).(types.Dict); ok {
		delete(names, "Dests")
	}
}

// validationError marks errors found by pdfcpu's validation, after parsing succeeded.
type validationError struct{ err error }

func (e *validationError) Error() string { return e.err.Error() }

func (e *validationError) Unwrap() error { return e.err }

// pdfRefusal turns a pdfcpu error into a French refusal. A file that
// pdfcpu cannot even parse and that ends early (no %%EOF, EOF errors) is
// reported as truncated; anything else, including validation failures, as
// damaged.
func (l *Letter) pdfRefusal(data []byte, err error) *Error {
	msg := err.Error()
	var ve *validationError
	validation := errors.As(err, &ve)
	switch {
	case errors.Is(err, pdfcpu.ErrWrongPassword) || strings.Contains(msg, "correct password"):
		return refuse(l.Name, ErrLetterPassword, err,
			"protégé par un mot de passe d’ouverture : demandez une version sans mot de passe")
	case errors.Is(err, errBomb):
		return refuse(l.Name, ErrLetterBomb, err, bombReason)
	case errors.Is(err, context.DeadlineExceeded):
		return refuse(l.Name, ErrLetterCorrupt, err,
			"fichier PDF trop complexe ou malformé (lecture interrompue) : réenregistrez-le ou imprimez-le en PDF")
	case !validation && (strings.Contains(msg, "unexpected eof") || strings.Contains(msg, "EOF") ||
		!bytes.Contains(data[max(0, len(data)-2048):], []byte("%%EOF"))):
		return refuse(l.Name, ErrLetterTrunc, err,
			"fichier PDF tronqué (téléchargement ou copie incomplète) : demandez un nouvel exemplaire")
	}
	return refuse(l.Name, ErrLetterCorrupt, err,
		"fichier PDF endommagé ou illisible : réenregistrez-le ou demandez un nouvel exemplaire")
}

func (l *Letter) preparePDF(data []byte) error {
	src, err := readPDF(data)
	if err != nil {
		return l.pdfRefusal(data, err)
	}
	if src.PageCount < 1 {
		return refuse(l.Name, ErrLetterCorrupt, nil, "le PDF ne contient aucune page")
	}
	cat, err := src.Catalog()
	if err != nil {
		return l.pdfRefusal(data, err)
	}
	if err := l.inspectCatalog(src, cat); err != nil {
		return err
	}
	if src.E != nil {
		if src.E.P&int(model.PermissionAssembleRev3) == 0 {
			l.warn("chiffrée sans mot de passe d’ouverture, et son auteur interdit l’assemblage ; elle a été déchiffrée pour être jointe au dossier (contenu inchangé)")
		} else {
			l.warn("chiffrée sans mot de passe d’ouverture ; elle a été déchiffrée pour être jointe au dossier")
		}
	}

	dst, err := pdfcpu.CreateContextWithXRefTable(PdfConf(), types.PaperSize["A4"])
	if err != nil {
		return err
	}
	cp := newCopier(src.XRefTable, dst.XRefTable)
	var minScale float64 = 1
	var flat flattenStats
	for i := 1; i <= src.PageCount; i++ {
		scale, err := l.copyPage(src, dst, cp, i, &flat)
		var le *Error
		if errors.As(err, &le) {
			return le
		}
		if errors.Is(err, errBomb) {
			return refuse(l.Name, ErrLetterBomb, err, fmt.Sprintf("page %d : %s", i, bombReason))
		}
		if err != nil {
			return l.pdfRefusal(data, err)
		}
		minScale = min(minScale, scale)
	}
	if minScale < 0.9 {
		l.warn("pages d’un format plus grand que l’A4, réduites à %d %% pour tenir sur une feuille A4", int(minScale*100))
	}
	if flat.widgets > 0 {
		l.warn("formulaire aplati : les valeurs saisies restent visibles mais ne sont plus modifiables")
	}
	if flat.actions > 0 || cp.dropped > 0 {
		l.warn("liens et actions actives (JavaScript, lancement de programme, adresses web) retirés")
	}
	if flat.attachments > 0 {
		l.warn("pièces jointes intégrées au PDF retirées (seules les pages sont jointes au dossier)")
	}
	if flat.missingAP > 0 {
		l.warn("%d champ(s) de formulaire sans apparence enregistrée : leur valeur risque de ne pas apparaître ; demandez une version imprimée en PDF", flat.missingAP)
	}
	if err := keepLayers(src.XRefTable, cp, cat, dst); err != nil {
		return l.pdfRefusal(data, err)
	}
	l.Pages = src.PageCount
	return l.finish(dst)
}

// keepLayers carries the letter's optional content (layers) over to the
// prepared letter: the groups, which of them are hidden by default, the
// automatic print/view states and the order shown in the layers panel.
// Without it, content the author hid by default (a draft layer, a
// screen-only background) would become visible, because readers show
// content whose group is not declared in the catalog.
func keepLayers(x *model.XRefTable, cp *copier, cat types.Dict, dst *model.Context) error {
	oc, ok := deref(x, cat["OCProperties"]).(types.Dict)
	if !ok {
		return nil
	}
	ocgs, _ := deref(x, oc["OCGs"]).(types.Array)
	d, _ := deref(x, oc["D"]).(types.Dict)
	off, _ := deref(x, d["OFF"]).(types.Array)
	if base, _ := deref(x, d["BaseState"]).(types.Name); base == "OFF" {
		on, _ := deref(x, d["ON"]).(types.Array)
		off = nil
		for _, g := range ocgs {
			if !containsRef(on, g) {
				off = append(off, g)
			}
		}
	}
	out := types.Dict{}
	nd := types.Dict{}
	for key, arr := range map[string]types.Array{"OCGs": ocgs, "OFF": off} {
		c, err := cp.obj(arr, 0)
		if err != nil {
			return err
		}
		if a, ok := c.(types.Array); ok && len(a) > 0 {
			if key == "OCGs" {
				out[key] = a
			} else {
				nd[key] = a
			}
		}
	}
	for _, key := range []string{"AS", "Order"} {
		if v, ok := d[key]; ok {
			c, err := cp.obj(v, 0)
			if err != nil {
				return err
			}
			if a, ok := c.(types.Array); ok && len(a) > 0 {
				nd[key] = a
			}
		}
	}
	if _, ok := out["OCGs"]; !ok {
		return nil
	}
	out["D"] = nd
	dcat, err := dst.Catalog()
	if err != nil {
		return err
	}
	dcat["OCProperties"] = out
	return nil
}

func containsRef(a types.Array, o types.Object) bool {
	r, ok := o.(types.IndirectRef)
	if !ok {
		return false
	}
	for _, e := range a {
		if er, ok := e.(types.IndirectRef); ok && er.ObjectNumber == r.ObjectNumber {
			return true
		}
	}
	return false
}

// inspectCatalog refuses XFA-only forms and records warnings for what the
// preparation drops (document JavaScript, open actions, attachments, signatures).
func (l *Letter) inspectCatalog(src *model.Context, cat types.Dict) error {
	x := src.XRefTable
	if b, ok := deref(x, cat["NeedsRendering"]).(types.Boolean); ok && bool(b) {
		return refuse(l.Name, ErrLetterXFA, nil, xfaReason)
	}
	var dropped []string
	if af, ok := deref(x, cat["AcroForm"]).(types.Dict); ok {
		fields, _ := deref(x, af["Fields"]).(types.Array)
		if _, hasXFA := af["XFA"]; hasXFA && len(fields) == 0 {
			return refuse(l.Name, ErrLetterXFA, nil, xfaReason)
		}
		if hasSignature(x, fields, 0) {
			l.warn("signée électroniquement ; la signature ne survit pas à la fusion (le contenu visible est conservé)")
		}
	}
	if names, ok := deref(x, cat["Names"]).(types.Dict); ok {
		if _, ok := names["JavaScript"]; ok {
			dropped = append(dropped, "JavaScript du document")
		}
		if _, ok := names["EmbeddedFiles"]; ok {
			l.warn("pièces jointes intégrées au PDF retirées (seules les pages sont jointes au dossier)")
		}
	}
	if oa, ok := deref(x, cat["OpenAction"]).(types.Dict); ok {
		if s, _ := deref(x, oa["S"]).(types.Name); s != "GoTo" {
			dropped = append(dropped, "action à l’ouverture")
		}
	}
	if _, ok := cat["AA"]; ok {
		dropped = append(dropped, "actions automatiques")
	}
	if len(dropped) > 0 {
		l.warn("éléments actifs retirés (%s) : la lettre jointe est inerte", strings.Join(dropped, ", "))
	}
	return nil
}

const xfaReason = "formulaire XFA dynamique, lisible seulement dans Adobe Reader (les pages ne contiennent pas le formulaire) : " +
	"ouvrez-le dans Adobe Reader et imprimez-le en PDF, puis joignez ce PDF"

func hasSignature(x *model.XRefTable, fields types.Array, depth int) bool {
	if depth > 32 {
		return false
	}
	for _, f := range fields {
		d, ok := deref(x, f).(types.Dict)
		if !ok {
			continue
		}
		if ft, _ := deref(x, d["FT"]).(types.Name); ft == "Sig" && d["V"] != nil {
			return true
		}
		if kids, ok := deref(x, d["Kids"]).(types.Array); ok && hasSignature(x, kids, depth+1) {
			return true
		}
	}
	return false
}

// deref resolves o (following at most a few indirections) and returns nil on any error.
func deref(x *model.XRefTable, o types.Object) types.Object {
	for range 4 {
		if _, ok := o.(types.IndirectRef); !ok {
			return o
		}
		r, err := x.Dereference(o)
		if err != nil {
			return nil
		}
		o = r
	}
	return nil
}

func num(x *model.XRefTable, o types.Object) (float64, bool) {
	switch v := deref(x, o).(type) {
	case types.Integer:
		return float64(v), true
	case types.Float:
		return float64(v), true
	}
	return 0, false
}

func rectOf(x *model.XRefTable, o types.Object) (r [4]float64, ok bool) {
	a, _ := deref(x, o).(types.Array)
	if len(a) != 4 {
		return r, false
	}
	for i := range 4 {
		if r[i], ok = num(x, a[i]); !ok || math.IsNaN(r[i]) || math.IsInf(r[i], 0) {
			return r, false
		}
	}
	return [4]float64{min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])}, true
}

// inherited returns the value of an inheritable page attribute (Resources,
// MediaBox, CropBox, Rotate) for page dictionary pd.
func inherited(x *model.XRefTable, pd types.Dict, key string) types.Object {
	d := pd
	for range 32 {
		if v, ok := d[key]; ok && v != nil {
			return v
		}
		p, ok := deref(x, d["Parent"]).(types.Dict)
		if !ok {
			return nil
		}
		d = p
	}
	return nil
}

type flattenStats struct {
	widgets, actions, attachments, missingAP int
}

// copyPage appends to dst an A4 sheet showing page i of src.
//
// The page content becomes a Form XObject (/P) with the page's resources;
// annotations are flattened: the normal appearance of every visible
// annotation (form field values, stamps, ink, highlights) is drawn after
// the page content, exactly where the viewer would draw it, and the
// annotation itself (with its actions, scripts, links, pop-ups) is not
// copied. This keeps what the reader sees and prints while removing
// everything active. Only page contents, resources and appearance streams
// reach dst, through the sanitising copier.
func (l *Letter) copyPage(src, dst *model.Context, cp *copier, i int, st *flattenStats) (float64, error) {
	sx := src.XRefTable
	pd, _, _, err := src.PageDict(i, false)
	if err != nil {
		return 0, err
	}
	// Boxes and rotation are inheritable: read them from the page
	// dictionary or its parents.
	media, ok := rectOf(sx, inherited(sx, pd, "MediaBox"))
	if !ok {
		media = [4]float64{0, 0, 612, 792} // missing MediaBox: readers assume US Letter
	}
	// An empty or absurd page cannot be placed on a sheet: a reader would
	// draw nothing, or divide by zero, or never finish.
	if mw, mh := media[2]-media[0], media[3]-media[1]; mw < minPageSide || mh < minPageSide || mw > maxPageSide || mh > maxPageSide {
		return 0, refuse(l.Name, ErrLetterPage, nil, fmt.Sprintf(
			"page %d : format de page vide ou aberrant (%s × %s points ; attendu entre %g et %g) : réenregistrez la lettre en PDF (Imprimer → Enregistrer au format PDF) ou demandez un nouvel exemplaire",
			i, strconv.FormatFloat(mw, 'f', -1, 64), strconv.FormatFloat(mh, 'f', -1, 64), float64(minPageSide), float64(maxPageSide)))
	}
	box := media
	if c, ok := rectOf(sx, inherited(sx, pd, "CropBox")); ok {
		box = [4]float64{max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3])}
		if box[2]-box[0] < 1 || box[3]-box[1] < 1 {
			box = media
		}
	}
	r, _ := num(sx, inherited(sx, pd, "Rotate"))
	rot, w, h := rotation(box, int(r))

	// The page content as a Form XObject.
	res := inherited(sx, pd, "Resources")
	if res == nil {
		res = types.Dict{}
	}
	cres, err := cp.obj(res, 0)
	if err != nil {
		return 0, err
	}
	if cres == nil {
		cres = types.Dict{}
	}
	content, raw, err := pageContent(sx, pd["Contents"])
	if err != nil {
		return 0, err
	}
	fd := types.Dict{
		"Type":      types.Name("XObject"),
		"Subtype":   types.Name("Form"),
		"BBox":      types.NewNumberArray(box[0], box[1], box[2], box[3]),
		"Resources": cres,
	}
	if g, ok := pd["Group"]; ok {
		if cg, err := cp.obj(g, 0); err == nil && cg != nil {
			fd["Group"] = cg
		}
	}
	if content == nil && raw != nil {
		// Decoded only to see whether it holds marked content to neutralise.
		c, release, err := boundedContent(sx, raw)
		if err != nil {
			return 0, err
		}
		if c, ok := neutralise(c); ok {
			content = c // a copy: the decoded bytes go back
		}
		release()
	} else if content != nil {
		content, _ = neutralise(content)
	}
	var formSD *types.StreamDict
	if content != nil {
		formSD, err = flateStream(fd, content)
		if err != nil {
			return 0, err
		}
	} else {
		// Bounded and looked at above: nothing to neutralise.
		formSD, err = cp.streamOf(fd, raw, true)
		if err != nil {
			return 0, err
		}
	}
	formRef, err := dst.IndRefForNewObject(*formSD)
	if err != nil {
		return 0, err
	}

	xobjs := types.Dict{"P": *formRef}
	sheetRes := types.Dict{"XObject": xobjs}
	var sb strings.Builder
	sw, sh := paperFor(w, h)
	s, x, y := placement(w, h, sw, sh, 0, 1)
	fmt.Fprintf(&sb, "q %s cm %s cm %s re W n /P Do\n",
		matrix([6]float64{s, 0, 0, s, x, y}), matrix(rot), nums(box[0], box[1], box[2]-box[0], box[3]-box[1]))
	if err := l.flattenAnnots(sx, cp, pd["Annots"], sheetRes, &sb, st); err != nil {
		return 0, err
	}
	sb.WriteString("Q\n")
	if err := addSheet(dst, sw, sh, sheetRes, []byte(sb.String())); err != nil {
		return 0, err
	}
	return s, nil
}

// pageContent returns the page's content: either the stream of its only
// content stream, to be copied without re-encoding, or the decoded and
// concatenated content of a content array.
func pageContent(x *model.XRefTable, o types.Object) (content []byte, raw *types.StreamDict, err error) {
	switch v := deref(x, o).(type) {
	case types.StreamDict:
		return nil, &v, nil
	case types.Array:
		var buf bytes.Buffer
		for _, e := range v {
			sd, ok := deref(x, e).(types.StreamDict)
			if !ok {
				continue
			}
			if tooBig(x, sd.Dict, sd.Raw, sd.FilterPipeline) {
				return nil, nil, errBomb
			}
			if err := sd.Decode(); err != nil {
				return nil, nil, err
			}
			buf.Write(sd.Content)
			buf.WriteByte('\n')
		}
		return buf.Bytes(), nil, nil
	}
	return []byte{}, nil, nil
}

// finish keeps the prepared letter for Merge, as it is: writing it out
// and parsing it again, as was done, cost more than preparing it.
func (l *Letter) finish(dst *model.Context) error {
	if err := dst.EnsurePageCount(); err != nil {
		return &Error{Name: l.Name, Reason: "préparation impossible (erreur interne)", Err: err}
	}
	// Its page tree is ours, one level (appendPage): Merge takes the
	// pages from this list rather than looking each one up in the tree.
	root, err := dst.Pages()
	if err != nil {
		return &Error{Name: l.Name, Reason: "préparation impossible (erreur interne)", Err: err}
	}
	rd, _ := deref(dst.XRefTable, *root).(types.Dict)
	kids, _ := deref(dst.XRefTable, rd["Kids"]).(types.Array)
	pages := make([]types.Dict, 0, len(kids))
	for _, k := range kids {
		if pd, ok := deref(dst.XRefTable, k).(types.Dict); ok {
			pages = append(pages, pd)
		}
	}
	if len(pages) != dst.PageCount {
		return &Error{Name: l.Name, Reason: "préparation impossible (erreur interne)"}
	}
	l.prepared = &prepared{ctx: dst, pages: pages}
	l.uaProblem = fontsProblem(dst.XRefTable)
	return nil
}

// fontsProblem says, for a letter, why its fonts keep the dossier from
// being accessible: a font not embedded, or with no Unicode mapping.
func fontsProblem(x *model.XRefTable) string {
	for _, e := range x.Table {
		if e == nil || e.Free {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok || d.Type() == nil || *d.Type() != "Font" {
			continue
		}
		if rule, _ := fontFault(x, d); rule != "" {
			return "ses polices ne sont pas toutes intégrées avec leur correspondance Unicode (elle ne peut être lue à voix haute) : demandez à son auteur un PDF exporté avec les polices incorporées, ou un scan, qui est alors joint comme une image"
		}
	}
	return ""
}

// fontFault returns the rule a font breaks, and its name: embedded font
// program (PDF/UA 7.21.4.1) or Unicode mapping (7.21.7); "" when none.
func fontFault(x *model.XRefTable, d types.Dict) (rule, name string) {
	n, _ := deref(x, d["BaseFont"]).(types.Name)
	name = string(n)
	sub, _ := deref(x, d["Subtype"]).(types.Name)
	if sub == "Type3" || strings.HasPrefix(string(sub), "CIDFontType") { // a descendant is checked with its Type0 font
		return "", name
	}
	desc := d
	if sub == "Type0" {
		df, _ := deref(x, d["DescendantFonts"]).(types.Array)
		if len(df) != 1 {
			return RuleFontEmbedded, name
		}
		desc, _ = deref(x, df[0]).(types.Dict)
	}
	fd, _ := deref(x, desc["FontDescriptor"]).(types.Dict)
	if fd == nil || fd["FontFile"] == nil && fd["FontFile2"] == nil && fd["FontFile3"] == nil {
		return RuleFontEmbedded, name
	}
	if d["ToUnicode"] != nil {
		return "", name
	}
	if sub != "Type0" {
		switch enc := deref(x, d["Encoding"]).(type) {
		case types.Name:
			if enc == "WinAnsiEncoding" || enc == "MacRomanEncoding" || enc == "StandardEncoding" {
				return "", name
			}
		case types.Dict:
			return "", name // named glyphs (Differences)
		}
		if f, _ := num(x, fd["Flags"]); int(f)&4 == 0 { // non-symbolic: standard encoding
			return "", name
		}
	}
	return RuleToUnicode, name
}
