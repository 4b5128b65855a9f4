package workbook

import (
	"bytes"
	"fmt"
	"io"
	"necdossier/assemble/internal/testkit"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func matchLabelText(text, label string) bool {
	return slices.Contains(labelKeys(label), Normalize(text))
}

// validationAt finds the data validation covering cell.
func validationAt(dvs []*excelize.DataValidation, cell string) *excelize.DataValidation {
	col, row, _ := excelize.CellNameToCoordinates(cell)
	for _, dv := range dvs {
		for _, ref := range strings.Fields(dv.Sqref) {
			a, b, _ := strings.Cut(ref, ":")
			if b == "" {
				b = a
			}
			c1, r1, err1 := excelize.CellNameToCoordinates(a)
			c2, r2, err2 := excelize.CellNameToCoordinates(b)
			if err1 == nil && err2 == nil && col >= c1 && col <= c2 && row >= r1 && row <= r2 {
				return dv
			}
		}
	}
	return nil
}

func TestWriteWorkbookNoCall(t *testing.T) {
	if err := Write(io.Discard, nil, nil); err == nil {
		t.Error("no error without a call")
	}
}

// TestTemplateForm checks what `init` writes for the user: the guide
// first, sheets in the call's order, styled and frozen headers, an input
// message on every input cell, dropdowns for closed choices, number and
// date formats, and totals as formulas.
func TestTemplateForm(t *testing.T) {
	call := testkit.Call(t)
	f, err := excelize.OpenReader(bytes.NewReader(blank(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	want = append(want, SheetGuide)
	for _, sec := range call.Sections {
		want = append(want, sec.Sheets...)
	}
	var got []string
	for _, name := range f.GetSheetList() {
		if visible, _ := f.GetSheetVisible(name); visible {
			got = append(got, name)
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("visible sheets %v, want %v", got, want)
	}
	guide, _ := f.GetRows(SheetGuide)
	text := fmt.Sprint(guide)
	for _, must := range []string{"lundi 15 juillet 2024", "estelle.patat@anct.gouv.fr", "necdossier check", "necdossier build", "Annexes"} {
		if !strings.Contains(text, must) {
			t.Errorf("guide lacks %q", must)
		}
	}
	for _, s := range Schema {
		panes, err := f.GetPanes(s.Name)
		if err != nil || !panes.Freeze || panes.YSplit == 0 {
			t.Errorf("%s: panes not frozen: %+v %v", s.Name, panes, err)
		}
		dvs, err := f.GetDataValidations(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		lay := s.layout(nil)
		for bi, b := range s.Blocks {
			for fi, fd := range b.Fields {
				cell := cellName(2, lay[bi].firstRow+fi)
				if b.Kind == tableKind {
					cell = cellName(fi+1, lay[bi].lastRow)
					head, _ := f.GetCellValue(s.Name, cellName(fi+1, lay[bi].headerRow))
					st, _ := f.GetCellStyle(s.Name, cellName(fi+1, lay[bi].headerRow))
					style, _ := f.GetStyle(st)
					if !matchLabelText(head, fd.Label) || style == nil || style.Font == nil || !style.Font.Bold || len(style.Fill.Color) == 0 {
						t.Errorf("%s!%s: header %q not styled or not %q", s.Name, cellName(fi+1, lay[bi].headerRow), head, fd.Label)
					}
				}
				dv := validationAt(dvs, cell)
				if dv == nil || dv.Prompt == nil || !strings.Contains(*dv.Prompt, "Exemple") {
					t.Errorf("%s!%s (%s): no input message with an example", s.Name, cell, fd.Key)
					continue
				}
				if (fd.Kind == kChoice || fd.Kind == KYesNo) && dv.Type != "list" {
					t.Errorf("%s!%s (%s): no dropdown", s.Name, cell, fd.Key)
				}
				if nf, ok := numFmt[fd.Kind]; ok {
					st, _ := f.GetCellStyle(s.Name, cell)
					style, _ := f.GetStyle(st)
					if style == nil || style.CustomNumFmt == nil || *style.CustomNumFmt != nf {
						t.Errorf("%s!%s (%s): number format not %q", s.Name, cell, fd.Key, nf)
					}
				}
			}
		}
	}
	// Totals are formulas over the inputs.
	for _, tc := range []struct{ sheet, cell, fragment string }{
		{SheetBudget, "H4", `SUMIF(A5:A`},
		{SheetBudget, "H6", "H4-H5"},
		{SheetMoyens, "H4", "SUM(C5:C"},
	} {
		formula, _ := f.GetCellFormula(tc.sheet, tc.cell)
		if !strings.Contains(formula, tc.fragment) {
			t.Errorf("%s!%s: formula %q, want %q in it", tc.sheet, tc.cell, formula, tc.fragment)
		}
	}
	// The long category list goes through a defined name.
	var names []string
	for _, dn := range f.GetDefinedName() {
		names = append(names, dn.Name)
	}
	if !slices.Contains(names, "liste_Categorie") {
		t.Errorf("defined names %v, want liste_Categorie", names)
	}
}

// blank is the template, as init writes it.
func blank(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, testkit.Call(t), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
