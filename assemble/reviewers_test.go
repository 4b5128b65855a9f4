package assemble

import (
	"bytes"
	"encoding/csv"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/letters"
	"necdossier/assemble/render"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/xuri/excelize/v2"

	"necdossier/fonts"
)

// reviewersBatch writes a candidate folder per name (folder → the
// collectivité's name, "" for an empty folder: a candidacy that cannot be
// built), from the sample haut-verdal with its letters, and runs a batch
// into out.
func reviewersBatch(t *testing.T, in, out string, names map[string]string, print bool, notes string) *BatchResult {
	t.Helper()
	call := testkit.Call(t)
	base := sampleCandidatures()["haut-verdal"]
	files := map[string][]byte{}
	for _, a := range base.Annexes {
		files[a.Fichier] = sampleFile(t, "haut-verdal", a.Fichier)
	}
	if base.Collectivite.Logo != "" {
		files[base.Collectivite.Logo] = sampleFile(t, "haut-verdal", base.Collectivite.Logo)
	}
	for folder, name := range names {
		if name == "" {
			if err := os.MkdirAll(filepath.Join(in, folder), 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		c := *base
		c.Collectivite.Nom = name
		candidateFolder(t, call, filepath.Join(in, folder), &c, files)
	}
	res, err := RunBatch(BatchOptions{Dir: in, OutDir: out, Jobs: 2, Call: call, Fonts: fonts.FS, Print: print, Notes: notes,
		Now: time.Date(2024, 7, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// xlsxColumn returns a column of a sheet, by its header, without the header.
func xlsxColumn(t *testing.T, f *excelize.File, sheet, header string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	col := slices.Index(rows[0], header)
	if col < 0 {
		t.Fatalf("sheet %s: no column %q in %q", sheet, header, rows[0])
	}
	var out []string
	for _, r := range rows[1:] {
		v := ""
		if col < len(r) {
			v = r[col]
		}
		out = append(out, v)
	}
	return out
}

// TestBatchOneOrder: the candidates come in the same order in
// comparaison.pdf, .xlsx, .csv and impression.pdf — French collation,
// « Établissement… » between D and F, a folder that could not be built
// at its name's place — whatever the order of their folders.
func TestBatchOneOrder(t *testing.T) {
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	reviewersBatch(t, in, out, map[string]string{
		"a-fontaine": "Fontaine-sur-Lys",
		"b-etab":     "Établissement public territorial de l’Est",
		"c-dept":     "Département de Zed",
		"eu-vide":    "",
	}, true, "")
	wantFolders := []string{"c-dept", "b-etab", "eu-vide", "a-fontaine"}
	wantNames := []string{"Département de Zed", "Établissement public territorial de l’Est", "eu-vide", "Fontaine-sur-Lys"}

	// comparaison.xlsx
	f, err := excelize.OpenFile(filepath.Join(out, "comparaison.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := xlsxColumn(t, f, "Comparaison", "Dossier"); !slices.Equal(got, wantFolders) {
		t.Errorf("comparaison.xlsx: folders %q, want %q", got, wantFolders)
	}

	// comparaison.csv
	data := bytes.TrimPrefix(mustRead(t, filepath.Join(out, "comparaison.csv")), []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, rec := range recs[1:] {
		folders = append(folders, rec[0])
	}
	if !slices.Equal(folders, wantFolders) {
		t.Errorf("comparaison.csv: folders %q, want %q", folders, wantFolders)
	}

	// comparaison.pdf: the names in the criteria table, the first place
	// each appears.
	inOrder := func(what, text string) {
		t.Helper()
		text = strings.Join(strings.Fields(text), " ")
		last := -1
		for _, n := range wantNames {
			i := strings.Index(text, n)
			if i < 0 {
				t.Errorf("%s: %q missing", what, n)
				continue
			}
			if i < last {
				t.Errorf("%s: %q out of order (want %q)", what, n, wantNames)
			}
			last = i
		}
	}
	inOrder("comparaison.pdf", pdfText(t, filepath.Join(out, "comparaison.pdf")))

	// impression.pdf: its index, and its bookmarks.
	bundle := filepath.Join(out, "impression.pdf")
	inOrder("impression.pdf (sommaire)", pdfText(t, bundle))
	bms, err := api.Bookmarks(bytes.NewReader(mustRead(t, bundle)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, b := range bms[2:] {
		titles = append(titles, b.Title)
	}
	want := []string{render.BundleName(0, wantNames[0]), render.BundleName(1, wantNames[1]),
		render.BundleName(2, wantNames[2]) + " — dossier non produit", render.BundleName(3, wantNames[3])}
	if !slices.Equal(titles, want) {
		t.Errorf("impression.pdf: bookmarks %q, want %q", titles, want)
	}
}

// TestBatchNotesRoundTrip: a reviewer fills a note, scores and a weight in
// comparaison.xlsx; the next batch, given it with --notes, carries them
// into the new comparaison.xlsx (by folder) and shows them in
// comparaison.pdf.
func TestBatchNotesRoundTrip(t *testing.T) {
	root := t.TempDir()
	in := filepath.Join(root, "in")
	names := map[string]string{"sarrine": "Département de la Sarrine", "verdal": "Communauté de communes du Haut-Verdal"}
	first := filepath.Join(root, "lot1")
	reviewersBatch(t, in, first, names, false, "")

	// The reviewer's work, as Excel or LibreOffice would save it.
	f, err := excelize.OpenFile(filepath.Join(first, "comparaison.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Comparaison")
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	col := func(h string) int {
		i := slices.Index(head, h)
		if i < 0 {
			t.Fatalf("no column %q in %q", h, head)
		}
		return i + 1
	}
	line := 0
	for i, r := range rows[1:] {
		if r[col("Dossier")-1] == "sarrine" {
			line = i + 2
		}
	}
	if line == 0 {
		t.Fatal("no row for sarrine")
	}
	set := func(c int, v any) {
		cell, _ := excelize.CoordinatesToCellName(c, line)
		if err := f.SetCellValue("Comparaison", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	const note = "Dates de novembre : à discuter en comité"
	set(col("Note de l’instructeur"), note)
	set(col("Score C1"), 4)
	set(col("Score C3"), 2.5)
	if err := f.SetCellValue("Grille", "C4", 3); err != nil { // C3's weight
		t.Fatal(err)
	}
	notes := filepath.Join(root, "notes.xlsx")
	if err := f.SaveAs(notes); err != nil {
		t.Fatal(err)
	}
	f.Close()

	second := filepath.Join(root, "lot2")
	reviewersBatch(t, in, second, names, false, notes)
	g, err := excelize.OpenFile(filepath.Join(second, "comparaison.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	folders := xlsxColumn(t, g, "Comparaison", "Dossier")
	at := slices.Index(folders, "sarrine")
	other := slices.Index(folders, "verdal")
	for _, c := range []struct{ header, want string }{
		{"Note de l’instructeur", note}, {"Score C1", "4"}, {"Score C3", "2.5"}, {"Score C2", ""},
	} {
		vals := xlsxColumn(t, g, "Comparaison", c.header)
		if got := strings.Replace(vals[at], ",", ".", 1); got != c.want {
			t.Errorf("new comparaison.xlsx, sarrine, %s = %q, want %q", c.header, got, c.want)
		}
		if other < len(vals) && vals[other] != "" {
			t.Errorf("new comparaison.xlsx, verdal, %s = %q, want it empty (nothing was noted)", c.header, vals[other])
		}
	}
	if w, _ := g.GetCellValue("Grille", "C4", excelize.Options{RawCellValue: true}); w != "3" {
		t.Errorf("new Grille: C3's weight = %q, want 3", w)
	}
	text := strings.Join(strings.Fields(strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(pdfText(t, filepath.Join(second, "comparaison.pdf")))), " ")
	for _, want := range []string{note, "Scores : C1 4 ; C3 2,5"} {
		if !strings.Contains(text, want) {
			t.Errorf("comparaison.pdf lacks %q", want)
		}
	}
}

// TestBundleFeetOneLine: in the print bundle, a dossier's page carries one
// foot line, the bundle's page just before the page's own number (the
// dossier's or the letter's, each where it is printed); only the
// synthesis, whose foot line holds the fingerprint, has the bundle's foot
// above it, with the dossier's page.
func TestBundleFeetOneLine(t *testing.T) {
	parts := []bundlePart{
		{entry: render.BundleEntry{Name: "Comparaison des candidatures", Pages: 1}},
		{entry: render.BundleEntry{Name: "Métropole de Belrive", Folder: "belrive", Pages: 5},
			o: &Outcome{Pages: 5, OwnPages: 3, Outline: []letters.Bookmark{{Title: "Synthèse", Page: 2}}}},
	}
	feet := bundleFeet(parts, 2, 10)
	if len(feet) != 10 {
		t.Fatalf("%d feet, want 10", len(feet))
	}
	if f := feet[2]; !f.Landscape || f.Own != render.ComparisonOwnFoot(1) || f.Right != "liasse p. 3 / 10" {
		t.Errorf("comparison's foot = %+v", f)
	}
	for n := 1; n <= 5; n++ {
		f := feet[3+n]
		wantRight := "liasse p. " + itoa(4+n) + " / 10"
		if n == 2 {
			wantRight = "p. 2 / 5 — " + wantRight
		}
		wantOwn, wantAt := "page "+itoa(n)+" / 5", render.OwnRightDossier
		if n > 3 {
			wantAt = render.OwnRightLetter
		}
		if f.Left != "1. Métropole de Belrive" || f.Right != wantRight || f.Own != wantOwn || f.OwnRight != wantAt || f.Above != (n == 2) {
			t.Errorf("dossier page %d: foot %+v, want %q, %q at %v mm, above only on the synthesis", n, f, wantRight, wantOwn, wantAt)
		}
	}
	if f := feet[9]; f.Own != "" || !strings.Contains(f.Left, "page blanche") {
		t.Errorf("padding page's foot = %+v", f)
	}
}
