package render

// The reviewers' documents: the comparison of the candidates (A4
// landscape) and the pages of the print bundle that are not dossiers (its
// cover, its index, and the pages left blank so that each dossier starts
// on a right-hand page). They share the dossier's typeface, palette and
// drawing primitives; their blocks are a heading, tables and bar charts.

import (
	"fmt"
	"io"
	"io/fs"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"necdossier/assemble/tagged"
	"necdossier/fonts"
)

// ComparisonOptions is what render.Comparison needs besides the rows.
type ComparisonOptions struct {
	Fonts   fs.FS     // fonts.FS
	Created time.Time // date shown and written in the metadata
}

// sheetPDF is an fpdf document set up the way every document of necdossier
// is: the embedded typeface, deterministic output, French metadata.
type sheetPDF struct {
	renderer
	w, h float64 // page size, mm
}

// newSheetPDF starts a document of orientation "P" or "L".
func newSheetPDF(orientation string, fsys fs.FS, created time.Time, title string) (*sheetPDF, error) {
	if fsys == nil {
		fsys = fonts.FS
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orientation, UnitStr: "mm", SizeStr: "A4"})
	if created.IsZero() {
		created = time.Now()
	}
	pdf.SetCreationDate(created.UTC())
	pdf.SetModificationDate(created.UTC())
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(false) // letters.Finish compresses the pages
	for _, st := range []string{"", "B", "I"} {
		data, err := fontData(fsys, fonts.Files[st])
		if err != nil {
			return nil, fmt.Errorf("police %s : %w", fonts.Files[st], err)
		}
		pdf.AddUTF8FontFromBytes(family, st, data)
	}
	pdf.SetTitle(title, true)
	pdf.SetAuthor("necdossier", true)
	pdf.SetCreator("necdossier", true)
	pdf.SetProducer("necdossier (fpdf)", true)
	pdf.SetLang("fr-FR")
	w, h := pdf.GetPageSize()
	s := &sheetPDF{renderer: renderer{pdf: pdf}, w: w, h: h}
	return s, pdf.Error()
}

// output writes the document as fpdf writes it; letters.Finish completes it.
func (s *sheetPDF) output(w io.Writer) error {
	return s.pdf.Output(w)
}

// Tagging a sheet (PDF/UA), the comparison's: startTags gives it a tree,
// and from then on what it draws is marked content of an element or an
// artifact, as in the dossier. The other sheets stay untagged (the
// helpers do nothing for them): their bytes do not change.

// startTags starts the sheet's structure tree; every new page numbers its
// marked content from 0.
func (s *sheetPDF) startTags() {
	s.resetTags()
	s.pdf.SetHeaderFunc(func() { s.tags.mcid = 0 })
}

// add adds an element of role under e (the Document when e is nil), nil
// when the sheet is not tagged.
func (s *sheetPDF) add(e *tagged.Elem, role string) *tagged.Elem {
	switch {
	case s.tags.doc == nil:
		return nil
	case e == nil:
		return s.tags.doc.Add(role)
	}
	return e.Add(role)
}

// textIn draws text as content of e (plainly when e is nil).
func (s *sheetPDF) textIn(e *tagged.Elem, str string, st textStyle, x, y, w float64, align byte) {
	s.tags.el = e
	s.text(str, st, x, y, w, align)
	s.tags.el = nil
}

// art draws decoration, or with pagination what repeats from page to
// page, as an artifact when the sheet is tagged.
func (s *sheetPDF) art(pagination bool, draw func()) {
	if s.tags.doc == nil {
		draw()
		return
	}
	s.artifact(pagination, draw)
}

// cmpColumn is a column of a comparison table.
type cmpColumn struct {
	title string
	width float64 // mm
	align byte    // 'L', 'R', 'C'
}

// cmpCell is a cell: its text, and the status it shows, if any.
type cmpCell struct {
	text   string
	status model.Status
}

// cmpTable is a table block that paginates by itself: the header is repeated on
// each page and a row is never split.
type cmpTable struct {
	s    *sheetPDF
	cols []cmpColumn
	top  float64 // y where the table starts on a new page
	// The table's elements when the sheet is tagged: its header cells,
	// and the body its rows go in. The candidate's name heads its row.
	ths  []*tagged.Elem
	body *tagged.Elem
}

const cmpPad = 1.6

// rowHeight measures a row wrapped in its columns.
func (g *cmpTable) rowHeight(cells []cmpCell, st textStyle) (float64, [][]string) {
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = g.s.wrapSpaced(safeText(c.text), st, g.cols[i].width-2*cmpPad)
		n = max(n, len(lines[i]))
	}
	return float64(n)*st.lead + 2*cmpPad, lines
}

// header draws the header row at y and returns the y below it: the
// table's header the first time, a repetition (an artifact) on the next
// pages.
func (g *cmpTable) header(y float64) float64 {
	if g.body == nil {
		te := g.s.add(nil, "Table")
		tr := g.s.add(g.s.add(te, "THead"), "TR")
		for range g.cols {
			th := g.s.add(tr, "TH")
			if th != nil {
				th.Scope = "Column"
			}
			g.ths = append(g.ths, th)
		}
		g.body = g.s.add(te, "TBody")
		if g.body == nil {
			g.body = &tagged.Elem{} // untagged: the header is drawn once as content all the same
		}
	} else if g.s.tags.doc != nil {
		var below float64
		g.s.art(true, func() { below = g.drawHeader(y, nil) })
		return below
	}
	return g.drawHeader(y, g.ths)
}

