package render

import (
	"cmp"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"slices"
	"strings"
	"time"
)

// Charts are drawn as vectors (rectangles, lines, text), so that they stay
// sharp in print, weigh nothing, and keep their labels as text. Each one
// has a text alternative saying what it shows, for the figure's tag.

// docChart is a figure's drawing.
type docChart interface {
	height(r *renderer, w float64) float64
	draw(r *renderer, x, y, w float64)
	alt() string
}

// Colours of the series: acquired money in the accent, requested money in a
// lighter blue, in-kind in grey, so that the three read apart in grey too.
var (
	colSollicite = rgbColor{122, 164, 210}
	colNature    = rgbColor{170, 176, 184}
	colUnknown   = rgbColor{222, 226, 230}
	colTotal     = rgbColor{12, 52, 98}
)

// maxBars caps the bars of a chart; the rest are summed in one « Autres » bar.
const maxBars = 10

// chartSeg is a part of a bar.
type chartSeg struct {
	value int64
	color rgbColor
}

// chartBar is one row of a horizontal bar chart.
type chartBar struct {
	label string
	segs  []chartSeg
	value string // printed at the end of the bar
}

func (b chartBar) total() int64 {
	var n int64
	for _, s := range b.segs {
		n += max(s.value, 0)
	}
	return n
}

// chartLegend names a colour.
type chartLegend struct {
	label string
	color rgbColor
}

// docBarChart is a horizontal (stacked) bar chart, with an optional threshold
// drawn as a dashed line. Its axis is fixed by the call (axis), never by
// the bars: the same value has the same length in every dossier and in the
// comparison. A bar beyond the axis is drawn to its end, cut by a break
// mark, its figure written after it.
type docBarChart struct {
	bars      []chartBar
	legend    []chartLegend
	threshold int64
	thLabel   string
	axis      int64   // the value at the end of the axis; 0: the largest bar
	labelW    float64 // width of the labels' column; 0: barLabelW
	head      float64 // room above the bars at least (to align two charts side by side)
	text      string  // alternative text
}

var stBarLabel = textStyle{"", 8.3, colText, 3.5}

const (
	barLabelW = 50.0
	barValueW = 26.0
	barH      = 5.2
	barPitch  = 8.0
	// barLabelLines is how many lines a bar's label may take: a name
	// wraps rather than being cut; only a longer one ends with « … ».
	barLabelLines = 3
)

func (c *docBarChart) alt() string { return c.text }

func (c *docBarChart) labelWidth() float64 {
	if c.labelW > 0 {
		return c.labelW
	}
	return barLabelW
}

// labels wraps a bar's label in its column.
func (c *docBarChart) labels(r *renderer, b chartBar) []string {
	w := c.labelWidth() - 3
	return r.capLines(r.wrap(b.label, stBarLabel, w), barLabelLines, stBarLabel, w)
}

// pitch is the height of a bar's row: a label of three lines needs more
// than the bar.
func (c *docBarChart) pitch(r *renderer, b chartBar) float64 {
	return max(barPitch, float64(len(c.labels(r, b)))*stBarLabel.lead+1.5)
}

// headHeight is the room above the bars: the legend, the threshold's label.
func (c *docBarChart) headHeight() float64 {
	h := 0.0
	if len(c.legend) > 0 {
		h += 7
	}
	if c.threshold > 0 {
		h += 6
	}
	return max(h, c.head)
}

func (c *docBarChart) height(r *renderer, _ float64) float64 {
	h := c.headHeight() + 2
	for _, b := range c.bars {
		h += c.pitch(r, b)
	}
	return h
}

func (c *docBarChart) scale() int64 {
	if c.axis > 0 {
		return c.axis
	}
	scale := c.threshold
	for _, b := range c.bars {
		scale = max(scale, b.total())
	}
	return max(scale, 1)
}

