package render

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // logos may be JPEG
	"image/png"
	"io"
	"io/fs"
	"maps"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

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

// Page geometry, in millimetres: A4 portrait with generous margins, a
// running header above the text block and the page number below it.
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 24.0
	marginR  = 24.0
	marginT  = 26.0
	marginB  = 24.0
	contentW = pageW - marginL - marginR
	bodyTop  = marginT
	bodyBot  = pageH - marginB
	bodyH    = bodyBot - bodyTop
	ptPerMM  = 72 / 25.4
	family   = "Lato"
)

// rgbColor is a colour of the palette.
type rgbColor struct{ r, g, b int }

// The palette is restrained: dark text, one blue accent, light greys for
// rules and zebra rows, and three status colours for the checklist.
var (
	colText      = rgbColor{33, 37, 41}
	colMuted     = rgbColor{96, 104, 112}
	colAccent    = rgbColor{22, 78, 140}
	colAccentBg  = rgbColor{232, 240, 249}
	colRule      = rgbColor{200, 206, 212}
	colZebra     = rgbColor{245, 247, 250}
	colWhite     = rgbColor{255, 255, 255}
	colMet       = rgbColor{38, 125, 64}
	colNotMet    = rgbColor{192, 38, 38}
	colToConfirm = rgbColor{166, 94, 0} // 4.9:1 on white, like the others above 4.5:1 (WCAG AA)
)

// textStyle is a font, size, colour and line height (lead, in mm).
type textStyle struct {
	font  string // "", "B", "I", "BI"
	size  float64
	color rgbColor
	lead  float64
}

var (
	stBody      = textStyle{"", 10, colText, 5.1}
	stEmpty     = textStyle{"I", 10, colMuted, 5.1}
	stHelp      = textStyle{"I", 9, colMuted, 4.4}
	stH1        = textStyle{"B", 17, colAccent, 8}
	stH2        = textStyle{"B", 12.5, colAccent, 6.2}
	stH3        = textStyle{"B", 10.5, colText, 5.3}
	stCell      = textStyle{"", 8.8, colText, 4.1}
	stCellBold  = textStyle{"B", 8.8, colText, 4.1}
	stCellEmpty = textStyle{"I", 8.8, colMuted, 4.1}
	stHead      = textStyle{"B", 8.5, colWhite, 4.0}
	stKey       = textStyle{"B", 9.5, colMuted, 4.8}
	stSmall     = textStyle{"", 8, colMuted, 3.8}
	stTOC       = textStyle{"", 10.5, colText, 5.6}
	stTOCTop    = textStyle{"B", 10.5, colText, 5.6}
)

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

// pageSpot is a place on a dossier page (1-based page, y in mm from the top).
type pageSpot struct {
	page int
	y    float64
}

// frag is an unbreakable piece of a block, ready to place: a line of a
// paragraph, a table row, a heading, a figure. Blocks become fragments; the
// paginator places fragments on pages; draw calls each fragment's draw.
type frag struct {
	h       float64 // height, mm
	gap     float64 // space above, dropped at the top of a page
	keep    bool    // keep on the same page as the next fragment
	newPage bool    // start a new page
	head    *frag   // table header row to repeat when this row starts a page
	kind    fragKind
	units   int    // lines or rows of content it holds, for the rules of the page
	lines   int    // its group of lines (a paragraph, a list item, a key and its value): 1-based id, 0 for none
	cont    bool   // a piece of a table row continuing the piece before it
	anchor  string // heading anchor to record
	mark    string // another place to record
	draw    func(y float64)
	// block is the index of the block the fragment comes from: the
	// fragments of a block are contiguous, so a later version can open a
	// structure element (PDF/UA tag) where the index changes.
	block int
}

// fragKind tells what a fragment is, for the rules of the page and for
// the tests that check them.
type fragKind int

const (
	kindBlock     fragKind = iota // a figure, tiles, a note, the cover: one box
	kindHeading                   // a heading (never last on a page)
	kindLine                      // a line of a paragraph, list item or key-value pair
	kindTableHead                 // a table's header row
	kindRow                       // a table row, or a piece of a row taller than a page
	kindGroup                     // a category row (never without a row of its own after it)
	kindTotal                     // a total row (never alone at the top of a page)
	kindContents                  // a line of the table of contents
)

var kindNames = [...]string{"bloc", "titre", "ligne", "en-tête", "ligne de tableau", "catégorie", "total", "sommaire"}

func (k fragKind) String() string { return kindNames[k] }

type placedFrag struct {
	f        *frag
	y        float64
	repeated bool // a table header repeated at the top of a page
}

