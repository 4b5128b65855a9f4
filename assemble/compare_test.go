package assemble

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"necdossier/assemble/check"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/render"
	"necdossier/assemble/workbook"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// compareRows returns a call whose checklist has two items, and rows,
// among them hostile names.
func compareRows(t *testing.T) (*model.Call, []model.Row) {
	call := testkit.Call(t)
	call.Checklist = []model.Item{{ID: "participants", Label: "Plus de {participants} participants"}, {ID: "window", Label: "Dates"}}
	day := func(d int) time.Time { return time.Date(2025, 10, d, 0, 0, 0, 0, time.UTC) }
	rows := []model.Row{
		{
			Dossier: "belrive", Candidat: "Métropole de Belrive", Type: "Métropole",
			Criteria:      []model.Criterion{{ID: "participants", Status: model.Met}, {ID: "window", Status: model.ToConfirm}},
			Communautaire: day(1), Jour1: day(2), Jour2: day(3),
			Capacite: 2400, CapaciteTotale: 2900, Pleniere: 1200, Salles: 12, Budget: 48_500_050,
			EnNature: 3_000_000, Autofinancement: 10_000_000, Exterieur: 20_000_000, ExterieurAcquis: 12_500_000,
			Demande: 6_000_000, ParParticipant: 24_250, ETP: 7.5, Partenaires: 6, Initiatives: 5, NECLocaux: 2, Lettres: 2, AutresPieces: 1, Pages: 31,
		},
		{Candidat: "=HYPERLINK(\"http://x\";\"clic\")", Type: "+33 1 23", Criteria: nil},
		{Candidat: "@SUM(A1)", Type: "-2+3"},
		{Candidat: "\tcaché", Type: "\rretour"},
	}
	return call, rows
}

func TestWriteCompareCSV(t *testing.T) {
	call, rows := compareRows(t)
	var buf bytes.Buffer
	if err := WriteCompareCSV(&buf, call, rows); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte("\ufeff")) {
		t.Fatal("no UTF-8 byte-order mark: French Excel would read the accents wrong")
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 {
		t.Fatalf("%d records, want header + 4", len(recs))
	}
	head := strings.Join(recs[0], "|")
	for _, col := range []string{"Dossier", "Candidat", "Capacité du lieu principal", "Capacité de tous les lieux", "Autofinancement (€)", "Part acquise des cofinancements extérieurs", "Demandé à l’agence (€)", "Lettres de soutien", "Autres pièces", "C1 : Plus de 2\u202f000 participants", "C2 : Dates"} {
		if !strings.Contains(head, col) {
			t.Errorf("header lacks %q: %s", col, head)
		}
	}
	b := recs[1]
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for title, want := range map[string]string{"Dossier": "belrive", "Candidat": "Métropole de Belrive", "État": "dossier produit", "Journée communautaire": "01/10/2025",
		"Capacité du lieu principal": "2400", "Capacité de tous les lieux": "2900", "Budget (€)": "485000,50", "Autofinancement (€)": "100000,00",
		"Cofinancements extérieurs (€)": "200000,00", "Part acquise des cofinancements extérieurs": "62,5 %", "Demandé à l’agence (€)": "60000,00",
		"Budget par participant attendu (€)": "242,50", "ETP": "7,50", "Lettres de soutien": "2", "Autres pièces": "1"} {
		if i, ok := col[title]; !ok || b[i] != want {
			t.Errorf("Belrive column %q = %q, want %q", title, b[min(i, len(b)-1)], want)
		}
	}
	if got := b[len(b)-3 : len(b)-1]; got[0] != "rempli" || got[1] != "à confirmer" {
		t.Errorf("criteria columns = %q", got)
	}
	// Formula injection: every dangerous first character is defused.
	for _, rec := range recs[2:] {
		for _, f := range rec[1:3] {
			if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
				t.Errorf("field %q would run as a formula", f)
			}
			if !strings.HasPrefix(f, "'") {
				t.Errorf("field %q not neutralised with an apostrophe", f)
			}
		}
	}
}

