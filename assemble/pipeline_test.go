package assemble

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
	"necdossier/fonts"
)

// mapFolder loads a folder's regular files into a MapFS, as a web page
// holds the files the user dropped.
func mapFolder(t testing.TB, dir string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			m[e.Name()] = &fstest.MapFile{Data: mustRead(t, filepath.Join(dir, e.Name())), Mode: 0o644}
		}
	}
	return m
}

// TestBuildFSMatchesBuild builds every sample of samples/ in memory and
// through the files, with the same date: the PDFs and e-mails are the same
// bytes, and so are the findings.
func TestBuildFSMatchesBuild(t *testing.T) {
	for _, name := range []string{"belrive", "haut-verdal", "sarrine", "exemple-erreurs"} {
		t.Run(name, func(t *testing.T) {
			src := testkit.Path(t, "samples", name, "candidature.xlsx")
			out := filepath.Join(t.TempDir(), "dossier.pdf")
			call := testkit.Call(t)
			disk, diskErr := Build(BuildOptions{Workbook: src, Output: out, Call: call, Fonts: fonts.FS, Now: july, Email: true})
			mem, memErr := BuildFS(mapFolder(t, filepath.Dir(src)), "candidature.xlsx",
				Options{Call: call, Fonts: fonts.FS, Now: july, Email: true, Name: "dossier.pdf", Source: src})
			if (diskErr == nil) != (memErr == nil) || (diskErr != nil && diskErr.Error() != memErr.Error()) {
				t.Fatalf("Build: %v; BuildFS: %v", diskErr, memErr)
			}
			if got, want := testkit.FindingsText(mem.Findings), testkit.FindingsText(disk.Findings); got != want {
				t.Errorf("findings differ:\nBuildFS:\n%s\nBuild:\n%s", got, want)
			}
			if diskErr != nil {
				if !errors.Is(memErr, ErrFindings) || len(mem.Parts) != 0 {
					t.Errorf("a workbook with errors: err %v, %d parts", memErr, len(mem.Parts))
				}
				return
			}
			if len(mem.Parts) != 2 || mem.Parts[0].Role != "dossier" || mem.Parts[1].Role != "email" {
				t.Fatalf("parts = %v", mem.Parts)
			}
			if !bytes.Equal(mem.Parts[0].Data, mustRead(t, out)) {
				t.Error("the dossier made in memory differs from the one written")
			}
			if !bytes.Equal(mem.Parts[1].Data, mustRead(t, disk.Email)) {
				t.Error("the e-mail made in memory differs from the one written")
			}
		})
	}
}

