package assemble

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"necdossier/templates"

	"github.com/xuri/excelize/v2"
)

// readRich is the rich candidature as read from its workbook, refs filled.
func readRich(t testing.TB) *Candidature {
	t.Helper()
	c, fs := readBook(t, writeBook(t, richCandidature()))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	return c
}

func TestCheckRichIsClean(t *testing.T) {
	if fs := Check(readRich(t), testCall(t), richAnnexes()); len(fs) != 0 {
		t.Errorf("findings on a valid candidature: %v", fs)
	}
	// Built in code, without refs: the same verdict.
	if fs := Check(richCandidature(), testCall(t), richAnnexes()); len(fs) != 0 {
		t.Errorf("findings on a valid candidature without refs: %v", fs)
	}
}

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(c *Candidature, dir fstest.MapFS)
		sheet    string
		cell     string
		sev      Severity
		fragment string
	}{
		{"required form field", func(c *Candidature, _ fstest.MapFS) { c.Collectivite.Nom = "" },
			sheetCollectivite, "B4", Erreur, "« Nom de la collectivité » est obligatoire"},
		{"required table field", func(c *Candidature, _ fstest.MapFS) { c.Budget[1].Libelle = "" },
			sheetBudget, "B6", Erreur, "« Libellé » est obligatoire"},
		{"empty table", func(c *Candidature, _ fstest.MapFS) { c.Thematiques = nil },
			sheetThematiques, "", Erreur, "tableau « Thématiques » vide"},
		{"charter", func(c *Candidature, _ fstest.MapFS) { c.Collectivite.Charte = false },
			sheetCollectivite, "B20", Erreur, "charte NEC"},
		{"capacity too small", func(c *Candidature, _ fstest.MapFS) { c.Lieux[0].Capacite = 1500 },
			sheetLieux, "C13", Erreur, "capacité insuffisante : 1\u202f500 places"},
		{"no room for speakers", func(c *Candidature, _ fstest.MapFS) { c.Lieux[0].Capacite = 2100 },
			sheetLieux, "C13", Avertissement, "2\u202f100 places pour 2\u202f000 participants et 300 intervenants : il manque 200 places"},
		{"capacity only together", func(c *Candidature, _ fstest.MapFS) { c.Lieux[0].Capacite = 1800 },
			sheetLieux, "C13", Avertissement, "aucun lieu n’accueille seul 2\u202f000 participants"},
		{"negative capacity", func(c *Candidature, _ fstest.MapFS) { c.Lieux[1].Salles = -3 },
			sheetLieux, "E14", Erreur, "nombre négatif"},
		{"venue not confirmed", func(c *Candidature, _ fstest.MapFS) { c.Lieux[1].Disponibilite = false },
			sheetLieux, "H14", Avertissement, "disponibilité du lieu « Les Champs Libres » non confirmée"},
		{"venue cost unpaid", func(c *Candidature, _ fstest.MapFS) { c.Lieux[0].PrisEnCharge = "" },
			sheetLieux, "J13", Avertissement, "coût d’occupation de 18\u202f000\u00a0€ sans financeur"},
		{"days not consecutive", func(c *Candidature, _ fstest.MapFS) { c.Evenement.Jour2 = day(2025, 9, 27) },
			sheetLieux, "B7", Erreur, "le jour 2 devrait être le vendredi 26 septembre 2025, trouvé samedi 27 septembre 2025"},
		{"community day not the day before", func(c *Candidature, _ fstest.MapFS) { c.Evenement.JourneeCommunautaire = day(2025, 9, 20) },
			sheetLieux, "B5", Erreur, "la journée communautaire a lieu la veille du jour 1 : le mercredi 24 septembre 2025"},
		{"outside the window", func(c *Candidature, _ fstest.MapFS) {
			c.Evenement.JourneeCommunautaire, c.Evenement.Jour1, c.Evenement.Jour2 = day(2025, 11, 4), day(2025, 11, 5), day(2025, 11, 6)
		}, sheetLieux, "B6", Avertissement, "le jour 1 (mercredi 5 novembre 2025) tombe hors de la période habituelle de NEC, du 15 septembre 2025 au 31 octobre 2025"},
		{"moment outside the event", func(c *Candidature, _ fstest.MapFS) { c.Moments[1].Date = day(2025, 10, 3) },
			sheetLieux, "A24", Avertissement, "hors des dates de l’événement"},
		{"budget unbalanced", func(c *Candidature, _ fstest.MapFS) { c.Budget[0].Montant += 100_000 },
			sheetBudget, "", Erreur, "budget déséquilibré : charges 96\u202f000\u00a0€, produits 95\u202f000\u00a0€ (écart 1\u202f000\u00a0€)"},
		{"in-kind unbalanced", func(c *Candidature, _ fstest.MapFS) { c.Budget[10].Montant = 1_000_000; c.Budget[8].Montant += 500_000 },
			sheetBudget, "", Erreur, "contributions en nature déséquilibrées : emplois (86) 15\u202f000\u00a0€, ressources (87) 10\u202f000\u00a0€"},
		{"negative amount", func(c *Candidature, _ fstest.MapFS) { c.Budget[2].Montant = -5000 },
			sheetBudget, "E7", Erreur, "montant négatif : -50\u00a0€"},
		{"subsidy without funder", func(c *Candidature, _ fstest.MapFS) { c.Budget[6].Financeur = "" },
			sheetBudget, "C11", Erreur, "subvention sans financeur"},
		{"subsidy without status", func(c *Candidature, _ fstest.MapFS) { c.Budget[7].Statut = "" },
			sheetBudget, "D12", Erreur, "subvention sans statut"},
		{"unknown category", func(c *Candidature, _ fstest.MapFS) { c.Budget[0].Categorie, c.Budget[0].Sens = "Divers", 0 },
			sheetBudget, "A5", Erreur, "catégorie « Divers » inconnue"},
		{"side against category", func(c *Candidature, _ fstest.MapFS) { c.Budget[0].Sens = Produit },
			sheetBudget, "A5", Erreur, "n’est pas du côté des produits"},
		{"ETP negative", func(c *Candidature, _ fstest.MapFS) { c.Equipe[0].ETP = -1 },
			sheetMoyens, "C5", Erreur, "ETP négatif"},
		{"ETP implausible", func(c *Candidature, _ fstest.MapFS) { c.Equipe[0].ETP = 150 },
			sheetMoyens, "C5", Avertissement, "150,0 ETP pour un seul service"},
		{"ETP above people", func(c *Candidature, _ fstest.MapFS) { c.Equipe[1].ETP = 3 },
			sheetMoyens, "C6", Avertissement, "3,0 ETP pour 2 personnes"},
		{"bad e-mail", func(c *Candidature, _ fstest.MapFS) { c.Collectivite.ContactEmail = "c.martin@ville" },
			sheetCollectivite, "B15", Erreur, "adresse électronique invalide « c.martin@ville »"},
		{"bad phone", func(c *Candidature, _ fstest.MapFS) { c.Collectivite.ContactTel = "99 12 34 56" },
			sheetCollectivite, "B16", Erreur, "numéro de téléphone invalide"},
		{"bad postcode", func(c *Candidature, _ fstest.MapFS) { c.Collectivite.CodePostal = "3500" },
			sheetCollectivite, "B8", Erreur, "code postal attendu (5 chiffres)"},
		{"bad web address", func(c *Candidature, _ fstest.MapFS) { c.Initiatives[0].Lien = "pass numérique" },
			sheetInitiatives, "F5", Avertissement, "adresse web inattendue"},
		{"NEC local year", func(c *Candidature, _ fstest.MapFS) { c.NECLocaux[0].Annee = 1999 },
			sheetNECLocaux, "A5", Avertissement, "année 1999 inattendue"},
		{"no support letter", func(c *Candidature, _ fstest.MapFS) { c.Annexes[0].Type = "Autre" },
			sheetAnnexes, "", Erreur, "aucune lettre de soutien"},
		{"annex twice", func(c *Candidature, _ fstest.MapFS) { c.Annexes[1].Fichier = "soutien-region.pdf" },
			sheetAnnexes, "A6", Avertissement, "déjà cité plus haut"},
		{"annex missing", func(c *Candidature, dir fstest.MapFS) { delete(dir, "soutien-region.pdf") },
			sheetAnnexes, "A5", Erreur, "fichier « soutien-region.pdf » introuvable dans le dossier du classeur"},
		{"annex of another case", func(c *Candidature, dir fstest.MapFS) {
			dir["Soutien-Région.pdf"] = dir["soutien-region.pdf"]
			delete(dir, "soutien-region.pdf")
		}, sheetAnnexes, "A5", Erreur, "introuvable"},
		{"annex not a PDF", func(c *Candidature, dir fstest.MapFS) {
			dir["soutien-region.pdf"] = &fstest.MapFile{Data: []byte("PK\x03\x04 a docx")}
		},
			sheetAnnexes, "A5", Erreur, "ni PDF, ni JPEG, ni PNG"},
		{"annex empty", func(c *Candidature, dir fstest.MapFS) { dir["soutien-region.pdf"] = &fstest.MapFile{} },
			sheetAnnexes, "A5", Erreur, "vide"},
		{"annex is a folder", func(c *Candidature, dir fstest.MapFS) {
			c.Annexes[0].Fichier = "lettres"
			dir["lettres/a.pdf"] = dir["soutien-region.pdf"]
		},
			sheetAnnexes, "A5", Erreur, "est un dossier"},
		{"annex absolute path", func(c *Candidature, _ fstest.MapFS) { c.Annexes[0].Fichier = "/etc/passwd" },
			sheetAnnexes, "A5", Erreur, "chemin absolu refusé"},
		{"annex Windows path", func(c *Candidature, _ fstest.MapFS) { c.Annexes[0].Fichier = `C:\Users\lettre.pdf` },
			sheetAnnexes, "A5", Erreur, "chemin absolu refusé"},
		{"annex outside the folder", func(c *Candidature, _ fstest.MapFS) { c.Annexes[0].Fichier = "../secret.pdf" },
			sheetAnnexes, "A5", Erreur, "il sort du dossier du classeur"},
		{"logo not an image", func(c *Candidature, dir fstest.MapFS) { dir["logo.png"] = &fstest.MapFile{Data: []byte("%PDF-1.4")} },
			sheetCollectivite, "B12", Erreur, "le logo doit être une image PNG ou JPEG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, dir := readRich(t), richAnnexes()
			tt.mutate(c, dir)
			fs := Check(c, testCall(t), dir)
			if !hasFinding(fs, tt.sheet, tt.cell, tt.sev, tt.fragment) {
				t.Errorf("no %v at %s!%s with %q in:\n%s", tt.sev, tt.sheet, tt.cell, tt.fragment, findingsText(fs))
			}
			for _, f := range fs {
				if f.Message == "" || f.Hint == "" || f.Sheet == "" {
					t.Errorf("finding without sheet, message or hint: %#v", f)
				}
			}
		})
	}
}

