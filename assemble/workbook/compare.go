package workbook

import (
	"fmt"
	"io"
	"necdossier/assemble/model"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the comparison workbook.
const (
	SheetComparaison = "Comparaison"
	SheetGrille      = "Grille"
)

// Titles of the reviewer's columns, which --notes reads back.
const (
	noteTitle  = "Note de l’instructeur"
	scoreTitle = "Score " // + "C1"…
	totalTitle = "Total pondéré"
)

// WriteComparison writes the comparison as a workbook for reviewers: real
// numbers, dates and percentages (so that they sort and sum), an
// autofilter on the header, the header row and the names column frozen,
// set up to print on A4 landscape. It is also the reviewers' workspace:
// per candidate a note and a score per criterion (carried from rows'
// Note and Scores), a « Grille » sheet of the criteria's weights (weights,
// by criterion id; 1 when absent) and a weighted total computed by the
// spreadsheet's formulas.
func WriteComparison(w io.Writer, call *model.Call, rows []model.Row, weights map[string]float64) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	const sheet = SheetComparaison
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	cols := model.Columns()
	var header []string
	for _, c := range cols {
		header = append(header, c.Title)
	}
	header = append(header, model.CriterionColumns(call)...)
	noteCol := len(header) + 1
	header = append(header, noteTitle)
	for i := range call.Checklist {
		header = append(header, fmt.Sprintf("%sC%d", scoreTitle, i+1))
	}
	header = append(header, totalTitle)
	st, err := newCompareStyles(f)
	if err != nil {
		return err
	}
	if err := compareHeader(f, sheet, header, st.head); err != nil {
		return err
	}
	if err := writeGrille(f, call, weights, st); err != nil {
		return err
	}
	for r, row := range rows {
		if err := compareRow(f, sheet, r+2, call, cols, row, st); err != nil {
			return err
		}
		if err := reviewerCells(f, sheet, r+2, noteCol, call, row, st); err != nil {
			return err
		}
	}
	if err := compareView(f, sheet, cols, len(header), noteCol, len(rows)); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("comparaison : %w", err)
	}
	return nil
}

// writeGrille writes the « Grille » sheet: one line per criterion, its
// weight in column C, which the totals' formulas read.
func writeGrille(f *excelize.File, call *model.Call, weights map[string]float64, st compareStyles) error {
	if _, err := f.NewSheet(SheetGrille); err != nil {
		return err
	}
	if err := compareHeader(f, SheetGrille, []string{"Critère", "Libellé", "Poids"}, st.head); err != nil {
		return err
	}
	for i, it := range call.Checklist {
		rw := &rowWriter{f: f, sheet: SheetGrille, y: i + 2}
		rw.next(fmt.Sprintf("C%d", i+1), 0)
		rw.next(call.Label(it), st.wrap)
		wt, ok := weights[it.ID]
		if !ok {
			wt = 1
		}
		rw.next(wt, st.dec)
		if rw.err != nil {
			return rw.err
		}
	}
	help := fmt.Sprintf("Le comité fixe ici le poids de chaque critère ; la colonne « %s » de la feuille « %s » en fait la somme pondérée des scores, par formule.", totalTitle, SheetComparaison)
	cell, _ := excelize.CoordinatesToCellName(1, len(call.Checklist)+3)
	if err := f.SetCellStr(SheetGrille, cell, help); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetGrille, "A", "A", 10); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetGrille, "B", "B", 80); err != nil {
		return err
	}
	return f.SetColWidth(SheetGrille, "C", "C", 10)
}