func (c *docBarChart) draw(r *renderer, x, y, w float64) {
	p := r.pdf
	top := y + c.headHeight()
	if len(c.legend) > 0 {
		lx := x
		for _, l := range c.legend {
			r.fill(l.color)
			p.Rect(lx, y+1, 3.5, 3.5, "F")
			r.text(l.label, stSmall, lx+5, y+4.1, 60, 'L')
			lx += 5 + r.width(l.label, stSmall) + 7
		}
	}
	y = top
	labelW := c.labelWidth()
	area := w - labelW - barValueW
	scale := c.scale()
	x0 := x + labelW
	bottom := y
	for _, b := range c.bars {
		bottom += c.pitch(r, b)
	}
	var values []func()
	// Baseline.
	r.stroke(colRule)
	p.SetLineWidth(0.2)
	p.Line(x0, y, x0, bottom)
	for _, b := range c.bars {
		pitch := c.pitch(r, b)
		by := y + (pitch-barH)/2
		y += pitch
		// The label is centred on the bar.
		labels := c.labels(r, b)
		ly := by + barH/2 - float64(len(labels))*stBarLabel.lead/2
		for _, l := range labels {
			r.text(l, stBarLabel, x, baseline(stBarLabel, ly), labelW-3, 'L')
			ly += stBarLabel.lead
		}
		bx := x0
		last := colAccent
		for _, s := range b.segs {
			if s.value <= 0 || bx >= x0+area {
				continue
			}
			sw := min(area*float64(s.value)/float64(scale), x0+area-bx)
			r.fill(s.color)
			p.Rect(bx, by, sw, barH, "F")
			bx += sw
			last = s.color
		}
		if b.total() > scale {
			// Beyond the axis: a break mark, two white strokes across the
			// bar's end, says the bar is longer than drawn.
			r.stroke(colWhite)
			p.SetLineWidth(0.6)
			for _, dx := range []float64{-5, -3.6} {
				p.Line(bx+dx-0.8, by+barH+0.3, bx+dx+0.8, by-0.3)
			}
		}
		// The value sits inside a long bar when its last part is dark
		// enough for white text, after the bar otherwise; it is written
		// over the threshold's line.
		vw := r.width(b.value, stCell)
		if bx-x0 > vw+4 && (last == colAccent || last == colTotal) && b.total() <= scale {
			in := stCell
			in.color = colWhite
			values = append(values, func() { r.text(b.value, in, bx-vw-1.5, by+barH/2+1.1, vw, 'L') })
		} else {
			values = append(values, func() {
				r.text(b.value, stCell, bx+1.5, by+barH/2+1.1, barValueW+area-(bx-x0)-1.5, 'L')
			})
		}
	}
	defer func() {
		for _, v := range values {
			v()
		}
	}()
	if c.threshold > 0 {
		tx := x0 + area*float64(c.threshold)/float64(scale)
		lineTop := top - 2.5
		r.stroke(colNotMet)
		p.SetLineWidth(0.35)
		p.SetDashPattern([]float64{1.2, 0.8}, 0)
		p.Line(tx, lineTop, tx, bottom)
		p.SetDashPattern(nil, 0)
		lw := r.width(c.thLabel, stSmall)
		lx := min(tx-lw/2, x+w-lw)
		r.text(c.thLabel, stSmall, lx, lineTop-1, lw, 'L')
	}
}

// capChartBars keeps the first maxBars-1 bars and sums the others in « Autres ».
func capChartBars(bars []chartBar, format func(int64) string) []chartBar {
	if len(bars) <= maxBars {
		return bars
	}
	rest := chartBar{label: "Autres (" + french.Number(int64(len(bars)-maxBars+1)) + ")"}
	for _, b := range bars[maxBars-1:] {
		for i, s := range b.segs {
			if i >= len(rest.segs) {
				rest.segs = append(rest.segs, chartSeg{color: s.color})
			}
			rest.segs[i].value += s.value
		}
	}
	rest.value = format(rest.total())
	return append(bars[:maxBars-1:maxBars-1], rest)
}

func placesText(n int64) string { return french.Number(n) + french.NBSP + "places" }

// newCapacityChart shows each venue's capacity, the main venue's (the one
// the criteria judge) first and named so, and their total, against the
// call's threshold, the same line as in the comparison; nil without venues.
func newCapacityChart(c *model.Candidature, call *model.Call) *docBarChart {
	f := model.FiguresOf(c, call)
	var bars []chartBar
	var alt []string
	mainDone := false
	for _, l := range c.Lieux {
		if l.Capacite <= 0 {
			continue
		}
		name := nonEmpty(orEmpty(l.Nom))
		col := colSollicite
		if !mainDone && l.Capacite == f.Capacity {
			name += " (lieu principal)"
			col, mainDone = colAccent, true
		}
		bars = append(bars, chartBar{label: name, segs: []chartSeg{{l.Capacite, col}}, value: placesText(l.Capacite)})
		alt = append(alt, name+" "+placesText(l.Capacite))
	}
	if len(bars) == 0 {
		return nil
	}
	bars = capChartBars(bars, placesText)
	if len(c.Lieux) > 1 {
		bars = append(bars, chartBar{label: "Tous lieux réunis", segs: []chartSeg{{f.TotalCapacity, colTotal}}, value: placesText(f.TotalCapacity)})
	}
	th, thLabel := call.Threshold()
	return &docBarChart{
		bars:      bars,
		axis:      call.PlacesAxis(),
		threshold: th,
		thLabel:   french.Typo(thLabel),
		text: french.Typo("Capacité d’accueil par lieu : " + strings.Join(alt, " ; ") + " ; au total " + placesText(f.TotalCapacity) +
			" ; " + thLabel + "."),
	}
}