func TestCheckBudgetSideFromCategory(t *testing.T) {
	// A candidature built in code may leave Sens unset: the account says it.
	c := richCandidature()
	for i := range c.Budget {
		c.Budget[i].Sens = 0
	}
	if fs := Check(c, testCall(t), richAnnexes()); len(fs) != 0 {
		t.Errorf("findings: %v", fs)
	}
	if got := c.Totals(); got.Charges != 9_500_000 || got.Produits != 9_500_000 || got.EnNatureCharges != 1_500_000 || got.Acquis != 6_500_000 || got.Sollicite != 1_500_000 {
		t.Errorf("totals = %+v", got)
	}
}

func TestCheckAnnexSubfolder(t *testing.T) {
	c, dir := readRich(t), richAnnexes()
	c.Annexes[0].Fichier = `lettres\soutien.pdf`
	dir["lettres/soutien.pdf"] = dir["soutien-region.pdf"]
	if fs := Check(c, testCall(t), dir); len(fs) != 0 {
		t.Errorf("an annex in a subfolder, written with a backslash: %v", fs)
	}
}

func TestCheckOrder(t *testing.T) {
	c := readRich(t)
	c.Annexes[0].Type = "Autre"         // Annexes
	c.Budget[2].Montant = -1            // Budget!E7
	c.Budget[0].Montant = -1            // Budget!E5
	c.Collectivite.ContactTel = "123"   // Collectivité!B16
	c.Collectivite.ContactEmail = "x@y" // Collectivité!B15
	c.Lieux[1].Disponibilite = false    // Lieux et dates!H14
	fs := Check(c, testCall(t), nil)
	var places []string
	for _, f := range fs {
		places = append(places, f.Place())
	}
	want := "Collectivité!B15 Collectivité!B16 Lieux et dates!H14 Budget Budget!E5 Budget!E7 Annexes"
	if got := strings.Join(places, " "); got != want {
		t.Errorf("order:\n got %s\nwant %s", got, want)
	}
}