// drawHeader draws the header row at y, its cells as content of ths (none:
// plainly), and returns the y below it.
func (g *cmpTable) drawHeader(y float64, ths []*tagged.Elem) float64 {
	cells := make([]cmpCell, len(g.cols))
	for i, c := range g.cols {
		cells[i] = cmpCell{text: c.title}
	}
	h, lines := g.rowHeight(cells, stHead)
	x := marginL
	g.s.art(false, func() {
		g.s.fill(colAccent)
		g.s.pdf.Rect(x, y, g.width(), h, "F")
	})
	for i, c := range g.cols {
		var th *tagged.Elem
		if i < len(ths) {
			th = ths[i]
		}
		for j, l := range lines[i] {
			g.s.textIn(th, l, stHead, x+cmpPad, baseline(stHead, y+cmpPad+float64(j)*stHead.lead), c.width-2*cmpPad, c.align)
		}
		x += c.width
	}
	return y + h
}

func (g *cmpTable) width() float64 {
	w := 0.0
	for _, c := range g.cols {
		w += c.width
	}
	return w
}

// minSplit is how many lines of a row must fit at the bottom of a page
// for the row to start there and run onto the next page; a shorter row is
// never split, it moves to the next page whole.
const minSplit = 4

// rows draws the rows from y, starting new pages as needed, and returns
// the y below the last row. A tall row (the details of a candidacy) starts
// where it is and runs onto the next page, under the header repeated and
// its candidate's name followed by « (suite) », rather than leaving most
// of a page empty.
func (g *cmpTable) rows(y float64, rows [][]cmpCell) float64 {
	y = g.header(y)
	bottom := g.s.h - marginB
	for n, cells := range rows {
		_, lines := g.rowHeight(cells, stCell)
		tr := g.s.add(g.body, "TR")
		els := make([]*tagged.Elem, len(cells))
		for i := range cells {
			if i == 0 {
				els[i] = g.s.add(tr, "TH")
				if els[i] != nil {
					els[i].Scope = "Row"
				}
			} else {
				els[i] = g.s.add(tr, "TD")
			}
		}
		named := false // the name repeated at the top of a continued row
		for part := 0; ; part++ {
			count := 0
			for _, l := range lines {
				count = max(count, len(l))
			}
			h := float64(max(count, 1))*stCell.lead + 2*cmpPad
			fit := int((bottom - y - 2*cmpPad) / stCell.lead)
			if y+h > bottom {
				if count < 2*minSplit || fit < minSplit {
					g.s.pdf.AddPage()
					y = g.header(g.top)
					if y+h <= bottom {
						fit = count
					} else {
						fit = int((bottom - y - 2*cmpPad) / stCell.lead)
					}
				}
			} else {
				fit = count
			}
			fit = max(1, min(fit, count))
			now := make([][]string, len(lines))
			rest := make([][]string, len(lines))
			for i, l := range lines {
				now[i] = l[:min(fit, len(l))]
				rest[i] = l[min(fit, len(l)):]
			}
			y = g.row(y, n, cells, now, float64(max(fit, 1))*stCell.lead+2*cmpPad, els, named)
			if fit >= count {
				break
			}
			// The rest goes on the next page, under the candidate's name.
			g.s.pdf.AddPage()
			y = g.header(g.top)
			named = len(rest[0]) == 0
			if named {
				rest[0] = g.s.wrapSpaced(safeText(cells[0].text)+" (suite)", stCell, g.cols[0].width-2*cmpPad)
			}
			lines = rest
		}
	}
	return y
}

// row draws a row's lines (or a part of them) at y, h high, each cell's as
// content of its element in els, and returns the y below. named: the
// first cell repeats the candidate's name (« (suite) »), an artifact.
func (g *cmpTable) row(y float64, n int, cells []cmpCell, lines [][]string, h float64, els []*tagged.Elem, named bool) float64 {
	if n%2 == 1 {
		g.s.art(false, func() {
			g.s.fill(colZebra)
			g.s.pdf.Rect(marginL, y, g.width(), h, "F")
		})
	}
	x := marginL
	for i, c := range g.cols {
		st := stCell
		if c := cells[i]; c.status != 0 {
			g.s.art(false, func() {
				g.s.fill(statusBackground(c.status))
				g.s.pdf.Rect(x+0.4, y+0.4, g.cols[i].width-0.8, h-0.8, "F")
			})
			st = statusStyle(stCellBold, c.status)
		}
		draw := func() {
			for j, l := range lines[i] {
				g.s.textIn(els[i], l, st, x+cmpPad, baseline(st, y+cmpPad+float64(j)*st.lead), c.width-2*cmpPad, c.align)
			}
		}
		if i == 0 && named {
			g.s.art(true, draw)
		} else {
			draw()
		}
		x += c.width
	}
	g.s.art(false, func() {
		g.s.stroke(colRule)
		g.s.pdf.SetLineWidth(0.15)
		g.s.pdf.Line(marginL, y+h, marginL+g.width(), y+h)
	})
	return y + h
}

// fits reports whether a table's heading (headH high), its header and
// its first row fit between y and the page's bottom margin.
func (g *cmpTable) fits(y, headH float64, first []cmpCell) bool {
	if len(first) == 0 {
		return y+headH+20 <= g.s.h-marginB
	}
	cells := make([]cmpCell, len(g.cols))
	for i, c := range g.cols {
		cells[i] = cmpCell{text: c.title}
	}
	hh, _ := g.rowHeight(cells, stHead)
	rh, _ := g.rowHeight(first, stCell)
	return y+headH+hh+min(rh, float64(minSplit)*stCell.lead+2*cmpPad) <= g.s.h-marginB
}

