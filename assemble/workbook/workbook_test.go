package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"necdossier/assemble/french"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestSchemaMatchesModel(t *testing.T) {
	goType := map[kind]reflect.Type{
		kText: reflect.TypeOf(""), kLongText: reflect.TypeOf(""), kChoice: reflect.TypeOf(""), kEmail: reflect.TypeOf(""),
		kPhone: reflect.TypeOf(""), kFile: reflect.TypeOf(""), kURL: reflect.TypeOf(""), kPostcode: reflect.TypeOf(""),
		kInt: reflect.TypeOf(int64(0)), kYear: reflect.TypeOf(int64(0)), kMoney: reflect.TypeOf(int64(0)),
		kDecimal: reflect.TypeOf(0.0), kDate: reflect.TypeOf(time.Time{}), KYesNo: reflect.TypeOf(false),
	}
	c := &model.Candidature{}
	for _, s := range Schema {
		for _, b := range s.Blocks {
			v := ModelOf(c, b)
			if !v.IsValid() {
				t.Fatalf("%s: block %s is not a field of Candidature", s.Name, b.name)
			}
			typ := v.Type()
			if b.Kind == tableKind {
				if typ.Kind() != reflect.Slice {
					t.Fatalf("%s: table %s is not a slice", s.Name, b.name)
				}
				typ = typ.Elem()
			}
			if _, ok := typ.FieldByName("At"); !ok {
				t.Errorf("%s: %s has no At Ref", s.Name, typ)
			}
			for _, f := range b.Fields {
				sf, ok := typ.FieldByName(f.Key)
				if !ok {
					t.Errorf("%s: field %s.%s missing from the model", s.Name, typ, f.Key)
					continue
				}
				if sf.Type != goType[f.Kind] {
					t.Errorf("%s: %s.%s is %s, the schema's kind needs %s", s.Name, typ, f.Key, sf.Type, goType[f.Kind])
				}
				if f.help == "" || f.Label == "" {
					t.Errorf("%s: %s has no label or help", s.Name, f.Key)
				}
				if (f.Kind == kChoice || f.Kind == KYesNo) && len(f.choices) == 0 {
					t.Errorf("%s: %s is a choice without choices", s.Name, f.Key)
				}
			}
		}
	}
}

func TestCellFor(t *testing.T) {
	tests := []struct {
		sheet, key string
		row        int
		want       string
		err        string
	}{
		{SheetCollectivite, "Nom", 0, "B4", ""},
		{SheetCollectivite, "Population", 7, "B6", ""},
		{SheetBudget, "Categorie", 0, "A5", ""},
		{SheetBudget, "Montant", 2, "E7", ""},
		{SheetLieux, "Jour1", 0, "B6", ""},
		{SheetLieux, "Nom", 0, "A13", ""},
		{SheetAnnexes, "Fichier", 40, "A45", ""},
		{SheetLieux, "Capacite", 5, "C18", ""},
		{SheetLieux, "Capacite", 6, "", "a 6 lignes préparées"},
		{SheetLieux, "Heure", 30, "B53", ""},
		{"Budjet", "Montant", 0, "", "feuille « Budjet » inconnue"},
		{SheetBudget, "Prix", 0, "", "champ \"Prix\" inconnu"},
	}
	for _, tt := range tests {
		got, err := CellFor(tt.sheet, tt.key, tt.row)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("CellFor(%s, %s) error %v, want %q", tt.sheet, tt.key, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CellFor(%s, %s, %d) = %q, %v; want %q", tt.sheet, tt.key, tt.row, got, err, tt.want)
		}
	}
}

func ExampleCellFor() {
	cell, _ := CellFor("Budget", "Montant", 0)
	fmt.Println(cell)
	cell, _ = CellFor("Collectivité", "ContactEmail", 0)
	fmt.Println(cell)
	// Output:
	// E5
	// B15
}

// parseCase is a text and what a parser should read in it.
type parseCase[T comparable] struct {
	in   string
	want T
	ok   bool
}