// newChargesChart shows the charges by category; nil without charges.
func newChargesChart(c *model.Candidature, call *model.Call) *docBarChart {
	order, groups := budgetGroups(c.Budget, model.Charge)
	var bars []chartBar
	var alt []string
	for _, k := range order {
		s := sumMontants(groups[k])
		if s <= 0 {
			continue
		}
		name := nonEmpty(orEmpty(k))
		bars = append(bars, chartBar{label: name, segs: []chartSeg{{s, colAccent}}, value: french.Money(s)})
		alt = append(alt, name+" "+french.Money(s))
	}
	if len(bars) == 0 {
		return nil
	}
	slices.SortStableFunc(bars, func(a, b chartBar) int { return cmp.Compare(b.total(), a.total()) })
	return &docBarChart{
		bars: capChartBars(bars, french.Money),
		axis: call.MoneyAxis(),
		text: french.Typo("Charges prévues par catégorie : " + strings.Join(alt, " ; ") + "."),
	}
}

// newFundingChart shows the produits by funder, split by status (acquis,
// sollicité, en nature, non précisé); nil without produits.
func newFundingChart(c *model.Candidature, call *model.Call) *docBarChart {
	type funder struct {
		name                      string
		acquis, sol, nature, none int64
	}
	var fs []*funder
	idx := map[string]*funder{}
	for _, l := range c.Budget {
		if l.Sens != model.Produit || l.Montant <= 0 {
			continue
		}
		name := orEmpty(l.Financeur)
		if name == "" {
			name = "Financeur non précisé"
		}
		f, ok := idx[strings.ToLower(name)]
		if !ok {
			f = &funder{name: name}
			idx[strings.ToLower(name)] = f
			fs = append(fs, f)
		}
		switch {
		case l.EnNature():
			f.nature += l.Montant
		case strings.EqualFold(strings.TrimSpace(l.Statut), "Acquis"):
			f.acquis += l.Montant
		case strings.EqualFold(strings.TrimSpace(l.Statut), "Sollicité"):
			f.sol += l.Montant
		default:
			f.none += l.Montant
		}
	}
	if len(fs) == 0 {
		return nil
	}
	var bars []chartBar
	var alt []string
	var any [4]bool
	for _, f := range fs {
		b := chartBar{label: f.name, segs: []chartSeg{{f.acquis, colAccent}, {f.sol, colSollicite}, {f.nature, colNature}, {f.none, colUnknown}}}
		b.value = french.Money(b.total())
		bars = append(bars, b)
		var parts []string
		for i, p := range []struct {
			n    int64
			what string
		}{{f.acquis, "acquis"}, {f.sol, "sollicité"}, {f.nature, "en nature"}, {f.none, "sans statut"}} {
			if p.n > 0 {
				parts = append(parts, french.Money(p.n)+" "+p.what)
				any[i] = true
			}
		}
		alt = append(alt, f.name+" : "+strings.Join(parts, ", "))
	}
	slices.SortStableFunc(bars, func(a, b chartBar) int { return cmp.Compare(b.total(), a.total()) })
	var legend []chartLegend
	for i, l := range []chartLegend{{"acquis", colAccent}, {"sollicité", colSollicite}, {"en nature", colNature}, {"sans statut", colUnknown}} {
		if any[i] {
			legend = append(legend, l)
		}
	}
	return &docBarChart{
		bars:   capChartBars(bars, french.Money),
		legend: legend,
		axis:   call.MoneyAxis(),
		text:   french.Typo("Financements par financeur et par statut : " + strings.Join(alt, " ; ") + "."),
	}
}

// timelineChart shows the days of the event side by side — the community day,
// day 1, day 2, and any other day with an official moment — with the
// official moments under their day.
type timelineChart struct {
	days []timelineDay
}

type timelineDay struct {
	date    time.Time
	label   string
	kind    int // 0 another day, 1 community day, 2 a day of the event
	moments []string
}

// maxDays caps the columns of the timeline; more would be unreadable.
const maxDays = 6

