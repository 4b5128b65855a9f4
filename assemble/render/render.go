package render

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"necdossier/fonts"
)

// Annex describes one annex for the renderer: from the workbook's Annexes
// row and the letter once read.
type Annex struct {
	Title, Organisation, Signataire, Kind string
	Date                                  time.Time
	File                                  string // file name, shown in the list
	Pages                                 int    // pages the letter adds (known before rendering)
}

// RenderOptions is what Render needs besides the candidature and the call.
type RenderOptions struct {
	Fonts       fs.FS             // fonts.FS (fonts.Files gives the file per style); nil means fonts.FS
	Created     time.Time         // creation date written in metadata and on the cover (SOURCE_DATE_EPOCH or now)
	Fingerprint string            // hex SHA-256 over inputs, shown on the synthesis page and in metadata
	Annexes     []Annex           // in workbook order; their pages follow the dossier's pages
	Criteria    []model.Criterion // verdicts shown in the synthesis checklist
	Findings    []model.Finding   // warnings: the first ones are listed on the synthesis page
	Logo        []byte            // logo image bytes (JPEG/PNG) or nil
	AnnexFile   string            // when the annexes are a PDF of their own (build --split), its name
}

// Layout is what the letters stage needs after rendering: where things landed.
type Layout struct {
	Pages   int            // pages of the rendered dossier (annex pages excluded)
	Total   int            // Pages + sum of annex pages (N in "page X / N")
	Outline []OutlineEntry // the whole outline incl. one entry per annex (under an « Annexes » entry), pages 1-based in the final document
	Links   []LinkSpot     // rectangles on dossier pages that must jump to annex pages, added by the merge stage
}

// OutlineEntry is one bookmark of the final document.
type OutlineEntry struct {
	Title string
	Level int // 0 for the top level
	Page  int // 1-based, in the final document
}

// LinkSpot is a clickable rectangle on a dossier page, in PDF points with the
// origin at the bottom-left corner of the page, that must jump to page Target
// of the final document (an annex page, which fpdf cannot link to).
type LinkSpot struct {
	Page       int
	X, Y, W, H float64
	Target     int
}

// emptyText is what an empty field reads, so that every dossier has the same shape.
const emptyText = "Non renseigné"

// Render writes the dossier for c under call (cover, synthesis, table of
// contents, sections, annex list) to w. The annexes' pages are not drawn (the
// merge stage appends them) but are counted in page numbers, the table of
// contents and the outline.
//
// The PDF written carries the outline of its own pages; Layout.Outline is the
// outline of the final document, annexes included, for the merge stage.
func Render(w io.Writer, c *model.Candidature, call *model.Call, opt RenderOptions) (lay *Layout, err error) {
	if c == nil || call == nil {
		return nil, errors.New("mise en page du dossier : candidature ou appel absent")
	}
	// fpdf panics on some inputs (and so could a bug of ours): a dossier
	// that cannot be drawn is an error, never a crash.
	defer func() {
		if p := recover(); p != nil {
			lay, err = nil, fmt.Errorf("mise en page du dossier : erreur interne : %v", p)
		}
	}()
	if len(opt.Annexes) == 0 {
		// Rendering without the letters read: list the workbook's annexes,
		// with no pages.
		for _, a := range c.Annexes {
			opt.Annexes = append(opt.Annexes, Annex{Title: a.Titre, Organisation: a.Organisation,
				Signataire: a.Signataire, Kind: a.Type, Date: a.Date, File: a.Fichier})
		}
	}
	r, err := newRenderer(c, call, opt)
	if err != nil {
		return nil, err
	}
	r.layOut()
	if err := r.pdf.Error(); err != nil {
		return nil, fmt.Errorf("mise en page du dossier : %w", err)
	}
	var buf bytes.Buffer
	if err := r.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("mise en page du dossier : %w", err)
	}
	var levels []int
	for _, e := range r.outline[:r.bookmarks] {
		levels = append(levels, e.Level)
	}
	out, err := finishPDF(buf.Bytes(), levels)
	if err != nil {
		return nil, fmt.Errorf("mise en page du dossier : %w", err)
	}
	if _, err := w.Write(out); err != nil {
		return nil, fmt.Errorf("écriture du dossier : %w", err)
	}
	return r.layout(), nil
}