// testParser runs parse, named name in messages, on each case.
func testParser[T comparable](t *testing.T, name string, parse func(string) (T, bool), tests []parseCase[T]) {
	t.Helper()
	for _, tt := range tests {
		got, ok := parse(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s(%q) = %v, %v; want %v, %v", name, tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseAmount(t *testing.T) {
	testParser(t, "parseAmount", parseAmount, []parseCase[int64]{
		{"12500", 1250000, true},
		{"12 500 €", 1250000, true},
		{"12\u00a0500\u00a0€", 1250000, true},
		{"12\u202f500 €", 1250000, true},
		{"12.500,00", 1250000, true},
		{"12,500.00", 1250000, true},
		{"12500 euros", 1250000, true},
		{"12500 EUR", 1250000, true},
		{"12 500,50", 1250050, true},
		{"12 500,5", 1250050, true},
		{"€ 300", 30000, true},
		{"1.250.000", 125000000, true},
		{"12.500", 1250000, true},
		{"12.50", 1250, true},
		{"0.500", 50, true},
		{"12,505", 1251, true},
		{"12 k€", 1200000, true},
		{"1,5 k€", 150000, true},
		{"-1 200 €", -120000, true},
		{"1'250", 125000, true},
		// As people type them: the tax word, a closing dot, EUR, k€, thin spaces.
		{"46 800 € TTC", 4680000, true},
		{"46 800 € HT", 4680000, true},
		{"46 800 €.", 4680000, true},
		{"46 800 TTC", 4680000, true},
		{"46\u2009800\u00a0EUR", 4680000, true},
		{"12 k€ HT", 1200000, true},
		{"46 800,50 € TTC.", 4680050, true},
		{"€", 0, false},
		{"TTC", 0, false},
		{"douze mille", 0, false},
		{"", 0, false},
		{"12.5.0", 0, false},
		{"1.2345,00", 0, false},
		{"12,50,00", 0, false},
		{"12 500 $", 0, false},
		{"9999999999999999", 0, false},
	})
}

func TestParseInt(t *testing.T) {
	testParser(t, "parseInt", parseInt, []parseCase[int64]{
		{"2400", 2400, true},
		{"2 400", 2400, true},
		{"2\u00a0400", 2400, true},
		{"2.400", 2400, true},
		{"2400 places", 2400, true},
		{" 12 salles ", 12, true},
		{"2400,0", 2400, true},
		{"2400,5", 0, false},
		{"environ 2000", 0, false},
		{"beaucoup", 0, false},
	})
}

func TestParseDecimal(t *testing.T) {
	testParser(t, "parseDecimal", parseDecimal, []parseCase[float64]{
		{"0,5", 0.5, true},
		{"1.5", 1.5, true},
		{"2", 2, true},
		{" 1,25 ", 1.25, true},
		{"un demi", 0, false},
	})
}

func TestParseDate(t *testing.T) {
	sept25 := testkit.Day(2025, 9, 25)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"25/09/2025", sept25, true},
		{"25/9/2025", sept25, true},
		{"25/09/25", sept25, true},
		{"25-09-2025", sept25, true},
		{"25.09.2025", sept25, true},
		{" 25 / 09 / 2025 ", sept25, true},
		{"2025-09-25", sept25, true},
		{"2025-09-25T00:00:00Z", sept25, true},
		{"2025-09-25 10:30:00", sept25, true},
		{"25 septembre 2025", sept25, true},
		{"25 Septembre 2025", sept25, true},
		{"25\u00a0septembre\u00a02025", sept25, true},
		{"jeudi 25 septembre 2025", sept25, true},
		{"25 sept. 2025", sept25, true},
		{"1er octobre 2025", testkit.Day(2025, 10, 1), true},
		{"1ᵉʳ octobre 2025", testkit.Day(2025, 10, 1), true},
		{"1 oct 2025", testkit.Day(2025, 10, 1), true},
		{"31/02/2025", time.Time{}, false},
		{"25/13/2025", time.Time{}, false},
		{"fin septembre", time.Time{}, false},
		{"25 septembre", time.Time{}, false},
		{"2025-9-25x", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSerialDate(t *testing.T) {
	tests := []struct {
		raw      string
		date1904 bool
		want     time.Time
		ok       bool
	}{
		{"45925", false, testkit.Day(2025, 9, 25), true},
		{"45925.75", false, testkit.Day(2025, 9, 25), true},
		{"44463", true, testkit.Day(2025, 9, 25), true},
		{"0", false, time.Time{}, false},
		{"-3", false, time.Time{}, false},
		{"abc", false, time.Time{}, false},
		{"1e300", false, time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := serialDate(tt.raw, tt.date1904)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("serialDate(%q, %v) = %v, %v; want %v, %v", tt.raw, tt.date1904, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseYesNo(t *testing.T) {
	for _, s := range []string{"oui", "Oui", " OUI ", "o", "x", "X", "✓", "✔", "TRUE", "vrai", "1", "yes", "oui\u00a0"} {
		if v, ok := parseYesNo(s); !ok || !v {
			t.Errorf("parseYesNo(%q) = %v, %v; want true", s, v, ok)
		}
	}
	for _, s := range []string{"non", "Non", "NON", "n", "FALSE", "faux", "0", "-"} {
		if v, ok := parseYesNo(s); !ok || v {
			t.Errorf("parseYesNo(%q) = %v, %v; want false", s, v, ok)
		}
	}
	for _, s := range []string{"peut-être", "à confirmer", "?"} {
		if _, ok := parseYesNo(s); ok {
			t.Errorf("parseYesNo(%q) accepted", s)
		}
	}
}

func TestMatchChoice(t *testing.T) {
	tests := []struct{ in, want string }{
		{"74 – Subventions d’exploitation", "74 – Subventions d’exploitation"},
		{"74 - subventions d'exploitation", "74 – Subventions d’exploitation"},
		{"74", "74 – Subventions d’exploitation"},
		{"74 Subventions", "74 – Subventions d’exploitation"},
		{"sollicite", "Sollicité"},
		{"ACQUIS", "Acquis"},
		{"99", ""},
		{"Subventions", ""},
	}
	choices := append(append([]string{}, model.BudgetCategories...), budgetStatuts...)
	for _, tt := range tests {
		got, ok := matchChoice(tt.in, choices)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("matchChoice(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Montant (€) *", "montant"},
		{"  Coût d’occupation (€)", "cout d occupation"},
		{"ÉLU·E EN CHARGE : NOM", "elu e en charge nom"},
		{"Collectivité", "collectivite"},
		{"The\u0301matiques", "thematiques"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSameSheet(t *testing.T) {
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"Collectivité", SheetCollectivite, true},
		{"COLLECTIVITE", SheetCollectivite, true},
		{"Collectivite\u0301", SheetCollectivite, true},
		{"Lieux et dates - Tableau 1", SheetLieux, true},
		{"Lieux-et-dates", SheetLieux, true},
		{"Lieux", SheetLieux, false},
		{"Budget 2025", SheetBudget, false},
	}
	for _, tt := range tests {
		if got := sameSheet(tt.name, tt.want); got != tt.ok {
			t.Errorf("sameSheet(%q, %q) = %v", tt.name, tt.want, got)
		}
	}
}

// TestCorpusWorkbooks reads every workbook of the corpus: none is our
// form, so each must give a clear French error, of the right kind.
func TestCorpusWorkbooks(t *testing.T) {
	dir := testkit.CorpusDir(t)
	manifest, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, line := range strings.Split(string(manifest), "\n")[1:] {
		cols := strings.Split(line, "\t")
		if len(cols) < 6 || !strings.HasSuffix(cols[0], ".xlsx") {
			continue
		}
		name, expected := cols[0], cols[5]
		seen++
		t.Run(name, func(t *testing.T) {
			_, _, err := ReadFile(filepath.Join(dir, name))
			if err == nil {
				t.Fatal("read as a candidature form")
			}
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("error %T is not a *WorkbookError: %v", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, filepath.Join(dir, name)) {
				t.Errorf("error does not name the file as given: %s", msg)
			}
			switch {
			case strings.Contains(name, "encrypted"):
				if !errors.Is(err, ErrEncrypted) || !strings.Contains(msg, "sans mot de passe") {
					t.Errorf("encrypted workbook: %v", err)
				}
			case expected == "ok":
				if !errors.Is(err, ErrNotOurForm) || !strings.Contains(msg, french.Spaced("feuille « Collectivité » introuvable ; feuilles présentes : «")) {
					t.Errorf("sound workbook, not our form: %v", err)
				}
			default:
				if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNotWorkbook) {
					t.Errorf("broken workbook: %v", err)
				}
			}
			t.Log(msg)
		})
	}
	if seen < 10 {
		t.Errorf("only %d workbooks in the corpus manifest", seen)
	}
}

// TestCorpusOtherFiles gives the corpus's PDFs and images as workbooks.
func TestCorpusOtherFiles(t *testing.T) {
	dir := testkit.CorpusDir(t)
	for _, sub := range []string{"pdf", "images", "broken"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".xlsx") {
				continue
			}
			_, _, err := ReadFile(filepath.Join(dir, sub, e.Name()))
			if !errors.Is(err, ErrNotWorkbook) {
				t.Errorf("%s/%s: %v, want ErrNotWorkbook", sub, e.Name(), err)
			}
		}
	}
}

// zipBomb makes an xlsx whose one sheet unzips to n bytes of spaces.
func zipBomb(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range map[string]string{
		"[Content_Types].xml":        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels":                `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Collectivité" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	} {
		w, _ := zw.Create(name)
		w.Write([]byte(data))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < n>>20; i++ {
		w.Write(chunk)
	}
	w.Write([]byte(`</sheetData></worksheet>`))
	zw.Close()
	return buf.Bytes()
}

func TestReadZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 256 MB bomb; skipped in -short mode")
	}
	b := zipBomb(t, 256<<20) // 256 MB unzipped, 250 KB zipped
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := Read(bytes.NewReader(b), int64(len(b)), "bombe.xlsx")
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "décompressé") {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 16<<20 {
		t.Errorf("refusing the bomb allocated %d MB", alloc>>20)
	}
	t.Logf("zipped %d KB, refused after allocating %d KB: %v", len(b)>>10, alloc>>10, err)
}

func TestReadJustUnderTheLimit(t *testing.T) {
	// 30 MB of XML, under the limit: read as a stream, with memory about
	// twice the size (encoding/xml holds a run of text whole).
	b := zipBomb(t, 30<<20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, fs, err := Read(bytes.NewReader(b), int64(len(b)), "gros.xlsx")
	runtime.ReadMemStats(&after)
	if err != nil || !testkit.HasFinding(fs, SheetBudget, "", model.Erreur, "feuille « Budget » introuvable") {
		t.Fatalf("err = %v, findings %v", err, fs)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 128<<20 {
		t.Errorf("reading 30 MB allocated %d MB", alloc>>20)
	}
	t.Logf("30 MB unzipped read, allocating %d MB", alloc>>20)
}

func TestReadLyingZip(t *testing.T) {
	// The sheet's header declares 100 bytes but it holds 40 MB: archive/zip
	// stops at the declared size, so the lie cannot inflate memory.
	b := zipBomb(t, 40<<20)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		h := f.FileHeader
		if f.Name == "xl/worksheets/sheet1.xml" {
			h.UncompressedSize64 = 100
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, raw)
	}
	zw.Close()
	_, _, err = Read(bytes.NewReader(out.Bytes()), int64(out.Len()), "menteur.xlsx")
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("err = %v, want ErrCorrupt", err)
	}
}

// FuzzParseAmount: no panic, and what Money writes reads back.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12 500 €", "12.500,00", "12500 euros", "12 500,50", "1,5 k€", "-3", "1'250", "0.500", "€"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parseAmount(s)
		if !ok {
			return
		}
		if back, ok := parseAmount(french.Money(n)); !ok || back != n {
			t.Fatalf("parseAmount(%q) = %d, but Money gives %q which reads %d, %v", s, n, french.Money(n), back, ok)
		}
	})
}

// FuzzParseDate: no panic, and a date read is written and read back alike.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"25/09/2025", "25 septembre 2025", "2025-09-25", "jeudi 1er octobre 2025", "31/02/2025", "2025-09-25T10:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDate(s)
		if !ok {
			return
		}
		for _, w := range []string{french.NumericDate(d), french.ShortDate(d), french.LongDate(d), d.Format(time.DateOnly)} {
			if back, ok := parseDate(w); !ok || !back.Equal(d) {
				t.Fatalf("parseDate(%q) = %v, but %q reads %v, %v", s, d, w, back, ok)
			}
		}
	})
}