// reviewerCells writes the note, the scores and the total's formula of
// line y, from column col.
func reviewerCells(f *excelize.File, sheet string, y, col int, call *model.Call, row model.Row, st compareStyles) error {
	rw := &rowWriter{f: f, sheet: sheet, y: y, col: col - 1}
	rw.next(row.Note, st.wrap)
	var terms []string
	for i, it := range call.Checklist {
		rw.col++
		cell, _ := excelize.CoordinatesToCellName(rw.col, y)
		if v, ok := row.Scores[it.ID]; ok {
			rw.set(rw.col, v, st.dec)
		} else if rw.err == nil {
			rw.err = f.SetCellStyle(sheet, cell, cell, st.dec)
		}
		terms = append(terms, fmt.Sprintf("N(%s)*%s!$C$%d", cell, SheetGrille, i+2))
	}
	rw.col++
	cell, _ := excelize.CoordinatesToCellName(rw.col, y)
	if rw.err == nil && len(terms) > 0 {
		rw.err = f.SetCellFormula(sheet, cell, strings.Join(terms, "+"))
	}
	if rw.err == nil {
		rw.err = f.SetCellStyle(sheet, cell, cell, st.dec)
	}
	return rw.err
}

// Notes are a reviewer's work on one candidate, read back from a previous
// comparison.
type Notes struct {
	Note   string
	Scores map[string]float64 // by criterion id
}