// layOut paginates the dossier and draws its pages. The synthesis is one
// page: when it runs over, it lists fewer findings.
func (r *renderer) layOut() {
	logo := r.logo != ""
	points := maxPoints
	for ; points > 1; points-- {
		r.paginate(frontBlocks(r.c, r.call, &r.opt, logo, points).blocks)
		if r.marks["sommaire"].page <= 3 {
			break
		}
	}
	r.paginate(buildDocument(r.c, r.call, &r.opt, logo, points))
	r.draw()
}

// renderer holds one rendering: the fpdf document, the fragments to place,
// and where they landed.
type renderer struct {
	pdf  *fpdf.Fpdf
	c    *model.Candidature
	call *model.Call
	opt  RenderOptions
	logo string // registered image name, "" without a usable logo

	frags []*frag
	pages [][]placedFrag

	anchors   map[string]pageSpot // heading anchor → where it landed
	marks     map[string]pageSpot // other places pagination records
	links     map[string]int      // heading anchor → fpdf internal link
	outline   []OutlineEntry      // dossier entries, in order, then the annexes'
	bookmarks int                 // entries of outline that fpdf wrote (the dossier's)
	spots     []LinkSpot
	header    []string  // running header: the collectivité, the call
	cur       textStyle // font currently selected, to skip redundant SetFont calls
	curOK     bool
	overflows []overflow // strings drawn wider than their room (none, if all is well)
	drawn     []string   // with keepDrawn, every string drawn, in order (for the tests)
	keepDrawn bool
	lineGroup int // last id given to a group of lines
}

func newRenderer(c *model.Candidature, call *model.Call, opt RenderOptions) (*renderer, error) {
	if opt.Fonts == nil {
		opt.Fonts = fonts.FS
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	// Reproducible output: fixed dates, sorted resources, no time.Now.
	created := opt.Created
	if created.IsZero() {
		created = time.Now()
	}
	// The cover and the synthesis show the date in the caller's time zone;
	// the metadata, written without zone by fpdf, get it in UTC.
	opt.Created = created
	pdf.SetCreationDate(created.UTC())
	pdf.SetModificationDate(created.UTC())
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetCompression(false) // finishPDF compresses the pages
	// The styles the dossier uses: fpdf embeds every font added, even
	// unused, and each costs a parse and a subset. Bold italic is not used.
	for _, st := range []string{"", "B", "I"} {
		name, ok := fonts.Files[st]
		if !ok {
			return nil, fmt.Errorf("mise en page du dossier : police de style %q inconnue", st)
		}
		data, err := fs.ReadFile(opt.Fonts, name)
		if err != nil {
			return nil, fmt.Errorf("mise en page du dossier : police %s : %w", name, err)
		}
		pdf.AddUTF8FontFromBytes(family, st, data)
	}
	r := &renderer{pdf: pdf, c: c, call: call, opt: opt,
		anchors: map[string]pageSpot{}, marks: map[string]pageSpot{}, links: map[string]int{}}
	r.setFont(stBody)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("mise en page du dossier : polices : %w", err)
	}
	r.logo = r.registerLogo(opt.Logo)

	nom := orEmpty(c.Collectivite.Nom)
	title := french.Typo(safeText(call.Title)) + " — candidature"
	if nom != "" {
		title = french.Typo(safeText(call.Title)) + " — " + nom
	}
	pdf.SetTitle(title, true)
	pdf.SetAuthor(nom, true)
	subject := call.Subtitle
	if subject == "" {
		subject = "Candidature"
	}
	pdf.SetSubject(french.Typo(safeText(subject)), true)
	kw := []string{french.Typo(safeText(call.Title)), "candidature", nom}
	if opt.Fingerprint != "" {
		kw = append(kw, "empreinte SHA-256 "+opt.Fingerprint)
	}
	pdf.SetKeywords(french.Typo(strings.Join(kw, " ; ")), true)
	pdf.SetCreator("necdossier", true)
	pdf.SetProducer("necdossier (fpdf)", true)
	pdf.SetLang("fr-FR")
	pdf.SetDisplayMode("default", "OneColumn")
	return r, nil
}