// statusBackground is the light tint behind a verdict, so that the table
// reads at a glance; the verdict is also written, for who cannot tell
// colours apart and for a black-and-white print.
func statusBackground(s model.Status) rgbColor {
	switch s {
	case model.Met:
		return rgbColor{226, 242, 231}
	case model.NotMet:
		return rgbColor{250, 226, 226}
	case model.ToJudge:
		return colAccentBg
	}
	return rgbColor{253, 240, 218}
}

// Comparison writes the reviewers' comparison of the candidates: A4
// landscape, one row per candidate with the verdict on each criterion of
// the call, then the key figures, then bar charts of capacity against the
// call's threshold and of the budgets with their secured share.
//
// It is tagged like the dossier (PDF/UA): the Layout's Tree is its
// structure (headings, tables whose header cells have their scope, the
// charts as figures whose alternative text gives the figures), the
// running foot and what repeats from page to page are artifacts.
// letters.Merge, given the tree and no letters, writes it in the file.
func Comparison(w io.Writer, call *model.Call, rows []model.Row, opt ComparisonOptions) (lay *Layout, err error) {
	defer func() {
		if p := recover(); p != nil {
			lay, err = nil, fmt.Errorf("comparaison : erreur interne : %v", p)
		}
	}()
	title := "Comparaison des candidatures — " + french.Typo(call.Title)
	s, err := newSheetPDF("L", opt.Fonts, opt.Created, title)
	if err != nil {
		return nil, fmt.Errorf("comparaison : %w", err)
	}
	s.startTags()
	contentW := s.w - marginL - marginR
	page := 0
	s.pdf.SetFooterFunc(func() {
		page++
		s.art(true, func() {
			s.text(ComparisonOwnFoot(page), stSmall, marginL, s.h-marginB/2, contentW, 'R')
			s.text(title, stSmall, marginL, s.h-marginB/2, contentW, 'L')
		})
	})
	s.pdf.AliasNbPages("{nb}")
	s.pdf.AddPage()

	// Heading block.
	y := marginT - 8
	s.textIn(s.heading(1), title, stH1, marginL, baseline(stH1, y), contentW, 'L')
	y += stH1.lead + 1
	s.textIn(s.add(nil, "P"), fmt.Sprintf("%s, comparées le %s. Sources : les classeurs des candidats ; chaque dossier porte l’empreinte de ses pièces.",
		french.Capitalize(french.Plural(len(rows), "aucune candidature lisible", "candidature", "candidatures")), french.LongDate(s.createdOr(opt.Created))), stHelp, marginL, baseline(stHelp, y), contentW, 'L')
	y += stHelp.lead + 4

	var built []model.Row
	for _, r := range rows {
		if r.Etat != model.NonProduit {
			built = append(built, r)
		}
	}
	y = s.criteriaTable(call, rows, y)
	y = s.figuresTable(built, y)
	y = s.comparisonCharts(call, built, y)
	s.detailsTable(call, rows, y)
	if err := s.pdf.Error(); err != nil {
		return nil, fmt.Errorf("comparaison : %w", err)
	}
	if err := s.output(w); err != nil {
		return nil, err
	}
	return &Layout{Pages: s.pdf.PageNo(), Total: s.pdf.PageNo(), Tree: s.tags.doc, Title: title}, nil
}

// criteriaTable draws, from y, the table of the verdicts: one column per
// checklist item, numbered; the legend comes first, in two columns, so
// that it is always on the first page. It returns the y below the table.
func (s *sheetPDF) criteriaTable(call *model.Call, rows []model.Row, y float64) float64 {
	contentW := s.w - marginL - marginR
	s.textIn(s.heading(2), "Critères de l’appel", stH2, marginL, baseline(stH2, y), contentW, 'L')
	y += stH2.lead + 1
	half := (contentW - 10) / 2
	perCol := (len(call.Checklist) + 1) / 2
	var legend *tagged.Elem
	if len(call.Checklist) > 0 {
		legend = s.add(nil, "L")
	}
	for i, it := range call.Checklist {
		x, ly := marginL, y+float64(i)*stSmall.lead
		if i >= perCol {
			x, ly = marginL+half+10, y+float64(i-perCol)*stSmall.lead
		}
		line := s.fitLine(fmt.Sprintf("C%d : %s", i+1, call.Label(it)), stSmall, half)
		s.textIn(s.add(s.add(legend, "LI"), "LBody"), line, stSmall, x, baseline(stSmall, ly), half, 'L')
	}
	y += float64(perCol)*stSmall.lead + 3
	nameW := 58.0
	critW := (contentW - nameW) / float64(max(len(call.Checklist), 1))
	cols := []cmpColumn{{"Candidat", nameW, 'L'}}
	for i := range call.Checklist {
		cols = append(cols, cmpColumn{fmt.Sprintf("C%d", i+1), critW, 'C'})
	}
	var cells [][]cmpCell
	for _, r := range rows {
		line := []cmpCell{{text: rowName(r)}}
		for i, it := range call.Checklist {
			if r.Etat == model.NonProduit {
				text := ""
				if i == 0 {
					text = "dossier non produit"
				}
				line = append(line, cmpCell{text: text})
				continue
			}
			st := model.StatusOf(r.Criteria, it.ID)
			line = append(line, cmpCell{text: st.String(), status: st})
		}
		cells = append(cells, line)
	}
	g := &cmpTable{s: s, cols: cols, top: marginT}
	return g.rows(y, cells) + 10
}

