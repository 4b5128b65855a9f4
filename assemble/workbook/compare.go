package workbook

import (
	"fmt"
	"io"
	"necdossier/assemble/model"
	"time"

	"github.com/xuri/excelize/v2"
)

// WriteComparison writes the comparison as a workbook for reviewers: real
// numbers, dates and percentages (so that they sort and sum), an
// autofilter on the header, the header row and the names column frozen.
func WriteComparison(w io.Writer, call *model.Call, rows []model.Row) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	const sheet = "Comparaison"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	header := append(append([]string{}, model.CompareColumns...), model.CriterionColumns(call)...)
	st, err := newCompareStyles(f)
	if err != nil {
		return err
	}
	if err := compareHeader(f, sheet, header, st.head); err != nil {
		return err
	}
	for r, row := range rows {
		if err := compareRow(f, sheet, r+2, call, row, st); err != nil {
			return err
		}
	}
	if err := compareView(f, sheet, len(header), len(rows)); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("comparaison : %w", err)
	}
	return nil
}

// compareStyles are the comparison's cell styles, by excelize id.
type compareStyles struct {
	head, date, number, euro, pct, dec int
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
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
	})
	// Number formats are stored in Excel's neutral syntax (« , » groups
	// thousands, « . » marks decimals); a French Excel shows 12 500,00 €.
	st.date = style(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	st.number = style(&excelize.Style{CustomNumFmt: ptr("#,##0")})
	st.euro = style(&excelize.Style{CustomNumFmt: ptr(`#,##0.00\ "€"`)})
	st.pct = style(&excelize.Style{CustomNumFmt: ptr("0.0%")})
	st.dec = style(&excelize.Style{CustomNumFmt: ptr("0.00")})
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

// compareRow writes row at line y: the columns in model.CompareColumns'
// order, then the verdict on each criterion of the call.
func compareRow(f *excelize.File, sheet string, y int, call *model.Call, row model.Row, st compareStyles) error {
	rw := &rowWriter{f: f, sheet: sheet, y: y}
	rw.next(row.Dossier, 0)
	rw.next(row.Candidat, 0)
	rw.next(row.Type, 0)
	rw.date(row.Communautaire, st.date)
	rw.date(row.Jour1, st.date)
	rw.date(row.Jour2, st.date)
	rw.next(row.Capacite, st.number)
	rw.next(row.CapaciteTotale, st.number)
	rw.next(row.Pleniere, st.number)
	rw.next(row.Salles, st.number)
	rw.next(float64(row.Budget)/100, st.euro)
	rw.next(float64(row.EnNature)/100, st.euro)
	rw.next(float64(row.Autofinancement)/100, st.euro)
	rw.next(float64(row.Exterieur)/100, st.euro)
	if p, ok := row.PartAcquise(); ok {
		rw.next(p, st.pct)
	} else {
		rw.col++ // no external co-financing: no share
	}
	rw.next(float64(row.Demande)/100, st.euro)
	rw.next(float64(row.ParParticipant)/100, st.euro)
	rw.next(row.ETP, st.dec)
	rw.next(row.Partenaires, 0)
	rw.next(row.Initiatives, 0)
	rw.next(row.NECLocaux, 0)
	rw.next(row.Lettres, 0)
	rw.next(row.AutresPieces, 0)
	rw.next(row.Pages, 0)
	rw.next(row.Empreinte, 0)
	for _, it := range call.Checklist {
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
// the names column, and sizes the columns and the header row.
func compareView(f *excelize.File, sheet string, cols, rows int) error {
	end, _ := excelize.CoordinatesToCellName(cols, max(rows+1, 2))
	if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "B", 30); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(cols)
	if err := f.SetColWidth(sheet, "C", lastCol, 16); err != nil {
		return err
	}
	return f.SetRowHeight(sheet, 1, 32)
}

func ptr[T any](v T) *T { return &v }
