package render

// Fragments of each block. A block measures itself with the renderer's
// fonts and returns fragments whose draw functions run once pages are known.

import (
	"necdossier/assemble/model"
	"necdossier/assemble/tagged"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

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
	lines := r.capLines(r.wrapSpaced(title, st, contentW), 4, st, contentW)
	var help []string
	he := r.heading(h.level)
	var helpEl = he
	if h.help != "" {
		help = r.capLines(r.wrapSpaced(h.help, stHelp, contentW), 8, stHelp, contentW)
		helpEl = r.tags.doc.Add("P")
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
		r.tags.el = he
		for _, l := range lines {
			r.text(l, st, marginL, baseline(st, y), contentW, 'L')
			y += st.lead
		}
		if h.level == 1 {
			r.deco(func() {
				r.fill(colAccent)
				r.pdf.Rect(marginL, y+1, 24, 0.9, "F")
			})
			y += 3.5
		}
		if len(help) > 0 {
			r.tags.el = helpEl
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
	lines := r.wrapSpaced(text, st, contentW)
	e := r.tags.doc.Add("P")
	return r.lineFrags(len(lines), st.lead, p.gap, func(i int, y float64) {
		r.tags.el = e
		r.text(lines[i], st, marginL, baseline(st, y), contentW, 'L')
	})
}

func (l docList) frags(r *renderer) []*frag {
	const indent = 5.0
	var out []*frag
	le := r.tags.doc.Add("L")
	for _, it := range l.items {
		lines := r.wrapSpaced(it, stBody, contentW-indent)
		li := le.Add("LI")
		lbl, body := li.Add("Lbl"), li.Add("LBody")
		fs := r.lineFrags(len(lines), stBody.lead, 1.2, func(i int, y float64) {
			if i == 0 {
				r.tags.el = lbl
				r.text("•", stBody, marginL+1, baseline(stBody, y), indent, 'L')
			}
			r.tags.el = body
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
	var te *tagged.Elem
	for _, p := range b.pairs {
		if p.optional && strings.TrimSpace(p.value) == "" {
			continue // an optional field left empty adds no line
		}
		if te == nil {
			te = r.tags.doc.Add("Table") // each pair a row: the key heads it
		}
		tr := te.Add("TR")
		th, td := tr.Add("TH"), tr.Add("TD")
		th.Scope = "Row"
		keys := r.wrapSpaced(p.key, stKey, keyW)
		st := stBody
		val := p.value
		if strings.TrimSpace(val) == "" {
			val, st = emptyText, stEmpty
		}
		vals := r.wrapSpaced(val, st, valW)
		n := max(len(keys), len(vals))
		fs := r.lineFrags(n, st.lead, 1.8, func(i int, y float64) {
			if i == 0 {
				r.deco(func() {
					r.stroke(colRule)
					r.pdf.SetLineWidth(0.15)
					r.pdf.Line(marginL, y-0.9, pageW-marginR, y-0.9)
				})
			}
			if i < len(keys) {
				r.tags.el = th
				r.text(keys[i], stKey, marginL, baseline(st, y), keyW, 'L')
			}
			if i < len(vals) {
				r.tags.el = td
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
	g := t.geometry()
	te := r.tags.doc.Add("Table")
	head := t.headFrag(r, g, te.Add("THead").Add("TR"))
	head.gap = 3
	out := []*frag{head}
	rows := t.rows
	if len(rows) == 0 {
		rows = []docRow{{cells: []string{""}}}
	}
	body := te.Add("TBody")
	zebra := false
	for _, row := range rows {
		if row.kind == rowBody {
			zebra = !zebra
		}
		if row.kind == rowTotal {
			out[len(out)-1].keep = true // a total never starts a page alone
		}
		out = append(out, t.rowFrags(r, g, head, row, zebra, body.Add("TR"))...)
	}
	return out
}

// tableGeometry is where a table's columns fall: column i starts at xs[i]
// and is ws[i] wide; xs has one more entry, the table's right edge.
type tableGeometry struct {
	xs, ws []float64
}

// geometry shares the text block's width between the columns.
func (t docTable) geometry() tableGeometry {
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
	return tableGeometry{xs: xs, ws: ws}
}

// cellW is the room for the text of cell i of row: its column, or up to
// the last column for a spanning first cell, less an indent.
func (g tableGeometry) cellW(i int, row docRow) float64 {
	w := g.ws[i] - 2*padX
	if i == 0 && row.span {
		w = g.xs[len(g.ws)-1] - g.xs[0] - 2*padX
	}
	if i == 0 && row.indent {
		w -= rowIndent
	}
	return w
}

// headFrag is the table's header row, which every row repeats when it
// starts a page.
func (t docTable) headFrag(r *renderer, g tableGeometry, tr *tagged.Elem) *frag {
	heads := make([][]string, len(t.cols))
	ths := make([]*tagged.Elem, len(t.cols))
	hn := 1
	for i, c := range t.cols {
		heads[i] = r.wrapSpaced(c.title, stHead, g.ws[i]-2*padX)
		hn = max(hn, len(heads[i]))
		ths[i] = tr.Add("TH")
		ths[i].Scope = "Column"
	}
	head := &frag{h: float64(hn)*stHead.lead + 2*padY, keep: true, kind: kindTableHead}
	head.draw = func(y float64) {
		r.deco(func() {
			r.fill(colAccent)
			r.pdf.Rect(marginL, y, contentW, head.h, "F")
		})
		for i, c := range t.cols {
			r.tags.el = ths[i]
			align := byte('L')
			if c.right {
				align = 'R'
			}
			for j, l := range heads[i] {
				r.text(l, stHead, g.xs[i]+padX, baseline(stHead, y+padY+float64(j)*stHead.lead), g.ws[i]-2*padX, align)
			}
		}
	}
	return head
}

// tableRow is a row measured: its style and background, and the lines
// and style of each cell.
type tableRow struct {
	docRow
	st     textStyle // the row's style, which sets its line height
	bg     rgbColor
	cells  [][]string
	styles []textStyle
	n      int            // lines of its tallest cell
	tds    []*tagged.Elem // its cells' elements
	link   *tagged.Elem   // the link to its annex, in its last cell
}

// rowFrags measures a row and makes its fragment; a row taller than a good
// part of a page is cut into pieces, the only case where a row is split. A
// piece leaves room above it for the headings and the header row that keep
// with it.
func (t docTable) rowFrags(r *renderer, g tableGeometry, head *frag, row docRow, zebra bool, tre *tagged.Elem) []*frag {
	tr := t.measureRow(r, g, row, zebra)
	tr.tds = make([]*tagged.Elem, len(t.cols))
	for i := range t.cols {
		tr.tds[i] = tre.Add("TD")
	}
	if row.annex > 0 {
		tr.link = tr.tds[len(t.cols)-1].Add("Link")
	}
	maxH := bodyH * 0.4
	per := max(1, int(maxH/tr.st.lead)-1)
	kind := kindRow
	switch row.kind {
	case rowGroup:
		kind = kindGroup
	case rowTotal:
		kind = kindTotal
	}
	var out []*frag
	for from := 0; from < tr.n; from += per {
		to := min(tr.n, from+per)
		f := &frag{h: float64(to-from)*tr.st.lead + 2*padY, head: head, kind: kind, units: 1, cont: from > 0,
			keep: kind == kindGroup && to == tr.n} // a category keeps a row of its own
		if tr.n > per {
			f.units = to - from
		}
		f.draw = func(y float64) { t.drawRow(r, g, tr, from, to, y, f.h) }
		out = append(out, f)
	}
	return out
}

// measureRow chooses a row's style and background and wraps its cells.
func (t docTable) measureRow(r *renderer, g tableGeometry, row docRow, zebra bool) tableRow {
	st := stCell
	if row.kind != rowBody {
		st = stCellBold
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
		w := g.cellW(i, row)
		if i == t.statusCol {
			w -= 4.5
		}
		if len(t.rows) == 0 {
			w = contentW - 2*padX // « Non renseigné » across the table
		}
		cells[i] = r.wrapSpaced(s, cs, w)
		styles[i] = cs
		n = max(n, len(cells[i]))
	}
	return tableRow{docRow: row, st: st, bg: bg, cells: cells, styles: styles, n: n}
}

// drawRow draws lines from to to of a row, h high, at y: its background,
// its cells, the rule below it, and its link to an annex.
func (t docTable) drawRow(r *renderer, g tableGeometry, tr tableRow, from, to int, y, h float64) {
	row, st := tr.docRow, tr.st
	r.deco(func() {
		if tr.bg != colWhite {
			r.fill(tr.bg)
			r.pdf.Rect(marginL, y, contentW, h, "F")
		}
		if row.kind == rowTotal {
			r.stroke(colAccent)
			r.pdf.SetLineWidth(0.4)
			r.pdf.Line(marginL, y, pageW-marginR, y)
		}
	})
	for i, c := range t.cols {
		r.tags.el = tr.tds[i]
		align := byte('L')
		if c.right {
			align = 'R'
		}
		x, w := g.xs[i]+padX, g.cellW(i, row)
		if i == 0 && row.indent {
			x += rowIndent
		}
		if len(t.rows) == 0 {
			x, w, align = marginL+padX, contentW-2*padX, 'L'
		}
		cs := tr.styles[i]
		if i == t.statusCol && row.status != 0 {
			cs = statusStyle(cs, row.status)
			if from == 0 {
				r.deco(func() { r.statusMark(row.status, x+1.6, y+padY+st.lead/2) })
			}
			x += 4.5
			w -= 4.5
		}
		lines := tr.cells[i]
		if row.annex > 0 && i == len(t.cols)-1 {
			lines = []string{r.annexPages(row.annex - 1)}
			r.tags.el = tr.link
		}
		for j := from; j < to && j < len(lines); j++ {
			r.text(lines[j], cs, x, baseline(st, y+padY+float64(j-from)*st.lead), w, align)
		}
	}
	r.deco(func() {
		r.stroke(colRule)
		r.pdf.SetLineWidth(0.15)
		r.pdf.Line(marginL, y+h, pageW-marginR, y+h)
	})
	if row.annex > 0 && from == 0 {
		r.linkTo(marginL, y, contentW, h, "", r.annexPage(row.annex-1), tr.link, strings.Join(tr.cells[0], ""))
	}
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
	title := r.tags.doc.Add("P")
	fig := r.tags.doc.Add("Figure")
	fig.Alt = b.chart.alt()
	f.draw = func(y float64) {
		r.tags.el = title
		r.text(b.title, stKey, marginL, baseline(stKey, y), contentW, 'L')
		r.mark(fig, func() { b.chart.draw(r, marginL, y+titleH, contentW) })
	}
	return []*frag{f}
}

func (b docTiles) frags(r *renderer) []*frag {
	// A tile: the value on top, then up to three lines of label under it,
	// clear of the value's descenders.
	const per, sep, lines, labelTop = 3, 4.0, 3, 9.6
	const h = labelTop + lines*3.8 + 1.0 // stSmall's lead
	w := (contentW - sep*(per-1)) / per
	var out []*frag
	le := r.tags.doc.Add("L")
	for i := 0; i < len(b.items); i += per {
		row := b.items[i:min(i+per, len(b.items))]
		bodies := make([]*tagged.Elem, len(row))
		for j := range row {
			bodies[j] = le.Add("LI").Add("LBody")
		}
		f := &frag{h: h, gap: 4, keep: i+per < len(b.items), units: 2}
		if i > 0 {
			f.gap = sep / 2
		}
		f.draw = func(y float64) {
			for j, it := range row {
				x := marginL + float64(j)*(w+sep)
				r.deco(func() {
					r.fill(colAccentBg)
					r.pdf.RoundedRect(x, y, w, h, 1.5, "1234", "F")
				})
				r.tags.el = bodies[j]
				r.tileValue(it.value, x+3, y+2.4, w-6)
				labels := r.wrapSpaced(it.key, stSmall, w-6)
				labels = r.capLines(labels, lines, stSmall, w-6)
				for k, l := range labels {
					r.text(l, stSmall, x+3, baseline(stSmall, y+labelTop+float64(k)*stSmall.lead), w-6, 'L')
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
	r.text(r.fitLine(v, st, w)+" ", st, x, y+st.size*0.352778, w, 'L')
}

var colNoteBg = rgbColor{253, 246, 232}

func (b docNote) frags(r *renderer) []*frag {
	const indent, pad = 4.0, 3.0
	w := contentW - 2*pad - indent - 2
	var lines [][]string
	n := 0
	head := r.heading(2)
	le := r.tags.doc.Add("L")
	var lbls, bodies []*tagged.Elem
	for _, it := range b.items {
		l := r.capLines(r.wrapSpaced(it, stCell, w), 4, stCell, w)
		lines = append(lines, l)
		n += len(l)
		li := le.Add("LI")
		lbls, bodies = append(lbls, li.Add("Lbl")), append(bodies, li.Add("LBody"))
	}
	h := 2*pad + stH3.lead + float64(n)*stCell.lead + float64(len(b.items)-1)*0.8
	f := &frag{h: h, gap: 5, units: 2}
	f.draw = func(y float64) {
		r.deco(func() {
			r.fill(colNoteBg)
			r.pdf.Rect(marginL, y, contentW, h, "F")
			r.fill(colToConfirm)
			r.pdf.Rect(marginL, y, 1.2, h, "F")
		})
		x := marginL + pad + 2
		yy := y + pad
		r.tags.el = head
		r.text(b.title, stH3, x, baseline(stH3, yy), w, 'L')
		yy += stH3.lead
		for i, item := range lines {
			for k, l := range item {
				if k == 0 {
					r.tags.el = lbls[i]
					r.text("•", stCell, x, baseline(stCell, yy), indent, 'L')
				}
				r.tags.el = bodies[i]
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
	toc := r.tags.doc.Add("TOC")
	for _, e := range b.entries {
		link := toc.Add("TOCI").Add("Link")
		st, indent, gap := stTOCTop, 0.0, 3.2
		if e.level > 1 {
			st, indent, gap = stTOC, 8, 0.6
		}
		tw := contentW - indent - numW
		lines := r.capLines(r.wrapSpaced(e.title, st, tw), 3, st, tw)
		f := &frag{h: float64(len(lines)) * st.lead, gap: gap, kind: kindContents, units: 1}
		f.draw = func(y float64) {
			r.tags.el = link
			x := marginL + indent
			last := lines[len(lines)-1]
			for i, l := range lines {
				if i == len(lines)-1 {
					l += " " // the title and its page number read apart
				}
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
			x0 := x + r.width(last, st) + 2
			x1 := marginL + contentW - r.width(num, st) - 2
			if x1 > x0 {
				r.deco(func() {
					r.stroke(colRule)
					r.pdf.SetLineWidth(0.3)
					r.pdf.SetDashPattern([]float64{0.3, 1.2}, 0)
					r.pdf.Line(x0, baseline(st, ly), x1, baseline(st, ly))
					r.pdf.SetDashPattern(nil, 0)
				})
			}
			r.linkTo(x, y, contentW-indent, f.h, e.anchor, target, link, e.title+", page "+num)
		}
		out = append(out, f)
	}
	return out
}

func (c docCover) frags(r *renderer) []*frag {
	f := &frag{h: bodyH, newPage: true, units: 2}
	doc := r.tags.doc
	org, title, sub := doc.Add("P"), doc.Add("P"), doc.Add("P")
	var logo *tagged.Elem
	if c.logo {
		logo = doc.Add("Figure")
		logo.Alt = "Logo de " + nonEmpty(c.nom)
	}
	by, nom, kind, date := doc.Add("P"), doc.Add("P"), doc.Add("P"), doc.Add("P")
	contact := make([]*tagged.Elem, len(c.contact))
	for i := range contact {
		contact[i] = doc.Add("P")
	}
	deadline := doc.Add("P")
	f.draw = func(float64) {
		p := r.pdf
		white := textStyle{"", 11, colWhite, 5.5}
		band := 92.0
		r.deco(func() {
			r.fill(colAccent)
			p.Rect(0, 0, pageW, band, "F")
		})
		y := 30.0
		r.tags.el = org
		for _, l := range r.capLines(r.wrapSpaced(c.organiser, white, contentW), 3, white, contentW) {
			r.text(l, white, marginL, y, contentW, 'L')
			y += white.lead
		}
		y += 10
		big := textStyle{"B", 28, colWhite, 12}
		r.tags.el = title
		for _, l := range r.capLines(r.wrapSpaced(c.title, big, contentW), 2, big, contentW) {
			r.text(l, big, marginL, y+6, contentW, 'L')
			y += big.lead
		}
		st := textStyle{"", 14, colWhite, 6.5}
		r.tags.el = sub
		for _, l := range r.capLines(r.wrapSpaced(c.subtitle, st, contentW), 2, st, contentW) {
			r.text(l, st, marginL, y+4, contentW, 'L')
			y += st.lead
		}
		y = band + 22
		if c.logo {
			info := p.GetImageInfo("logo")
			if info != nil && info.Width() > 0 && info.Height() > 0 {
				w, h := 50.0, 50.0*info.Height()/info.Width()
				if h > 32 {
					w, h = 32*info.Width()/info.Height(), 32
				}
				r.mark(logo, func() { p.ImageOptions("logo", marginL, y, w, h, false, fpdf.ImageOptions{}, 0, "") })
				y += h + 10
			}
		}
		r.tags.el = by
		r.text("Candidature présentée par", stKey, marginL, y, contentW, 'L')
		y += 11
		name := textStyle{"B", 24, colText, 10.5}
		name0 := c.nom
		if name0 == "" {
			name0 = emptyText
		}
		r.tags.el = nom
		for _, l := range r.capLines(r.wrapSpaced(name0, name, contentW), 4, name, contentW) {
			r.text(l, name, marginL, y, contentW, 'L')
			y += name.lead
		}
		if c.kind != "" {
			st := textStyle{"", 12, colMuted, 6}
			r.tags.el = kind
			r.text(r.fitLine(c.kind, st, contentW), st, marginL, y+1, contentW, 'L')
		}
		// Bottom block: date, contact, deadline.
		y = pageH - 70
		r.deco(func() {
			r.fill(colAccent)
			p.Rect(marginL, y-6, 24, 0.9, "F")
		})
		r.tags.el = date
		for i, l := range r.capLines(r.wrap(c.date, stH3, contentW), 2, stH3, contentW) {
			if i > 0 {
				y += stH3.lead
			}
			r.text(l, stH3, marginL, y, contentW, 'L')
		}
		y += 7
		for i, l := range c.contact {
			r.tags.el = contact[i]
			for _, w := range r.capLines(r.wrapSpaced(l, stBody, contentW), 2, stBody, contentW) {
				r.text(w, stBody, marginL, y, contentW, 'L')
				y += stBody.lead
			}
		}
		if c.deadline != "" {
			y += 3
			r.tags.el = deadline
			for _, w := range r.capLines(r.wrapSpaced(c.deadline, stHelp, contentW), 2, stHelp, contentW) {
				r.text(w, stHelp, marginL, y, contentW, 'L')
				y += stHelp.lead
			}
		}
	}
	return []*frag{f}
}