func TestWriteCompareXLSX(t *testing.T) {
	call, rows := compareRows(t)
	var buf bytes.Buffer
	if err := workbook.WriteComparison(&buf, call, rows, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Comparaison"
	typ := func(cell string) excelize.CellType {
		ct, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	if v, _ := f.GetCellValue(sheet, "B2", excelize.Options{RawCellValue: true}); v != "Métropole de Belrive" {
		t.Errorf("A2 = %q", v)
	}
	if v, _ := f.GetCellValue(sheet, "K2", excelize.Options{RawCellValue: true}); v != "2400" {
		t.Errorf("capacity K2 = %q, want the number 2400", v)
	}
	if typ("K2") == excelize.CellTypeSharedString || typ("K2") == excelize.CellTypeInlineString {
		t.Error("capacity stored as text")
	}
	if v, _ := f.GetCellValue(sheet, "F2", excelize.Options{RawCellValue: true}); v != "45931" {
		t.Errorf("date F2 raw = %q, want the serial 45931 (1 October 2025)", v)
	}
	if v, _ := f.GetCellValue(sheet, "F2"); v != "01/10/2025" {
		t.Errorf("date F2 shown = %q", v)
	}
	// An injected formula stays text.
	if fm, _ := f.GetCellFormula(sheet, "B3"); fm != "" {
		t.Errorf("B3 became a formula: %q", fm)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v (%v), want the header row frozen", panes, err)
	}
}

// comparisonRows are the comparison's rows of three samples, the first
// with 60 points to confirm: enough to run onto a next page.
func comparisonRows(call *model.Call) []model.Row {
	var rows []model.Row
	for _, name := range []string{"haut-verdal", "belrive", "sarrine"} {
		c := sampleCandidatures()[name]
		rows = append(rows, RowOf(c, call, check.Evaluate(c, call)))
	}
	for i := range 60 {
		rows[0].Points = append(rows[0].Points, fmt.Sprintf("point à confirmer numéro %d", i+1))
	}
	return rows
}

// TestComparisonPDF: the comparison names every candidate, each
// criterion with its verdict, the key figures in French, on A4 landscape;
// no name is cut (« … »): they wrap; a candidacy with many points to
// confirm starts under its heading and runs onto the next page rather
// than leaving a page almost empty.
func TestComparisonPDF(t *testing.T) {
	call := testkit.Call(t)
	rows := comparisonRows(call)
	pdf, err := comparisonPDF(call, rows, render.ComparisonOptions{Created: time.Date(2024, 7, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	pdftotext := testkit.NeedTool(t, "pdftotext")
	cmd := exec.Command(pdftotext, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(string(out))
	for _, want := range []string{
		"Comparaison des candidatures", "samedi 20 juillet 2024", "Métropole de Belrive", "Département de la Sarrine",
		"C3 : Accueillir plus de 2 000 participants", "à confirmer", "Chiffres clés", "486 000 €", "1ᵉʳ, 2 et 3 octobre 2025",
		"Capacité du lieu principal", "Cofinancements extérieurs", "page 1 / ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the comparison lacks %q", want)
		}
	}
	if strings.Contains(text, "…") {
		t.Errorf("a text of the comparison is cut:\n%s", text)
	}
	for _, page := range strings.Split(text, "\f") {
		if strings.Contains(page, "Détail par candidature") && !strings.Contains(page, "point à confirmer numéro 1 ") {
			t.Errorf("the details' first row does not start under their heading:\n%s", page)
		}
	}
	if !regexp.MustCompile(`Haut-Verdal\s+(•[^\n]*\n\s*)?\(suite\)`).MatchString(text) {
		t.Errorf("the long row's continuation does not name its candidate:\n%s", text)
	}
	pdfinfo := testkit.NeedTool(t, "pdfinfo")
	cmd = exec.Command(pdfinfo, "-")
	cmd.Stdin = bytes.NewReader(pdf)
	info, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "841.89 x 595.28 pts (A4)") && !strings.Contains(string(info), "841.89 x 595.276 pts (A4)") {
		t.Errorf("not A4 landscape:\n%s", info)
	}
}
