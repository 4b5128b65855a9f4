package assemble

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
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
			if b.kind == tableBlock {
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

func TestBlankTemplate(t *testing.T) {
	got, fs := readBook(t, writeBook(t, nil))
	if len(fs) != 0 {
		t.Fatalf("findings reading the blank template: %v", fs)
	}
	if !reflect.DeepEqual(withoutRefs(got), &Candidature{}) {
		t.Errorf("blank template reads as %+v", withoutRefs(got))
	}
	findings := Check(got, testCall(t), richAnnexes())
	if len(findings) == 0 {
		t.Fatal("no findings on a blank template")
	}
	for _, f := range findings {
		if f.Severity != Erreur {
			t.Errorf("blank template: %v is not an error", f)
		}
		if !strings.Contains(f.Message, "obligatoire") && !strings.Contains(f.Message, "vide") &&
			!strings.Contains(f.Message, "charte") && !strings.Contains(f.Message, "aucune lettre") {
			t.Errorf("blank template: unexpected finding %v", f)
		}
	}
	// Every required form field is reported at its template cell.
	var nom bool
	for _, f := range findings {
		if f.Sheet == sheetCollectivite && f.Cell == mustCell(t, sheetCollectivite, "Nom", 0) {
			nom = true
		}
	}
	if !nom {
		t.Errorf("no finding for the empty Nom: %v", findings)
	}
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
