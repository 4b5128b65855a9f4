package assemble

import (
	"bytes"
	"encoding/csv"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func compareRows() ([]Item, []Row) {
	items := []Item{{ID: "participants"}, {ID: "window"}}
	day := func(d int) time.Time { return time.Date(2025, 10, d, 0, 0, 0, 0, time.UTC) }
	rows := []Row{
		{
			Candidat: "Métropole de Belrive", Type: "Métropole",
			Criteria:      []Criterion{{ID: "participants", Status: Met}, {ID: "window", Status: ToConfirm}},
			Communautaire: day(1), Jour1: day(2), Jour2: day(3),
			Capacite: 2400, Pleniere: 1200, Salles: 12, Budget: 48_500_050, Acquis: 0.625,
			EnNature: 3_000_000, ETP: 7.5, Partenaires: 6, Initiatives: 5, NECLocaux: 2, Lettres: 3, Pages: 31,
		},
		{Candidat: "=HYPERLINK(\"http://x\";\"clic\")", Type: "+33 1 23", Criteria: nil},
		{Candidat: "@SUM(A1)", Type: "-2+3"},
		{Candidat: "\tcaché", Type: "\rretour"},
	}
	return items, rows
}

func TestWriteCompareCSV(t *testing.T) {
	items, rows := compareRows()
	var buf bytes.Buffer
	if err := WriteCompareCSV(&buf, items, rows); err != nil {
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
	for _, col := range []string{"Candidat", "Capacité totale", "Part acquise", "Critère : participants"} {
		if !strings.Contains(head, col) {
			t.Errorf("header lacks %q: %s", col, head)
		}
	}
	b := recs[1]
	for i, want := range map[int]string{0: "Métropole de Belrive", 2: "01/10/2025", 5: "2400", 8: "485000,50", 9: "62,5 %", 11: "7,50"} {
		if b[i] != want {
			t.Errorf("Belrive column %d (%s) = %q, want %q", i, recs[0][i], b[i], want)
		}
	}
	if got := b[len(b)-2:]; got[0] != "rempli" || got[1] != "à confirmer" {
		t.Errorf("criteria columns = %q", got)
	}
	// Formula injection: every dangerous first character is defused.
	for _, rec := range recs[2:] {
		for _, f := range rec[:2] {
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
	items, rows := compareRows()
	var buf bytes.Buffer
	if err := WriteCompareXLSX(&buf, items, rows); err != nil {
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
	if v, _ := f.GetCellValue(sheet, "A2", excelize.Options{RawCellValue: true}); v != "Métropole de Belrive" {
		t.Errorf("A2 = %q", v)
	}
	if v, _ := f.GetCellValue(sheet, "F2", excelize.Options{RawCellValue: true}); v != "2400" {
		t.Errorf("capacity F2 = %q, want the number 2400", v)
	}
	if typ("F2") == excelize.CellTypeSharedString || typ("F2") == excelize.CellTypeInlineString {
		t.Error("capacity stored as text")
	}
	if v, _ := f.GetCellValue(sheet, "C2", excelize.Options{RawCellValue: true}); v != "45931" {
		t.Errorf("date C2 raw = %q, want the serial 45931 (1 October 2025)", v)
	}
	if v, _ := f.GetCellValue(sheet, "C2"); v != "01/10/2025" {
		t.Errorf("date C2 shown = %q", v)
	}
	// An injected formula stays text.
	if fm, _ := f.GetCellFormula(sheet, "A3"); fm != "" {
		t.Errorf("A3 became a formula: %q", fm)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v (%v), want the header row frozen", panes, err)
	}
}

// TestRenderComparison: the comparison names every candidate, each
// criterion with its verdict, the key figures in French, on A4 landscape.
func TestRenderComparison(t *testing.T) {
	call := testCall(t)
	var rows []Row
	for _, name := range []string{"belrive", "haut-verdal", "sarrine"} {
		c := sampleCandidatures()[name]
		rows = append(rows, RowOf(c, Evaluate(c, call)))
	}
	var buf bytes.Buffer
	if err := RenderComparison(&buf, call, rows, ComparisonOptions{Created: time.Date(2024, 7, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	pdftotext := needTool(t, "pdftotext")
	cmd := exec.Command(pdftotext, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(buf.Bytes())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(string(out))
	for _, want := range []string{
		"Comparaison des candidatures", "samedi 20 juillet 2024", "Métropole de Belrive", "Département de la Sarrine",
		"C3 : Accueillir plus de 2 000 participants", "à confirmer", "Chiffres clés", "486 000 €", "1er, 2 et 3 octobre 2025",
		"Capacité d’accueil", "page 1 / ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the comparison lacks %q", want)
		}
	}
	pdfinfo := needTool(t, "pdfinfo")
	cmd = exec.Command(pdfinfo, "-")
	cmd.Stdin = bytes.NewReader(buf.Bytes())
	info, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "841.89 x 595.28 pts (A4)") && !strings.Contains(string(info), "841.89 x 595.276 pts (A4)") {
		t.Errorf("not A4 landscape:\n%s", info)
	}
}