func newTimeline(c *model.Candidature, call *model.Call) *timelineChart {
	var days []timelineDay
	add := func(t time.Time, label string, kind int) *timelineDay {
		for i := range days {
			if days[i].date.Equal(t) {
				if kind > days[i].kind {
					days[i].label, days[i].kind = label, kind
				}
				return &days[i]
			}
		}
		days = append(days, timelineDay{date: t, label: label, kind: kind})
		return &days[len(days)-1]
	}
	e := c.Evenement
	if !e.JourneeCommunautaire.IsZero() {
		add(e.JourneeCommunautaire, "Journée communautaire", 1)
	}
	if !e.Jour1.IsZero() {
		add(e.Jour1, "Jour 1", 2)
	}
	if !e.Jour2.IsZero() {
		add(e.Jour2, "Jour 2", 2)
	}
	for _, m := range c.Moments {
		if m.Date.IsZero() {
			continue
		}
		d := add(m.Date, "Temps officiel", 0)
		d.moments = append(d.moments, joinNonEmpty(" · ", orEmpty(m.Heure), nonEmpty(orEmpty(m.Intitule))))
	}
	// A figure cannot run onto the next page: a few moments per day, the
	// table under the figure lists them all.
	for i := range days {
		if n := len(days[i].moments); n > tlMoments {
			days[i].moments = append(days[i].moments[:tlMoments-1], "et "+french.Number(int64(n-tlMoments+1))+french.NBSP+"autres temps officiels")
		}
	}
	if len(days) == 0 {
		return nil
	}
	slices.SortStableFunc(days, func(a, b timelineDay) int { return a.date.Compare(b.date) })
	if len(days) > maxDays {
		days = days[:maxDays]
	}
	return &timelineChart{days: days}
}

func (t *timelineChart) alt() string {
	var parts []string
	for _, d := range t.days {
		s := d.label + " : " + french.LongDate(d.date)
		if len(d.moments) > 0 {
			s += " (" + strings.Join(d.moments, " ; ") + ")"
		}
		parts = append(parts, s)
	}
	return french.Typo("Déroulé de l’événement : " + strings.Join(parts, " ; ") + ".")
}

const (
	tlMoments     = 6 // moments shown per day
	tlMomentLines = 3 // lines per moment
	tlSep         = 3.0
	tlHeadH       = 15.0
)

var stTLHead = textStyle{"B", 9, colText, 4.2}

func (t *timelineChart) colW(w float64) float64 {
	n := float64(len(t.days))
	return (w - tlSep*(n-1)) / n
}

func (t *timelineChart) height(r *renderer, w float64) float64 {
	cw := t.colW(w)
	lines := 0
	for _, d := range t.days {
		n := 0
		for _, m := range d.moments {
			n += len(r.capLines(r.wrap(m, stCell, cw-5), tlMomentLines, stCell, cw-5))
		}
		lines = max(lines, n+len(d.moments)/2)
	}
	return tlHeadH + 6 + float64(lines)*stCell.lead + 2
}

func (t *timelineChart) draw(r *renderer, x, y, w float64) {
	p := r.pdf
	cw := t.colW(w)
	// The axis runs under the day boxes, a dot per day.
	ay := y + tlHeadH + 3
	r.stroke(colRule)
	p.SetLineWidth(0.5)
	p.Line(x+cw/2, ay, x+w-cw/2, ay)
	for i, d := range t.days {
		cx := x + float64(i)*(cw+tlSep)
		head := stTLHead
		sub := stSmall
		switch d.kind {
		case 2:
			r.fill(colAccent)
			head.color, sub.color = colWhite, colWhite
		case 1:
			r.fill(colAccentBg)
			head.color = colAccent
		default:
			r.fill(colZebra)
		}
		p.RoundedRect(cx, y, cw, tlHeadH, 1.2, "1234", "F")
		r.text(r.fitLine(d.label, head, cw-4), head, cx+2, y+5.5, cw-4, 'L')
		r.text(r.fitLine(french.Capitalize(french.LongDate(d.date)), sub, cw-4), sub, cx+2, y+11, cw-4, 'L')
		r.fill(colAccent)
		if d.kind != 2 {
			r.fill(colSollicite)
		}
		p.Circle(cx+cw/2, ay, 1.3, "F")
		my := ay + 3
		for _, m := range d.moments {
			lines := r.capLines(r.wrap(m, stCell, cw-5), tlMomentLines, stCell, cw-5)
			r.fill(colToConfirm)
			p.Circle(cx+1.5, my+stCell.lead/2, 0.8, "F")
			for _, l := range lines {
				r.text(l, stCell, cx+4, baseline(stCell, my), cw-5, 'L')
				my += stCell.lead
			}
			my += stCell.lead / 2
		}
	}
}