// layout reports where things landed.
func (r *renderer) layout() *Layout {
	return &Layout{
		Pages:   len(r.pages),
		Total:   r.total(),
		Outline: r.outline,
		Links:   r.spots,
	}
}

// finishPDF adjusts what fpdf wrote where it has no setting:
//   - the catalog gets /ViewerPreferences << /DisplayDocTitle true >>
//     (viewers show the title, not the file name);
//   - the embedded fonts, which fpdf does subset, get subset names (a
//     six-letter tag, then the PostScript name) instead of fpdf's keys;
//   - the version is at least 1.4, for /Lang and DisplayDocTitle;
//   - the dates say they are UTC (+00'00);
//   - outline items with children count them (fpdf writes /Count 0);
//   - link annotations become indirect objects (fpdf writes them inline);
//   - the page contents are compressed here, with a pooled compressor:
//     fpdf allocates a new one (about a megabyte) for every page.
//
// The cross-reference table is rebuilt from fpdf's own offsets, shifted by
// the edits made before each object.
func finishPDF(pdf []byte, levels []int) ([]byte, error) {
	type edit struct {
		at, n int // bytes [at, at+n) are replaced by b
		b     []byte
	}
	bad := func(what string) error { return fmt.Errorf("structure PDF inattendue (%s)", what) }
	var edits []edit
	const catalog = "/Type /Catalog"
	at := bytes.LastIndex(pdf, []byte(catalog))
	xref := bytes.LastIndex(pdf, []byte("\nxref\n"))
	sx := bytes.LastIndex(pdf, []byte("startxref\n"))
	if at < 0 || xref < at || sx < xref {
		return nil, bad("catalogue")
	}
	edits = append(edits, edit{at + len(catalog), 0, []byte("\n/ViewerPreferences << /DisplayDocTitle true >>")})
	// /Lang and DisplayDocTitle are PDF 1.4; fpdf writes 1.3 unless a
	// feature of its own needs more.
	if bytes.HasPrefix(pdf, []byte("%PDF-1.3")) {
		edits = append(edits, edit{0, len("%PDF-1.3"), []byte("%PDF-1.4")})
	}

	// fpdf writes the dates without a zone; they are in UTC (newRenderer).
	for _, key := range []string{"/CreationDate (D:", "/ModDate (D:"} {
		if k := bytes.Index(pdf[:xref], []byte(key)); k >= 0 {
			end := k + len(key) + len("20060102150405")
			if end < xref && pdf[end] == ')' {
				edits = append(edits, edit{end, 0, []byte("+00'00")})
			}
		}
	}

	// Object offsets, from the table: "0000012345 00000 n \n", object 0 first.
	var offsets []int
	for l := range bytes.SplitAfterSeq(pdf[xref+len("\nxref\n"):sx], []byte("\n")) {
		if len(l) == 20 && l[10] == ' ' && l[16] == ' ' {
			off, err := strconv.Atoi(string(l[:10]))
			if err != nil {
				return nil, bad("xref")
			}
			offsets = append(offsets, off)
		}
	}

	// fpdf writes /Count 0 in every outline item; an item with children
	// must count its visible descendants (all of them: items are open).
	// Items are written in outline order, levels[i] is item i's level.
	// Without levels (nil), the counts are left as fpdf wrote them.
	const zero = "/Count 0>>\nendobj"
	item := 0
	for i := 0; levels != nil; {
		k := bytes.Index(pdf[i:xref], []byte(zero))
		if k < 0 {
			break
		}
		i += k
		if item >= len(levels) {
			return nil, bad("signets")
		}
		n := 0
		for j := item + 1; j < len(levels) && levels[j] > levels[item]; j++ {
			n++
		}
		if n > 0 {
			edits = append(edits, edit{i, len("/Count 0"), []byte("/Count " + strconv.Itoa(n))})
		}
		item++
		i += len(zero)
	}
	if levels != nil && item != len(levels) {
		return nil, bad("signets")
	}
	if root := bytes.Index(pdf[:xref], []byte("<</Type /Outlines ")); root >= 0 && len(levels) > 0 {
		at := root + len("<</Type /Outlines ")
		edits = append(edits, edit{at, 0, []byte("/Count " + strconv.Itoa(len(levels)) + " ")})
	}

	zw := zpool.Get().(*zlib.Writer)
	defer zpool.Put(zw)
	for i := 0; ; {
		k := bytes.Index(pdf[i:xref], []byte("/Contents "))
		if k < 0 {
			break
		}
		i += k + len("/Contents ")
		end := bytes.IndexByte(pdf[i:xref], ' ')
		obj, err := strconv.Atoi(string(pdf[i : i+max(end, 0)]))
		if end < 0 || err != nil || obj <= 0 || obj >= len(offsets) {
			return nil, bad("contenu de page")
		}
		// "N 0 obj\n<</Length L>>\nstream\n" + L bytes.
		o := offsets[obj]
		head := bytes.Index(pdf[o:min(o+64, xref)], []byte("<</Length "))
		if head < 0 {
			return nil, bad("contenu de page")
		}
		head += o
		lenEnd := bytes.Index(pdf[head:min(head+32, xref)], []byte(">>\nstream\n"))
		if lenEnd < 0 {
			return nil, bad("contenu de page")
		}
		n, err := strconv.Atoi(string(pdf[head+len("<</Length ") : head+lenEnd]))
		data := head + lenEnd + len(">>\nstream\n")
		if err != nil || data+n > xref {
			return nil, bad("contenu de page")
		}
		var z bytes.Buffer
		z.Grow(n/3 + 64)
		z.WriteString("<</Filter /FlateDecode /Length ")
		z.WriteString("0000000000>>\nstream\n") // length patched below, fixed width
		start := z.Len()
		zw.Reset(&z)
		zw.Write(pdf[data : data+n])
		if err := zw.Close(); err != nil {
			return nil, err
		}
		b := z.Bytes()
		lenAt := len("<</Filter /FlateDecode /Length ")
		copy(b[lenAt:lenAt+10], fmt.Sprintf("%010d", z.Len()-start))
		edits = append(edits, edit{head, data + n - head, b})
	}

	for _, key := range []string{"/BaseFont /", "/FontName /"} {
		for i := 0; ; {
			k := bytes.Index(pdf[i:xref], []byte(key))
			if k < 0 {
				break
			}
			start := i + k + len(key)
			end := start
			for end < xref && (pdf[end] >= 'a' && pdf[end] <= 'z' || pdf[end] >= 'A' && pdf[end] <= 'Z' || pdf[end] >= '0' && pdf[end] <= '9') {
				end++
			}
			if name, ok := subsetNames[string(pdf[start:end])]; ok {
				edits = append(edits, edit{start, end - start, []byte(name)})
			}
			i = end
		}
	}
	// fpdf writes link annotations inline in the page's /Annots array; the
	// standard wants indirect objects (and a tagged PDF will need them).
	// They become new objects, numbered after the last one.
	size := len(offsets)
	var annots [][]byte
	for i := 0; ; {
		k := bytes.Index(pdf[i:xref], []byte("/Annots ["))
		if k < 0 {
			break
		}
		start := i + k + len("/Annots [")
		dicts, end, err := inlineDicts(pdf[:xref], start)
		if err != nil {
			return nil, bad("annotations")
		}
		var refs []byte
		for _, d := range dicts {
			if len(refs) > 0 {
				refs = append(refs, ' ')
			}
			refs = fmt.Appendf(refs, "%d 0 R", size+len(annots))
			annots = append(annots, d)
		}
		edits = append(edits, edit{start, end - start, refs})
		i = end
	}

	slices.SortFunc(edits, func(a, b edit) int { return a.at - b.at })
	moved := func(off int) int {
		shift := 0
		for _, e := range edits {
			if e.at < off {
				shift += len(e.b) - e.n
			}
		}
		return off + shift
	}
	grown := len(pdf)
	for _, e := range edits {
		grown += len(e.b) - e.n
	}
	for _, a := range annots {
		grown += len(a) + 32
	}
	out := make([]byte, 0, grown+64)
	prev := 0
	for _, e := range edits {
		out = append(out, pdf[prev:e.at]...)
		out = append(out, e.b...)
		prev = e.at + e.n
	}
	out = append(out, pdf[prev:xref]...)
	added := make([]int, len(annots))
	for i, a := range annots {
		out = append(out, '\n')
		added[i] = len(out)
		out = fmt.Appendf(out, "%d 0 obj\n", size+i)
		out = append(out, a...)
		out = append(out, "\nendobj"...)
	}
	total := strconv.Itoa(size + len(annots))
	xrefAt := len(out) + 1 // after the "\n" that precedes "xref"
	for l := range bytes.SplitAfterSeq(pdf[xref:sx], []byte("\n")) {
		switch {
		case len(l) == 20 && l[10] == ' ' && l[16] == ' ' && l[17] == 'n':
			if off, err := strconv.Atoi(string(l[:10])); err == nil {
				l = fmt.Appendf(nil, "%010d%s", moved(off), l[10:])
			}
		case string(l) == "0 "+strconv.Itoa(size)+"\n":
			l = []byte("0 " + total + "\n")
		case string(l) == "/Size "+strconv.Itoa(size)+"\n":
			l = []byte("/Size " + total + "\n")
		case string(l) == "trailer\n":
			for _, off := range added {
				out = fmt.Appendf(out, "%010d 00000 n \n", off)
			}
		}
		out = append(out, l...)
	}
	rest := pdf[sx+len("startxref\n"):]
	end := bytes.IndexByte(rest, '\n')
	if end < 0 {
		return nil, bad("startxref")
	}
	if _, err := strconv.Atoi(string(rest[:end])); err != nil {
		return nil, bad("startxref")
	}
	out = append(out, "startxref\n"...)
	out = strconv.AppendInt(out, int64(xrefAt), 10)
	out = append(out, rest[end:]...)
	return out, nil
}

