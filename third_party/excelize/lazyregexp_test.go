package excelize

import (
	"regexp"
	"testing"
)

// necdossier fork: the regular expressions compiled at first use are
// upstream's, and what uses them gives upstream's results.

func TestLazyRegexpsAreUpstreams(t *testing.T) {
	for _, tc := range []struct {
		re   *lazyRegexp
		expr string
	}{
		{wildcardTokenRE, `~[*?~]|[*?]|[\s\S]`},
		{dateFormats["mm/dd/yy"], `^` + df1 + timeSuffix},
		{dateFormats["mm dd, yy"], `^` + df2 + timeSuffix},
		{dateFormats["yy-mm-dd"], `^` + df3 + timeSuffix},
		{dateFormats["yy-mmStr-dd"], `^` + df4 + timeSuffix},
		{timeFormats["hh"], datePrefix + tfhh + `$`},
		{timeFormats["hh:mm"], datePrefix + tfhhmm + `$`},
		{timeFormats["mm:ss"], datePrefix + tfmmss + `$`},
		{timeFormats["hh:mm:ss"], datePrefix + tfhhmmss + `$`},
		{dateOnlyFormats[0], `^` + df1 + `$`},
		{dateOnlyFormats[1], `^` + df2 + `$`},
		{dateOnlyFormats[2], `^` + df3 + `$`},
		{dateOnlyFormats[3], `^` + df4 + `$`},
		{formulaFormats[0], `^(\d+)$`},
		{formulaFormats[1], `^=(.*)$`},
		{formulaFormats[2], `^<>(.*)$`},
		{formulaFormats[3], `^<=(.*)$`},
		{formulaFormats[4], `^>=(.*)$`},
		{formulaFormats[5], `^<(.*)$`},
		{formulaFormats[6], `^>(.*)$`},
		{bstrExp, `_x[a-fA-F\d]{4}_`},
		{bstrEscapeExp, `x[a-fA-F\d]{4}_`},
		{expressionFormat, `"(?:[^"]|"")*"|\S+`},
		{conditionFormat, `(or|\|\|)`},
		{blankFormat, "blanks|nonblanks"},
		{matchFormat, "[*?]"},
	} {
		if tc.re == nil {
			t.Fatalf("%s: missing", tc.expr)
		}
		if got := tc.re.get(); got.String() != regexp.MustCompile(tc.expr).String() {
			t.Errorf("compiled %q, want %q", got, tc.expr)
		}
	}
	if len(dateFormats) != 4 || len(timeFormats) != 4 || len(dateOnlyFormats) != 4 || len(formulaFormats) != 7 {
		t.Errorf("%d, %d, %d, %d expressions", len(dateFormats), len(timeFormats), len(dateOnlyFormats), len(formulaFormats))
	}
	if names := columnNames(); len(names) != MaxColumns+1 || names[1] != "A" || names[27] != "AA" || names[MaxColumns] != "XFD" {
		t.Errorf("column names %d long, %q %q %q", len(names), names[1], names[27], names[MaxColumns])
	}
}

// TestLazyRegexpUses checks upstream's results (the same test passes on
// upstream v2.11.1) of what calls the expressions: formula criteria and
// wildcards, dates and times as text, escaped characters in strings, and
// auto filter expressions.
func TestLazyRegexpUses(t *testing.T) {
	f := NewFile()
	for cell, v := range map[string]any{"A1": 1, "A2": 5, "A3": 12, "B1": "apple", "B2": "apricot", "B3": "banana*", "C1": "2025-09-25", "C2": "09/01/2025", "C3": "10:30 pm"} {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ formula, want string }{
		{`COUNTIF(A1:A3,">=5")`, "2"},
		{`COUNTIF(A1:A3,"<>5")`, "2"},
		{`COUNTIF(A1:A3,"12")`, "1"},
		{`SUMIF(A1:A3,"<5")`, "1"},
		{`COUNTIF(B1:B3,"ap*")`, "2"},
		{`COUNTIF(B1:B3,"a?ple")`, "1"},
		{`COUNTIF(B1:B3,"banana~*")`, "1"},
		{`DATEVALUE(C1)`, "45925"},
		{`DATEVALUE(C2)`, "45901"},
		{`DATEVALUE("september 25, 2025")`, "45925"},
		{`DATEVALUE("25-sep-2025")`, "45925"},
		{`DAY(C1)`, "25"},
		{`TIMEVALUE(C3)`, "0.9375"},
		{`TIMEVALUE("2025-09-25 06:00:00")`, "0.25"},
		{`DATEVALUE("fin septembre")`, "#VALUE!"},
	} {
		if err := f.SetCellFormula("Sheet1", "D1", tc.formula); err != nil {
			t.Fatal(err)
		}
		got, err := f.CalcCellValue("Sheet1", "D1", Options{RawCellValue: true})
		if got != tc.want {
			t.Errorf("%s = %q (%v), want %q", tc.formula, got, err, tc.want)
		}
	}

	for _, tc := range []struct{ xml, want string }{
		{"ligne 1_x000D_\nligne 2", "ligne 1\r\nligne 2"},
		{"_x0008_", "\b"},
		{"_x005F_x000D_", "_x000D_"},
		{"sans échappement", "sans échappement"},
	} {
		if got := bstrUnmarshal(tc.xml); got != tc.want {
			t.Errorf("bstrUnmarshal(%q) = %q, want %q", tc.xml, got, tc.want)
		}
	}
	for _, tc := range []struct{ text, want string }{
		{"_x000D_", "_x005F_x000D_"},
		{"_x005F_x000D_", "_x005F_x005F_x005F_x000D_"},
		{"a_b", "a_b"},
	} {
		if got := bstrMarshal(tc.text); got != tc.want {
			t.Errorf("bstrMarshal(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}

	if err := f.AutoFilter("Sheet1", "A1:B3", []AutoFilterOptions{
		{Column: "A", Expression: "x > 2 or x == blanks"},
		{Column: "B", Expression: `x == "ap*"`},
	}); err != nil {
		t.Fatal(err)
	}
	ws, err := f.workSheetReader("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	fc := ws.AutoFilter.FilterColumn
	if len(fc) != 2 || fc[0].CustomFilters == nil || len(fc[0].CustomFilters.CustomFilter) != 2 || fc[1].CustomFilters == nil {
		t.Fatalf("filter columns %+v", fc)
	}
	if c := fc[0].CustomFilters; c.And || c.CustomFilter[0].Operator != "greaterThan" || c.CustomFilter[0].Val != "2" || c.CustomFilter[1].Operator != "equal" || c.CustomFilter[1].Val != "blanks" {
		t.Errorf("column A filter %+v %+v %+v", c, c.CustomFilter[0], c.CustomFilter[1])
	}
	if c := fc[1].CustomFilters.CustomFilter; c[0].Operator != "equal" || c[0].Val != `"ap*"` {
		t.Errorf("column B filter %+v", c[0])
	}
}
