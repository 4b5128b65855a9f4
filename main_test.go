package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"necdossier/assemble/workbook"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/xuri/excelize/v2"
)

var pngEncode = png.Encode

// runMain runs the command as main does, panics included, and returns what
// it printed and its exit code.
func runMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = exitCode(protect(func() error { return run(args, &out, &errb) }), &errb)
	return out.String(), errb.String(), code
}

// noTrace fails when a Go stack trace or panic reached the user.
func noTrace(t *testing.T, s string) {
	t.Helper()
	for _, bad := range []string{"goroutine ", "panic:", ".go:", "runtime."} {
		if strings.Contains(s, bad) {
			t.Errorf("output shows Go internals (%q):\n%s", bad, s)
		}
	}
}

// leftovers lists the files of dir, so a test can say a failed run left nothing.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("un-dossier.xlsx", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("vide.xlsx", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string // fragment of the one-line message
	}{
		{"no command", nil, 2, "commande manquante"},
		{"unknown command", []string{"construire"}, 2, "commande inconnue « construire »"},
		{"unknown flag", []string{"build", "--couleur", "x.xlsx"}, 2, "build : option inconnue : --couleur"},
		{"unknown short flag", []string{"init", "-z"}, 2, "init : option inconnue"},
		{"flag without value", []string{"build", "x.xlsx", "-o"}, 2, "l’option attend une valeur"},
		{"check without workbook", []string{"check"}, 2, "indiquez le classeur"},
		{"two workbooks", []string{"build", "a.xlsx", "b.xlsx"}, 2, "un seul classeur attendu"},
		{"bad max-size", []string{"build", "a.xlsx", "--max-size", "-3"}, 2, "--max-size"},
		{"missing workbook", []string{"check", "absent.xlsx"}, 1, "absent.xlsx"},
		{"missing workbook build", []string{"build", "absent.xlsx"}, 1, "absent.xlsx"},
		{"directory as workbook", []string{"check", "un-dossier.xlsx"}, 1, "un-dossier.xlsx"},
		{"empty workbook", []string{"build", "vide.xlsx"}, 1, "vide.xlsx"},
		{"init into missing folder", []string{"init", "-o", filepath.Join("nulle-part", "c.xlsx")}, 1, "impossible d’écrire dans le dossier nulle-part"},
		{"init over a directory", []string{"init", "-o", "un-dossier.xlsx"}, 1, "est un dossier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := leftovers(t, dir)
			stdout, stderr, code := runMain(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "necdossier : ") || !strings.Contains(last, tt.want) {
				t.Errorf("stderr's message = %q, want a line « necdossier : … » holding %q", last, tt.want)
			}
			if tt.args != nil && len(lines) != 1 {
				t.Errorf("stderr has %d lines, want one:\n%s", len(lines), stderr)
			}
			noTrace(t, stdout+stderr)
			if after := leftovers(t, dir); strings.Join(after, ",") != strings.Join(before, ",") {
				t.Errorf("the failed run changed the folder: %v → %v", before, after)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Chdir(t.TempDir()) // a broken --help must not write a workbook here
	for _, args := range [][]string{{"--help"}, {"help"}, {"init", "--help"}, {"check", "-h"}, {"build", "--help"}} {
		stdout, stderr, code := runMain(t, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: code %d, stderr %q", args, code, stderr)
		}
		if !strings.Contains(stdout, "Usage :") || !strings.Contains(stdout, "necdossier ") {
			t.Errorf("%v: help does not start with the usage line:\n%s", args, stdout)
		}
	}
	stdout, _, _ := runMain(t, "build", "--help")
	for _, opt := range []string{"--output", "-o", "--max-size"} {
		if !strings.Contains(stdout, opt) {
			t.Errorf("build --help does not mention %s:\n%s", opt, stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	stdout, _, code := runMain(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "necdossier ") {
		t.Errorf("version: code %d, output %q", code, stdout)
	}
}

func TestUnwritableOutputFolder(t *testing.T) {
	ro := filepath.Join(t.TempDir(), "lecture-seule")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// Permissions do not stop root; /sys refuses new files even to root.
		if st, err := os.Stat("/sys"); err != nil || !st.IsDir() {
			t.Skip("running as root without /sys: no folder here is unwritable")
		}
		ro = "/sys"
	}
	out := filepath.Join(ro, "c.xlsx")
	_, stderr, code := runMain(t, "init", "-o", out)
	if code != 1 || !strings.Contains(stderr, "impossible d’écrire dans le dossier "+ro+" : permission refusée") {
		t.Errorf("code %d, stderr %q; want 1 and « permission refusée »", code, stderr)
	}
	noTrace(t, stderr)
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written", out)
	}
}

// fill writes a complete candidature into the blank workbook at path, as a
// user would in a spreadsheet program: cell by cell, text where people
// type text (« 12 500 € », « 1er octobre 2025 »), numbers elsewhere.
func fill(t *testing.T, path string, letters []string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set := func(sheet, key string, row int, v any) {
		t.Helper()
		cell, err := workbook.CellFor(sheet, key, row)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	form := func(sheet string, kv ...any) {
		for i := 0; i < len(kv); i += 2 {
			set(sheet, kv[i].(string), 0, kv[i+1])
		}
	}
	form("Collectivité", "Nom", "Communauté d’agglomération de Vaudrey (fictive)", "Type", "Communauté d'agglomération",
		"Population", 183000, "Adresse", "2 place de l’Hôtel de ville", "CodePostal", "99200", "Ville", "Vaudrey",
		"SiteWeb", "https://vaudrey.example", "Presentation", "Collectivité fictive pour les tests.\n\nElle porte une politique d'inclusion numérique depuis 2018.",
		"ContactNom", "Aline Verdier", "ContactFonction", "Cheffe de projet", "ContactEmail", "aline.verdier@vaudrey.example",
		"ContactTel", "03 12 34 56 78", "EluNom", "Paul Ostermann", "EluFonction", "Vice-président au numérique", "Charte", "oui")
	for i, p := range [][]string{{"Ville de Vaudrey", "Collectivité"}, {"Les Relais numériques", "Association"}} {
		set("Partenaires", "Nom", i, p[0])
		set("Partenaires", "Type", i, p[1])
		set("Partenaires", "Role", i, "Accueil des ateliers.")
		set("Partenaires", "Apport", i, "Un réseau de médiateurs.")
	}
	form("Motivations", "Pourquoi", "Parce que « le numérique d'intérêt général » est notre politique.", "Ambition", "Réunir 2 500 personnes.")
	form("Lieux et dates", "JourneeCommunautaire", "1er octobre 2025", "Jour1", "02/10/2025", "Jour2", time.Date(2025, 10, 3, 0, 0, 0, 0, time.UTC))
	for k, v := range map[string]any{"Nom": "Parc des congrès", "Adresse": "1 avenue du Parc, Vaudrey", "Capacite": 2600,
		"Pleniere": 1300, "Salles": 12, "PlacesAteliers": 900, "Accessible": "oui", "Disponibilite": "x", "Cout": "12 500 €", "PrisEnCharge": "la collectivité"} {
		set("Lieux et dates", k, 0, v)
	}
	set("Lieux et dates", "Date", 0, "02/10/2025")
	set("Lieux et dates", "Intitule", 0, "Plénière d’ouverture")
	set("Moyens humains", "Service", 0, "Direction du numérique")
	set("Moyens humains", "Role", 0, "Pilotage")
	set("Moyens humains", "ETP", 0, 1.5)
	for i, b := range [][]any{
		{"60 – Achats", "Restauration", "", "", 60000},
		{"86 – Emplois des contributions volontaires en nature", "Mise à disposition du parc", "", "", "20 000"},
		{"74 – Subventions d’exploitation", "Subvention", "Région", "Acquis", "40.000,00"},
		{"70 – Ventes de produits finis, prestations de services", "Billetterie", "", "", 20000},
		{"87 – Contributions volontaires en nature", "Parc mis à disposition", "Vaudrey", "Acquis", 20000},
	} {
		for j, k := range []string{"Categorie", "Libelle", "Financeur", "Statut", "Montant"} {
			if b[j] != "" {
				set("Budget", k, i, b[j])
			}
		}
	}
	set("Initiatives", "Intitule", 0, "Conseillers numériques")
	set("Initiatives", "Description", 0, "Douze conseillers dans les quartiers.")
	set("NEC locaux", "Annee", 0, 2023)
	set("NEC locaux", "Lieu", 0, "Vaudrey")
	set("Thématiques", "Theme", 0, "Inclusion numérique")
	for i, l := range letters {
		set("Annexes", "Fichier", i, l)
		set("Annexes", "Titre", i, "Lettre de soutien "+strconv.Itoa(i+1))
		set("Annexes", "Type", i, "Lettre de soutien")
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// TestInitCheckBuild goes the collectivité's way through the command:
// init, fill the workbook, check, build; then opens the dossier.
func TestInitCheckBuild(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	stdout, stderr, code := runMain(t, "init")
	if code != 0 || !strings.Contains(stdout, "candidature-nec-2025.xlsx") {
		t.Fatalf("init: code %d\n%s%s", code, stdout, stderr)
	}
	if _, stderr, code := runMain(t, "init"); code != 1 || !strings.Contains(stderr, "existe déjà") {
		t.Errorf("second init: code %d, stderr %q; want a refusal to overwrite", code, stderr)
	}
	if _, _, code := runMain(t, "init", "--force"); code != 0 {
		t.Errorf("init --force: code %d", code)
	}
	// The blank workbook does not pass: required fields are empty.
	stdout, _, code = runMain(t, "check", "candidature-nec-2025.xlsx")
	if code != 1 || !strings.Contains(stdout, "erreur : Collectivité!") {
		t.Errorf("check of the blank workbook: code %d, want 1 and errors on Collectivité\n%s", code, stdout)
	}

	// Two letters: a scan as PNG, a PDF from an office suite.
	img := image.NewGray(image.Rect(0, 0, 850, 1100))
	for i := range img.Pix {
		img.Pix[i] = 0xF0
	}
	var png bytes.Buffer
	if err := pngEncode(&png, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("scan.png", png.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	letter, err := os.ReadFile(filepath.Join(repoRoot(t), "samples", "belrive", "lettre-region-val-d-ormance.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("lettre région.pdf", letter, 0o644); err != nil {
		t.Fatal(err)
	}
	fill(t, "candidature-nec-2025.xlsx", []string{"scan.png", "lettre région.pdf"})

	stdout, stderr, code = runMain(t, "check", "candidature-nec-2025.xlsx")
	if code != 0 || strings.Contains(stdout, "erreur :") {
		t.Fatalf("check of the filled workbook: code %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code = runMain(t, "build", "candidature-nec-2025.xlsx")
	if code != 0 {
		t.Fatalf("build: code %d\n%s%s", code, stdout, stderr)
	}
	const out = "NEC2025-candidature-Communaute-d-agglomeration-de-Vaudrey-fictive.pdf"
	m := regexp.MustCompile(`dossier écrit : (\S+) \((\d+) pages, `).FindStringSubmatch(stdout)
	if m == nil || m[1] != out {
		t.Fatalf("build's summary line = %q, want the dossier %s with its page count", stdout, out)
	}
	noTrace(t, stdout+stderr)
	n, err := api.PageCountFile(out)
	if err != nil {
		t.Fatalf("pdfcpu cannot open the dossier: %v", err)
	}
	if strconv.Itoa(n) != m[2] {
		t.Errorf("pdfcpu counts %d pages, build said %s", n, m[2])
	}
	letterPages, err := api.PageCountFile("lettre région.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if n < 6+1+letterPages {
		t.Errorf("%d pages: fewer than cover, synthesis, contents, sections and the %d letter pages", n, 1+letterPages)
	}

	pdftotext := needTool(t, "pdftotext")
	txt, err := exec.Command(pdftotext, "-layout", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := norm(string(txt))
	call, err := loadCall()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range call.Sections {
		if !strings.Contains(text, norm(s.Title)) {
			t.Errorf("the dossier's text lacks the section title %q", s.Title)
		}
	}
	for _, want := range []string{"Synthèse", "Parc des congrès", "12 500 €", fmt.Sprintf("page %d / %d", n, n)} {
		if !strings.Contains(text, norm(want)) {
			t.Errorf("the dossier's text lacks %q", want)
		}
	}
}

// norm folds the spaces pdftotext may write for no-break spaces.
func norm(s string) string {
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ", "’", "'").Replace(s)
}

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("NECDOSSIER_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (NECDOSSIER_REQUIRE_TOOLS=1): %v", name, err)
		}
		t.Skipf("%s not installed: %v", name, err)
	}
	return p
}

// repoRoot is the folder of this test's package, where samples/ lives.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Dir(file)
}

// TestReproducibleBuild: with SOURCE_DATE_EPOCH, the command writes the
// same bytes twice, and the date it carries is that one.
func TestReproducibleBuild(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1719824400") // 1 July 2024, 9:00 UTC
	wb := filepath.Join(repoRoot(t), "samples", "haut-verdal", "candidature.xlsx")
	var outs [][]byte
	for i := range 2 {
		out := filepath.Join(t.TempDir(), "d.pdf")
		stdout, stderr, code := runMain(t, "build", wb, "-o", out)
		if code != 0 {
			t.Fatalf("build %d: code %d\n%s%s", i, code, stdout, stderr)
		}
		if strings.Contains(stdout, "date limite") {
			t.Errorf("a build dated 1 July 2024 warns about the deadline:\n%s", stdout)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, data)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("two builds differ (%d and %d bytes)", len(outs[0]), len(outs[1]))
	}
	if !bytes.Contains(outs[0], []byte("D:20240701090000")) {
		t.Error("the PDF's dates are not SOURCE_DATE_EPOCH's")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "hier")
	if _, stderr, code := runMain(t, "build", wb, "-o", filepath.Join(t.TempDir(), "x.pdf")); code != 1 || !strings.Contains(stderr, "SOURCE_DATE_EPOCH") {
		t.Errorf("a bad SOURCE_DATE_EPOCH: code %d, stderr %q", code, stderr)
	}
}