// figuresTable draws the key figures from y, on the same page when the
// heading, the header and a row fit, and returns the y below the table.
// They are the same figures as each dossier's synthesis (model.Figures),
// amounts to the cent as there.
func (s *sheetPDF) figuresTable(rows []model.Row, y float64) float64 {
	contentW := s.w - marginL - marginR
	figCols := []cmpColumn{
		{"Candidat", 0, 'L'}, {"Dates (journée communautaire, jours 1 et 2)", 38, 'L'},
		{"Lieu principal (plénière) ; tous lieux", 22, 'R'},
		{"Budget (dont en nature)", 22, 'R'}, {"Autofinan-\ncement", 20, 'R'}, {"Cofin. extérieurs (part acquise)", 22, 'R'},
		{"Demandé à l’agence", 18, 'R'}, {"Par partici-\npant attendu", 18, 'R'},
		{"ETP", 9, 'R'}, {"Parte-naires", 12, 'R'}, {"Initia-tives", 11, 'R'},
		{"NEC\nlocaux", 12, 'R'}, {"Lettres de soutien (autres pièces)", 16, 'R'},
	}
	figCols[0].width = contentW - cmpWidth(figCols) // the names take what is left
	var cells [][]cmpCell
	for _, r := range rows {
		ext := french.Money(r.Exterieur)
		if p, ok := r.PartAcquise(); ok {
			ext += "\n(" + french.Percent(p) + " acquis)"
		}
		cells = append(cells, []cmpCell{
			{text: rowName(r)}, {text: dateSpan(r)},
			{text: french.Number(r.Capacite) + " (" + french.Number(r.Pleniere) + ")\n" + french.Number(r.CapaciteTotale)},
			{text: french.Money(r.Budget) + "\n(" + french.Money(r.EnNature) + ")"}, {text: french.Money(r.Autofinancement)}, {text: ext},
			{text: french.Money(r.Demande)}, {text: french.Money(r.ParParticipant)},
			{text: french.ETP(r.ETP)}, {text: fmt.Sprint(r.Partenaires)}, {text: fmt.Sprint(r.Initiatives)},
			{text: fmt.Sprint(r.NECLocaux)}, {text: fmt.Sprint(r.Lettres) + " (" + fmt.Sprint(r.AutresPieces) + ")"},
		})
	}
	g := &cmpTable{s: s, cols: figCols, top: marginT}
	if !g.fits(y, stH2.lead+1, first(cells)) { // the heading, the header and a row at least
		s.pdf.AddPage()
		y = marginT - 8
	}
	s.textIn(s.heading(2), "Chiffres clés", stH2, marginL, baseline(stH2, y), contentW, 'L')
	y += stH2.lead + 1
	return g.rows(y, cells) + 10
}

// comparisonCharts draws the bar charts, one under the other across the
// page, a bar per candidate in the tables' order: a picture compares
// better than a column of numbers. Their axes are the call's (PlacesAxis,
// MoneyAxis), those of every dossier's charts. Each starts at y when its
// title and a bar fit there, and runs onto the next pages as needed; it
// returns the y below the last.
func (s *sheetPDF) comparisonCharts(call *model.Call, rows []model.Row, y float64) float64 {
	if len(rows) == 0 {
		return y
	}
	th, thLabel := call.Threshold()
	capC := &docBarChart{axis: call.PlacesAxis(), threshold: th, thLabel: french.Typo(thLabel), labelW: 75}
	extC := &docBarChart{axis: call.MoneyAxis(), labelW: 75,
		legend: []chartLegend{{"acquis", colAccent}, {"sollicité ou sans statut", colSollicite}}}
	var capBars, extBars []chartBar
	var capAlt, extAlt []string
	for _, r := range rows {
		label := strings.ReplaceAll(rowName(r), "\n", " ")
		capBars = append(capBars, chartBar{label: label, segs: []chartSeg{{r.Capacite, colAccent}}, value: placesText(r.Capacite)})
		extBars = append(extBars, chartBar{label: label, value: french.Money(r.Exterieur),
			segs: []chartSeg{{r.ExterieurAcquis, colAccent}, {r.Exterieur - r.ExterieurAcquis, colSollicite}}})
		capAlt = append(capAlt, label+" "+placesText(r.Capacite))
		extAlt = append(extAlt, label+" "+french.Money(r.Exterieur)+" dont "+french.Money(r.ExterieurAcquis)+" acquis")
	}
	capC.text = french.Typo("Capacité du lieu principal par candidature : " + strings.Join(capAlt, " ; ") + " ; " + thLabel + ".")
	extC.text = french.Typo("Cofinancements extérieurs par candidature : " + strings.Join(extAlt, " ; ") + ".")
	y = s.pagedChart(capC, capBars, "Capacité du lieu principal",
		"Pointillés rouges : le "+thLabel+". Axe de 0 à "+placesText(call.PlacesAxis())+", le même dans chaque dossier ; au-delà, la barre est coupée.", y)
	return s.pagedChart(extC, extBars, "Cofinancements extérieurs",
		"Hors autofinancement et contributions en nature. Axe de 0 à "+french.Money(call.MoneyAxis())+", le même dans chaque dossier ; au-delà, la barre est coupée.", y)
}

