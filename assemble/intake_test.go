package assemble

import (
	"strings"
	"testing"
	"testing/fstest"

	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
)

// richFolder is the rich candidature's workbook with real files under the
// names it gives: a letter (PDF), a scan (JPEG) and a logo (PNG).
func richFolder(t testing.TB, c *model.Candidature) fstest.MapFS {
	t.Helper()
	sample := func(name string) *fstest.MapFile {
		return &fstest.MapFile{Data: mustRead(t, testkit.Path(t, "samples", "belrive", name))}
	}
	return fstest.MapFS{
		"candidature.xlsx":   {Data: bookOf(t, c)},
		"logo.png":           sample("logo-belrive.png"),
		"soutien-region.pdf": sample("lettre-region-val-d-ormance.pdf"),
		"deliberation.jpg":   sample("lettre-connecteurs-belrivains.jpg"),
	}
}

// TestIntakeFiles: each problem with a file named in the workbook is one
// error at its cell, with a hint; names that mean a file of the folder
// reach it.
func TestIntakeFiles(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(c *model.Candidature, dir fstest.MapFS)
		sheet    string
		cell     string
		sev      model.Severity // 0: no finding on the files at all
		fragment string
	}{
		{"all there", func(*model.Candidature, fstest.MapFS) {}, "", "", 0, ""},
		{"annex missing", func(c *model.Candidature, dir fstest.MapFS) { delete(dir, "soutien-region.pdf") },
			workbook.SheetAnnexes, "A5", model.Erreur, "fichier « soutien-region.pdf » introuvable dans le dossier du classeur"},
		{"annex not a PDF", func(c *model.Candidature, dir fstest.MapFS) {
			dir["soutien-region.pdf"] = &fstest.MapFile{Data: []byte("PK\x03\x04 a docx")}
		}, workbook.SheetAnnexes, "A5", model.Erreur, "ce n’est pas un PDF malgré son extension .pdf"},
		{"annex empty", func(c *model.Candidature, dir fstest.MapFS) { dir["soutien-region.pdf"] = &fstest.MapFile{} },
			workbook.SheetAnnexes, "A5", model.Erreur, "vide"},
		{"annex is a folder", func(c *model.Candidature, dir fstest.MapFS) {
			c.Annexes[0].Fichier = "lettres"
			dir["lettres/a.pdf"] = dir["soutien-region.pdf"]
		}, workbook.SheetAnnexes, "A5", model.Erreur, "c’est un dossier, pas un fichier"},
		{"annex absolute path", func(c *model.Candidature, _ fstest.MapFS) { c.Annexes[0].Fichier = "/etc/passwd" },
			workbook.SheetAnnexes, "A5", model.Erreur, "chemin refusé « /etc/passwd » : chemin absolu"},
		{"annex Windows path", func(c *model.Candidature, _ fstest.MapFS) { c.Annexes[0].Fichier = `C:\Users\lettre.pdf` },
			workbook.SheetAnnexes, "A5", model.Erreur, "chemin absolu"},
		{"annex outside the folder", func(c *model.Candidature, _ fstest.MapFS) { c.Annexes[0].Fichier = "../secret.pdf" },
			workbook.SheetAnnexes, "A5", model.Erreur, "il sort du dossier du classeur"},
		{"annex in a subfolder, backslash", func(c *model.Candidature, dir fstest.MapFS) {
			c.Annexes[0].Fichier = `lettres\soutien.pdf`
			dir["lettres/soutien.pdf"] = dir["soutien-region.pdf"]
		}, "", "", 0, ""},
		{"logo not an image", func(c *model.Candidature, dir fstest.MapFS) {
			dir["logo.png"] = dir["soutien-region.pdf"]
		}, workbook.SheetCollectivite, "B12", model.Erreur, "le logo doit être une image PNG ou JPEG"},
		{"name decomposed (NFD), as a zip made on a Mac unpacks", func(c *model.Candidature, dir fstest.MapFS) {
			c.Annexes[0].Fichier = "soutien-région.pdf" // typed composed
			dir["soutien-re\u0301gion.pdf"] = dir["soutien-region.pdf"]
			delete(dir, "soutien-region.pdf")
		}, "", "", 0, ""},
		{"name typed in another case", func(c *model.Candidature, dir fstest.MapFS) { c.Annexes[0].Fichier = "Soutien-Region.PDF" },
			"", "", 0, ""},
		{"one-letter typo", func(c *model.Candidature, _ fstest.MapFS) { c.Annexes[0].Fichier = "soutien-regoin.pdf" },
			workbook.SheetAnnexes, "A5", model.Erreur, "introuvable"},
		{"control characters in a name", func(c *model.Candidature, _ fstest.MapFS) { c.Annexes[0].Fichier = "lettre\x1b[31m.pdf" },
			workbook.SheetAnnexes, "A5", model.Erreur, "[31m.pdf »"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testkit.RichCandidature()
			dir := richFolder(t, c)
			tt.mutate(c, dir)
			dir["candidature.xlsx"] = &fstest.MapFile{Data: bookOf(t, c)}
			fs, err := CheckFS(dir, "candidature.xlsx", Options{Call: testkit.Call(t)})
			if err != nil {
				t.Fatal(err)
			}
			var files []model.Finding
			for _, f := range fs {
				if f.Severity == model.Erreur && (f.Sheet == workbook.SheetAnnexes || strings.Contains(f.Message, "fichier")) {
					files = append(files, f)
				}
			}
			if tt.sev == 0 {
				if len(files) != 0 {
					t.Errorf("findings on the files:\n%s", testkit.FindingsText(files))
				}
				return
			}
			if !testkit.HasFinding(fs, tt.sheet, tt.cell, tt.sev, tt.fragment) {
				t.Errorf("no %v at %s!%s with %q in:\n%s", tt.sev, tt.sheet, tt.cell, tt.fragment, testkit.FindingsText(fs))
			}
			if len(files) != 1 {
				t.Errorf("one mistake, %d findings:\n%s", len(files), testkit.FindingsText(files))
			}
			for _, f := range files {
				if f.Hint == "" || strings.ContainsRune(f.String(), '\x1b') {
					t.Errorf("finding without a hint, or with a control character: %q", f.String())
				}
			}
		})
	}
}

// TestIntakeSuggestions: a near miss is suggested, the difference marked.
func TestIntakeSuggestions(t *testing.T) {
	dir := fstest.MapFS{
		"soutien-region.pdf":      {},
		"Soutien-Région.pdf":      {},
		"lettre-departement.docx": {},
		"sans-rapport.pdf":        {},
	}
	for _, tt := range []struct{ typed, near string }{
		{"soutien-regoin.pdf", "soutien-region.pdf"},
		{"soutien-region.pf", "soutien-region.pdf"},
		{"lettre-departement.pdf", "lettre-departement.docx"},
		{"autre-chose.pdf", ""},
	} {
		if _, near := resolve(dir, tt.typed); near != tt.near {
			t.Errorf("resolve(%q): near %q, want %q", tt.typed, near, tt.near)
		}
	}
	if got, want := difference("soutien-regoin.pdf", "soutien-region.pdf"), "« soutien-reg[io]n.pdf » dans le dossier, « soutien-reg[oi]n.pdf » dans le classeur"; !strings.Contains(got, want) {
		t.Errorf("difference = %q, want %q in it", got, want)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"lettre", "letre", 1},
		{"région", "region", 1}, {"abc", "xyz", 3}, {"a", "abcdef", 3},
	} {
		if got := editDistance(tt.a, tt.b, 3); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
