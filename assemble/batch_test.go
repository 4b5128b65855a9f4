package assemble

import (
	"bytes"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/render"
	"necdossier/assemble/workbook"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"necdossier/fonts"
)

// candidateFolder writes a candidate's folder: its workbook, from c, and
// the files of files (name → bytes).
func candidateFolder(t testing.TB, call *model.Call, dir string, c *model.Candidature, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var wb bytes.Buffer
	if err := workbook.Write(&wb, call, c); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "candidature.xlsx"), wb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sampleFile reads a file of samples/.
func sampleFile(t testing.TB, parts ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(append([]string{"..", "samples"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// withAnnex returns a copy of c whose only annex is file.
func withAnnex(c *model.Candidature, file string) *model.Candidature {
	cc := *c
	cc.Collectivite.Logo = ""
	cc.Annexes = []model.Annexe{{Fichier: file, Titre: "Lettre de soutien", Organisation: "Partenaire", Type: "Lettre de soutien"}}
	return &cc
}

// TestBatchHostileCandidates runs a batch where most candidates are broken
// or hostile: each fails with its reason, none reaches a file outside its
// folder, and the good one is built all the same.
func TestBatchHostileCandidates(t *testing.T) {
	call := testkit.Call(t)
	root := t.TempDir()
	in := filepath.Join(root, "candidatures")
	out := filepath.Join(root, "sortie")
	letter := sampleFile(t, "haut-verdal", "lettre-departement-aubrelle.pdf")
	// A file outside every candidate's folder, that no dossier may include.
	secret := filepath.Join(root, "secret.pdf")
	if err := os.WriteFile(secret, letter, 0o644); err != nil {
		t.Fatal(err)
	}
	base := sampleCandidatures()["haut-verdal"]

	candidateFolder(t, call, filepath.Join(in, "bon"), withAnnex(base, "lettre.pdf"), map[string][]byte{"lettre.pdf": letter})
	candidateFolder(t, call, filepath.Join(in, "point-point"), withAnnex(base, "../../secret.pdf"), nil)
	candidateFolder(t, call, filepath.Join(in, "absolu"), withAnnex(base, secret), nil)
	candidateFolder(t, call, filepath.Join(in, "lien"), withAnnex(base, "lettre.pdf"), nil)
	if err := os.Symlink(secret, filepath.Join(in, "lien", "lettre.pdf")); err != nil {
		t.Fatal(err)
	}
	// A workbook that is a link to another candidate's workbook.
	if err := os.MkdirAll(filepath.Join(in, "classeur-lien"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(in, "bon", "candidature.xlsx"), filepath.Join(in, "classeur-lien", "candidature.xlsx")); err != nil {
		t.Fatal(err)
	}
	candidateFolder(t, call, filepath.Join(in, "casse"), base, nil)
	if err := os.WriteFile(filepath.Join(in, "casse", "candidature.xlsx"), []byte("PK\x03\x04 pas un classeur"), 0o644); err != nil {
		t.Fatal(err)
	}
	candidateFolder(t, call, filepath.Join(in, "deux-classeurs"), base, nil)
	if err := os.WriteFile(filepath.Join(in, "deux-classeurs", "autre.xlsx"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder with no workbook is listed all the same, not produced.
	if err := os.MkdirAll(filepath.Join(in, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Nor is a folder holding an .ods lost.
	if err := os.MkdirAll(filepath.Join(in, "ods"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "ods", "candidature.ods"), []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}

	res, err := RunBatch(BatchOptions{Dir: in, OutDir: out, Jobs: 2, Call: call, Fonts: fonts.FS, Now: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Outcome{}
	for _, o := range res.Outcomes {
		got[o.Candidate.Name] = o
	}
	// A reviewer's dossier marks what would stop a collectivité's build,
	// and never takes in a file from outside the candidate's folder.
	for _, name := range []string{"point-point", "absolu", "lien"} {
		o := got[name]
		if o.Err != nil || o.Errors == 0 || o.Row.Etat != model.AConfirmer {
			t.Errorf("%s: %+v, want a dossier with its error marked", name, o)
			continue
		}
		txt := pdfText(t, o.Output)
		if !strings.Contains(txt, "pièce illisible ou refusée") || strings.Contains(txt, "Aubrelle") && strings.Contains(txt, "Marc-Olivier Peyrelongue\nDépartement") {
			t.Errorf("%s: the dossier does not mark the refused letter", name)
		}
		if o.Pages >= got["bon"].Pages {
			t.Errorf("%s: %d pages, the letter from outside was taken in", name, o.Pages)
		}
	}
	wantFail := map[string]string{
		"classeur-lien":  "lien symbolique refusé",
		"casse":          "candidature.xlsx",
		"deux-classeurs": "exactement un classeur",
		"notes":          "dossier vide",
		"ods":            "réenregistrer au format Excel",
	}
	for name, frag := range wantFail {
		o, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: no outcome", name)
		case o.Err == nil:
			t.Errorf("%s: built %s, want a failure", name, o.Output)
		case !strings.Contains(o.Err.Error(), frag):
			t.Errorf("%s: error %q, want it to say %q", name, o.Err, frag)
		}
		if _, err := os.Stat(filepath.Join(out, name+".pdf")); err == nil {
			t.Errorf("%s: a dossier was written for a failed candidate", name)
		}
	}
	if o := got["bon"]; o.Err != nil || o.Pages < 5 {
		t.Fatalf("the good candidate: %+v", o)
	}
	if res.Failed() != len(wantFail) {
		t.Errorf("Failed() = %d, want %d", res.Failed(), len(wantFail))
	}
	for _, f := range []string{"comparaison.pdf", "comparaison.xlsx", "comparaison.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	// Nothing but what the batch writes is in the output folder: no temporary files.
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != ownerMark {
			t.Errorf("leftover %s in the output folder", e.Name())
		}
	}
	// Every candidacy is compared, with its state and reason.
	csv := string(mustRead(t, filepath.Join(out, "comparaison.csv")))
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 1+len(got) {
		t.Errorf("comparaison.csv holds %d lines, want the header and every candidacy:\n%s", len(lines), csv)
	}
	for name, frag := range wantFail {
		if !strings.Contains(csv, name+";;;dossier non produit;") || !strings.Contains(csv, frag) {
			t.Errorf("comparaison.csv does not say why %s was not produced", name)
		}
	}
	var summary bytes.Buffer
	WriteSummary(&summary, res.Outcomes)
	if !strings.Contains(summary.String(), "4 dossiers produits, 5 échecs") {
		t.Errorf("summary's last line:\n%s", summary.String())
	}
}

// TestBatchOutputInsideInput: an output folder inside the candidates'
// folder is not taken for a candidate when the batch runs again.
func TestBatchOutputInsideInput(t *testing.T) {
	call := testkit.Call(t)
	in := filepath.Join(t.TempDir(), "in")
	c := sampleCandidatures()["haut-verdal"]
	candidateFolder(t, call, filepath.Join(in, "haut-verdal"), c, map[string][]byte{c.Annexes[0].Fichier: sampleFile(t, "haut-verdal", c.Annexes[0].Fichier)})
	for range 2 {
		res, err := RunBatch(BatchOptions{Dir: in, OutDir: filepath.Join(in, "sortie"), Call: call, Fonts: fonts.FS, Now: july})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Outcomes) != 1 || res.Failed() != 0 {
			var b bytes.Buffer
			WriteSummary(&b, res.Outcomes)
			t.Fatalf("want the one candidate built:\n%s", b.String())
		}
	}
}

// sampleFolders writes into in a candidate's folder for each sample
// named: its workbook and its letters.
func sampleFolders(t *testing.T, call *model.Call, in string, names ...string) {
	t.Helper()
	samples := sampleCandidatures()
	for _, name := range names {
		c := samples[name]
		files := map[string][]byte{}
		for _, a := range c.Annexes {
			files[a.Fichier] = sampleFile(t, name, a.Fichier)
		}
		candidateFolder(t, call, filepath.Join(in, name), c, files)
	}
}

// TestPrintBundle checks the committee's print file: each dossier starts
// on an odd page, padding pages say so, a bookmark per candidate.
func TestPrintBundle(t *testing.T) {
	call := testkit.Call(t)
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	sampleFolders(t, call, in, "haut-verdal", "sarrine")
	res, err := RunBatch(BatchOptions{Dir: in, OutDir: out, Jobs: 2, Call: call, Fonts: fonts.FS, Print: true, Now: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() != 0 {
		var b bytes.Buffer
		WriteSummary(&b, res.Outcomes)
		t.Fatalf("failures:\n%s", b.String())
	}
	bundle := filepath.Join(out, "impression.pdf")
	n, err := api.PageCountFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	front := render.FrontPages(3)
	want := front
	var starts []int
	blanks := map[int]bool{}
	for p := 3; p <= front; p++ { // cover and index take two pages
		blanks[p] = true
	}
	comparison := letters.PageCount(mustRead(t, filepath.Join(out, "comparaison.pdf")))
	if comparison%2 == 1 {
		blanks[want+comparison+1] = true
	}
	want += comparison + comparison%2
	for _, o := range sortedOutcomes(res.Outcomes) {
		starts = append(starts, want+1)
		if o.Pages%2 == 1 {
			blanks[want+o.Pages+1] = true
		}
		want += o.Pages + o.Pages%2
	}
	if n != want {
		t.Errorf("bundle has %d pages, want %d (front %d, dossiers padded to even counts)", n, want, front)
	}
	for _, s := range starts {
		if s%2 != 1 {
			t.Errorf("a dossier starts on page %d, a left-hand page", s)
		}
	}
	bms, err := api.Bookmarks(bytes.NewReader(mustRead(t, bundle)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(bms) != 4 || bms[0].PageFrom != 1 || bms[1].PageFrom != front+1 || bms[2].PageFrom != starts[0] || bms[3].PageFrom != starts[1] {
		t.Errorf("bookmarks %+v, want the front, the comparison and one per candidate at pages %v", bms, starts)
	}
	// Each candidate's bookmark holds its dossier's own outline.
	for _, b := range bms[2:] {
		if len(b.Kids) < 5 || b.Kids[0].Title != "Synthèse" || b.Kids[0].PageFrom != b.PageFrom+1 {
			t.Errorf("%s: outline not nested: %+v", b.Title, b.Kids)
		}
	}
	if out, err := exec.Command(testkit.NeedTool(t, "qpdf"), "--check", bundle).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check impression.pdf: %v\n%s", err, out)
	}
	// The bundle carries its dossiers' structure trees: tagged, PDF/UA-1
	// (TestPrintBundleAccessible looks at the tree).
	findings, err := letters.CheckUA(mustRead(t, bundle))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Error(f)
	}
	if !bytes.Contains(mustRead(t, bundle), []byte("<pdfuaid:part>1</pdfuaid:part>")) {
		t.Error("impression.pdf does not claim PDF/UA-1")
	}
	pdftotext := testkit.NeedTool(t, "pdftotext")
	for p := 1; p <= n; p++ {
		txt, err := exec.Command(pdftotext, "-f", itoa(p), "-l", itoa(p), bundle, "-").Output()
		if err != nil {
			t.Fatalf("page %d: %v", p, err)
		}
		blank := strings.Contains(string(txt), render.BlankText)
		if blank != blanks[p] {
			t.Errorf("page %d: blank=%v, want %v:\n%s", p, blank, blanks[p], txt)
		}
		// Every page, letters included, carries its running foot.
		if foot := "liasse p. " + itoa(p) + " / " + itoa(n); !strings.Contains(string(txt), foot) {
			t.Errorf("page %d: no running foot « %s »:\n%s", p, foot, txt)
		}
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func itoa(n int) string { return strconv.Itoa(n) }

// BenchmarkBatch builds 10 and 50 candidates with three letters each (a
// PDF from an office suite, a three-page PDF, a scanned JPEG) and a logo,
// as many at once as there are CPUs, comparison included. Peak memory is
// measured outside (/usr/bin/time -v on each size): it must not grow with
// the number of candidates.
func BenchmarkBatch(b *testing.B) {
	for _, n := range []int{10, 50} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchmarkBatch(b, n) })
	}
}

func benchmarkBatch(b *testing.B, n int) {
	call := testkit.Call(b)
	in := filepath.Join(b.TempDir(), "in")
	bel := sampleCandidatures()["belrive"]
	files := map[string][]byte{}
	for _, a := range bel.Annexes {
		files[a.Fichier] = sampleFile(b, "belrive", a.Fichier)
	}
	files[bel.Collectivite.Logo] = sampleFile(b, "belrive", bel.Collectivite.Logo)
	for i := range n {
		c := *bel
		c.Collectivite.Nom = bel.Collectivite.Nom + " " + strconv.Itoa(i+1)
		candidateFolder(b, call, filepath.Join(in, "candidat-"+strconv.Itoa(i+1)), &c, files)
	}
	b.ReportAllocs()
	for b.Loop() {
		out := filepath.Join(b.TempDir(), "out")
		res, err := RunBatch(BatchOptions{Dir: in, OutDir: out, Call: call, Fonts: fonts.FS, Now: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			b.Fatal(err)
		}
		if res.Failed() != 0 {
			b.Fatalf("%d failures", res.Failed())
		}
	}
}

// pdfText extracts the text of a PDF with pdftotext.
func pdfText(t testing.TB, path string) string {
	t.Helper()
	out, err := exec.Command(testkit.NeedTool(t, "pdftotext"), path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}
