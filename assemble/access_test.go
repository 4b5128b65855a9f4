package assemble

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/render"
	"necdossier/fonts"
)

// TestSamplesAccessible builds every sample and checks the dossier with
// the PDF/UA-1 checker: a dossier that claims PDF/UA-1 passes it, one that
// does not is kept from it by its letters' fonts only, and says which.
func TestSamplesAccessible(t *testing.T) {
	srcs, _ := filepath.Glob(testkit.Path(t, "samples", "*", "candidature.xlsx"))
	for _, src := range srcs {
		if strings.Contains(src, "exemple-erreurs") {
			continue
		}
		for _, split := range []bool{false, true} {
			name := filepath.Base(filepath.Dir(src))
			res, err := BuildFS(os.DirFS(filepath.Dir(src)), "candidature.xlsx",
				Options{Call: testkit.Call(t), Fonts: fonts.FS, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Split: split})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			dossier := res.Parts[0].Data
			findings, err := letters.CheckUA(dossier)
			if err != nil {
				t.Fatal(err)
			}
			claimed := strings.Contains(string(dossier), "<pdfuaid:part>1</pdfuaid:part>")
			blocked := slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "PDF/UA-1") })
			for _, f := range findings {
				if claimed || (f.Rule != letters.RuleFontEmbedded && f.Rule != letters.RuleToUnicode && f.Rule != letters.RuleUAID) {
					t.Errorf("%s (split %v): %s", name, split, f)
				}
			}
			if claimed == blocked {
				t.Errorf("%s (split %v): claimed %v, warning %v: %q", name, split, claimed, blocked, res.Warnings)
			}
			if split && blocked && len(res.Parts) < 2 {
				t.Errorf("%s: --split with a letter that keeps the dossier from PDF/UA gave one file", name)
			}
			t.Logf("%s (split %v): %d pages, %d octets, PDF/UA-1 %v", name, split, res.Parts[0].Pages, len(dossier), claimed)
		}
	}
}