// FuzzParseText runs the other text parsers: no panic, stable results.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"oui", "✓", "2 400 places", "0,5", " a\u00a0 b ", "74 – Subventions", "+33 (0)2 99 12 34 56"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := parseYesNo(s); ok {
			if v2, ok2 := parseYesNo(" " + strings.ToUpper(s) + " "); !ok2 || v2 != v {
				t.Fatalf("parseYesNo(%q) depends on case or spaces", s)
			}
		}
		parseInt(s)
		parseDecimal(s)
		matchChoice(s, model.BudgetCategories)
		if l := cleanLine(s); cleanLine(l) != l {
			t.Fatalf("cleanLine not idempotent on %q", s)
		}
		if l := cleanText(s); cleanText(l) != l {
			t.Fatalf("cleanText not idempotent on %q", s)
		}
	})
}

// BenchmarkWriteWorkbook writes the blank template, as init does.
func BenchmarkWriteWorkbook(b *testing.B) {
	call := testkit.Call(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, call, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSchemaKeysUnique: a block's fields have each their key, which
// findHeader relies on.
func TestSchemaKeysUnique(t *testing.T) {
	for _, s := range Schema {
		for _, b := range s.Blocks {
			seen := map[string]bool{}
			for _, f := range b.Fields {
				if seen[f.Key] {
					t.Errorf("%s / %s: key %s twice", s.Name, b.Title, f.Key)
				}
				seen[f.Key] = true
			}
		}
	}
}