// overflow is a string drawn wider than its room: the renderer records
// each, and the tests fail on any.
type overflow struct {
	page        int
	text        string
	width, room float64
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

// registerLogo prepares the logo for the cover and returns its name, or ""
// to draw the cover without it: a logo that cannot be read is left out
// rather than a reason to refuse the dossier.
//
// The image is decoded with Go's decoders, turned upright (EXIF
// orientation), reduced to what the cover needs, and handed to fpdf as an
// 8-bit PNG: fpdf reads neither 16-bit nor interlaced PNGs, ignores EXIF
// orientation and would embed a 300 dpi scan whole.
func (r *renderer) registerLogo(data []byte) string {
	img, ok := decodeLogo(data)
	if !ok {
		return ""
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return ""
	}
	r.pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	if r.pdf.Err() {
		r.pdf.ClearError()
		return ""
	}
	return "logo"
}

// Logo limits: what is read at all, and the largest side kept (50 mm at
// 300 dpi).
const (
	logoMaxPixels = 25_000_000
	logoSide      = 600
)

// decodeLogo reads a PNG or JPEG logo, upright and at most logoSide pixels
// on its longest side.
func decodeLogo(data []byte) (image.Image, bool) {
	if len(data) == 0 {
		return nil, false
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > logoMaxPixels {
		return nil, false
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	orient := 1
	if format == "jpeg" {
		orient = logoOrientation(data)
	}
	return shrinkLogo(src, orient, logoSide), true
}

// shrinkLogo returns src turned by EXIF orientation o (1 to 8) and scaled down
// by averaging so that its longest side is at most side pixels.
func shrinkLogo(src image.Image, o, side int) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if o >= 5 { // orientations 5 to 8 swap width and height
		w, h = h, w
	}
	scale := max(1, (max(w, h)+side-1)/side)
	dw, dh := max(1, w/scale), max(1, h/scale)
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var rs, gs, bs, as, n uint32
			for yy := y * scale; yy < min((y+1)*scale, h); yy++ {
				for xx := x * scale; xx < min((x+1)*scale, w); xx++ {
					sx, sy := orientedPixel(xx, yy, w, h, o)
					c := color.NRGBAModel.Convert(src.At(b.Min.X+sx, b.Min.Y+sy)).(color.NRGBA)
					rs += uint32(c.R)
					gs += uint32(c.G)
					bs += uint32(c.B)
					as += uint32(c.A)
					n++
				}
			}
			if n > 0 {
				dst.SetNRGBA(x, y, color.NRGBA{uint8(rs / n), uint8(gs / n), uint8(bs / n), uint8(as / n)})
			}
		}
	}
	return dst
}

// orientedPixel maps (x, y) of the upright image, of size w×h, to the stored
// image under EXIF orientation o.
func orientedPixel(x, y, w, h, o int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return y, w - 1 - x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return h - 1 - y, x
	}
	return x, y
}

// logoOrientation returns the EXIF orientation of a JPEG (1 when absent
// or unreadable).
func logoOrientation(jpg []byte) int {
	p := 2
	for p+4 <= len(jpg) && jpg[p] == 0xFF {
		marker := jpg[p+1]
		n := int(jpg[p+2])<<8 | int(jpg[p+3])
		if marker == 0xDA || n < 2 || p+2+n > len(jpg) {
			break
		}
		chartSeg := jpg[p+4 : p+2+n]
		if marker == 0xE1 && len(chartSeg) > 14 && string(chartSeg[:6]) == "Exif\x00\x00" {
			return logoTIFFOrientation(chartSeg[6:])
		}
		p += 2 + n
	}
	return 1
}

func logoTIFFOrientation(t []byte) int {
	var u16 func([]byte) int
	var u32 func([]byte) int
	switch string(t[:2]) {
	case "II":
		u16 = func(b []byte) int { return int(b[0]) | int(b[1])<<8 }
		u32 = func(b []byte) int { return u16(b) | u16(b[2:])<<16 }
	case "MM":
		u16 = func(b []byte) int { return int(b[0])<<8 | int(b[1]) }
		u32 = func(b []byte) int { return u16(b)<<16 | u16(b[2:]) }
	default:
		return 1
	}
	ifd := u32(t[4:])
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	n := u16(t[ifd:])
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			break
		}
		if u16(t[e:]) == 0x0112 {
			if o := u16(t[e+8:]); o >= 1 && o <= 8 {
				return o
			}
		}
	}
	return 1
}

// setFont selects style st (font, size and text colour).
func (r *renderer) setFont(st textStyle) {
	if r.curOK && r.cur == st {
		return
	}
	r.pdf.SetFont(family, st.font, st.size)
	r.pdf.SetTextColor(st.color.r, st.color.g, st.color.b)
	r.cur, r.curOK = st, true
}

func (r *renderer) fill(c rgbColor)   { r.pdf.SetFillColor(c.r, c.g, c.b) }
func (r *renderer) stroke(c rgbColor) { r.pdf.SetDrawColor(c.r, c.g, c.b) }

// width is the width of s in style st, in mm.
func (r *renderer) width(s string, st textStyle) float64 {
	r.setFont(st)
	return r.pdf.GetStringWidth(s)
}

// text draws s with its baseline at y, aligned 'L', 'R' or 'C' in [x, x+w].
func (r *renderer) text(s string, st textStyle, x, y, w float64, align byte) {
	if s == "" {
		return
	}
	r.setFont(st)
	sw := r.pdf.GetStringWidth(s)
	if r.keepDrawn {
		r.drawn = append(r.drawn, s)
	}
	if sw > w+0.05 || x < marginL-0.05 || x+w > pageW-marginR+0.05 {
		r.overflows = append(r.overflows, overflow{page: r.pdf.PageNo(), text: s, width: sw, room: w})
	}
	switch align {
	case 'R':
		x += w - sw
	case 'C':
		x += (w - sw) / 2
	}
	r.pdf.Text(x, y, s)
}

// baseline is where text of style st sits in a line starting at y.
func baseline(st textStyle, y float64) float64 {
	return y + st.lead/2 + st.size*0.352778*0.35
}