// pagedChart draws c with bars from y across the page, under its title and
// caption, running onto the next pages (« (suite) ») as needed; it returns
// the y below.
func (s *sheetPDF) pagedChart(c *docBarChart, bars []chartBar, title, caption string, y float64) float64 {
	w := s.w - marginL - marginR
	bottom := s.h - marginB
	r := &s.renderer
	captionLines := s.wrapSpaced(french.Typo(caption), stHelp, w)
	titles := stH3.lead + float64(len(captionLines))*stHelp.lead + 2
	// The chart is one figure, however many pages it runs over; its title
	// and caption, repeated on the next pages, are artifacts there.
	var head, capt, fig *tagged.Elem
	for i := 0; i < len(bars); {
		if y+titles+c.headHeight()+2+c.pitch(r, bars[i]) > bottom {
			s.pdf.AddPage()
			y = marginT - 8
		}
		t := title
		if i > 0 {
			t += " (suite)"
		}
		titled := func() {
			s.textIn(head, t, stH3, marginL, baseline(stH3, y), w, 'L')
			y += stH3.lead
			for _, l := range captionLines {
				s.textIn(capt, l, stHelp, marginL, baseline(stHelp, y), w, 'L')
				y += stHelp.lead
			}
		}
		if i == 0 {
			if s.tags.doc != nil {
				head, capt, fig = s.heading(3), s.add(nil, "P"), s.add(nil, "Figure")
				fig.Alt = c.alt()
			}
			titled()
		} else {
			s.art(true, titled)
		}
		y += 2
		room := bottom - y - c.headHeight() - 2
		j, h := i, 0.0
		for j < len(bars) && (j == i || h+c.pitch(r, bars[j]) <= room) {
			h += c.pitch(r, bars[j])
			j++
		}
		c.bars = bars[i:j]
		s.mark(fig, func() { c.draw(r, marginL, y, w) })
		y += c.height(r, w) + 8
		i = j
	}
	return y
}

// ComparisonOwnFoot is the comparison's page number as laid out: placed
// before its pages are counted, its width is that of « {nb} », which the
// count replaces.
func ComparisonOwnFoot(page int) string { return fmt.Sprintf("page %d / {nb}", page) }

// rowName is a candidate as the comparison names it: the collectivité,
// and the folder its files came from.
func rowName(r model.Row) string {
	name := safeText(r.Name())
	if r.Dossier != "" && r.Dossier != r.Name() {
		name += "\n(dossier « " + safeText(r.Dossier) + " »)"
	}
	return french.Typo(name)
}

// detailsTable draws, from y, what each candidacy says in words: its
// state (and why no dossier was made), the points to confirm, its venues
// and its own comments, its partners by nature, its local NEC and who
// wrote its letters of support, and the reviewer's note.
func (s *sheetPDF) detailsTable(call *model.Call, rows []model.Row, y float64) {
	contentW := s.w - marginL - marginR
	cols := []cmpColumn{{"Candidat", 40, 'L'}, {"État ; points à confirmer", 0, 'L'},
		{"Lieux ; commentaires du candidat", 52, 'L'}, {"Partenaires ; NEC locaux ; lettres de soutien", 50, 'L'}, {"Note et scores de l’instructeur", 30, 'L'}}
	cols[1].width = contentW - cmpWidth(cols)
	var cells [][]cmpCell
	for _, r := range rows {
		state := r.Etat.String()
		if r.Motif != "" {
			state += " : " + r.Motif
		}
		lines := func(head string, items []string) string {
			if len(items) == 0 {
				return ""
			}
			return head + " : " + strings.Join(items, " ; ")
		}
		points := strings.Join(append([]string{state}, r.Points...), "\n• ")
		where := joinNonEmpty("\n", lines("Lieux", r.Lieux), strings.Join(r.Commentaires, "\n"))
		who := joinNonEmpty("\n", lines("Partenaires", model.CountsText(r.ParNature)), lines("NEC locaux", r.Historique), lines("Lettres", r.LettresDe))
		cells = append(cells, []cmpCell{{text: rowName(r)}, {text: french.Typo(safeText(points))},
			{text: french.Typo(safeText(where))}, {text: french.Typo(safeText(who))}, {text: french.Typo(safeText(reviewText(call, r)))}})
	}
	g := &cmpTable{s: s, cols: cols, top: marginT}
	if !g.fits(y, stH2.lead+1, first(cells)) {
		s.pdf.AddPage()
		y = marginT - 8
	}
	s.textIn(s.heading(2), "Détail par candidature", stH2, marginL, baseline(stH2, y), contentW, 'L')
	y += stH2.lead + 1
	g.rows(y, cells)
}

