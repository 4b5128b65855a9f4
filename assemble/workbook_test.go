package assemble

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestSchemaMatchesModel(t *testing.T) {
	goType := map[kind]reflect.Type{
		kText: reflect.TypeOf(""), kLongText: reflect.TypeOf(""), kChoice: reflect.TypeOf(""), kEmail: reflect.TypeOf(""),
		kPhone: reflect.TypeOf(""), kFile: reflect.TypeOf(""), kURL: reflect.TypeOf(""), kPostcode: reflect.TypeOf(""),
		kInt: reflect.TypeOf(int64(0)), kYear: reflect.TypeOf(int64(0)), kMoney: reflect.TypeOf(int64(0)),
		kDecimal: reflect.TypeOf(0.0), kDate: reflect.TypeOf(time.Time{}), kYesNo: reflect.TypeOf(false),
	}
	c := &Candidature{}
	for _, s := range schema {
		for _, b := range s.blocks {
			v := modelOf(c, b)
			if !v.IsValid() {
				t.Fatalf("%s: block %s is not a field of Candidature", s.name, b.name)
			}
			typ := v.Type()
			if b.kind == tableKind {
				if typ.Kind() != reflect.Slice {
					t.Fatalf("%s: table %s is not a slice", s.name, b.name)
				}
				typ = typ.Elem()
			}
			if _, ok := typ.FieldByName("At"); !ok {
				t.Errorf("%s: %s has no At Ref", s.name, typ)
			}
			for _, f := range b.fields {
				sf, ok := typ.FieldByName(f.key)
				if !ok {
					t.Errorf("%s: field %s.%s missing from the model", s.name, typ, f.key)
					continue
				}
				if sf.Type != goType[f.kind] {
					t.Errorf("%s: %s.%s is %s, the schema's kind needs %s", s.name, typ, f.key, sf.Type, goType[f.kind])
				}
				if f.help == "" || f.label == "" {
					t.Errorf("%s: %s has no label or help", s.name, f.key)
				}
				if (f.kind == kChoice || f.kind == kYesNo) && len(f.choices) == 0 {
					t.Errorf("%s: %s is a choice without choices", s.name, f.key)
				}
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	want := richCandidature()
	got, fs := readBook(t, writeBook(t, want))
	if len(fs) != 0 {
		t.Fatalf("findings reading a written workbook: %v", fs)
	}
	if !reflect.DeepEqual(withoutRefs(got), withoutRefs(want)) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", withoutRefs(got), withoutRefs(want))
	}
	// The refs name the cells the template puts the values in.
	if got.Collectivite.At.Cell("Nom") != mustCell(t, sheetCollectivite, "Nom", 0) {
		t.Errorf("Nom at %q", got.Collectivite.At.Cell("Nom"))
	}
	if c := got.Budget[3].At.Cell("Montant"); c != mustCell(t, sheetBudget, "Montant", 3) {
		t.Errorf("Budget[3].Montant at %q, want %q", c, mustCell(t, sheetBudget, "Montant", 3))
	}
	if got.Budget[3].At.Sheet != sheetBudget || got.Lieux[1].At.Sheet != sheetLieux {
		t.Errorf("refs name sheets %q, %q", got.Budget[3].At.Sheet, got.Lieux[1].At.Sheet)
	}
}

func mustCell(t testing.TB, sheet, key string, row int) string {
	t.Helper()
	c, err := CellFor(sheet, key, row)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCellFor(t *testing.T) {
	tests := []struct {
		sheet, key string
		row        int
		want       string
		err        string
	}{
		{sheetCollectivite, "Nom", 0, "B4", ""},
		{sheetCollectivite, "Population", 7, "B6", ""},
		{sheetBudget, "Categorie", 0, "A5", ""},
		{sheetBudget, "Montant", 2, "E7", ""},
		{sheetLieux, "Jour1", 0, "B6", ""},
		{sheetLieux, "Nom", 0, "A13", ""},
		{sheetAnnexes, "Fichier", 40, "A45", ""},
		{sheetLieux, "Capacite", 5, "C18", ""},
		{sheetLieux, "Capacite", 6, "", "a 6 lignes préparées"},
		{sheetLieux, "Heure", 30, "B53", ""},
		{"Budjet", "Montant", 0, "", "feuille « Budjet » inconnue"},
		{sheetBudget, "Prix", 0, "", "champ \"Prix\" inconnu"},
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

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
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
		{"douze mille", 0, false},
		{"", 0, false},
		{"12.5.0", 0, false},
		{"1.2345,00", 0, false},
		{"12,50,00", 0, false},
		{"12 500 $", 0, false},
		{"9999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseAmount(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
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
	}
	for _, tt := range tests {
		got, ok := parseInt(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseInt(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0,5", 0.5, true},
		{"1.5", 1.5, true},
		{"2", 2, true},
		{" 1,25 ", 1.25, true},
		{"un demi", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseDecimal(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseDecimal(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	sept25 := day(2025, 9, 25)
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
		{"1er octobre 2025", day(2025, 10, 1), true},
		{"1 oct 2025", day(2025, 10, 1), true},
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
		{"45925", false, day(2025, 9, 25), true},
		{"45925.75", false, day(2025, 9, 25), true},
		{"44463", true, day(2025, 9, 25), true},
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
	choices := append(append([]string{}, budgetCategories...), budgetStatuts...)
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
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// edited writes c, lets edit change the workbook as a user or another
// program would, and returns the bytes.
func edited(t testing.TB, c *Candidature, edit func(f *excelize.File) error) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(writeBook(t, c)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := edit(f); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// set puts v in the template's cell of (sheet, key, row).
func set(f *excelize.File, sheet, key string, row int, v any) error {
	cell, err := CellFor(sheet, key, row)
	if err != nil {
		return err
	}
	if v == nil {
		return f.SetCellValue(sheet, cell, nil)
	}
	return f.SetCellValue(sheet, cell, v)
}

// TestReadTolerance reads values typed the ways people type them, each
// case in its cell of a blank template.
func TestReadTolerance(t *testing.T) {
	tests := []struct {
		name       string
		sheet, key string
		row        int
		in         any
		get        func(c *Candidature) any
		want       any
	}{
		{"amount number", sheetBudget, "Montant", 0, 12500.5, func(c *Candidature) any { return c.Budget[0].Montant }, int64(1250050)},
		{"amount text with €", sheetBudget, "Montant", 0, "12 500 €", func(c *Candidature) any { return c.Budget[0].Montant }, int64(1250000)},
		{"amount dotted thousands", sheetBudget, "Montant", 0, "12.500,00", func(c *Candidature) any { return c.Budget[0].Montant }, int64(1250000)},
		{"amount euros word", sheetBudget, "Montant", 0, "12500 euros", func(c *Candidature) any { return c.Budget[0].Montant }, int64(1250000)},
		{"amount decimal comma", sheetBudget, "Montant", 0, "12 500,50", func(c *Candidature) any { return c.Budget[0].Montant }, int64(1250050)},
		{"amount no-break spaces", sheetBudget, "Montant", 0, "12\u00a0500\u00a0€", func(c *Candidature) any { return c.Budget[0].Montant }, int64(1250000)},
		{"date cell", sheetLieux, "Jour1", 0, day(2025, 9, 25), func(c *Candidature) any { return c.Evenement.Jour1 }, day(2025, 9, 25)},
		{"date text numeric", sheetLieux, "Jour1", 0, "25/09/2025", func(c *Candidature) any { return c.Evenement.Jour1 }, day(2025, 9, 25)},
		{"date text words", sheetLieux, "Jour1", 0, "25 septembre 2025", func(c *Candidature) any { return c.Evenement.Jour1 }, day(2025, 9, 25)},
		{"date text ISO", sheetLieux, "Jour1", 0, "2025-09-25", func(c *Candidature) any { return c.Evenement.Jour1 }, day(2025, 9, 25)},
		{"date serial without format", sheetLieux, "Jour1", 0, 45925, func(c *Candidature) any { return c.Evenement.Jour1 }, day(2025, 9, 25)},
		{"yes oui", sheetCollectivite, "Charte", 0, "oui", func(c *Candidature) any { return c.Collectivite.Charte }, true},
		{"yes x", sheetCollectivite, "Charte", 0, "x", func(c *Candidature) any { return c.Collectivite.Charte }, true},
		{"yes check mark", sheetCollectivite, "Charte", 0, "✓", func(c *Candidature) any { return c.Collectivite.Charte }, true},
		{"yes boolean cell", sheetCollectivite, "Charte", 0, true, func(c *Candidature) any { return c.Collectivite.Charte }, true},
		{"no", sheetCollectivite, "Charte", 0, "non", func(c *Candidature) any { return c.Collectivite.Charte }, false},
		{"stray spaces", sheetCollectivite, "Ville", 0, "  Rennes\u00a0\u00a0 ", func(c *Candidature) any { return c.Collectivite.Ville }, "Rennes"},
		{"inner spaces", sheetCollectivite, "Nom", 0, "Rennes \u00a0 Métropole\t", func(c *Candidature) any { return c.Collectivite.Nom }, "Rennes Métropole"},
		{"postcode lost its zero", sheetCollectivite, "CodePostal", 0, 6000, func(c *Candidature) any { return c.Collectivite.CodePostal }, "06000"},
		{"integer text", sheetCollectivite, "Population", 0, "229 000 habitants", func(c *Candidature) any { return c.Collectivite.Population }, int64(229000)},
		{"integer number", sheetCollectivite, "Population", 0, 229000, func(c *Candidature) any { return c.Collectivite.Population }, int64(229000)},
		{"decimal text", sheetMoyens, "ETP", 0, "0,5", func(c *Candidature) any { return c.Equipe[0].ETP }, 0.5},
		{"category by number", sheetBudget, "Categorie", 0, "74", func(c *Candidature) any { return c.Budget[0].Categorie }, "74 – Subventions d’exploitation"},
		{"sens from category", sheetBudget, "Categorie", 0, "87", func(c *Candidature) any { return c.Budget[0].Sens }, Produit},
		{"year as a number", sheetNECLocaux, "Annee", 0, 2023, func(c *Candidature) any { return c.NECLocaux[0].Annee }, int64(2023)},
		{"year as a date", sheetNECLocaux, "Annee", 0, day(2023, 10, 15), func(c *Candidature) any { return c.NECLocaux[0].Annee }, int64(2023)},
		{"time of day", sheetLieux, "Heure", 0, 0.3958333333, func(c *Candidature) any { return c.Moments[0].Heure }, "9 h 30"},
		{"phone as a number", sheetCollectivite, "ContactTel", 0, 299123456, func(c *Candidature) any { return c.Collectivite.ContactTel }, "0299123456"},
		{"text field holding a number", sheetInitiatives, "Depuis", 0, 2020, func(c *Candidature) any { return c.Initiatives[0].Depuis }, "2020"},
		{"file path with backslashes", sheetAnnexes, "Fichier", 0, `.\lettres\soutien.pdf`, func(c *Candidature) any { return c.Annexes[0].Fichier }, "lettres/soutien.pdf"},
		{"long text paragraphs", sheetMotivations, "Pourquoi", 0, "Premier.  \r\nSecond\u00a0!", func(c *Candidature) any { return c.Motivations.Pourquoi }, "Premier.\nSecond !"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := edited(t, nil, func(f *excelize.File) error { return set(f, tt.sheet, tt.key, tt.row, tt.in) })
			c, fs := readBook(t, b)
			if len(fs) != 0 {
				t.Fatalf("findings: %v", fs)
			}
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("value not read: %v", p)
				}
			}()
			if got := tt.get(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("read %v (%T), want %v (%T)", got, got, tt.want, tt.want)
			}
		})
	}
}

func TestReadDate1904(t *testing.T) {
	b := edited(t, nil, func(f *excelize.File) error {
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			return err
		}
		// 25 September 2025 is serial 44463 in the 1904 system.
		return set(f, sheetLieux, "Jour1", 0, 44463)
	})
	c, _ := readBook(t, b)
	if !c.Evenement.Jour1.Equal(day(2025, 9, 25)) {
		t.Errorf("Jour1 = %v in a 1904 workbook, want 25 September 2025", c.Evenement.Jour1)
	}
}

func TestReadBlankRowsAndMoreRows(t *testing.T) {
	b := edited(t, nil, func(f *excelize.File) error {
		// Records 0 and 3 with blank rows between, then 20 partners
		// where the template prepared 15.
		for _, r := range []int{0, 3} {
			if err := set(f, sheetThematiques, "Theme", r, fmt.Sprintf("Thème %d", r)); err != nil {
				return err
			}
		}
		for r := 0; r < 20; r++ {
			if err := set(f, sheetPartenaires, "Nom", r, fmt.Sprintf("Partenaire %d", r)); err != nil {
				return err
			}
		}
		return nil
	})
	c, fs := readBook(t, b)
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if len(c.Thematiques) != 2 || c.Thematiques[1].Theme != "Thème 3" {
		t.Errorf("thématiques = %+v, want 2 with a gap", c.Thematiques)
	}
	if len(c.Partenaires) != 20 || c.Partenaires[19].Nom != "Partenaire 19" {
		t.Errorf("%d partenaires read, want 20", len(c.Partenaires))
	}
	if got, want := c.Partenaires[19].At.Cell("Nom"), mustCell(t, sheetPartenaires, "Nom", 19); got != want {
		t.Errorf("partenaire 19 at %s, want %s", got, want)
	}
}

func TestReadMovedTables(t *testing.T) {
	// The user inserts two rows above the budget table and a column
	// before « Montant », and types the venue table's last venue beyond
	// its prepared rows is not needed: the header rows are found again.
	b := edited(t, richCandidature(), func(f *excelize.File) error {
		if err := f.InsertRows(sheetBudget, 3, 2); err != nil {
			return err
		}
		if err := f.InsertCols(sheetBudget, "E", 1); err != nil {
			return err
		}
		if err := f.SetCellValue(sheetBudget, "E6", "Notes"); err != nil {
			return err
		}
		if err := f.SetCellValue(sheetBudget, "E7", "à revoir"); err != nil {
			return err
		}
		// Formatting lost: the header row's style removed, labels retyped.
		if err := f.SetCellStyle(sheetBudget, "A6", "F6", 0); err != nil {
			return err
		}
		return f.SetCellValue(sheetBudget, "F6", "montant")
	})
	c, fs := readBook(t, b)
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	want := richCandidature()
	if !reflect.DeepEqual(withoutRefs(c).Budget, withoutRefs(want).Budget) {
		t.Errorf("budget after moving: %+v", c.Budget)
	}
	if got := c.Budget[0].At.Cell("Montant"); got != "F7" {
		t.Errorf("first amount at %s, want F7", got)
	}
}

func TestReadCellProblems(t *testing.T) {
	long := strings.Repeat("é", 50000)
	tests := []struct {
		name       string
		edit       func(f *excelize.File) error
		sheet      string
		cell       string
		sev        Severity
		fragment   string
		stillReads func(c *Candidature) bool
	}{
		{"unreadable amount", func(f *excelize.File) error { return set(f, sheetBudget, "Montant", 0, "douze mille") },
			sheetBudget, "E5", Erreur, "montant attendu (nombre), trouvé « douze mille »", nil},
		{"unreadable date", func(f *excelize.File) error { return set(f, sheetLieux, "Jour2", 0, "fin septembre") },
			sheetLieux, "B7", Erreur, "date attendue (JJ/MM/AAAA), trouvé « fin septembre »", nil},
		{"day that does not exist", func(f *excelize.File) error { return set(f, sheetLieux, "Jour1", 0, "31/09/2025") },
			sheetLieux, "B6", Erreur, "date inexistante « 31/09/2025 » : septembre n’a que 30 jours", nil},
		{"29 February of a common year", func(f *excelize.File) error { return set(f, sheetAnnexes, "Date", 0, "29/02/2025") },
			sheetAnnexes, "E5", Erreur, "février n’a que 28 jours", nil},
		{"unreadable yes/no", func(f *excelize.File) error { return set(f, sheetCollectivite, "Charte", 0, "bof") },
			sheetCollectivite, "B20", Erreur, "réponse attendue (oui ou non)", nil},
		{"error value", func(f *excelize.File) error { return set(f, sheetCollectivite, "Population", 0, "#REF!") },
			sheetCollectivite, "B6", Erreur, "erreur « #REF! »", nil},
		{"formula error", func(f *excelize.File) error {
			return f.SetCellFormula(sheetCollectivite, mustCell(t, sheetCollectivite, "Population", 0), "1/0")
		}, sheetCollectivite, "B6", Erreur, "impossible à calculer", nil},
		{"50 000 characters", func(f *excelize.File) error {
			if err := set(f, sheetCollectivite, "Presentation", 0, "LONG-PLACEHOLDER"); err != nil {
				return err
			}
			return set(f, sheetCollectivite, "Nom", 0, "Rennes")
		}, sheetCollectivite, "B11", Erreur, "texte trop long : 50\u202f000 caractères, 10\u202f000 au plus",
			func(c *Candidature) bool { return c.Collectivite.Nom == "Rennes" }},
		{"long short text", func(f *excelize.File) error { return set(f, sheetCollectivite, "Ville", 0, strings.Repeat("a", 400)) },
			sheetCollectivite, "B9", Erreur, "texte trop long : 400 caractères, 300 au plus", nil},
		{"boolean in an amount", func(f *excelize.File) error { return set(f, sheetBudget, "Montant", 0, true) },
			sheetBudget, "E5", Erreur, "montant attendu (nombre), trouvé « VRAI »", nil},
		{"unknown category", func(f *excelize.File) error { return set(f, sheetBudget, "Categorie", 0, "Divers") },
			sheetBudget, "A5", Erreur, "choix attendu parmi la liste", nil},
		{"other partner kind", func(f *excelize.File) error { return set(f, sheetPartenaires, "Type", 0, "Coopérative") },
			sheetPartenaires, "B5", Avertissement, "trouvé « Coopérative »", func(c *Candidature) bool { return c.Partenaires[0].Type == "Coopérative" }},
		{"renamed sheet", func(f *excelize.File) error { return f.SetSheetName(sheetBudget, "Budget 2025") },
			sheetBudget, "", Erreur, "feuille « Budget » introuvable ; feuilles présentes : « Mode d'emploi », « Collectivité »", nil},
		{"deleted sheet", func(f *excelize.File) error { return f.DeleteSheet(sheetNECLocaux) },
			sheetNECLocaux, "", Erreur, "feuille « NEC locaux » introuvable", nil},
		{"header retitled", func(f *excelize.File) error { return f.SetCellValue(sheetAnnexes, "A4", "Document") },
			sheetAnnexes, "A4", Erreur, "colonne « Fichier » introuvable", nil},
		{"table header gone", func(f *excelize.File) error { return f.RemoveRow(sheetThematiques, 4) },
			sheetThematiques, "", Erreur, "tableau « Thématiques » introuvable", nil},
		{"label retyped", func(f *excelize.File) error { return f.SetCellValue(sheetCollectivite, "A6", "Habitants") },
			sheetCollectivite, "", Erreur, "libellé « Population » introuvable", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Excel caps a cell at 32 767 characters and excelize too:
			// the 50 000 characters are put in the XML directly.
			b := patchPart(t, edited(t, nil, tt.edit), "xl/sharedStrings.xml", "LONG-PLACEHOLDER", long)
			c, fs := readBook(t, b)
			if !hasFinding(fs, tt.sheet, tt.cell, tt.sev, tt.fragment) {
				t.Errorf("no %v finding at %s!%s with %q in %v", tt.sev, tt.sheet, tt.cell, tt.fragment, fs)
			}
			if tt.stillReads != nil && !tt.stillReads(c) {
				t.Errorf("the rest of the workbook was not read: %+v", c.Collectivite)
			}
		})
	}
}

func TestReadErrorCell(t *testing.T) {
	// A real error cell, t="e", as Excel stores the result of =1/0.
	b := edited(t, nil, func(f *excelize.File) error { return set(f, sheetCollectivite, "Population", 0, "ERR") })
	b = rewritePart(t, b, "xl/worksheets/sheet2.xml", func(data []byte) []byte {
		re := regexp.MustCompile(`<c r="B6"([^>]*?) t="s"><v>\d+</v></c>`)
		if !re.Match(data) {
			t.Fatalf("cell B6 not found in %s", data)
		}
		return re.ReplaceAll(data, []byte(`<c r="B6"$1 t="e"><v>#DIV/0!</v></c>`))
	})
	_, fs := readBook(t, b)
	if !hasFinding(fs, sheetCollectivite, "B6", Erreur, "erreur « #DIV/0! » du tableur") {
		t.Errorf("no finding for the error cell: %v", fs)
	}
}

func TestReadLabelsWithWordsAdded(t *testing.T) {
	b := edited(t, richCandidature(), func(f *excelize.File) error {
		for cell, v := range map[string]string{
			"A6": "Population totale (INSEE 2021)", // Population
			"A9": "Ville du siège",                 // Ville, whose answer « Rennes » is not a label
		} {
			if err := f.SetCellValue(sheetCollectivite, cell, v); err != nil {
				return err
			}
		}
		if err := f.SetCellValue(sheetBudget, "E4", "Montant en euros"); err != nil {
			return err
		}
		return f.SetCellValue(sheetCollectivite, "B4", "Ville de Rennes et sa métropole")
	})
	c, fs := readBook(t, b)
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if c.Collectivite.Population != 229000 || c.Collectivite.Ville != "Rennes" || c.Budget[0].Montant != 2_000_000 {
		t.Errorf("read %d, %q, %d", c.Collectivite.Population, c.Collectivite.Ville, c.Budget[0].Montant)
	}
	if got := c.Collectivite.At.Cell("Ville"); got != "B9" {
		t.Errorf("Ville read at %s, want B9", got)
	}
}

func TestReadSheetNamesTolerant(t *testing.T) {
	b := edited(t, richCandidature(), func(f *excelize.File) error { return f.SetSheetName(sheetCollectivite, " collectivite ") })
	c, fs := readBook(t, b)
	if len(fs) != 0 || c.Collectivite.Nom != "Rennes Métropole" {
		t.Errorf("sheet renamed by case and accents not found: %v, %q", fs, c.Collectivite.Nom)
	}
}

func TestSameSheet(t *testing.T) {
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"Collectivité", sheetCollectivite, true},
		{"COLLECTIVITE", sheetCollectivite, true},
		{"Collectivite\u0301", sheetCollectivite, true},
		{"Lieux et dates - Tableau 1", sheetLieux, true},
		{"Lieux-et-dates", sheetLieux, true},
		{"Lieux", sheetLieux, false},
		{"Budget 2025", sheetBudget, false},
	}
	for _, tt := range tests {
		if got := sameSheet(tt.name, tt.want); got != tt.ok {
			t.Errorf("sameSheet(%q, %q) = %v", tt.name, tt.want, got)
		}
	}
}

func TestReadFormulaInInput(t *testing.T) {
	b := edited(t, nil, func(f *excelize.File) error {
		return f.SetCellFormula(sheetBudget, mustCell(t, sheetBudget, "Montant", 0), "1000*12+500")
	})
	c, fs := readBook(t, b)
	if len(fs) != 0 || len(c.Budget) != 1 || c.Budget[0].Montant != 1250000 {
		t.Errorf("formula in an input cell: %+v, %v", c.Budget, fs)
	}
}

// patchPart rewrites one part of an xlsx, replacing old by new.
func patchPart(t testing.TB, b []byte, part, old, new string) []byte {
	t.Helper()
	return rewritePart(t, b, part, func(data []byte) []byte { return []byte(strings.ReplaceAll(string(data), old, new)) })
}

// rewritePart rewrites one part of an xlsx with fn.
func rewritePart(t testing.TB, b []byte, part string, fn func([]byte) []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, p := range zipParts(t, b) {
		data := p.data
		if p.name == part {
			data = fn(data)
		}
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// zipPart is one uncompressed part of an xlsx.
type zipPart struct {
	name string
	data []byte
}

// zipParts returns the uncompressed parts of an xlsx, in their order.
func zipParts(t testing.TB, b []byte) []zipPart {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var parts []zipPart
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, zipPart{f.Name, data})
	}
	return parts
}

func hasFinding(fs []Finding, sheet, cell string, sev Severity, fragment string) bool {
	for _, f := range fs {
		if f.Sheet == sheet && f.Cell == cell && f.Severity == sev && strings.Contains(f.Message, spaced(fragment)) {
			return true
		}
	}
	return false
}

// TestCorpusWorkbooks reads every workbook of the corpus: none is our
// form, so each must give a clear French error, of the right kind.
func TestCorpusWorkbooks(t *testing.T) {
	dir := corpusDir(t)
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
			_, _, err := ReadWorkbookFile(filepath.Join(dir, name))
			if err == nil {
				t.Fatal("read as a candidature form")
			}
			var we *WorkbookError
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
				if !errors.Is(err, ErrNotOurForm) || !strings.Contains(msg, spaced("feuille « Collectivité » introuvable ; feuilles présentes : «")) {
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
	dir := corpusDir(t)
	for _, sub := range []string{"pdf", "images", "broken"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".xlsx") {
				continue
			}
			_, _, err := ReadWorkbookFile(filepath.Join(dir, sub, e.Name()))
			if !errors.Is(err, ErrNotWorkbook) {
				t.Errorf("%s/%s: %v, want ErrNotWorkbook", sub, e.Name(), err)
			}
		}
	}
}

// TestReadBadFiles reads files that are not workbooks, made here.
func TestReadBadFiles(t *testing.T) {
	ole := func(stream string) []byte {
		b := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
		return append(b, utf16le(stream)...)
	}
	zipOf := func(files map[string]string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, data := range files {
			w, _ := zw.Create(name)
			w.Write([]byte(data))
		}
		zw.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name     string
		data     []byte
		kind     error
		fragment string
	}{
		{"empty", nil, ErrNotWorkbook, "vide"},
		{"xls", ole("Workbook"), ErrNotWorkbook, "Excel 97-2003 (.xls)"},
		{"old xls", ole("Book"), ErrNotWorkbook, ".xls"},
		{"encrypted", ole("EncryptedPackage"), ErrEncrypted, "sans mot de passe"},
		{"other OLE", ole("WordDocument"), ErrNotWorkbook, "mot de passe"},
		{"csv", []byte("Nom;Population\nRennes;229000\n"), ErrNotWorkbook, "CSV"},
		{"csv with BOM", []byte("\xEF\xBB\xBFNom,Ville\n"), ErrNotWorkbook, "CSV"},
		{"csv in Windows-1252", []byte("Nom;Collectivit\xe9\r\nRennes;M\xe9tropole\r\n"), ErrNotWorkbook, "CSV"},
		{"UTF-16 text", []byte("\xFF\xFEN\x00o\x00m\x00"), ErrNotWorkbook, "CSV"},
		{"ods", zipOf(map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), ErrNotWorkbook, ".ods"},
		{"docx-like zip", zipOf(map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), ErrNotWorkbook, "pas de classeur"},
		{"plain zip", zipOf(map[string]string{"a.txt": "a"}), ErrNotWorkbook, "archive zip"},
		{"truncated xlsx", writeBook(t, nil)[:3000], ErrCorrupt, "archive zip est illisible"},
		{"pdf", []byte("%PDF-1.7\n"), ErrNotWorkbook, "PDF"},
		{"binary", []byte{0, 1, 2, 3, 4, 5}, ErrNotWorkbook, "format inconnu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadWorkbook(bytes.NewReader(tt.data), int64(len(tt.data)), "x.xlsx")
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.fragment) {
				t.Errorf("err = %v, want %v with %q", err, tt.kind, tt.fragment)
			}
		})
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
	_, _, err := ReadWorkbook(bytes.NewReader(b), int64(len(b)), "bombe.xlsx")
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
	_, fs, err := ReadWorkbook(bytes.NewReader(b), int64(len(b)), "gros.xlsx")
	runtime.ReadMemStats(&after)
	if err != nil || !hasFinding(fs, sheetBudget, "", Erreur, "feuille « Budget » introuvable") {
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
	_, _, err = ReadWorkbook(bytes.NewReader(out.Bytes()), int64(out.Len()), "menteur.xlsx")
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("err = %v, want ErrCorrupt", err)
	}
}

func TestReadFarCell(t *testing.T) {
	// Cells in XFD1048576 and at the far right of many rows: read in
	// bounded memory (excelize's getters would expand them into a dense
	// grid), the content out there ignored with a warning.
	var far strings.Builder
	for r := 100; r < 20100; r++ {
		fmt.Fprintf(&far, `<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>loin</t></is></c></row>`, r, r)
	}
	far.WriteString(`<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>loin</t></is></c></row>`)
	b := rewritePart(t, writeBook(t, richCandidature()), "xl/worksheets/sheet3.xml", func(data []byte) []byte {
		return bytes.Replace(data, []byte("</sheetData>"), []byte(far.String()+"</sheetData>"), 1)
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, fs := readBook(t, b)
	runtime.ReadMemStats(&after)
	if len(c.Partenaires) != 2 || !hasFinding(fs, sheetPartenaires, "", Avertissement, "ignoré") {
		t.Errorf("far cells: %d partenaires, %v", len(c.Partenaires), fs)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 64<<20 {
		t.Errorf("reading allocated %d MB", alloc>>20)
	}
	t.Logf("%d KB of far cells read, allocating %d MB", len(b)>>10, alloc>>20)
}

// skipShort skips a test that runs LibreOffice in -short mode, unless the
// tools are required.
func skipShort(t *testing.T) {
	if testing.Short() && os.Getenv("NECDOSSIER_REQUIRE_TOOLS") != "1" {
		t.Skip("runs LibreOffice: skipped in -short mode")
	}
}

// TestLibreOfficeRoundTrip saves the blank template and a filled workbook
// with LibreOffice and reads them back: the same candidature, the same
// cells.
func TestLibreOfficeRoundTrip(t *testing.T) {
	skipShort(t)
	soffice := needTool(t, "soffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	want := richCandidature()
	books := map[string]*Candidature{"rempli.xlsx": want, "vierge.xlsx": nil}
	var args []string
	for name, c := range books {
		if err := os.WriteFile(filepath.Join(in, name), writeBook(t, c), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, filepath.Join(in, name))
	}
	out := filepath.Join(dir, "out")
	// A profile of its own, so that parallel runs do not collide.
	cmd := exec.Command(soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--headless", "--convert-to", "xlsx", "--outdir", out}, args...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	for name, c := range books {
		direct, _, err := ReadWorkbookFile(filepath.Join(in, name))
		if err != nil {
			t.Fatal(err)
		}
		saved, fs, err := ReadWorkbookFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 0 {
			t.Errorf("%s: findings after LibreOffice: %v", name, fs)
		}
		direct.Source, saved.Source = Source{}, Source{}
		if !reflect.DeepEqual(saved, direct) {
			t.Errorf("%s: LibreOffice's file reads differently:\n got %+v\nwant %+v", name, saved, direct)
		}
		if c == nil {
			c = &Candidature{}
		}
		if !reflect.DeepEqual(withoutRefs(saved), withoutRefs(c)) {
			t.Errorf("%s: LibreOffice's file differs from the candidature written", name)
		}
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
		if back, ok := parseAmount(Money(n)); !ok || back != n {
			t.Fatalf("parseAmount(%q) = %d, but Money gives %q which reads %d, %v", s, n, Money(n), back, ok)
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
		for _, w := range []string{NumericDate(d), ShortDate(d), LongDate(d), d.Format(time.DateOnly)} {
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
		matchChoice(s, budgetCategories)
		if l := cleanLine(s); cleanLine(l) != l {
			t.Fatalf("cleanLine not idempotent on %q", s)
		}
		if l := cleanText(s); cleanText(l) != l {
			t.Fatalf("cleanText not idempotent on %q", s)
		}
	})
}

// bigCandidature is the rich candidature with tables as long as a busy
// collectivité's: 40 budget lines, 20 partners, 15 initiatives.
func bigCandidature() *Candidature {
	c := richCandidature()
	for i := 0; len(c.Partenaires) < 20; i++ {
		c.Partenaires = append(c.Partenaires, Partenaire{Nom: fmt.Sprintf("Partenaire %d", i), Type: "Association", Role: "Ateliers", Apport: strings.Repeat("Un apport décrit. ", 20)})
	}
	for i := 0; len(c.Initiatives) < 15; i++ {
		c.Initiatives = append(c.Initiatives, Initiative{Intitule: fmt.Sprintf("Initiative %d", i), Type: "Initiative", Description: strings.Repeat("Une initiative décrite. ", 30), Depuis: "2019"})
	}
	for i := 0; i < 15; i++ {
		c.Budget = append(c.Budget,
			LigneBudget{Sens: Charge, Categorie: budgetCategories[i%6], Libelle: fmt.Sprintf("Dépense %d", i), Montant: int64(100_000 + i)},
			LigneBudget{Sens: Produit, Categorie: "74 – Subventions d’exploitation", Libelle: fmt.Sprintf("Subvention %d", i), Financeur: "Région", Statut: "Sollicité", Montant: int64(100_000 + i)})
	}
	c.Motivations.Pourquoi = strings.Repeat("Une motivation longuement exposée. ", 200)
	return c
}

// BenchmarkWriteWorkbook writes the blank template, as init does.
func BenchmarkWriteWorkbook(b *testing.B) {
	call := testCall(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteWorkbook(io.Discard, call, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzReadSheetXML fuzzes the XML of a worksheet and of the shared strings
// inside a sound, minimal package (one sheet, « Collectivité »): zipped
// bytes mostly fail their checksum, this reaches the cell scanner, the
// value parsers and the formula engine, fast.
func FuzzReadSheetXML(f *testing.F) {
	book := writeBook(f, richCandidature())
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		f.Fatal(err)
	}
	part := func(name string) []byte {
		for _, zf := range zr.File {
			if zf.Name == name {
				rc, _ := zf.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				return b
			}
		}
		f.Fatalf("no %s", name)
		return nil
	}
	// sheet2 is « Collectivité » in the written workbook.
	f.Add(part("xl/worksheets/sheet2.xml"), part("xl/sharedStrings.xml"))
	f.Add([]byte(`<worksheet><sheetData><row r="6"><c r="A6" t="inlineStr"><is><t>Population</t></is></c><c r="B6"><f>B7*2</f></c></row><row r="7"><c r="B7"><f>B6+1</f></c></row></sheetData></worksheet>`), []byte(`<sst/>`))
	f.Add([]byte(`<worksheet><sheetData><row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="e"><v>#REF!</v></c><c t="b"><v>1</v></c></row><row r="1048576"/></sheetData></worksheet>`), []byte(`<sst><si><t>Nom de la collectivité</t></si></sst>`))
	fixed := map[string]string{
		"[Content_Types].xml":        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels":                `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Collectivité" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
	}
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, data := range fixed {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
			w.Write([]byte(data))
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store})
		w.Write(sheet)
		w, _ = zw.CreateHeader(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Store})
		w.Write(sst)
		zw.Close()
		c, fs, err := ReadWorkbook(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "fuzz.xlsx")
		var pe *panicError
		if errors.As(err, &pe) {
			t.Fatalf("panic: %v", err)
		}
		if err != nil {
			return
		}
		_ = c
		for _, f := range fs {
			if f.Sheet == "" || f.Message == "" {
				t.Fatalf("finding without a place or message: %#v", f)
			}
		}
	})
}

func TestReadWorkbookFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "candidature.xlsx")
	b := writeBook(t, richCandidature())
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c, findings, err := ReadWorkbookFile(p)
	if err != nil || len(findings) != 0 {
		t.Fatalf("%v %v", err, findings)
	}
	sum := sha256.Sum256(b)
	if c.Source.Name != p || c.Source.Dir != dir || c.Source.Size != int64(len(b)) || c.Source.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("source = %+v", c.Source)
	}
	_, _, err = ReadWorkbookFile(filepath.Join(dir, "absent.xlsx"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), spaced("absent.xlsx : fichier introuvable")) {
		t.Errorf("missing file: %v", err)
	}
	_, _, err = ReadWorkbookFile(dir)
	if !errors.Is(err, ErrNotWorkbook) || !strings.Contains(err.Error(), "dossier") {
		t.Errorf("folder: %v", err)
	}
}

// TestLibreOfficeOtherFormats has LibreOffice save the template as .xls,
// .ods and .csv, renamed .xlsx as a user would: each gets its message.
func TestLibreOfficeOtherFormats(t *testing.T) {
	skipShort(t)
	soffice := needTool(t, "soffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "candidature.xlsx")
	if err := os.WriteFile(in, writeBook(t, richCandidature()), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		format, filter string
		kind           error
		fragment       string
	}{
		{"xls", "xls", ErrNotWorkbook, "Excel 97-2003 (.xls)"},
		{"ods", "ods", ErrNotWorkbook, "OpenDocument (.ods)"},
		{"csv", "csv", ErrNotWorkbook, "CSV"},
	}
	for _, tt := range tests {
		out := filepath.Join(dir, tt.format)
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--headless", "--convert-to", tt.filter, "--outdir", out, in)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, b)
		}
		renamed := filepath.Join(out, "renomme.xlsx")
		if err := os.Rename(filepath.Join(out, "candidature."+tt.format), renamed); err != nil {
			t.Fatal(err)
		}
		_, _, err := ReadWorkbookFile(renamed)
		if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.fragment) {
			t.Errorf("%s renamed .xlsx: %v, want %q", tt.format, err, tt.fragment)
		}
	}
}