// TestCheckFSMatchesCheckFile: the same findings whether the folder is on
// disk or in memory.
func TestCheckFSMatchesCheckFile(t *testing.T) {
	src := testkit.Path(t, "samples", "exemple-erreurs", "candidature.xlsx")
	disk, err := CheckFile(src, testkit.Call(t))
	if err != nil {
		t.Fatal(err)
	}
	mem, err := CheckFS(mapFolder(t, filepath.Dir(src)), "candidature.xlsx", Options{Call: testkit.Call(t), Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := testkit.FindingsText(mem), testkit.FindingsText(disk); got != want || !model.HasError(mem) {
		t.Errorf("CheckFS:\n%s\nCheckFile:\n%s", got, want)
	}
}

// TestBuildFSNeverOpensWhatIsNotAFile: a folder, or a name leading out of
// the workbook's folder, is a finding at its cell, not a read.
func TestBuildFSNeverOpensWhatIsNotAFile(t *testing.T) {
	c := testkit.RichCandidature()
	c.Annexes[0].Fichier = "lettres"
	c.Annexes[1].Fichier = "../autre-candidat/lettre.pdf"
	fsys := testkit.RichAnnexes()
	fsys["candidature.xlsx"] = &fstest.MapFile{Data: bookOf(t, c)}
	fsys["lettres/a.pdf"] = &fstest.MapFile{Data: []byte("%PDF-1.4")}
	fs, err := CheckFS(fsys, "candidature.xlsx", Options{Call: testkit.Call(t)})
	if err != nil {
		t.Fatal(err)
	}
	var dir, out bool
	for _, f := range fs {
		if f.Sheet == workbook.SheetAnnexes && strings.Contains(f.Message, "dossier, pas un fichier") {
			dir = true
		}
		if f.Sheet == workbook.SheetAnnexes && strings.Contains(f.Message, "sort du dossier du classeur") {
			out = true
		}
	}
	if !dir || !out {
		t.Errorf("folder refused: %v, path leaving the folder refused: %v\n%s", dir, out, testkit.FindingsText(fs))
	}
}

// TestBuildDuplicateRowsMergeOnce: two rows naming one file put it in the
// dossier once, with a warning.
func TestBuildDuplicateRowsMergeOnce(t *testing.T) {
	src := testkit.Path(t, "samples", "haut-verdal", "candidature.xlsx")
	fsys := mapFolder(t, filepath.Dir(src))
	c, _, err := workbook.Read(bytes.NewReader(fsys["candidature.xlsx"].Data), int64(len(fsys["candidature.xlsx"].Data)), "x")
	if err != nil {
		t.Fatal(err)
	}
	once, err := BuildFS(fsys, "candidature.xlsx", Options{Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
	if err != nil {
		t.Fatal(err)
	}
	c.Annexes = append(c.Annexes, c.Annexes[0])
	fsys["candidature.xlsx"] = &fstest.MapFile{Data: bookOf(t, c)}
	twice, err := BuildFS(fsys, "candidature.xlsx", Options{Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
	if err != nil {
		t.Fatal(err)
	}
	if twice.Parts[0].Pages != once.Parts[0].Pages {
		t.Errorf("a file named twice: %d pages, once: %d", twice.Parts[0].Pages, once.Parts[0].Pages)
	}
	if !strings.Contains(testkit.FindingsText(twice.Findings), "déjà cité") {
		t.Errorf("no warning for the duplicate row:\n%s", testkit.FindingsText(twice.Findings))
	}
}

// TestBuildOutputsNeverInputs: neither the manifest nor the e-mail draft
// may replace the workbook or a letter, and nothing at all is written then.
func TestBuildOutputsNeverInputs(t *testing.T) {
	wb := sampleFolder(t, "haut-verdal")
	dir := filepath.Dir(wb)
	c, _, err := workbook.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	letter := filepath.Join(dir, c.Annexes[0].Fichier)
	for _, tc := range []struct {
		name   string
		opt    BuildOptions
		target string
	}{
		{"manifest over the workbook", BuildOptions{Output: filepath.Join(dir, "out.pdf"), Manifest: wb}, wb},
		{"manifest over a letter", BuildOptions{Output: filepath.Join(dir, "out.pdf"), Manifest: letter}, letter},
		{"manifest over the dossier", BuildOptions{Output: filepath.Join(dir, "out.pdf"), Manifest: filepath.Join(dir, "out.pdf")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := listDir(t, dir)
			var kept []byte
			if tc.target != "" {
				kept = mustRead(t, tc.target)
			}
			opt := tc.opt
			opt.Workbook, opt.Call, opt.Fonts, opt.Now = wb, testkit.Call(t), fonts.FS, july
			_, err := Build(opt)
			if err == nil {
				t.Fatal("built, want a refusal")
			}
			if tc.target != "" && !bytes.Equal(mustRead(t, tc.target), kept) {
				t.Errorf("%s was overwritten", tc.target)
			}
			if after := listDir(t, dir); after != before {
				t.Errorf("files left behind:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func bookOf(t testing.TB, c *model.Candidature) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := workbook.Write(&buf, testkit.Call(t), c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBuildNeverRefusesForAnswers: a main venue too small for the call and
// no support letter are judged, not refused: the dossier is made, and the
// criteria say « non rempli ».
func TestBuildNeverRefusesForAnswers(t *testing.T) {
	c := testkit.RichCandidature()
	c.Lieux[0].Capacite = 1500
	c.Annexes = nil
	fsys := richFolder(t, c)
	res, err := BuildFS(fsys, "candidature.xlsx", Options{Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
	if err != nil {
		t.Fatalf("refused: %v\n%s", err, testkit.FindingsText(res.Findings))
	}
	if len(res.Parts) == 0 || res.Parts[0].Pages == 0 {
		t.Fatal("no dossier")
	}
	notMet := map[string]bool{}
	for _, cr := range res.Row.Criteria {
		if cr.Status == model.NotMet {
			notMet[cr.ID] = true
		}
	}
	if !notMet["participants"] || !notMet["letters"] {
		t.Errorf("criteria not met: %v, want participants and letters", notMet)
	}
}