// safeText makes text safe to draw: line ends normalised, tabs as spaces,
// control characters dropped, and characters outside the Basic Multilingual
// Plane (which fpdf's UTF-8 fonts cannot index) replaced by a question mark.
func safeText(s string) string {
	ok := true
	for _, c := range s {
		if c == '\r' || c == '\t' || (c < 0x20 && c != '\n') || c > 0xFFFF || c == 0x7F || c == utf8.RuneError {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '\r':
			b.WriteByte('\n')
		case c == '\t':
			b.WriteByte(' ')
		case c == '\n':
			b.WriteByte('\n')
		case c < 0x20 || c == 0x7F:
		case c > 0xFFFF || c == utf8.RuneError:
			b.WriteByte('?')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// wrap breaks s into lines no wider than w in style st. Hard line breaks
// are kept; lines break at ordinary spaces only (no-break spaces hold);
// a word wider than w (a URL, an e-mail address) is cut, after a slash,
// hyphen, dot or similar when possible.
func (r *renderer) wrap(s string, st textStyle, w float64) []string {
	r.setFont(st)
	var lines []string
	space := r.pdf.GetStringWidth(" ")
	for hard := range strings.SplitSeq(s, "\n") {
		hard = strings.TrimRight(hard, " ")
		if hard == "" {
			lines = append(lines, "")
			continue
		}
		var line strings.Builder
		lw := 0.0
		for word := range strings.SplitSeq(hard, " ") {
			if word == "" {
				continue
			}
			ww := r.pdf.GetStringWidth(word)
			if line.Len() > 0 && lw+space+ww <= w {
				line.WriteByte(' ')
				line.WriteString(word)
				lw += space + ww
				continue
			}
			if line.Len() > 0 {
				lines = append(lines, line.String())
				line.Reset()
			}
			if ww > w {
				pieces := r.breakWord(word, w)
				lines = append(lines, pieces[:len(pieces)-1]...)
				word = pieces[len(pieces)-1]
				ww = r.pdf.GetStringWidth(word)
			}
			line.WriteString(word)
			lw = ww
		}
		if line.Len() > 0 {
			lines = append(lines, line.String())
		}
	}
	return lines
}

// breakWord cuts a word wider than w into pieces that fit, with the
// current font. It prefers to cut after a URL or word separator when that
// keeps at least half of the piece.
func (r *renderer) breakWord(word string, w float64) []string {
	var pieces []string
	for word != "" {
		acc, cut, sep := 0.0, 0, 0
		for i, c := range word {
			cw := r.pdf.GetStringWidth(string(c))
			if acc+cw > w && i > 0 {
				break
			}
			acc += cw
			cut = i + utf8.RuneLen(c)
			// After a URL or word separator, or at a no-break space: a
			// figure and its unit that do not fit together part there.
			if strings.ContainsRune("/-_.?&=#:@,;\u00a0\u202f", c) || unicode.IsSpace(c) {
				sep = cut
			}
		}
		if cut < len(word) && sep > cut/2 {
			cut = sep
		}
		if cut == 0 { // a single glyph wider than w: give it its own line
			_, n := utf8.DecodeRuneInString(word)
			cut = n
		}
		pieces = append(pieces, word[:cut])
		word = word[cut:]
	}
	return pieces
}

// paginate turns blocks into fragments and places them on pages, under the
// rules of the page:
//
//   - a heading is never the last thing on a page: it keeps at least two
//     lines or rows of what follows;
//   - a table's header row, and a category row, keep at least one row
//     after them; a total row keeps the row before it, so it never starts a
//     page alone; the header row is repeated at the top of each page a
//     table runs onto, and only above a row;
//   - a paragraph, list item or key-value pair leaves no single line at the
//     foot or the head of a page (no orphan, no widow);
//   - a table row is split only when taller than a good part of a page.
//
// The fragments say how they keep together (frag.keep, set by the blocks
// and completed here for headings); the test of generated dossiers checks
// the result against the rules.
func (r *renderer) paginate(blocks []docBlock) {
	r.frags, r.pages = r.frags[:0], r.pages[:0]
	r.lineGroup = 0
	clear(r.anchors)
	clear(r.marks)
	for i, b := range blocks {
		// A block that belongs with the one before it (an initiative's link
		// line) never starts a page alone.
		if p, ok := b.(docPara); ok && p.withPrev && len(r.frags) > 0 {
			r.frags[len(r.frags)-1].keep = true
		}
		for _, f := range b.frags(r) {
			f.block = i
			r.frags = append(r.frags, f)
		}
	}
	// A heading keeps with the first two lines or rows after it (a table's
	// header counts for none); a heading right after it keeps its own.
	for i, h := range r.frags {
		if h.kind != kindHeading {
			continue
		}
		units, prev := 0, h
		for _, g := range r.frags[i+1:] {
			if g.newPage {
				break
			}
			if g.kind == kindHeading {
				h.keep = h.keep || prev == h
				break
			}
			prev.keep = true
			if units += g.units; units >= 2 {
				break
			}
			prev = g
		}
	}
	var page []placedFrag
	y := bodyTop
	flush := func() {
		r.pages = append(r.pages, page)
		page, y = nil, bodyTop
	}
	for i, f := range r.frags {
		if f.newPage && len(page) > 0 {
			flush()
		}
		if f.draw == nil { // a page break: a marker, not a piece of content
			continue
		}
		gap := f.gap
		if len(page) == 0 {
			gap = 0
		}
		// What f keeps with must fit below it; a group taller than a page
		// keeps what fits of it.
		need := gap + f.h
		for j := i; r.frags[j].keep && j+1 < len(r.frags) && !r.frags[j+1].newPage; j++ {
			more := need + r.frags[j+1].gap + r.frags[j+1].h
			if more > bodyH-headH(f) {
				break
			}
			need = more
		}
		if y+need > bodyBot+0.01 && len(page) > 0 {
			flush()
			gap = 0
		}
		if len(page) == 0 && f.head != nil {
			page = append(page, placedFrag{f.head, y, true})
			y += f.head.h
		}
		page = append(page, placedFrag{f, y + gap, false})
		if f.anchor != "" {
			r.anchors[f.anchor] = pageSpot{len(r.pages) + 1, y + gap}
		}
		if f.mark != "" {
			r.marks[f.mark] = pageSpot{len(r.pages) + 1, y + gap}
		}
		y += gap + f.h
	}
	if len(page) > 0 {
		flush()
	}
}

// headH is the height of the header a fragment repeats when it starts a page.
func headH(f *frag) float64 {
	if f.head == nil {
		return 0
	}
	return f.head.h
}

// total is N in "page X / N": the dossier's pages and the annexes'.
func (r *renderer) total() int {
	return len(r.pages) + totalAnnexPages(r.opt.Annexes)
}

// annexPage returns the first page of annex i in the final document, or 0
// when it adds no page.
func (r *renderer) annexPage(i int) int {
	p := len(r.pages) + 1
	for j := range i {
		p += max(r.opt.Annexes[j].Pages, 0)
	}
	if i >= len(r.opt.Annexes) || r.opt.Annexes[i].Pages <= 0 {
		return 0
	}
	return p
}

// link returns the fpdf internal link to a heading anchor.
func (r *renderer) link(anchor string) int {
	id, ok := r.links[anchor]
	if !ok {
		id = r.pdf.AddLink()
		r.links[anchor] = id
	}
	return id
}

// linkTo makes the rectangle (mm, top-left origin) on the current page jump
// to the heading anchor, or to page target of the final document when the
// anchor is empty (an annex: recorded for the merge stage).
func (r *renderer) linkTo(x, y, w, h float64, anchor string, target int) {
	if anchor != "" {
		if _, ok := r.anchors[anchor]; ok {
			r.pdf.Link(x, y, w, h, r.link(anchor))
		}
		return
	}
	if target <= 0 {
		return
	}
	r.spots = append(r.spots, LinkSpot{
		Page: r.pdf.PageNo(),
		X:    x * ptPerMM, Y: (pageH - y - h) * ptPerMM, W: w * ptPerMM, H: h * ptPerMM,
		Target: target,
	})
}

// bookmark adds an outline entry for the current page at y.
func (r *renderer) bookmark(title string, level int, y float64) {
	r.setFont(stBody) // fpdf encodes bookmark titles as UTF-16 only under a UTF-8 font
	r.pdf.Bookmark(title, level, y)
	r.outline = append(r.outline, OutlineEntry{Title: title, Level: level, Page: r.pdf.PageNo()})
}

// draw puts every placed fragment on its page, with the running header
// and the page number.
func (r *renderer) draw() {
	for _, anchor := range slices.Sorted(maps.Keys(r.anchors)) { // link ids in a fixed order
		s := r.anchors[anchor]
		r.pdf.SetLink(r.link(anchor), s.y, s.page)
	}
	total := r.total()
	for i, pg := range r.pages {
		r.pdf.AddPage()
		r.curOK = false
		if i > 0 {
			r.runningHeader()
		}
		r.footer(i+1, total)
		for _, p := range pg {
			p.f.draw(p.y)
		}
	}
	r.bookmarks = len(r.outline)
	r.annexOutline()
}

// annexOutline adds the annexes to the final outline, under one entry.
func (r *renderer) annexOutline() {
	first := true
	for i, a := range r.opt.Annexes {
		p := r.annexPage(i)
		if p == 0 {
			continue
		}
		if first {
			r.outline = append(r.outline, OutlineEntry{Title: "Annexes", Level: 0, Page: p})
			first = false
		}
		r.outline = append(r.outline, OutlineEntry{Title: annexBookmark(i, a), Level: 1, Page: p})
	}
}

// annexBookmark is an annex's entry in the contents and the outline: its
// label, then who wrote it, « (Région Val-d’Ormance, Hélène Marvaux) », so
// that a reader finds a letter by its author.
func annexBookmark(i int, a Annex) string {
	var who []string
	for _, s := range []string{a.Organisation, a.Signataire} {
		if s = strings.TrimSpace(safeText(s)); s != "" {
			who = append(who, french.Typo(s))
		}
	}
	if len(who) == 0 {
		return annexLabel(i, a)
	}
	return annexLabel(i, a) + " (" + strings.Join(who, ", ") + ")"
}

// annexLabel is how an annex is named in the contents and the outline.
func annexLabel(i int, a Annex) string {
	t := strings.TrimSpace(safeText(a.Title))
	if t == "" {
		t = strings.TrimSpace(safeText(a.File))
	}
	if t == "" {
		t = "Document"
	}
	return "Annexe" + french.NBSP + strconv.Itoa(i+1) + " — " + french.Typo(t)
}

func (r *renderer) runningHeader() {
	if r.header == nil {
		r.header = []string{
			r.fitLine(nonEmpty(orEmpty(r.c.Collectivite.Nom)), stSmall, contentW*0.6),
			r.fitLine(french.Typo(safeText(r.call.Title)), stSmall, contentW*0.38),
		}
	}
	r.text(r.header[0], stSmall, marginL, 15, contentW, 'L')
	r.text(r.header[1], stSmall, marginL, 15, contentW, 'R')
	r.stroke(colRule)
	r.pdf.SetLineWidth(0.2)
	r.pdf.Line(marginL, 17, pageW-marginR, 17)
}

// footer draws the page number and, at the foot of the synthesis, the
// fingerprint of the inputs: there it takes no room from the synthesis,
// which must hold on one page.
func (r *renderer) footer(n, total int) {
	s := "page " + strconv.Itoa(n) + " / " + strconv.Itoa(total)
	r.text(s, stSmall, marginL, pageH-12, contentW, 'R')
	if n == r.anchors["synthese"].page {
		fp := safeText(r.opt.Fingerprint)
		if fp == "" {
			fp = emptyText
		}
		st := stSmall
		st.size = 7
		w := contentW - r.width(s, stSmall) - 6
		r.text(r.fitLine(french.Typo("Empreinte SHA-256 des pièces :")+" "+fp, st, w), st, marginL, pageH-12, w, 'L')
	}
}

// fitLine shortens s with an ellipsis so that it fits in w: the rule is
// visible (« … ») and the cut falls between words, never inside one,
// unless the first word alone is too wide. Widths add up glyph by glyph
// (fpdf does not kern), so one pass finds the cut.
func (r *renderer) fitLine(s string, st textStyle, w float64) string {
	if r.width(s, st) <= w {
		return s
	}
	room := w - r.pdf.GetStringWidth("…")
	acc, cut, word := 0.0, 0, 0
	for i, c := range s {
		acc += r.pdf.GetStringWidth(string(c))
		if acc > room {
			if c == ' ' {
				word = i
			}
			break
		}
		if c == ' ' {
			word = i
		}
		cut = i + utf8.RuneLen(c)
	}
	if word > 0 {
		cut = word
	}
	return strings.TrimRight(s[:cut], " ,;:·–—(") + "…"
}

// capLines keeps at most n lines, the last one ending with an ellipsis
// when some were dropped: for the few places that cannot run onto the next
// page (headings, the cover, a figure's labels).
func (r *renderer) capLines(lines []string, n int, st textStyle, w float64) []string {
	if len(lines) <= n {
		return lines
	}
	out := slices.Clone(lines[:n])
	out[n-1] = r.fitLine(out[n-1]+" "+lines[n], st, w)
	return out
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

// Fragments of each block. A block measures itself with the renderer's
// fonts and returns fragments whose draw functions run once pages are known.

func (docPageBreak) frags(*renderer) []*frag { return []*frag{{newPage: true}} }

func (h docHeading) frags(r *renderer) []*frag {
	st, gap := stH3, 4.5
	switch h.level {
	case 1:
		st, gap = stH1, 0
	case 2:
		st, gap = stH2, 7
	}
	title := h.title()
	lines := r.capLines(r.wrap(title, st, contentW), 4, st, contentW)
	var help []string
	if h.help != "" {
		help = r.capLines(r.wrap(h.help, stHelp, contentW), 8, stHelp, contentW)
	}
	total := float64(len(lines)) * st.lead
	if h.level == 1 {
		total += 3.5
	}
	if len(help) > 0 {
		total += float64(len(help))*stHelp.lead + 2
	}
	total += 1.5
	f := &frag{h: total, gap: gap, keep: true, kind: kindHeading, anchor: h.anchor, mark: h.mark}
	f.draw = func(y float64) {
		if h.anchor != "" {
			r.bookmark(title, h.level-1, y)
		}
		for _, l := range lines {
			r.text(l, st, marginL, baseline(st, y), contentW, 'L')
			y += st.lead
		}
		if h.level == 1 {
			r.fill(colAccent)
			r.pdf.Rect(marginL, y+1, 24, 0.9, "F")
			y += 3.5
		}
		if len(help) > 0 {
			y += 1
			for _, l := range help {
				r.text(l, stHelp, marginL, baseline(stHelp, y), contentW, 'L')
				y += stHelp.lead
			}
		}
	}
	return []*frag{f}
}

// lineFrags makes one fragment per line, each drawn by drawLine, keeping
// the first two and the last two lines of a block together (no orphan, no
// widow).
func (r *renderer) lineFrags(n int, lead, gap float64, drawLine func(i int, y float64)) []*frag {
	out := make([]*frag, n)
	r.lineGroup++
	for i := range n {
		out[i] = &frag{h: lead, kind: kindLine, units: 1, lines: r.lineGroup, draw: func(y float64) { drawLine(i, y) }}
	}
	if n > 0 {
		out[0].gap = gap
	}
	if n >= 2 {
		out[0].keep = true
		out[n-2].keep = true
	}
	return out
}

func (p docPara) frags(r *renderer) []*frag {
	text, st := p.text, p.st
	if strings.TrimSpace(text) == "" {
		text = emptyText
		if st == stBody {
			st = stEmpty
		}
	}
	lines := r.wrap(text, st, contentW)
	return r.lineFrags(len(lines), st.lead, p.gap, func(i int, y float64) {
		r.text(lines[i], st, marginL, baseline(st, y), contentW, 'L')
	})
}

func (l docList) frags(r *renderer) []*frag {
	const indent = 5.0
	var out []*frag
	for _, it := range l.items {
		lines := r.wrap(it, stBody, contentW-indent)
		fs := r.lineFrags(len(lines), stBody.lead, 1.2, func(i int, y float64) {
			if i == 0 {
				r.text("•", stBody, marginL+1, baseline(stBody, y), indent, 'L')
			}
			r.text(lines[i], stBody, marginL+indent, baseline(stBody, y), contentW-indent, 'L')
		})
		out = append(out, fs...)
	}
	return out
}

func (b docKeyValues) frags(r *renderer) []*frag {
	const keyW, sep = 38.0, 4.0
	valW := contentW - keyW - sep
	var out []*frag
	for _, p := range b.pairs {
		if p.optional && strings.TrimSpace(p.value) == "" {
			continue // an optional field left empty adds no line
		}
		keys := r.wrap(p.key, stKey, keyW)
		st := stBody
		val := p.value
		if strings.TrimSpace(val) == "" {
			val, st = emptyText, stEmpty
		}
		vals := r.wrap(val, st, valW)
		n := max(len(keys), len(vals))
		fs := r.lineFrags(n, st.lead, 1.8, func(i int, y float64) {
			if i == 0 {
				r.stroke(colRule)
				r.pdf.SetLineWidth(0.15)
				r.pdf.Line(marginL, y-0.9, pageW-marginR, y-0.9)
			}
			if i < len(keys) {
				r.text(keys[i], stKey, marginL, baseline(st, y), keyW, 'L')
			}
			if i < len(vals) {
				r.text(vals[i], st, marginL+keyW+sep, baseline(st, y), valW, 'L')
			}
		})
		out = append(out, fs...)
	}
	if len(out) > 0 {
		out[0].gap = 3
		last := out[len(out)-1]
		last.h += 1.2
	}
	return out
}

// Table geometry: cell padding, horizontal and vertical.
const (
	padX      = 1.8
	padY      = 1.4
	rowIndent = 3.5
)

func (t docTable) frags(r *renderer) []*frag {
	total := 0.0
	for _, c := range t.cols {
		total += c.share
	}
	xs := make([]float64, len(t.cols)+1)
	ws := make([]float64, len(t.cols))
	xs[0] = marginL
	for i, c := range t.cols {
		ws[i] = contentW * c.share / total
		xs[i+1] = xs[i] + ws[i]
	}
	// Header row.
	heads := make([][]string, len(t.cols))
	hn := 1
	for i, c := range t.cols {
		heads[i] = r.wrap(c.title, stHead, ws[i]-2*padX)
		hn = max(hn, len(heads[i]))
	}
	head := &frag{h: float64(hn)*stHead.lead + 2*padY, keep: true, kind: kindTableHead}
	head.draw = func(y float64) {
		r.fill(colAccent)
		r.pdf.Rect(marginL, y, contentW, head.h, "F")
		for i, c := range t.cols {
			align := byte('L')
			if c.right {
				align = 'R'
			}
			for j, l := range heads[i] {
				r.text(l, stHead, xs[i]+padX, baseline(stHead, y+padY+float64(j)*stHead.lead), ws[i]-2*padX, align)
			}
		}
	}
	head.gap = 3
	out := []*frag{head}
	// cellW is the room for the text of cell i of row: its column, or up to
	// the last column for a spanning first cell, less an indent.
	cellW := func(i int, row docRow) float64 {
		w := ws[i] - 2*padX
		if i == 0 && row.span {
			w = xs[len(t.cols)-1] - xs[0] - 2*padX
		}
		if i == 0 && row.indent {
			w -= rowIndent
		}
		return w
	}
	rows := t.rows
	if len(rows) == 0 {
		rows = []docRow{{cells: []string{""}}}
	}
	// A row taller than a good part of a page is cut into pieces: the only
	// case where a row is split. A piece leaves room above it for the
	// headings and the header row that keep with it.
	maxH := bodyH * 0.4
	zebra := false
	for _, row := range rows {
		st := stCell
		if row.kind != rowBody {
			st = stCellBold
		}
		if row.kind == rowBody {
			zebra = !zebra
		}
		bg := colWhite
		switch {
		case row.kind == rowGroup:
			bg = colAccentBg
		case row.kind == rowBody && !zebra:
			bg = colZebra
		}
		cells := make([][]string, len(t.cols))
		styles := make([]textStyle, len(t.cols))
		n := 1
		for i := range t.cols {
			s := ""
			if i < len(row.cells) {
				s = row.cells[i]
			}
			cs := st
			if row.kind == rowBody && strings.TrimSpace(s) == "" {
				s, cs = emptyText, stCellEmpty
			}
			if len(t.rows) == 0 && i > 0 {
				s = "" // « Non renseigné » once, for an empty table
			}
			if row.annex > 0 && i == len(t.cols)-1 {
				s = "p. 0000 à 0000" // measured at its widest; filled in when drawn
			}
			w := cellW(i, row)
			if i == t.statusCol {
				w -= 4.5
			}
			if len(t.rows) == 0 {
				w = contentW - 2*padX // « Non renseigné » across the table
			}
			cells[i] = r.wrap(s, cs, w)
			styles[i] = cs
			n = max(n, len(cells[i]))
		}
		per := max(1, int(maxH/st.lead)-1)
		kind := kindRow
		switch row.kind {
		case rowGroup:
			kind = kindGroup
		case rowTotal:
			kind = kindTotal
			out[len(out)-1].keep = true // a total never starts a page alone
		}
		for from := 0; from < n; from += per {
			to := min(n, from+per)
			f := &frag{h: float64(to-from)*st.lead + 2*padY, head: head, kind: kind, units: 1, cont: from > 0,
				keep: kind == kindGroup && to == n} // a category keeps a row of its own
			if n > per {
				f.units = to - from
			}
			f.draw = func(y float64) {
				if bg != colWhite {
					r.fill(bg)
					r.pdf.Rect(marginL, y, contentW, f.h, "F")
				}
				if row.kind == rowTotal {
					r.stroke(colAccent)
					r.pdf.SetLineWidth(0.4)
					r.pdf.Line(marginL, y, pageW-marginR, y)
				}
				for i, c := range t.cols {
					align := byte('L')
					if c.right {
						align = 'R'
					}
					x, w := xs[i]+padX, cellW(i, row)
					if i == 0 && row.indent {
						x += rowIndent
					}
					if len(t.rows) == 0 {
						x, w, align = marginL+padX, contentW-2*padX, 'L'
					}
					cs := styles[i]
					if i == t.statusCol && row.status != 0 {
						cs = statusStyle(cs, row.status)
						if from == 0 {
							r.statusMark(row.status, x+1.6, y+padY+st.lead/2)
						}
						x += 4.5
						w -= 4.5
					}
					lines := cells[i]
					if row.annex > 0 && i == len(t.cols)-1 {
						lines = []string{r.annexPages(row.annex - 1)}
					}
					for j := from; j < to && j < len(lines); j++ {
						r.text(lines[j], cs, x, baseline(st, y+padY+float64(j-from)*st.lead), w, align)
					}
				}
				r.stroke(colRule)
				r.pdf.SetLineWidth(0.15)
				r.pdf.Line(marginL, y+f.h, pageW-marginR, y+f.h)
				if row.annex > 0 {
					r.linkTo(marginL, y, contentW, f.h, "", r.annexPage(row.annex-1))
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// annexPages is the page range of annex i in the final document.
func (r *renderer) annexPages(i int) string {
	p := r.annexPage(i)
	if p == 0 {
		return "—"
	}
	n := r.opt.Annexes[i].Pages
	if n == 1 {
		return "p. " + strconv.Itoa(p)
	}
	return "p. " + strconv.Itoa(p) + " à " + strconv.Itoa(p+n-1)
}

// statusStyle colours a status label.
func statusStyle(st textStyle, s model.Status) textStyle {
	st.font = "B"
	switch s {
	case model.Met:
		st.color = colMet
	case model.NotMet:
		st.color = colNotMet
	case model.ToConfirm:
		st.color = colToConfirm
	case model.ToJudge:
		st.color = colAccent
	}
	return st
}

// statusMark draws the mark of a status centred on (x, y): a tick in a
// disc for met, a cross for not met, an exclamation mark in a ring for to
// confirm, a dot in a ring for to judge. Shapes differ as well as colours, for readers who do not see
// them, and for black-and-white printing.
func (r *renderer) statusMark(s model.Status, x, y float64) {
	const rad = 1.6
	p := r.pdf
	p.SetLineWidth(0.45)
	p.SetLineCapStyle("round")
	defer p.SetLineCapStyle("butt")
	switch s {
	case model.Met:
		r.fill(colMet)
		p.Circle(x, y, rad, "F")
		r.stroke(colWhite)
		p.Line(x-0.8, y, x-0.2, y+0.7)
		p.Line(x-0.2, y+0.7, x+0.9, y-0.7)
	case model.NotMet:
		r.stroke(colNotMet)
		p.SetLineWidth(0.6)
		p.Line(x-1.1, y-1.1, x+1.1, y+1.1)
		p.Line(x-1.1, y+1.1, x+1.1, y-1.1)
	case model.ToConfirm:
		r.stroke(colToConfirm)
		p.Circle(x, y, rad, "D")
		p.Line(x, y-0.8, x, y+0.25)
		r.fill(colToConfirm)
		p.Circle(x, y+0.8, 0.22, "F")
	case model.ToJudge:
		// A ring with a dot: answered, for the committee to weigh.
		r.stroke(colAccent)
		p.Circle(x, y, rad, "D")
		r.fill(colAccent)
		p.Circle(x, y, 0.5, "F")
	}
}

func (b docFigure) frags(r *renderer) []*frag {
	titleH := stH3.lead + 1
	h := b.chart.height(r, contentW)
	f := &frag{h: titleH + h + 2, gap: 5, units: 2}
	f.draw = func(y float64) {
		r.text(b.title, stKey, marginL, baseline(stKey, y), contentW, 'L')
		b.chart.draw(r, marginL, y+titleH, contentW)
	}
	return []*frag{f}
}

func (b docTiles) frags(r *renderer) []*frag {
	const per, sep, h, lines = 3, 4.0, 22.0, 3
	w := (contentW - sep*(per-1)) / per
	var out []*frag
	for i := 0; i < len(b.items); i += per {
		row := b.items[i:min(i+per, len(b.items))]
		f := &frag{h: h, gap: 4, keep: i+per < len(b.items), units: 2}
		if i > 0 {
			f.gap = sep / 2
		}
		f.draw = func(y float64) {
			for j, it := range row {
				x := marginL + float64(j)*(w+sep)
				r.fill(colAccentBg)
				r.pdf.RoundedRect(x, y, w, h, 1.5, "1234", "F")
				r.tileValue(it.value, x+3, y+3, w-6)
				labels := r.wrap(it.key, stSmall, w-6)
				labels = r.capLines(labels, lines, stSmall, w-6)
				for k, l := range labels {
					// Under the value, from the top: up to three lines fit.
					r.text(l, stSmall, x+3, baseline(stSmall, y+h-2.4-float64(lines-k)*stSmall.lead), w-6, 'L')
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// tileValue draws a key figure as large as fits in w.
func (r *renderer) tileValue(v string, x, y, w float64) {
	st := textStyle{"B", 16, colAccent, 8}
	if strings.TrimSpace(v) == "" {
		v, st = emptyText, textStyle{"I", 11, colMuted, 8}
	}
	for st.size > 8 && r.width(v, st) > w {
		st.size -= 0.5
	}
	r.text(r.fitLine(v, st, w), st, x, y+st.size*0.352778, w, 'L')
}

var colNoteBg = rgbColor{253, 246, 232}

func (b docNote) frags(r *renderer) []*frag {
	const indent, pad = 4.0, 3.0
	w := contentW - 2*pad - indent - 2
	var lines [][]string
	n := 0
	for _, it := range b.items {
		l := r.capLines(r.wrap(it, stCell, w), 4, stCell, w)
		lines = append(lines, l)
		n += len(l)
	}
	h := 2*pad + stH3.lead + float64(n)*stCell.lead + float64(len(b.items)-1)*0.8
	f := &frag{h: h, gap: 5, units: 2}
	f.draw = func(y float64) {
		r.fill(colNoteBg)
		r.pdf.Rect(marginL, y, contentW, h, "F")
		r.fill(colToConfirm)
		r.pdf.Rect(marginL, y, 1.2, h, "F")
		x := marginL + pad + 2
		yy := y + pad
		r.text(b.title, stH3, x, baseline(stH3, yy), w, 'L')
		yy += stH3.lead
		for _, item := range lines {
			for k, l := range item {
				if k == 0 {
					r.text("•", stCell, x, baseline(stCell, yy), indent, 'L')
				}
				r.text(l, stCell, x+indent, baseline(stCell, yy), w, 'L')
				yy += stCell.lead
			}
			yy += 0.8
		}
	}
	return []*frag{f}
}

func (b *docContents) frags(r *renderer) []*frag {
	const numW = 14.0
	var out []*frag
	for _, e := range b.entries {
		st, indent, gap := stTOCTop, 0.0, 3.2
		if e.level > 1 {
			st, indent, gap = stTOC, 8, 0.6
		}
		tw := contentW - indent - numW
		lines := r.capLines(r.wrap(e.title, st, tw), 3, st, tw)
		f := &frag{h: float64(len(lines)) * st.lead, gap: gap, kind: kindContents, units: 1}
		f.draw = func(y float64) {
			x := marginL + indent
			for i, l := range lines {
				r.text(l, st, x, baseline(st, y+float64(i)*st.lead), tw, 'L')
			}
			page, target := 0, 0
			if e.anchor != "" {
				page = r.anchors[e.anchor].page
			} else {
				target = r.annexPage(e.annex)
				page = target
			}
			ly := y + float64(len(lines)-1)*st.lead
			num := strconv.Itoa(page)
			r.text(num, st, marginL+contentW-numW, baseline(st, ly), numW, 'R')
			// Dotted leader from the end of the title to the number.
			x0 := x + r.width(lines[len(lines)-1], st) + 2
			x1 := marginL + contentW - r.width(num, st) - 2
			if x1 > x0 {
				r.stroke(colRule)
				r.pdf.SetLineWidth(0.3)
				r.pdf.SetDashPattern([]float64{0.3, 1.2}, 0)
				r.pdf.Line(x0, baseline(st, ly), x1, baseline(st, ly))
				r.pdf.SetDashPattern(nil, 0)
			}
			r.linkTo(x, y, contentW-indent, f.h, e.anchor, target)
		}
		out = append(out, f)
	}
	return out
}

func (c docCover) frags(r *renderer) []*frag {
	f := &frag{h: bodyH, newPage: true, units: 2}
	f.draw = func(float64) {
		p := r.pdf
		white := textStyle{"", 11, colWhite, 5.5}
		band := 92.0
		r.fill(colAccent)
		p.Rect(0, 0, pageW, band, "F")
		y := 30.0
		for _, l := range r.capLines(r.wrap(c.organiser, white, contentW), 3, white, contentW) {
			r.text(l, white, marginL, y, contentW, 'L')
			y += white.lead
		}
		y += 10
		big := textStyle{"B", 28, colWhite, 12}
		for _, l := range r.capLines(r.wrap(c.title, big, contentW), 2, big, contentW) {
			r.text(l, big, marginL, y+6, contentW, 'L')
			y += big.lead
		}
		sub := textStyle{"", 14, colWhite, 6.5}
		for _, l := range r.capLines(r.wrap(c.subtitle, sub, contentW), 2, sub, contentW) {
			r.text(l, sub, marginL, y+4, contentW, 'L')
			y += sub.lead
		}
		y = band + 22
		if c.logo {
			info := p.GetImageInfo("logo")
			if info != nil && info.Width() > 0 && info.Height() > 0 {
				w, h := 50.0, 50.0*info.Height()/info.Width()
				if h > 32 {
					w, h = 32*info.Width()/info.Height(), 32
				}
				p.ImageOptions("logo", marginL, y, w, h, false, fpdf.ImageOptions{}, 0, "")
				y += h + 10
			}
		}
		r.text("Candidature présentée par", stKey, marginL, y, contentW, 'L')
		y += 11
		name := textStyle{"B", 24, colText, 10.5}
		nom := c.nom
		if nom == "" {
			nom = emptyText
		}
		for _, l := range r.capLines(r.wrap(nom, name, contentW), 4, name, contentW) {
			r.text(l, name, marginL, y, contentW, 'L')
			y += name.lead
		}
		if c.kind != "" {
			kind := textStyle{"", 12, colMuted, 6}
			r.text(r.fitLine(c.kind, kind, contentW), kind, marginL, y+1, contentW, 'L')
		}
		// Bottom block: date, contact, deadline.
		y = pageH - 70
		r.fill(colAccent)
		p.Rect(marginL, y-6, 24, 0.9, "F")
		r.text(c.date, stH3, marginL, y, contentW, 'L')
		y += 7
		for _, l := range c.contact {
			for _, w := range r.capLines(r.wrap(l, stBody, contentW), 2, stBody, contentW) {
				r.text(w, stBody, marginL, y, contentW, 'L')
				y += stBody.lead
			}
		}
		if c.deadline != "" {
			y += 3
			for _, w := range r.capLines(r.wrap(c.deadline, stHelp, contentW), 2, stHelp, contentW) {
				r.text(w, stHelp, marginL, y, contentW, 'L')
				y += stHelp.lead
			}
		}
	}
	return []*frag{f}
}
