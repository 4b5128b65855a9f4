package render

// Navigation: internal links to headings, links to annex pages recorded
// for the merge stage, the outline, and how annexes are named in them.

import (
	"necdossier/assemble/french"
	"necdossier/assemble/tagged"
	"strconv"
	"strings"
)

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
//
// The annotation belongs to element e (a Link), described by contents.
func (r *renderer) linkTo(x, y, w, h float64, anchor string, target int, e *tagged.Elem, contents string) {
	if anchor != "" {
		if _, ok := r.anchors[anchor]; ok {
			r.annotKid(e, contents, true)
			r.pdf.Link(x, y, w, h, r.link(anchor))
		}
		return
	}
	if target <= 0 {
		return
	}
	r.annotKid(e, contents, false)
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
func annexBookmark(i int, a Annexe) string {
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
func annexLabel(i int, a Annexe) string {
	t := strings.TrimSpace(safeText(a.Title))
	if t == "" {
		t = strings.TrimSpace(safeText(a.File))
	}
	if t == "" {
		t = "Document"
	}
	return "Annexe" + french.NBSP + strconv.Itoa(i+1) + " — " + french.Typo(t)
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