// TestStructTextReadingOrder shows the tree in reading order with
// poppler's pdfinfo: the headings, the table of contents as links, the
// figures' alternative texts, the letters as figures.
func TestStructTextReadingOrder(t *testing.T) {
	pdfinfo := testkit.NeedTool(t, "pdfinfo")
	src := testkit.Path(t, "samples", "belrive", "candidature.xlsx")
	res, err := BuildFS(os.DirFS(filepath.Dir(src)), "candidature.xlsx",
		Options{Call: testkit.Call(t), Fonts: fonts.FS, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(path, res.Parts[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdfinfo, "-struct-text", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	s := string(out)
	t.Logf("%d lignes de structure ; début :\n%s", strings.Count(s, "\n"), s[:min(len(s), 1500)])
	order := []string{"\"Synthèse\"", "TOC", "TOCI", "Link", "H1", "Table", "TH", "Figure", "Sect"}
	at := 0
	for _, w := range order {
		k := strings.Index(s[at:], w)
		if k < 0 {
			t.Fatalf("%q absent (ou hors d’ordre) de la structure", w)
		}
		at += k
	}
	for _, w := range []string{"Capacité", "page 1 / "} {
		_ = w
	}
	if !strings.Contains(s, "places au lieu principal") || strings.Contains(s, "page 1 / ") {
		t.Errorf("the tiles must be read, the page numbers (artifacts) not")
	}
}

// TestCorpusLettersMerged merges every corpus letter after a dossier: the
// result passes the checker but for the letter's fonts, and the letter
// says so exactly when its fonts stop it.
func TestCorpusLettersMerged(t *testing.T) {
	dir := testkit.CorpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "pdf", "*.pdf"))
	imgs, _ := filepath.Glob(filepath.Join(dir, "images", "*"))
	files = append(files, imgs...)
	var dossier []byte
	var lay *render.Layout
	{
		var buf strings.Builder
		_ = buf
		c := testkit.RichCandidature()
		var b bytesBuffer
		l, err := render.Render(&b, c, testkit.Call(t), render.Options{Fonts: fonts.FS, Created: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
			Annexes: []render.Annexe{{Title: "Lettre", Organisation: "Org", Kind: "Lettre de soutien", Pages: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		dossier, err = letters.Finish(b.b, l.Levels())
		if err != nil {
			t.Fatal(err)
		}
		lay = l
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		l, err := letters.Read(filepath.Base(f), data, letters.Options{})
		if err != nil {
			continue // refused letters are tested elsewhere
		}
		lay2 := *lay
		lay2.Total = lay.Pages + l.Pages
		plan := mergePlan(&lay2, nil, []*letters.Letter{l})
		var out bytesBuffer
		if err := letters.Merge(&out, strings.NewReader(string(dossier)), []*letters.Letter{l}, plan); err != nil {
			t.Errorf("%s: %v (%v)", filepath.Base(f), err, errors.Unwrap(err))
			continue
		}
		findings, err := letters.CheckUA(out.b)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		fonts := false
		for _, x := range findings {
			switch x.Rule {
			case letters.RuleFontEmbedded, letters.RuleToUnicode:
				fonts = true
			case letters.RuleUAID:
			default:
				t.Errorf("%s: %s", filepath.Base(f), x)
			}
		}
		if fonts != (l.Problem() != "") {
			t.Errorf("%s: fonts findings %v, letter problem %q", filepath.Base(f), fonts, l.Problem())
		}
	}
}

type bytesBuffer struct{ b []byte }

func (w *bytesBuffer) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

// TestVeraPDF runs veraPDF's PDF/UA-1 profile on a sample dossier where
// veraPDF is installed.
func TestVeraPDF(t *testing.T) {
	vera, err := exec.LookPath("verapdf")
	if err != nil {
		t.Skip("verapdf absent")
	}
	src := testkit.Path(t, "samples", "haut-verdal", "candidature.xlsx")
	res, err := BuildFS(os.DirFS(filepath.Dir(src)), "candidature.xlsx",
		Options{Call: testkit.Call(t), Fonts: fonts.FS, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(path, res.Parts[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(vera, "--flavour", "ua1", "--format", "text", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Errorf("verapdf: %v\n%s", err, out)
	}
}

// TestComparisonAccessible: comparaison.pdf is tagged like the dossier
// and claims PDF/UA-1, which the checker confirms — with a candidacy not
// produced, a row and the charts running onto the next pages (their
// repeated header, name and titles artifacts).
func TestComparisonAccessible(t *testing.T) {
	call := testkit.Call(t)
	rows := comparisonRows(call)
	for i := range 12 { // enough bars for a chart to run onto a next page
		r := rows[1]
		r.Dossier = fmt.Sprintf("copie-%d", i+1)
		rows = append(rows, r)
	}
	rows = append(rows, model.Row{Dossier: "illisible", Etat: model.NonProduit, Motif: "classeur illisible"})
	pdf, err := comparisonPDF(call, rows, render.ComparisonOptions{Created: time.Date(2024, 7, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	findings, err := letters.CheckUA(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Error(f)
	}
	if !strings.Contains(string(pdf), "<pdfuaid:part>1</pdfuaid:part>") { // the XMP stream, uncompressed
		t.Errorf("comparaison.pdf lacks <pdfuaid:part>1</pdfuaid:part>")
	}
	t.Logf("%d pages, %d octets", letters.PageCount(pdf), len(pdf))
	// The catalog sits in a compressed object stream: qpdf writes it out.
	qpdf := testkit.NeedTool(t, "qpdf")
	path := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if plain, err := exec.Command(qpdf, "--qdf", "--object-streams=disable", path, "-").Output(); err != nil {
		t.Fatalf("qpdf --qdf: %v", err)
	} else if !strings.Contains(string(plain), "/StructTreeRoot") {
		t.Error("comparaison.pdf lacks /StructTreeRoot")
	}
	if pdfinfo, err := exec.LookPath("pdfinfo"); err == nil {
		out, err := exec.Command(pdfinfo, "-struct-text", path).CombinedOutput()
		if err != nil {
			t.Fatalf("pdfinfo: %v\n%s", err, out)
		}
		s := string(out)
		at := 0
		for _, want := range []string{"H1", "H2", "Table", "TH", "/Scope /Row", "H3", "Figure", "\"Détail par candidature\""} {
			i := strings.Index(s[at:], want)
			if i < 0 {
				t.Fatalf("structure: %q missing after position %d:\n%s", want, at, s[:min(len(s), 3000)])
			}
			at += i
		}
		if strings.Contains(s, "(suite)") {
			t.Errorf("a repeated « (suite) » is in the structure, not an artifact")
		}
	}
}

// TestPrintBundleAccessible: impression.pdf carries the tree of every
// part it binds (its cover and index, the comparison, each dossier, the
// page of a candidacy not built) under a Part titled as its bookmark, in
// the order of the pages; the checker finds nothing and the file claims
// PDF/UA-1.
func TestPrintBundleAccessible(t *testing.T) {
	call := testkit.Call(t)
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	sampleFolders(t, call, in, "haut-verdal", "sarrine")
	broken := filepath.Join(in, "zz-illisible")
	if err := os.MkdirAll(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "candidature.xlsx"), []byte("pas un classeur"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := RunBatch(BatchOptions{Dir: in, OutDir: out, Jobs: 2, Call: call, Fonts: fonts.FS, Print: true, Now: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() != 1 {
		t.Fatalf("%d failures, want the unreadable workbook's only", res.Failed())
	}
	bundle := filepath.Join(out, "impression.pdf")
	pdf := mustRead(t, bundle)
	findings, err := letters.CheckUA(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Error(f)
	}
	if !strings.Contains(string(pdf), "<pdfuaid:part>1</pdfuaid:part>") {
		t.Error("impression.pdf does not claim PDF/UA-1")
	}
	// The Parts, in the order of the pages, titled as the bookmarks.
	titles := partTitles(t, bundle)
	if len(titles) != 5 || titles[0] != "Couverture et sommaire" || titles[1] != "Comparaison des candidatures" ||
		!strings.HasPrefix(titles[2], "1. ") || !strings.HasPrefix(titles[3], "2. ") ||
		titles[4] != "3. zz-illisible — dossier non produit" {
		t.Errorf("Parts %q", titles)
	}
	pdfinfo := testkit.NeedTool(t, "pdfinfo")
	txt, err := exec.Command(pdfinfo, "-struct-text", bundle).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, txt)
	}
	// Each Part reads, first, what its pages say first.
	s := string(txt)
	at := 0
	for i, want := range []string{"Dossiers de candidature pour le comité de sélection", "Comparaison des candidatures",
		strings.TrimPrefix(titles[2], "1. "), strings.TrimPrefix(titles[3], "2. "), "Dossier non produit"} {
		p := strings.Index(s[at:], "\n  Part ")
		if p < 0 {
			t.Fatalf("Part %d missing from the tree:\n%s", i+1, s)
		}
		at += p + 1
		end := len(s)
		if q := strings.Index(s[at+1:], "\n  Part "); q >= 0 {
			end = at + 1 + q
		}
		if !strings.Contains(s[at:end], want) {
			t.Errorf("Part %d (%s) does not read %q", i+1, titles[i], want)
		}
	}
}

// partTitles reads, with qpdf, the titles of the Part structure elements
// of the PDF at path, in the order of their object numbers (the order in
// which the bundle appended them): they sit in compressed object streams.
func partTitles(t *testing.T, path string) []string {
	t.Helper()
	qpdf := testkit.NeedTool(t, "qpdf")
	out, err := exec.Command(qpdf, "--json=2", "--json-key=qpdf", path).Output()
	if err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	var doc struct {
		Qpdf []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.Qpdf) < 2 {
		t.Fatalf("qpdf --json: %v", err)
	}
	var objects map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal(doc.Qpdf[1], &objects); err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	type part struct {
		num   int
		title string
	}
	var parts []part
	for key, o := range objects {
		d, ok := o.Value.(map[string]any)
		if !ok || d["/S"] != "/Part" {
			continue
		}
		var num int
		if _, err := fmt.Sscanf(key, "obj:%d 0 R", &num); err != nil {
			t.Fatalf("qpdf --json: object %q", key)
		}
		title, _ := d["/T"].(string)
		parts = append(parts, part{num, strings.TrimPrefix(title, "u:")})
	}
	slices.SortFunc(parts, func(a, b part) int { return a.num - b.num })
	titles := make([]string, len(parts))
	for i, p := range parts {
		titles[i] = p.title
	}
	return titles
}
