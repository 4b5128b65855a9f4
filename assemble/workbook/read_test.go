package workbook_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"necdossier/assemble/french"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
	"necdossier/assemble/workbook/workbooktest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

func TestRoundTrip(t *testing.T) {
	want := testkit.RichCandidature()
	got, fs := workbooktest.ReadBook(t, workbooktest.WriteBook(t, want))
	if len(fs) != 0 {
		t.Fatalf("findings reading a written workbook: %v", fs)
	}
	if !reflect.DeepEqual(testkit.WithoutRefs(got), testkit.WithoutRefs(want)) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", testkit.WithoutRefs(got), testkit.WithoutRefs(want))
	}
	// The refs name the cells the template puts the values in.
	if got.Collectivite.At.Cell("Nom") != workbooktest.MustCell(t, workbook.SheetCollectivite, "Nom", 0) {
		t.Errorf("Nom at %q", got.Collectivite.At.Cell("Nom"))
	}
	if c := got.Budget[3].At.Cell("Montant"); c != workbooktest.MustCell(t, workbook.SheetBudget, "Montant", 3) {
		t.Errorf("Budget[3].Montant at %q, want %q", c, workbooktest.MustCell(t, workbook.SheetBudget, "Montant", 3))
	}
	if got.Budget[3].At.Sheet != workbook.SheetBudget || got.Lieux[1].At.Sheet != workbook.SheetLieux {
		t.Errorf("refs name sheets %q, %q", got.Budget[3].At.Sheet, got.Lieux[1].At.Sheet)
	}
}

