package render

// Tagging (PDF/UA): what is drawn is either marked content belonging to a
// structure element, or an artifact (running header and footer, rules,
// backgrounds, repeated table headers). The blocks create their elements
// when they become fragments, in reading order; drawing writes the
// marked-content operators around what it paints. letters writes the
// tree, with the letters' pages, into the final file.

import (
	"strconv"

	"necdossier/assemble/tagged"
)

// tagState is the renderer's tagging state.
type tagState struct {
	doc       *tagged.Elem // the Document element
	el        *tagged.Elem // element the next text belongs to
	mcid      int          // next MCID on the current page
	open      int          // marked-content sequences open
	headLevel int          // level of the last heading, for levels with none skipped
	fpElem    *tagged.Elem // the fingerprint, printed in the synthesis's footer
	annots    []pendingAnnot
	pageLinks map[int]int // fpdf link annotations per page, so far
}

// pendingAnnot is a link annotation whose index in its page's /Annots is
// known once the page is drawn: fpdf's links first, then the merge stage's.
type pendingAnnot struct {
	el        *tagged.Elem
	kid, page int
	fpdf      int // its rank among fpdf's links on the page, or -1
	spot      int // its rank among the spots on the page
}

// resetTags starts a new tree (a new pagination).
func (r *renderer) resetTags() {
	r.tags = tagState{doc: &tagged.Elem{Role: "Document"}, pageLinks: map[int]int{}}
}

// heading adds a heading element whose level follows the one before with
// none skipped (a level-3 heading right under a level 1 becomes H2).
func (r *renderer) heading(level int) *tagged.Elem {
	level = max(1, min(level, r.tags.headLevel+1, 6))
	r.tags.headLevel = level
	return r.tags.doc.Add("H" + strconv.Itoa(level))
}

// mark draws as marked content of e (one MCID).
func (r *renderer) mark(e *tagged.Elem, draw func()) {
	if e == nil || r.tags.open > 0 {
		draw()
		return
	}
	id := r.tags.mcid
	r.tags.mcid++
	r.tags.open++
	r.pdf.RawWriteStr("/" + e.Role + " <</MCID " + strconv.Itoa(id) + ">> BDC")
	draw()
	r.pdf.RawWriteStr("EMC")
	r.tags.open--
	e.Kids = append(e.Kids, tagged.Kid{Page: r.pdf.PageNo(), MCID: id})
}

// artifact draws what is not content: decoration, or with pagination,
// the running header and footer.
func (r *renderer) artifact(pagination bool, draw func()) {
	if r.tags.open > 0 {
		draw()
		return
	}
	r.tags.open++
	if pagination {
		r.pdf.RawWriteStr("/Artifact <</Type /Pagination>> BDC")
	} else {
		r.pdf.RawWriteStr("/Artifact BMC")
	}
	draw()
	r.pdf.RawWriteStr("EMC")
	r.tags.open--
}

// deco draws decoration (rules, backgrounds, marks) as an artifact.
func (r *renderer) deco(draw func()) { r.artifact(false, draw) }

// annotKid records that element e holds the link annotation about to be
// made on the current page (by fpdf, or by the merge stage for a spot).
func (r *renderer) annotKid(e *tagged.Elem, contents string, byFpdf bool) {
	if e == nil {
		return
	}
	page := r.pdf.PageNo()
	p := pendingAnnot{el: e, kid: len(e.Kids), page: page, fpdf: -1}
	if byFpdf {
		p.fpdf = r.tags.pageLinks[page]
		r.tags.pageLinks[page]++
	} else {
		for _, q := range r.tags.annots {
			if q.page == page && q.fpdf < 0 {
				p.spot++
			}
		}
	}
	e.Kids = append(e.Kids, tagged.Kid{Page: page, Contents: contents})
	r.tags.annots = append(r.tags.annots, p)
}

// resolveAnnots numbers the annotations in their pages' /Annots: fpdf
// writes its links in order, and the merge stage appends the spots after.
func (r *renderer) resolveAnnots() {
	for _, p := range r.tags.annots {
		n := p.fpdf
		if n < 0 {
			n = r.tags.pageLinks[p.page] + p.spot
		}
		p.el.Kids[p.kid].Annot = n + 1
	}
}