// TestCheckAfterUnreadCell: a cell the reader could not read has its
// finding; the checks do not call it missing too, and all findings sort
// together in sheet order.
func TestCheckAfterUnreadCell(t *testing.T) {
	b := edited(t, richCandidature(), func(f *excelize.File) error {
		if err := set(f, sheetBudget, "Montant", 0, "douze mille"); err != nil {
			return err
		}
		return set(f, sheetCollectivite, "Population", 0, "beaucoup")
	})
	c, read := readBook(t, b)
	checked := Check(c, testCall(t), richAnnexes())
	all := append(append([]Finding{}, checked...), read...)
	SortFindings(all)
	var got []string
	for _, f := range all {
		got = append(got, f.Place()+" "+f.Message)
	}
	want := []string{
		"Collectivité!B6 " + spaced("nombre entier attendu, trouvé « beaucoup »"),
		"Budget " + spaced("budget déséquilibré : charges 75 000 €, produits 95 000 € (écart 20 000 €)"),
		"Budget!E5 " + spaced("montant attendu (nombre), trouvé « douze mille »"),
	}
	want[1] = strings.NewReplacer("75 000", "75\u202f000", "95 000", "95\u202f000", "20 000", "20\u202f000", " €", "\u00a0€").Replace(want[1])
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func findingsText(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}

func TestEvaluate(t *testing.T) {
	call := testCall(t)
	status := func(c *Candidature) map[string]Criterion {
		m := map[string]Criterion{}
		for _, cr := range Evaluate(c, call) {
			m[cr.ID] = cr
		}
		return m
	}
	rich := status(richCandidature())
	if len(rich) != len(call.Checklist) {
		t.Fatalf("%d verdicts for %d criteria", len(rich), len(call.Checklist))
	}
	for id, cr := range rich {
		if cr.Status != Met {
			t.Errorf("rich candidature: %s is %v (%s)", id, cr.Status, cr.Detail)
		}
	}
	if got := rich["participants"]; got.Label != "Accueillir plus de 2\u202f000 participants" || got.Detail != "capacité 2\u202f600 places (Couvent des Jacobins)" {
		t.Errorf("participants: %+v", got)
	}
	if got := rich["days"].Detail; got != "journée communautaire mercredi 24 septembre 2025, jour 1 jeudi 25 septembre 2025, jour 2 vendredi 26 septembre 2025" {
		t.Errorf("days detail: %s", got)
	}
	if got := rich["letters"].Detail; got != "1 lettre de soutien" {
		t.Errorf("letters detail: %s", got)
	}
	if got := rich["venue"].Detail; got != "2 lieux, disponibilité confirmée pour 2, occupation financée pour 2" {
		t.Errorf("venue detail: %s", got)
	}

	tests := []struct {
		id     string
		mutate func(c *Candidature)
		want   Status
		detail string
	}{
		{"participants", func(c *Candidature) { c.Lieux[0].Capacite = 1800 }, ToConfirm, "1\u202f800 places au plus par lieu, 2\u202f200 en tout"},
		{"participants", func(c *Candidature) { c.Lieux = nil }, NotMet, "aucun lieu renseigné"},
		{"participants", func(c *Candidature) { c.Lieux[0].Capacite, c.Lieux[1].Capacite = 0, 0 }, NotMet, "capacité des lieux non renseignée"},
		{"speakers", func(c *Candidature) { c.Lieux[0].Capacite = 2100 }, ToConfirm, "2\u202f100 places pour 2\u202f000 participants et 300 intervenants"},
		{"days", func(c *Candidature) { c.Evenement.JourneeCommunautaire = day(2025, 9, 22) }, NotMet, "journée communautaire lundi 22 septembre 2025"},
		{"days", func(c *Candidature) { c.Evenement.Jour2 = c.Evenement.Jour1 }, NotMet, "jour 2 jeudi 25 septembre 2025"},
		{"window", func(c *Candidature) {
			c.Evenement.JourneeCommunautaire, c.Evenement.Jour1, c.Evenement.Jour2 = day(2025, 11, 4), day(2025, 11, 5), day(2025, 11, 6)
		}, ToConfirm, "du 4 novembre 2025 au 6 novembre 2025, hors de la période"},
		{"venue", func(c *Candidature) { c.Lieux[1].Disponibilite = false }, ToConfirm, "disponibilité confirmée pour 1"},
		{"charter", func(c *Candidature) { c.Collectivite.Charte = false }, NotMet, "engagement non pris"},
		{"letters", func(c *Candidature) { c.Annexes = c.Annexes[1:] }, NotMet, "aucune lettre de soutien"},
		{"experience", func(c *Candidature) { c.Initiatives, c.NECLocaux = nil, nil }, NotMet, "aucune initiative, aucun NEC local"},
		{"mobilisation", func(c *Candidature) { c.Partenaires = nil }, ToConfirm, "aucun partenaire"},
	}
	for _, tt := range tests {
		c := richCandidature()
		tt.mutate(c)
		got := status(c)[tt.id]
		if got.Status != tt.want || !strings.Contains(got.Detail, tt.detail) {
			t.Errorf("%s: %v « %s », want %v with « %s »", tt.id, got.Status, got.Detail, tt.want, tt.detail)
		}
	}
}

func ExampleEvaluate() {
	call, _ := LoadCall(templatesFS(), "nec-2025.yaml")
	c := &Candidature{Lieux: []Lieu{{Nom: "Palais des congrès", Capacite: 2500}}}
	for _, cr := range Evaluate(c, call)[2:4] {
		// The thousands are separated by U+202F, printed here as « _ ».
		line := fmt.Sprintf("%s : %s (%s)", cr.Label, cr.Status, cr.Detail)
		fmt.Println(strings.ReplaceAll(line, NNBSP, "_"))
	}
	// Output:
	// Accueillir plus de 2_000 participants : rempli (capacité 2_500 places (Palais des congrès))
	// Accueillir 300 intervenants : rempli (2_500 places pour 2_000 participants et 300 intervenants)
}

func templatesFS() fs.FS { return templates.FS }

func ExampleCheck() {
	call, _ := LoadCall(templatesFS(), "nec-2025.yaml")
	var buf bytes.Buffer
	c := &Candidature{Lieux: []Lieu{{Nom: "Couvent des Jacobins", Adresse: "Rennes", Capacite: 1500, Pleniere: 800, Disponibilite: true}}}
	if err := WriteWorkbook(&buf, call, c); err != nil {
		fmt.Println(err)
		return
	}
	read, _, err := ReadWorkbook(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "candidature.xlsx")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range Check(read, call, nil) {
		if f.Sheet == "Lieux et dates" {
			// No-break spaces printed as plain ones here.
			fmt.Println(strings.NewReplacer(NNBSP, " ", NBSP, " ").Replace(f.String()))
		}
	}
	// Output:
	// erreur : Lieux et dates!B5 : « Journée communautaire (la veille) » est obligatoire (date de la journée communautaire, la veille du jour 1 (JJ/MM/AAAA). Exemple : 24/09/2025.)
	// erreur : Lieux et dates!B6 : « Jour 1 » est obligatoire (premier jour de l’événement (JJ/MM/AAAA). Exemple : 25/09/2025.)
	// erreur : Lieux et dates!B7 : « Jour 2 » est obligatoire (second jour, le lendemain du jour 1 (JJ/MM/AAAA). Exemple : 26/09/2025.)
	// erreur : Lieux et dates!C13 : capacité insuffisante : 1 500 places, l’appel demande d’accueillir plus de 2 000 participants et 300 intervenants (indiquez un lieu plus grand ou des lieux complémentaires)
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

func TestValidEmailPhone(t *testing.T) {
	for _, s := range []string{"c.martin@ville.fr", "a+b@sub.domaine.gouv.fr"} {
		if !validEmail(s) {
			t.Errorf("validEmail(%q) = false", s)
		}
	}
	for _, s := range []string{"c.martin", "c.martin@ville", "@ville.fr", "a@b@c.fr", "c martin@ville.fr", "Camille <c@v.fr>", "a@ville..fr", "a@.fr"} {
		if validEmail(s) {
			t.Errorf("validEmail(%q) = true", s)
		}
	}
	for _, s := range []string{"02 99 12 34 56", "0299123456", "02.99.12.34.56", "02-99-12-34-56", "+33 2 99 12 34 56", "+33 (0)2 99 12 34 56", "0033299123456", "06\u00a012\u00a034\u00a056\u00a078"} {
		if !validPhone(s) {
			t.Errorf("validPhone(%q) = false", s)
		}
	}
	for _, s := range []string{"299123456", "02 99 12 34", "00 99 12 34 56", "+33 02 99 12 34 56", "02 99 12 34 5a", "+44 20 7946 0958"} {
		if validPhone(s) {
			t.Errorf("validPhone(%q) = true", s)
		}
	}
}

// FuzzReadWorkbook reads arbitrary bytes as a workbook: never a panic (the
// reader's last-resort recover is reported as a failure here), always a
// *WorkbookError or findings with a place.
func FuzzReadWorkbook(f *testing.F) {
	f.Add(writeBook(f, nil))
	f.Add(writeBook(f, richCandidature()))
	// The corpus's workbooks join the seeds when the corpus is there; the
	// target runs without it (corpusDir would skip it).
	dir := filepath.Join("..", "..", "shared", "corpus")
	if env := os.Getenv("NECDOSSIER_CORPUS"); env != "" {
		dir = env
		if !filepath.IsAbs(dir) {
			dir = filepath.Join("..", env)
		}
	}
	for _, sub := range []string{"xlsx", "broken"} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".xlsx") {
				if b, err := os.ReadFile(filepath.Join(dir, sub, e.Name())); err == nil {
					f.Add(b)
				}
			}
		}
	}
	call := testCall(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		c, fs, err := ReadWorkbook(bytes.NewReader(b), int64(len(b)), "fuzz.xlsx")
		var pe *panicError
		if errors.As(err, &pe) {
			t.Fatalf("panic: %v", err)
		}
		if err != nil {
			var we *WorkbookError
			if !errors.As(err, &we) || we.Err == nil {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		for _, f := range append(fs, Check(c, call, nil)...) {
			if f.Sheet == "" || f.Message == "" {
				t.Fatalf("finding without a place or message: %#v", f)
			}
		}
		Evaluate(c, call)
	})
}

// BenchmarkReadAndCheck reads a filled workbook, checks it and evaluates it.
func BenchmarkReadAndCheck(b *testing.B) {
	data := writeBook(b, bigCandidature())
	call, dir := testCall(b), richAnnexes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c, _, err := ReadWorkbook(bytes.NewReader(data), int64(len(data)), "bench.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		if fs := Check(c, call, dir); HasError(fs) {
			b.Fatal(fs)
		}
		Evaluate(c, call)
	}
}
