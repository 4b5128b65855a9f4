package workbook

import (
	"fmt"
	"io"
	"necdossier/assemble/model"
	"time"

	"github.com/xuri/excelize/v2"
)

// WriteCompareXLSX writes the comparison as a workbook for reviewers: real
// numbers, dates and percentages (so that they sort and sum), an
// autofilter on the header, the header row and the names column frozen.
func WriteCompareXLSX(w io.Writer, call *model.Call, rows []model.Row) (err error) {
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
	style := func(s *excelize.Style) int {
		id, e := f.NewStyle(s)
		if e != nil && err == nil {
			err = e
		}
		return id
	}
	headStyle := style(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3A5F"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
	})
	// Number formats are stored in Excel's neutral syntax (« , » groups
	// thousands, « . » marks decimals); a French Excel shows 12 500,00 €.
	dateStyle := style(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy")})
	intStyle := style(&excelize.Style{CustomNumFmt: ptr("#,##0")})
	euroStyle := style(&excelize.Style{CustomNumFmt: ptr(`#,##0.00\ "€"`)})
	pctStyle := style(&excelize.Style{CustomNumFmt: ptr("0.0%")})
	decStyle := style(&excelize.Style{CustomNumFmt: ptr("0.00")})
	if err != nil {
		return err
	}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(header), 1)
	if err := f.SetCellStyle(sheet, "A1", last, headStyle); err != nil {
		return err
	}
	for r, row := range rows {
		y := r + 2
		set := func(col int, v any, st int) {
			if err != nil {
				return
			}
			cell, _ := excelize.CoordinatesToCellName(col, y)
			if s, ok := v.(string); ok {
				// SetCellStr never makes a formula: names are untrusted.
				err = f.SetCellStr(sheet, cell, s)
			} else {
				err = f.SetCellValue(sheet, cell, v)
			}
			if err == nil && st != 0 {
				err = f.SetCellStyle(sheet, cell, cell, st)
			}
		}
		col := 0 // the columns in compareColumns' order, then the criteria
		next := func(v any, st int) { col++; set(col, v, st) }
		date := func(t time.Time) {
			col++
			if !t.IsZero() {
				set(col, t, dateStyle)
			}
		}
		next(row.Dossier, 0)
		next(row.Candidat, 0)
		next(row.Type, 0)
		date(row.Communautaire)
		date(row.Jour1)
		date(row.Jour2)
		next(row.Capacite, intStyle)
		next(row.CapaciteTotale, intStyle)
		next(row.Pleniere, intStyle)
		next(row.Salles, intStyle)
		next(float64(row.Budget)/100, euroStyle)
		next(float64(row.EnNature)/100, euroStyle)
		next(float64(row.Autofinancement)/100, euroStyle)
		next(float64(row.Exterieur)/100, euroStyle)
		if p, ok := row.PartAcquise(); ok {
			next(p, pctStyle)
		} else {
			col++ // no external co-financing: no share
		}
		next(float64(row.Demande)/100, euroStyle)
		next(float64(row.ParParticipant)/100, euroStyle)
		next(row.ETP, decStyle)
		next(row.Partenaires, 0)
		next(row.Initiatives, 0)
		next(row.NECLocaux, 0)
		next(row.Lettres, 0)
		next(row.AutresPieces, 0)
		next(row.Pages, 0)
		next(row.Empreinte, 0)
		for _, it := range call.Checklist {
			next(model.StatusOf(row.Criteria, it.ID).String(), 0)
		}
		if err != nil {
			return err
		}
	}
	end, _ := excelize.CoordinatesToCellName(len(header), max(len(rows)+1, 2))
	if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "B", 30); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetColWidth(sheet, "C", lastCol, 16); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 32); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("comparaison : %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