// first is the first row of a table, nil for none.
func first(rows [][]cmpCell) []cmpCell {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

// reviewText is the reviewer's work on a candidacy carried from a previous
// comparison: the note, then the scores by criterion, in the call's order
// (« Scores : C1 4 ; C3 2,5 »).
func reviewText(call *model.Call, r model.Row) string {
	var scores []string
	for i, it := range call.Checklist {
		if v, ok := r.Scores[it.ID]; ok {
			scores = append(scores, fmt.Sprintf("C%d%s%s", i+1, french.NBSP, french.DecimalTrim(v, 2)))
		}
	}
	if len(scores) == 0 {
		return r.Note
	}
	return joinNonEmpty("\n", r.Note, "Scores : "+strings.Join(scores, " ; "))
}

func (s *sheetPDF) createdOr(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

func cmpWidth(cols []cmpColumn) float64 {
	w := 0.0
	for _, c := range cols {
		w += c.width
	}
	return w
}

// dateSpan writes a candidate's three dates compactly: « 1ᵉʳ, 2 et 3 octobre 2025 ».
func dateSpan(r model.Row) string {
	ds := []time.Time{r.Communautaire, r.Jour1, r.Jour2}
	var parts []string
	for i, d := range ds {
		if d.IsZero() {
			parts = append(parts, "?")
			continue
		}
		last := i == len(ds)-1
		sameMonth := !last && !ds[i+1].IsZero() && ds[i+1].Month() == d.Month() && ds[i+1].Year() == d.Year()
		switch {
		case last || !sameMonth:
			parts = append(parts, french.ShortDate(d))
		default:
			day := fmt.Sprint(d.Day())
			if d.Day() == 1 {
				day = french.First
			}
			parts = append(parts, day)
		}
	}
	return parts[0] + ", " + parts[1] + " et " + parts[2]
}

// BundleEntry is a part of the print bundle: a candidate's dossier (or the
// page saying why it has none), or the comparison; its pages, and the page
// of the bundle it starts on.
type BundleEntry struct {
	Name   string
	Folder string // the candidate's folder ("" for the comparison)
	State  string // what became of the candidacy ("" for the comparison)
	Pages  int
	Start  int
}

// BlankText is what a padding page reads.
const BlankText = "Page laissée blanche intentionnellement"

// BundleFront writes the bundle's cover and index, padded with blank
// pages to an even count so that what follows starts on a right-hand
// page. pages must be the count the caller planned (see FrontPages), total
// the bundle's pages; the index gives the bundle's page numbers, those
// printed in every page's foot. Candidates are numbered; the comparison,
// first, is not. It is tagged like the comparison (PDF/UA): the Layout's
// Tree is its structure (the index a TOC), the padding pages artifacts.
func BundleFront(w io.Writer, call *model.Call, entries []BundleEntry, pages, total int, fsys fs.FS, created time.Time) (*Layout, error) {
	title := "Dossiers de candidature — " + french.Typo(call.Title)
	s, err := newSheetPDF("P", fsys, created, title)
	if err != nil {
		return nil, err
	}
	s.startTags()
	contentW := s.w - marginL - marginR
	s.pdf.AddPage()
	y := 90.0
	s.textIn(s.add(nil, "P"), french.Typo(call.Organiser), stKey, marginL, baseline(stKey, y), contentW, 'L')
	y += 12
	s.textIn(s.heading(1), french.Typo(call.Title), stH1, marginL, baseline(stH1, y), contentW, 'L')
	y += stH1.lead + 2
	s.textIn(s.heading(2), "Dossiers de candidature pour le comité de sélection", stH2, marginL, baseline(stH2, y), contentW, 'L')
	y += 14
	n, built := 0, 0
	for _, e := range entries {
		if e.Folder != "" {
			n++
			if e.State != model.NonProduit.String() {
				built++
			}
		}
	}
	line := fmt.Sprintf("%s, dont %s ; %s ; assemblées le %s.", french.Capitalize(french.Plural(n, "aucune candidature reçue", "candidature reçue", "candidatures reçues")),
		french.Plural(built, "aucun dossier produit", "dossier produit", "dossiers produits"),
		french.Plural(total, "aucune page", "page", "pages"), french.LongDate(s.createdOr(created)))
	summary := s.add(nil, "P")
	for _, l := range s.wrap(french.Typo(line), stBody, contentW) {
		s.textIn(summary, l, stBody, marginL, baseline(stBody, y), contentW, 'L')
		y += stBody.lead
	}
	s.textIn(s.add(nil, "P"), "À imprimer en recto verso : chaque partie commence sur une page de droite.", stHelp, marginL, baseline(stHelp, y), contentW, 'L')

	s.pdf.AddPage()
	y = marginT
	s.textIn(s.heading(1), "Sommaire", stH1, marginL, baseline(stH1, y), contentW, 'L')
	y += stH1.lead + 3
	toc := s.add(nil, "TOC")
	i, page := 0, 0
	for _, r := range s.indexRows(entries) {
		for page < r.page {
			s.pdf.AddPage()
			page++
		}
		item := s.add(toc, "TOCI")
		if r.e.Folder != "" {
			i++
			s.textIn(s.add(item, "Lbl"), fmt.Sprintf("%d.", i), stTOC, marginL, baseline(stTOC, r.y), 10, 'L')
		}
		entry := s.add(item, "P")
		y := r.y
		for _, l := range r.lines {
			s.textIn(entry, l, r.st, marginL+10, baseline(r.st, y), r.room, 'L')
			y += stTOC.lead
		}
		where := fmt.Sprintf("%s, p.%s%d", french.Plural(r.e.Pages, "0 page", "page", "pages"), french.NBSP, r.e.Start)
		s.textIn(entry, where, stTOC, marginL, baseline(stTOC, y-stTOC.lead), contentW, 'R') // on the name's last line
	}
	if s.pdf.PageNo() > pages {
		return nil, fmt.Errorf("couverture et sommaire : %d pages au lieu de %d", s.pdf.PageNo(), pages)
	}
	for s.pdf.PageNo() < pages {
		s.blankPage()
	}
	if err := s.pdf.Error(); err != nil {
		return nil, err
	}
	if err := s.output(w); err != nil {
		return nil, err
	}
	return &Layout{Pages: s.pdf.PageNo(), Total: s.pdf.PageNo(), Tree: s.tags.doc, Title: title}, nil
}

// Foot is the running foot of a page of the print bundle: the candidate
// (or the part) on the left, its page in the bundle on the right, on the
// line where the dossier prints its own page number, 12 mm from the
// bottom edge, in the dossier's small style. A page that prints its own
// number (Own, « page 3 / 21 », ending OwnRight mm from the page's right
// edge on that line) keeps it, and the foot's right part ends just before
// it: one line, « 1. Métropole de Belrive … liasse p. 25 / 94 — page 3 /
// 21 ». Above puts the foot FootLine mm from the bottom instead, over a
// rule, for a page whose foot line holds something else (the synthesis,
// its fingerprint).
type Foot struct {
	Left, Right string
	Own         string
	OwnRight    float64
	Above       bool
	Landscape   bool // the page is A4 landscape (the comparison's)
}

// FootLine is how far above the paper's bottom edge a foot placed Above
// sits (mm): above the dossier's own foot line, clear of the body and of
// the printers' unprintable margin.
const FootLine = 17.0

// ownFootLine is how far above the bottom edge the dossier, the letters and
// the comparison print their page number (mm).
const ownFootLine = 12.0

// Where a page prints its own number: its right end, from the page's
// right edge (mm).
const (
	OwnRightDossier = marginR // the dossier's pages, the comparison's
	OwnRightLetter  = 10.0    // the letters' pages (letters.sideMargin)
)

// BundleFeet writes a document of one page per foot, each holding only
// its foot, in the dossier's typeface: the bundle draws page n of it over
// its page n.
func BundleFeet(w io.Writer, feet []Foot, fsys fs.FS, created time.Time) error {
	s, err := newSheetPDF("P", fsys, created, "Pieds de page")
	if err != nil {
		return err
	}
	st := stSmall
	for _, f := range feet {
		if f.Landscape {
			s.pdf.AddPageFormat("L", s.pdf.GetPageSizeStr("A4"))
		} else {
			s.pdf.AddPageFormat("P", s.pdf.GetPageSizeStr("A4"))
		}
		pw, ph := s.pdf.GetPageSize()
		contentW := pw - marginL - marginR
		y := ph - ownFootLine
		if f.Above {
			y = ph - FootLine
			s.stroke(colRule)
			s.pdf.SetLineWidth(0.15)
			s.pdf.Line(marginL, y-3.6, marginL+contentW, y-3.6)
		}
		right := safeText(f.Right)
		end := marginL + contentW // where the right part ends
		if f.Own != "" && !f.Above {
			// Before the page's own number, on its line.
			right += " —"
			end = pw - f.OwnRight - s.width(f.Own, st) - s.width(" ", st)
		}
		rw := s.width(right, st)
		s.text(right, st, end-rw, y, rw, 'L')
		contentW = end - marginL
		if f.Left != "" {
			room := contentW - rw - 6
			s.text(s.fitLine(french.Typo(safeText(f.Left)), st, room), st, marginL, y, room, 'L')
		}
	}
	if err := s.pdf.Error(); err != nil {
		return err
	}
	return s.output(w)
}

// NotBuilt writes the page that stands in the bundle for a candidacy whose
// dossier could not be made: who, from which folder, and why. It is
// tagged like the comparison (PDF/UA): the Layout's Tree is its structure.
func NotBuilt(w io.Writer, name, folder, reason string, fsys fs.FS, created time.Time) (*Layout, error) {
	title := "Dossier non produit — " + safeText(name)
	s, err := newSheetPDF("P", fsys, created, title)
	if err != nil {
		return nil, err
	}
	s.startTags()
	contentW := s.w - marginL - marginR
	s.pdf.AddPage()
	y := 60.0
	s.textIn(s.add(nil, "P"), "Dossier non produit", stKey, marginL, baseline(stKey, y), contentW, 'L')
	y += 10
	h := s.heading(1)
	for _, l := range s.wrap(french.Typo(safeText(name)), stH1, contentW) {
		s.textIn(h, l, stH1, marginL, baseline(stH1, y), contentW, 'L')
		y += stH1.lead
	}
	y += 4
	s.textIn(s.add(nil, "P"), french.Typo("Dossier reçu : « "+safeText(folder)+" »"), stBody, marginL, baseline(stBody, y), contentW, 'L')
	y += stBody.lead + 6
	s.textIn(s.heading(2), "Motif", stH3, marginL, baseline(stH3, y), contentW, 'L')
	y += stH3.lead
	motif := s.add(nil, "P")
	for _, l := range s.wrap(french.Typo(french.Capitalize(safeText(reason))+"."), stBody, contentW) {
		s.textIn(motif, l, stBody, marginL, baseline(stBody, y), contentW, 'L')
		y += stBody.lead
	}
	y += 6
	help := s.add(nil, "P")
	for _, l := range s.wrap(french.Typo("La candidature a été reçue mais son dossier n’a pas pu être régénéré : demandez au candidat les fichiers manquants ou corrigés, puis relancez le lot."), stHelp, contentW) {
		s.textIn(help, l, stHelp, marginL, baseline(stHelp, y), contentW, 'L')
		y += stHelp.lead
	}
	if err := s.pdf.Error(); err != nil {
		return nil, err
	}
	if err := s.output(w); err != nil {
		return nil, err
	}
	return &Layout{Pages: s.pdf.PageNo(), Total: s.pdf.PageNo(), Tree: s.tags.doc, Title: title}, nil
}

// FrontPages is how many pages the bundle's cover and index take, padded to
// an even count, for n entries whose names fit on one line each (see
// FrontPagesFor).
func FrontPages(n int) int {
	perPage := int((pageH - marginT - marginB - stH1.lead - 3) / stTOC.lead)
	p := 1 + max(1, (n+perPage-1)/perPage)
	return p + p%2
}

// FrontPagesFor is how many pages BundleFront takes for entries (their
// Pages set, their Start not needed), padded to an even count: long names
// wrap, and take their lines.
func FrontPagesFor(entries []BundleEntry, fsys fs.FS) (int, error) {
	s, err := newSheetPDF("P", fsys, time.Unix(0, 0), "")
	if err != nil {
		return 0, err
	}
	p := 2
	if rows := s.indexRows(entries); len(rows) > 0 {
		p += rows[len(rows)-1].page
	}
	return p + p%2, s.pdf.Error()
}

// indexRow is an entry of the bundle's index as laid out: its name's
// lines, in its style, within room mm; the index page it is on (0 the
// first) and where it starts on it.
type indexRow struct {
	e     BundleEntry
	lines []string
	st    textStyle
	room  float64
	page  int
	y     float64
}

// indexRows lays out the bundle's index. A name wraps in the room the
// entry's page count and a five-digit page number leave it, so that the
// layout does not depend on where the parts start (FrontPagesFor lays it
// out before they are known); an entry is never split across pages.
func (s *sheetPDF) indexRows(entries []BundleEntry) []indexRow {
	contentW := s.w - marginL - marginR
	y, page := marginT+stH1.lead+3, 0
	rows := make([]indexRow, 0, len(entries))
	for _, e := range entries {
		r := indexRow{e: e, st: stTOC}
		name := safeText(e.Name)
		if e.Folder == "" {
			r.st = stTOCTop
		} else if e.State == model.NonProduit.String() {
			name += " — dossier non produit"
			r.st = stEmpty
		}
		where := fmt.Sprintf("%s, p.%s99999", french.Plural(e.Pages, "0 page", "page", "pages"), french.NBSP)
		r.room = contentW - 10 - s.width(where, stTOC) - 6
		r.lines = s.wrap(name, r.st, r.room)
		if len(r.lines) == 0 {
			r.lines = []string{""}
		}
		h := float64(len(r.lines)) * stTOC.lead
		if y+h > s.h-marginB && y > marginT {
			page++
			y = marginT
		}
		r.page, r.y = page, y
		rows = append(rows, r)
		y += h
	}
	return rows
}

// blankPage adds a page that says it was left blank on purpose: a
// pagination artifact when the sheet is tagged.
func (s *sheetPDF) blankPage() {
	s.pdf.AddPage()
	s.art(true, func() { s.text(BlankText, stHelp, 0, s.h/2, s.w, 'C') })
}

// BlankPage writes a one-page document that says it was left blank. Its
// text is a pagination artifact, and it has no structure tree: the
// bundle appends it as often as needed without touching its tree.
func BlankPage(w io.Writer, fsys fs.FS, created time.Time) error {
	s, err := newSheetPDF("P", fsys, created, BlankText)
	if err != nil {
		return err
	}
	s.startTags()
	s.blankPage()
	return s.output(w)
}

// BundleName is the bookmark of a dossier in the print bundle.
func BundleName(i int, name string) string {
	return fmt.Sprintf("%d. %s", i+1, strings.TrimSpace(name))
}

// AnnexCover writes the cover of a dossier's annexes when they form a
// file of their own (build --split): which dossier they belong to, and
// where each annex lies in the pages' common numbering.
func AnnexCover(w io.Writer, call *model.Call, c *model.Candidature, dossierFile string, l *Layout, fsys fs.FS, created time.Time) error {
	nom := orEmpty(c.Collectivite.Nom)
	s, err := newSheetPDF("P", fsys, created, "Annexes — "+french.Typo(call.Title)+" — "+nom)
	if err != nil {
		return err
	}
	contentW := s.w - marginL - marginR
	s.pdf.AddPage()
	y := 60.0
	s.text(french.Typo(call.Title), stKey, marginL, baseline(stKey, y), contentW, 'L')
	y += 10
	s.text("Annexes du dossier de candidature", stH1, marginL, baseline(stH1, y), contentW, 'L')
	y += stH1.lead + 2
	for _, line := range s.wrap(french.Typo(safeText(nom)), stH2, contentW) {
		s.text(line, stH2, marginL, baseline(stH2, y), contentW, 'L')
		y += stH2.lead
	}
	y += 8
	intro := fmt.Sprintf("Ce fichier accompagne le dossier « %s », dont il contient les annexes. "+
		"Leurs pages portent la numérotation commune aux deux fichiers : pages %d à %d sur %d.",
		dossierFile, l.Pages+1, l.Total, l.Total)
	for _, line := range s.wrap(french.Typo(intro), stBody, contentW) {
		s.text(line, stBody, marginL, baseline(stBody, y), contentW, 'L')
		y += stBody.lead
	}
	y += 6
	for _, e := range l.Outline {
		if e.Page <= l.Pages || e.Level == 0 {
			continue
		}
		if y+stTOC.lead > s.h-marginB {
			break // the outline lists them all; a cover is one page
		}
		title := s.fitLine(french.Typo(safeText(e.Title)), stTOC, contentW-25)
		s.text(title, stTOC, marginL, baseline(stTOC, y), contentW-25, 'L')
		s.text(fmt.Sprintf("p. %d", e.Page), stTOC, marginL, baseline(stTOC, y), contentW, 'R')
		y += stTOC.lead
	}
	s.footerGlyphs() // for the letters' pages that follow
	if err := s.pdf.Error(); err != nil {
		return err
	}
	return s.output(w)
}
