package render

// Pagination: fragments placed on pages under the rules of the page, then
// drawn with the running header and the page number.

import (
	"maps"
	"necdossier/assemble/french"
	"slices"
	"strconv"
)

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
	r.resetTags()
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
		r.tags.mcid = 0
		if i > 0 {
			r.artifact(true, r.runningHeader)
		}
		for _, p := range pg {
			if p.repeated { // a table header repeated: pagination, not content
				r.artifact(true, func() { p.f.draw(p.y) })
				continue
			}
			p.f.draw(p.y)
		}
		r.tags.el = nil
		r.footer(i+1, total)
	}
	r.resolveAnnots()
	r.bookmarks = len(r.outline)
	r.annexOutline()
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

// footerGlyphs draws the glyphs of the letters' page numbers, which the
// merge stage draws in this font and style with only the glyphs the
// document has: once, invisible and off the page.
func (r *renderer) footerGlyphs() {
	r.setFont(stSmall)
	r.pdf.SetTextRenderingMode(3)
	r.pdf.Text(-40, -40, "page 0123456789/")
	r.pdf.SetTextRenderingMode(0)
}

// footer draws the page number and, at the foot of the synthesis, the
// fingerprint of the inputs: there it takes no room from the synthesis,
// which must hold on one page.
func (r *renderer) footer(n, total int) {
	s := "page " + strconv.Itoa(n) + " / " + strconv.Itoa(total)
	r.artifact(true, func() {
		r.text(s, stSmall, marginL, pageH-12, contentW, 'R')
		if n == len(r.pages) && total > n {
			r.footerGlyphs()
		}
	})
	if n == r.anchors["synthese"].page {
		r.tags.el = r.tags.fpElem
		fp := safeText(r.opt.Fingerprint)
		if fp == "" {
			fp = emptyText
		}
		st := stSmall
		st.size = 7
		w := contentW - r.width(s, stSmall) - 6
		r.text(r.fitLine(french.Typo("Empreinte SHA-256 des pièces :")+" "+fp, st, w), st, marginL, pageH-12, w, 'L')
		r.tags.el = nil
	}
}