// ReadNotes reads the reviewers' notes and scores of a comparison
// workbook that WriteComparison wrote (and a reviewer filled in), by
// candidate folder, and the weights of its « Grille », by criterion id.
// The criteria are matched by their number (C1, C2…) in call.
func ReadNotes(r io.Reader, call *model.Call) (map[string]Notes, map[string]float64, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("classeur illisible (%v) : donnez la comparaison.xlsx d’un lot précédent", err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetComparaison, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		return nil, nil, fmt.Errorf("feuille « %s » introuvable : donnez la comparaison.xlsx d’un lot précédent", SheetComparaison)
	}
	dossier, note := -1, -1
	scores := map[int]string{} // column → criterion id
	for i, h := range rows[0] {
		switch {
		case h == "Dossier":
			dossier = i
		case h == noteTitle:
			note = i
		case strings.HasPrefix(h, scoreTitle+"C"):
			if n, err := strconv.Atoi(strings.TrimPrefix(h, scoreTitle+"C")); err == nil && n >= 1 && n <= len(call.Checklist) {
				scores[i] = call.Checklist[n-1].ID
			}
		}
	}
	if dossier < 0 {
		return nil, nil, fmt.Errorf("feuille « %s » : colonne « Dossier » introuvable", SheetComparaison)
	}
	cell := func(row []string, i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	out := map[string]Notes{}
	for _, row := range rows[1:] {
		key := cell(row, dossier)
		if key == "" {
			continue
		}
		n := Notes{Note: cell(row, note), Scores: map[string]float64{}}
		for i, id := range scores {
			if v, err := strconv.ParseFloat(strings.Replace(cell(row, i), ",", ".", 1), 64); err == nil {
				n.Scores[id] = v
			}
		}
		if n.Note != "" || len(n.Scores) > 0 {
			out[key] = n
		}
	}
	weights := map[string]float64{}
	if grid, err := f.GetRows(SheetGrille, excelize.Options{RawCellValue: true}); err == nil {
		for _, row := range grid[min(1, len(grid)):] {
			if n, err := strconv.Atoi(strings.TrimPrefix(cell(row, 0), "C")); err == nil && n >= 1 && n <= len(call.Checklist) {
				if v, err := strconv.ParseFloat(strings.Replace(cell(row, 2), ",", ".", 1), 64); err == nil {
					weights[call.Checklist[n-1].ID] = v
				}
			}
		}
	}
	return out, weights, nil
}

// compareStyles are the comparison's cell styles, by excelize id.
type compareStyles struct {
	head, date, number, euro, pct, dec, wrap int
}

// newCompareStyles adds the comparison's styles to f.
func newCompareStyles(f *excelize.File) (st compareStyles, err error) {
	style := func(s *excelize.Style) int {
		id, e := f.NewStyle(s)
		if e != nil && err == nil {
			err = e
		}
		return id
	}
	st.head = style(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3A5F"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	top := &excelize.Alignment{Vertical: "top"}
	// Number formats are stored in Excel's neutral syntax (« , » groups
	// thousands, « . » marks decimals); a French Excel shows 12 500,00 €.
	st.date = style(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy"), Alignment: top})
	st.number = style(&excelize.Style{CustomNumFmt: ptr("#,##0"), Alignment: top})
	st.euro = style(&excelize.Style{CustomNumFmt: ptr(`#,##0.00\ "€"`), Alignment: top})
	st.pct = style(&excelize.Style{CustomNumFmt: ptr("0.0%"), Alignment: top})
	st.dec = style(&excelize.Style{CustomNumFmt: ptr("0.00"), Alignment: top})
	st.wrap = style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return st, err
}

// compareHeader writes the header row, in style.
func compareHeader(f *excelize.File, sheet string, header []string, style int) error {
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(header), 1)
	return f.SetCellStyle(sheet, "A1", last, style)
}

// compareRow writes row at line y: the columns cols, then the verdict on
// each criterion of the call. A candidate whose dossier was not made has
// its names, state and reason, and no figures (nothing was read).
func compareRow(f *excelize.File, sheet string, y int, call *model.Call, cols []model.Column, row model.Row, st compareStyles) error {
	rw := &rowWriter{f: f, sheet: sheet, y: y}
	for _, c := range cols {
		v := c.Value(row)
		if row.Etat == model.NonProduit && c.Kind != model.Text {
			rw.col++
			continue
		}
		switch c.Kind {
		case model.Date:
			rw.date(v.(time.Time), st.date)
		case model.Integer:
			rw.next(v, st.number)
		case model.Euros:
			rw.next(float64(v.(int64))/100, st.euro)
		case model.Share:
			if v == nil {
				rw.col++ // no external co-financing: no share
			} else {
				rw.next(v, st.pct)
			}
		case model.Decimal:
			rw.next(v, st.dec)
		default:
			rw.next(v, st.wrap)
		}
	}
	for _, it := range call.Checklist {
		if row.Etat == model.NonProduit {
			rw.col++
			continue
		}
		rw.next(model.StatusOf(row.Criteria, it.ID).String(), 0)
	}
	return rw.err
}

// rowWriter writes the cells of line y from left to right; after an
// error it writes nothing more and keeps the error.
type rowWriter struct {
	f     *excelize.File
	sheet string
	y     int
	col   int // the last column written or skipped
	err   error
}

// next writes v in the next column, in style st (0 for none).
func (rw *rowWriter) next(v any, st int) {
	rw.col++
	rw.set(rw.col, v, st)
}

// date writes t in the next column, in style st, or leaves the cell empty
// for a date not given.
func (rw *rowWriter) date(t time.Time, st int) {
	rw.col++
	if !t.IsZero() {
		rw.set(rw.col, t, st)
	}
}

func (rw *rowWriter) set(col int, v any, st int) {
	if rw.err != nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(col, rw.y)
	if s, ok := v.(string); ok {
		// SetCellStr never makes a formula: names are untrusted.
		rw.err = rw.f.SetCellStr(rw.sheet, cell, s)
	} else {
		rw.err = rw.f.SetCellValue(rw.sheet, cell, v)
	}
	if rw.err == nil && st != 0 {
		rw.err = rw.f.SetCellStyle(rw.sheet, cell, cell, st)
	}
}

// compareView sets the autofilter on the header, freezes the header row and
// the names columns, sizes the columns (text wide, figures narrow) and the
// header row so that the headers wrap whole, and sets up printing: A4
// landscape, fit to the page's width, the header row repeated on each page.
func compareView(f *excelize.File, sheet string, cols []model.Column, n, noteCol, rows int) error {
	end, _ := excelize.CoordinatesToCellName(n, max(rows+1, 2))
	if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		width := 14.0
		switch {
		case i <= len(cols) && cols[i-1].Kind == model.Text:
			width = 28
		case i > len(cols) && i < noteCol:
			width = 18 // a verdict
		case i == noteCol:
			width = 40
		}
		name, _ := excelize.ColumnNumberToName(i)
		if err := f.SetColWidth(sheet, name, name, width); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(sheet, 1, 75); err != nil {
		return err
	}
	landscape, paper, one, zero := "landscape", 9, 1, 0 // 9: A4
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, Size: &paper, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: sheet + "!$1:$1", Scope: sheet})
}

func ptr[T any](v T) *T { return &v }