// inlineDicts reads the dictionaries written one after the other from
// pdf[start:] up to the closing bracket of their array, and returns them and
// where the bracket is. Strings (in parentheses) may hold any byte.
func inlineDicts(pdf []byte, start int) ([][]byte, int, error) {
	var out [][]byte
	i := start
	for {
		for i < len(pdf) && (pdf[i] == ' ' || pdf[i] == '\n' || pdf[i] == '\r') {
			i++
		}
		if i >= len(pdf) {
			return nil, 0, errors.New("tableau non fermé")
		}
		if pdf[i] == ']' {
			return out, i, nil
		}
		if !bytes.HasPrefix(pdf[i:], []byte("<<")) {
			return nil, 0, errors.New("dictionnaire attendu")
		}
		from, depth := i, 0
		for i < len(pdf) {
			switch {
			case bytes.HasPrefix(pdf[i:], []byte("<<")):
				depth++
				i += 2
			case bytes.HasPrefix(pdf[i:], []byte(">>")):
				depth--
				i += 2
			case pdf[i] == '(':
				for n := 0; i < len(pdf); i++ {
					if pdf[i] == '\\' {
						i++
						continue
					}
					if pdf[i] == '(' {
						n++
					} else if pdf[i] == ')' {
						if n--; n == 0 {
							break
						}
					}
				}
				i++
			default:
				i++
			}
			if depth == 0 {
				break
			}
		}
		if depth != 0 {
			return nil, 0, errors.New("dictionnaire non fermé")
		}
		out = append(out, pdf[from:i])
	}
}

// zpool holds page-content compressors between renderings.
var zpool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// subsetNames maps fpdf's font keys to subset font names. The tags are
// fixed (the subset is a function of the text anyway), which keeps the
// output reproducible.
var subsetNames = map[string]string{
	"utf8lato":   "NECAAA+Lato-Regular",
	"utf8latoB":  "NECAAB+Lato-Bold",
	"utf8latoI":  "NECAAC+Lato-Italic",
	"utf8latoBI": "NECAAD+Lato-BoldItalic",
}