// TestReadTolerance reads values typed the ways people type them, each
// case in its cell of a blank template.
func TestReadTolerance(t *testing.T) {
	// The fields read by more than one case.
	montant := func(c *model.Candidature) any { return c.Budget[0].Montant }
	jour1 := func(c *model.Candidature) any { return c.Evenement.Jour1 }
	charte := func(c *model.Candidature) any { return c.Collectivite.Charte }
	population := func(c *model.Candidature) any { return c.Collectivite.Population }
	annee := func(c *model.Candidature) any { return c.NECLocaux[0].Annee }
	tests := []struct {
		name       string
		sheet, key string
		row        int
		in         any
		get        func(c *model.Candidature) any
		want       any
	}{
		{"amount number", workbook.SheetBudget, "Montant", 0, 12500.5, montant, int64(1250050)},
		{"amount text with €", workbook.SheetBudget, "Montant", 0, "12 500 €", montant, int64(1250000)},
		{"amount dotted thousands", workbook.SheetBudget, "Montant", 0, "12.500,00", montant, int64(1250000)},
		{"amount euros word", workbook.SheetBudget, "Montant", 0, "12500 euros", montant, int64(1250000)},
		{"amount decimal comma", workbook.SheetBudget, "Montant", 0, "12 500,50", montant, int64(1250050)},
		{"amount no-break spaces", workbook.SheetBudget, "Montant", 0, "12\u00a0500\u00a0€", montant, int64(1250000)},
		{"date cell", workbook.SheetLieux, "Jour1", 0, testkit.Day(2025, 9, 25), jour1, testkit.Day(2025, 9, 25)},
		{"date text numeric", workbook.SheetLieux, "Jour1", 0, "25/09/2025", jour1, testkit.Day(2025, 9, 25)},
		{"date text words", workbook.SheetLieux, "Jour1", 0, "25 septembre 2025", jour1, testkit.Day(2025, 9, 25)},
		{"date text ISO", workbook.SheetLieux, "Jour1", 0, "2025-09-25", jour1, testkit.Day(2025, 9, 25)},
		{"date serial without format", workbook.SheetLieux, "Jour1", 0, 45925, jour1, testkit.Day(2025, 9, 25)},
		{"yes oui", workbook.SheetCollectivite, "Charte", 0, "oui", charte, true},
		{"yes x", workbook.SheetCollectivite, "Charte", 0, "x", charte, true},
		{"yes check mark", workbook.SheetCollectivite, "Charte", 0, "✓", charte, true},
		{"yes boolean cell", workbook.SheetCollectivite, "Charte", 0, true, charte, true},
		{"no", workbook.SheetCollectivite, "Charte", 0, "non", charte, false},
		{"stray spaces", workbook.SheetCollectivite, "Ville", 0, "  Rennes\u00a0\u00a0 ", func(c *model.Candidature) any { return c.Collectivite.Ville }, "Rennes"},
		{"inner spaces", workbook.SheetCollectivite, "Nom", 0, "Rennes \u00a0 Métropole\t", func(c *model.Candidature) any { return c.Collectivite.Nom }, "Rennes Métropole"},
		{"postcode lost its zero", workbook.SheetCollectivite, "CodePostal", 0, 6000, func(c *model.Candidature) any { return c.Collectivite.CodePostal }, "06000"},
		{"integer text", workbook.SheetCollectivite, "Population", 0, "229 000 habitants", population, int64(229000)},
		{"integer number", workbook.SheetCollectivite, "Population", 0, 229000, population, int64(229000)},
		{"decimal text", workbook.SheetMoyens, "ETP", 0, "0,5", func(c *model.Candidature) any { return c.Equipe[0].ETP }, 0.5},
		{"category by number", workbook.SheetBudget, "Categorie", 0, "74", func(c *model.Candidature) any { return c.Budget[0].Categorie }, "74 – Subventions d’exploitation"},
		{"sens from category", workbook.SheetBudget, "Categorie", 0, "87", func(c *model.Candidature) any { return c.Budget[0].Sens }, model.Produit},
		{"year as a number", workbook.SheetNECLocaux, "Annee", 0, 2023, annee, int64(2023)},
		{"year as a date", workbook.SheetNECLocaux, "Annee", 0, testkit.Day(2023, 10, 15), annee, int64(2023)},
		{"time of day", workbook.SheetLieux, "Heure", 0, 0.3958333333, func(c *model.Candidature) any { return c.Moments[0].Heure }, "9 h 30"},
		{"phone as a number", workbook.SheetCollectivite, "ContactTel", 0, 299123456, func(c *model.Candidature) any { return c.Collectivite.ContactTel }, "0299123456"},
		{"text field holding a number", workbook.SheetInitiatives, "Depuis", 0, 2020, func(c *model.Candidature) any { return c.Initiatives[0].Depuis }, "2020"},
		{"file path with backslashes", workbook.SheetAnnexes, "Fichier", 0, `.\lettres\soutien.pdf`, func(c *model.Candidature) any { return c.Annexes[0].Fichier }, "lettres/soutien.pdf"},
		{"long text paragraphs", workbook.SheetMotivations, "Pourquoi", 0, "Premier.  \r\nSecond\u00a0!", func(c *model.Candidature) any { return c.Motivations.Pourquoi }, "Premier.\nSecond !"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := workbooktest.Edited(t, nil, func(f *excelize.File) error { return workbooktest.Set(f, tt.sheet, tt.key, tt.row, tt.in) })
			c, fs := workbooktest.ReadBook(t, b)
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
	b := workbooktest.Edited(t, nil, func(f *excelize.File) error {
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			return err
		}
		// 25 September 2025 is serial 44463 in the 1904 system.
		return workbooktest.Set(f, workbook.SheetLieux, "Jour1", 0, 44463)
	})
	c, _ := workbooktest.ReadBook(t, b)
	if !c.Evenement.Jour1.Equal(testkit.Day(2025, 9, 25)) {
		t.Errorf("Jour1 = %v in a 1904 workbook, want 25 September 2025", c.Evenement.Jour1)
	}
}

func TestReadBlankRowsAndMoreRows(t *testing.T) {
	b := workbooktest.Edited(t, nil, func(f *excelize.File) error {
		// Records 0 and 3 with blank rows between, then 20 partners
		// where the template prepared 15.
		for _, r := range []int{0, 3} {
			if err := workbooktest.Set(f, workbook.SheetThematiques, "Theme", r, fmt.Sprintf("Thème %d", r)); err != nil {
				return err
			}
		}
		for r := 0; r < 20; r++ {
			if err := workbooktest.Set(f, workbook.SheetPartenaires, "Nom", r, fmt.Sprintf("Partenaire %d", r)); err != nil {
				return err
			}
		}
		return nil
	})
	c, fs := workbooktest.ReadBook(t, b)
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if len(c.Thematiques) != 2 || c.Thematiques[1].Theme != "Thème 3" {
		t.Errorf("thématiques = %+v, want 2 with a gap", c.Thematiques)
	}
	if len(c.Partenaires) != 20 || c.Partenaires[19].Nom != "Partenaire 19" {
		t.Errorf("%d partenaires read, want 20", len(c.Partenaires))
	}
	if got, want := c.Partenaires[19].At.Cell("Nom"), workbooktest.MustCell(t, workbook.SheetPartenaires, "Nom", 19); got != want {
		t.Errorf("partenaire 19 at %s, want %s", got, want)
	}
}

func TestReadMovedTables(t *testing.T) {
	// The user inserts two rows above the budget table and a column
	// before « Montant », and types the venue table's last venue beyond
	// its prepared rows is not needed: the header rows are found again.
	b := workbooktest.Edited(t, testkit.RichCandidature(), func(f *excelize.File) error {
		if err := f.InsertRows(workbook.SheetBudget, 3, 2); err != nil {
			return err
		}
		if err := f.InsertCols(workbook.SheetBudget, "E", 1); err != nil {
			return err
		}
		if err := f.SetCellValue(workbook.SheetBudget, "E6", "Notes"); err != nil {
			return err
		}
		if err := f.SetCellValue(workbook.SheetBudget, "E7", "à revoir"); err != nil {
			return err
		}
		// Formatting lost: the header row's style removed, labels retyped.
		if err := f.SetCellStyle(workbook.SheetBudget, "A6", "F6", 0); err != nil {
			return err
		}
		return f.SetCellValue(workbook.SheetBudget, "F6", "montant")
	})
	c, fs := workbooktest.ReadBook(t, b)
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	want := testkit.RichCandidature()
	if !reflect.DeepEqual(testkit.WithoutRefs(c).Budget, testkit.WithoutRefs(want).Budget) {
		t.Errorf("budget after moving: %+v", c.Budget)
	}
	if got := c.Budget[0].At.Cell("Montant"); got != "F7" {
		t.Errorf("first amount at %s, want F7", got)
	}
}

func TestReadCellProblems(t *testing.T) {
	long := strings.Repeat("é", 50000)
	// set is the edit that types v in the first cell of (sheet, key).
	set := func(sheet, key string, v any) func(f *excelize.File) error {
		return func(f *excelize.File) error { return workbooktest.Set(f, sheet, key, 0, v) }
	}
	tests := []struct {
		name       string
		edit       func(f *excelize.File) error
		sheet      string
		cell       string
		sev        model.Severity
		fragment   string
		stillReads func(c *model.Candidature) bool
	}{
		{"unreadable amount", set(workbook.SheetBudget, "Montant", "douze mille"), workbook.SheetBudget, "E5", model.Erreur, "montant attendu (nombre), trouvé « douze mille »", nil},
		{"unreadable date", set(workbook.SheetLieux, "Jour2", "fin septembre"), workbook.SheetLieux, "B7", model.Erreur, "date attendue (JJ/MM/AAAA), trouvé « fin septembre »", nil},
		{"day that does not exist", set(workbook.SheetLieux, "Jour1", "31/09/2025"), workbook.SheetLieux, "B6", model.Erreur, "date inexistante « 31/09/2025 » : septembre n’a que 30 jours", nil},
		{"29 February of a common year", set(workbook.SheetAnnexes, "Date", "29/02/2025"), workbook.SheetAnnexes, "E5", model.Erreur, "février n’a que 28 jours", nil},
		{"unreadable yes/no", set(workbook.SheetCollectivite, "Charte", "bof"), workbook.SheetCollectivite, "B20", model.Avertissement, "réponse attendue (oui ou non), trouvé « bof » : le dossier la lit comme « non »", nil},
		{"availability in words", set(workbook.SheetLieux, "Disponibilite", "en cours de réservation"), workbook.SheetLieux, "H13", model.Avertissement, "le dossier la lit comme « non »", nil},
		{"ETP as a percentage", set(workbook.SheetMoyens, "ETP", "40 %"), workbook.SheetMoyens, "C5", model.Erreur, "nombre d’ETP attendu, trouvé « 40 % »", nil},
		{"weekday not the date's", set(workbook.SheetLieux, "Jour1", "mercredi 25 septembre 2025"), workbook.SheetLieux, "B6", model.Avertissement, "le 25 septembre 2025 est un jeudi", nil},
		{"error value", set(workbook.SheetCollectivite, "Population", "#REF!"), workbook.SheetCollectivite, "B6", model.Erreur, "erreur « #REF! »", nil},
		{"formula error", func(f *excelize.File) error {
			return f.SetCellFormula(workbook.SheetCollectivite, workbooktest.MustCell(t, workbook.SheetCollectivite, "Population", 0), "1/0")
		}, workbook.SheetCollectivite, "B6", model.Erreur, "impossible à calculer", nil},
		{"50 000 characters", func(f *excelize.File) error {
			if err := workbooktest.Set(f, workbook.SheetCollectivite, "Presentation", 0, "LONG-PLACEHOLDER"); err != nil {
				return err
			}
			return workbooktest.Set(f, workbook.SheetCollectivite, "Nom", 0, "Rennes")
		}, workbook.SheetCollectivite, "B11", model.Erreur, "texte trop long : 50\u202f000 caractères, 10\u202f000 au plus",
			func(c *model.Candidature) bool { return c.Collectivite.Nom == "Rennes" }},
		{"long short text", set(workbook.SheetCollectivite, "Ville", strings.Repeat("a", 400)), workbook.SheetCollectivite, "B9", model.Erreur, "texte trop long : 400 caractères, 300 au plus", nil},
		{"boolean in an amount", set(workbook.SheetBudget, "Montant", true), workbook.SheetBudget, "E5", model.Erreur, "montant attendu (nombre), trouvé « VRAI »", nil},
		{"unknown category", set(workbook.SheetBudget, "Categorie", "Divers"), workbook.SheetBudget, "A5", model.Erreur, "choix attendu parmi la liste", nil},
		{"other partner kind", set(workbook.SheetPartenaires, "Type", "Coopérative"), workbook.SheetPartenaires, "B5", model.Avertissement, "trouvé « Coopérative »", func(c *model.Candidature) bool { return c.Partenaires[0].Type == "Coopérative" }},
		{"renamed sheet", func(f *excelize.File) error { return f.SetSheetName(workbook.SheetBudget, "Budget 2025") },
			workbook.SheetBudget, "", model.Erreur, "feuille « Budget » introuvable ; feuilles présentes : « Mode d'emploi », « Collectivité »", nil},
		{"deleted sheet", func(f *excelize.File) error { return f.DeleteSheet(workbook.SheetNECLocaux) },
			workbook.SheetNECLocaux, "", model.Erreur, "feuille « NEC locaux » introuvable", nil},
		{"header retitled", func(f *excelize.File) error { return f.SetCellValue(workbook.SheetAnnexes, "A4", "Document") },
			workbook.SheetAnnexes, "A4", model.Erreur, "colonne « Fichier » introuvable", nil},
		{"table header gone", func(f *excelize.File) error { return f.RemoveRow(workbook.SheetThematiques, 4) },
			workbook.SheetThematiques, "", model.Erreur, "tableau « Thématiques » introuvable", nil},
		{"label retyped", func(f *excelize.File) error { return f.SetCellValue(workbook.SheetCollectivite, "A6", "Habitants") },
			workbook.SheetCollectivite, "", model.Erreur, "libellé « Population » introuvable", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Excel caps a cell at 32 767 characters and excelize too:
			// the 50 000 characters are put in the XML directly.
			b := patchPart(t, workbooktest.Edited(t, nil, tt.edit), "xl/sharedStrings.xml", "LONG-PLACEHOLDER", long)
			c, fs := workbooktest.ReadBook(t, b)
			if !testkit.HasFinding(fs, tt.sheet, tt.cell, tt.sev, tt.fragment) {
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
	b := workbooktest.Edited(t, nil, func(f *excelize.File) error {
		return workbooktest.Set(f, workbook.SheetCollectivite, "Population", 0, "ERR")
	})
	b = rewritePart(t, b, "xl/worksheets/sheet2.xml", func(data []byte) []byte {
		re := regexp.MustCompile(`<c r="B6"([^>]*?) t="s"><v>\d+</v></c>`)
		if !re.Match(data) {
			t.Fatalf("cell B6 not found in %s", data)
		}
		return re.ReplaceAll(data, []byte(`<c r="B6"$1 t="e"><v>#DIV/0!</v></c>`))
	})
	_, fs := workbooktest.ReadBook(t, b)
	if !testkit.HasFinding(fs, workbook.SheetCollectivite, "B6", model.Erreur, "erreur « #DIV/0! » du tableur") {
		t.Errorf("no finding for the error cell: %v", fs)
	}
}

func TestReadLabelsWithWordsAdded(t *testing.T) {
	b := workbooktest.Edited(t, testkit.RichCandidature(), func(f *excelize.File) error {
		for cell, v := range map[string]string{
			"A6": "Population totale (INSEE 2021)", // Population
			"A9": "Ville du siège",                 // Ville, whose answer « Rennes » is not a label
		} {
			if err := f.SetCellValue(workbook.SheetCollectivite, cell, v); err != nil {
				return err
			}
		}
		if err := f.SetCellValue(workbook.SheetBudget, "E4", "Montant en euros"); err != nil {
			return err
		}
		return f.SetCellValue(workbook.SheetCollectivite, "B4", "Ville de Rennes et sa métropole")
	})
	c, fs := workbooktest.ReadBook(t, b)
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
	b := workbooktest.Edited(t, testkit.RichCandidature(), func(f *excelize.File) error { return f.SetSheetName(workbook.SheetCollectivite, " collectivite ") })
	c, fs := workbooktest.ReadBook(t, b)
	if len(fs) != 0 || c.Collectivite.Nom != "Rennes Métropole" {
		t.Errorf("sheet renamed by case and accents not found: %v, %q", fs, c.Collectivite.Nom)
	}
}

func TestReadFormulaInInput(t *testing.T) {
	// Formulas typed in input cells are evaluated by excelize, which
	// compiles its regular expressions at first use (third_party/excelize):
	// criteria with comparisons and wildcards, dates written as text.
	budget := workbooktest.MustCell(t, workbook.SheetBudget, "Montant", 0)
	tests := []struct {
		name    string
		sheet   string
		cell    string
		formula string
		check   func(c *model.Candidature) bool
	}{
		{"arithmetic", workbook.SheetBudget, budget, "1000*12+500",
			func(c *model.Candidature) bool { return len(c.Budget) == 1 && c.Budget[0].Montant == 1250000 }},
		{"criteria", workbook.SheetBudget, budget, `SUMIF(Z1:Z3,">=5")+COUNTIF(Z1:Z3,"<>5")`,
			func(c *model.Candidature) bool { return len(c.Budget) == 1 && c.Budget[0].Montant == 1900 }},
		{"wildcard criterion", workbook.SheetBudget, budget, `COUNTIF(Y1:Y3,"ap*")*1000+COUNTIF(Y1:Y3,"banana~*")`,
			func(c *model.Candidature) bool { return len(c.Budget) == 1 && c.Budget[0].Montant == 200100 }},
		{"date criterion", workbook.SheetBudget, budget, `COUNTIF(Z1:Z3,">="&DATEVALUE("01/01/1900"))*100`,
			func(c *model.Candidature) bool { return len(c.Budget) == 1 && c.Budget[0].Montant == 30000 }},
		{"date as text", workbook.SheetLieux, workbooktest.MustCell(t, workbook.SheetLieux, "Jour1", 0), `DATEVALUE("2025-09-25")`,
			func(c *model.Candidature) bool {
				return c.Evenement.Jour1.Equal(time.Date(2025, 9, 25, 0, 0, 0, 0, time.UTC))
			}},
		{"date and time as text", workbook.SheetLieux, workbooktest.MustCell(t, workbook.SheetLieux, "Jour1", 0), `DATEVALUE("september 25, 2025")+TIMEVALUE("10:30 pm")-TIMEVALUE("2025-09-25 22:30:00")`,
			func(c *model.Candidature) bool {
				return c.Evenement.Jour1.Equal(time.Date(2025, 9, 25, 0, 0, 0, 0, time.UTC))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := workbooktest.Edited(t, nil, func(f *excelize.File) error {
				for cell, v := range map[string]any{"Z1": 1, "Z2": 5, "Z3": 12, "Y1": "apple", "Y2": "apricot", "Y3": "banana*"} {
					if err := f.SetCellValue(workbook.SheetBudget, cell, v); err != nil {
						return err
					}
				}
				return f.SetCellFormula(tt.sheet, tt.cell, tt.formula)
			})
			c, fs := workbooktest.ReadBook(t, b)
			if len(fs) != 0 || !tt.check(c) {
				t.Errorf("=%s in %s!%s: budget %+v, first day %v, findings %v", tt.formula, tt.sheet, tt.cell, c.Budget, c.Evenement.Jour1, fs)
			}
		})
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
	for _, p := range workbooktest.ZipParts(t, b) {
		data := p.Data
		if p.Name == part {
			data = fn(data)
		}
		w, err := zw.Create(p.Name)
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
		{"empty", nil, workbook.ErrNotWorkbook, "vide"},
		{"xls", ole("Workbook"), workbook.ErrNotWorkbook, "Excel 97-2003 (.xls)"},
		{"old xls", ole("Book"), workbook.ErrNotWorkbook, ".xls"},
		{"encrypted", ole("EncryptedPackage"), workbook.ErrEncrypted, "sans mot de passe"},
		{"other OLE", ole("WordDocument"), workbook.ErrNotWorkbook, "mot de passe"},
		{"csv", []byte("Nom;Population\nRennes;229000\n"), workbook.ErrNotWorkbook, "CSV"},
		{"csv with BOM", []byte("\xEF\xBB\xBFNom,Ville\n"), workbook.ErrNotWorkbook, "CSV"},
		{"csv in Windows-1252", []byte("Nom;Collectivit\xe9\r\nRennes;M\xe9tropole\r\n"), workbook.ErrNotWorkbook, "CSV"},
		{"UTF-16 text", []byte("\xFF\xFEN\x00o\x00m\x00"), workbook.ErrNotWorkbook, "CSV"},
		{"ods", zipOf(map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), workbook.ErrNotWorkbook, ".ods"},
		{"docx-like zip", zipOf(map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), workbook.ErrNotWorkbook, "pas de classeur"},
		{"plain zip", zipOf(map[string]string{"a.txt": "a"}), workbook.ErrNotWorkbook, "archive zip"},
		{"truncated xlsx", workbooktest.WriteBook(t, nil)[:3000], workbook.ErrCorrupt, "archive zip est illisible"},
		{"pdf", []byte("%PDF-1.7\n"), workbook.ErrNotWorkbook, "PDF"},
		{"binary", []byte{0, 1, 2, 3, 4, 5}, workbook.ErrNotWorkbook, "format inconnu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := workbook.Read(bytes.NewReader(tt.data), int64(len(tt.data)), "x.xlsx")
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.fragment) {
				t.Errorf("err = %v, want %v with %q", err, tt.kind, tt.fragment)
			}
		})
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
	b := rewritePart(t, workbooktest.WriteBook(t, testkit.RichCandidature()), "xl/worksheets/sheet3.xml", func(data []byte) []byte {
		return bytes.Replace(data, []byte("</sheetData>"), []byte(far.String()+"</sheetData>"), 1)
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, fs := workbooktest.ReadBook(t, b)
	runtime.ReadMemStats(&after)
	if len(c.Partenaires) != 2 || !testkit.HasFinding(fs, workbook.SheetPartenaires, "", model.Avertissement, "ignoré") {
		t.Errorf("far cells: %d partenaires, %v", len(c.Partenaires), fs)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 64<<20 {
		t.Errorf("reading allocated %d MB", alloc>>20)
	}
	t.Logf("%d KB of far cells read, allocating %d MB", len(b)>>10, alloc>>20)
}

// TestLibreOfficeRoundTrip saves the blank template and a filled workbook
// with LibreOffice and reads them back: the same candidature, the same
// cells.
func TestLibreOfficeRoundTrip(t *testing.T) {
	in := t.TempDir()
	want := testkit.RichCandidature()
	books := map[string]*model.Candidature{"rempli.xlsx": want, "vierge.xlsx": nil}
	var args []string
	for name, c := range books {
		if err := os.WriteFile(filepath.Join(in, name), workbooktest.WriteBook(t, c), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, filepath.Join(in, name))
	}
	out := workbooktest.LibreOffice(t, "xlsx", args...)
	for name, c := range books {
		direct, _, err := workbook.ReadFile(filepath.Join(in, name))
		if err != nil {
			t.Fatal(err)
		}
		saved, fs, err := workbook.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 0 {
			t.Errorf("%s: findings after LibreOffice: %v", name, fs)
		}
		direct.Source, saved.Source = model.Source{}, model.Source{}
		if !reflect.DeepEqual(saved, direct) {
			t.Errorf("%s: LibreOffice's file reads differently:\n got %+v\nwant %+v", name, saved, direct)
		}
		if c == nil {
			c = &model.Candidature{}
		}
		if !reflect.DeepEqual(testkit.WithoutRefs(saved), testkit.WithoutRefs(c)) {
			t.Errorf("%s: LibreOffice's file differs from the candidature written", name)
		}
	}
}

// FuzzReadSheetXML fuzzes the XML of a worksheet and of the shared strings
// inside a sound, minimal package (one sheet, « Collectivité »): zipped
// bytes mostly fail their checksum, this reaches the cell scanner, the
// value parsers and the formula engine, fast.
func FuzzReadSheetXML(f *testing.F) {
	book := workbooktest.WriteBook(f, testkit.RichCandidature())
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
	// As other producers write them: prefixes, CDATA, entities, rich text
	// with phonetic runs, a comment; and a DOCTYPE, left to encoding/xml.
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><!-- c --><x:sheetData><x:row r="4"><x:c r="A4" t="s"><x:v>0</x:v></x:c><x:c r="B4" t="inlineStr"><x:is><x:t xml:space="preserve"><![CDATA[Belrive & co]]></x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`),
		[]byte(`<sst><si><r><t>Nom de la </t></r><r><t>collectivit&#xE9;</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></si></sst>`))
	f.Add([]byte(`<!DOCTYPE worksheet><worksheet><sheetData><row r="4"><c r="A4" t="s"><v>0</v></c></row></sheetData></worksheet>`), []byte(`<sst><si><t>Nom de la collectivité</t></si></sst>`))
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
		c, fs, err := workbook.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "fuzz.xlsx")
		var pe *workbook.PanicError
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
	b := workbooktest.WriteBook(t, testkit.RichCandidature())
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c, findings, err := workbook.ReadFile(p)
	if err != nil || len(findings) != 0 {
		t.Fatalf("%v %v", err, findings)
	}
	sum := sha256.Sum256(b)
	if c.Source.Name != p || c.Source.Dir != dir || c.Source.Size != int64(len(b)) || c.Source.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("source = %+v", c.Source)
	}
	_, _, err = workbook.ReadFile(filepath.Join(dir, "absent.xlsx"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), french.Spaced("absent.xlsx : fichier introuvable")) {
		t.Errorf("missing file: %v", err)
	}
	_, _, err = workbook.ReadFile(dir)
	if !errors.Is(err, workbook.ErrNotWorkbook) || !strings.Contains(err.Error(), "dossier") {
		t.Errorf("folder: %v", err)
	}
}

// TestLibreOfficeOtherFormats has LibreOffice save the template as .xls,
// .ods and .csv, renamed .xlsx as a user would: each gets its message.
func TestLibreOfficeOtherFormats(t *testing.T) {
	in := filepath.Join(t.TempDir(), "candidature.xlsx")
	if err := os.WriteFile(in, workbooktest.WriteBook(t, testkit.RichCandidature()), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		format, filter string
		kind           error
		fragment       string
	}{
		{"xls", "xls", workbook.ErrNotWorkbook, "Excel 97-2003 (.xls)"},
		{"ods", "ods", workbook.ErrNotWorkbook, "OpenDocument (.ods)"},
		{"csv", "csv", workbook.ErrNotWorkbook, "CSV"},
	}
	for _, tt := range tests {
		out := workbooktest.LibreOffice(t, tt.filter, in)
		renamed := filepath.Join(out, "renomme.xlsx")
		if err := os.Rename(filepath.Join(out, "candidature."+tt.format), renamed); err != nil {
			t.Fatal(err)
		}
		_, _, err := workbook.ReadFile(renamed)
		if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.fragment) {
			t.Errorf("%s renamed .xlsx: %v, want %q", tt.format, err, tt.fragment)
		}
	}
}

// utf16le encodes s as UTF-16, little-endian, as Windows writes text.
func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
