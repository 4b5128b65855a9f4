package check

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"necdossier/assemble/french"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
	"necdossier/assemble/workbook/workbooktest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"necdossier/templates"

	"github.com/xuri/excelize/v2"
)

// readRich is the rich candidature as read from its workbook, refs filled.
func readRich(t testing.TB) *model.Candidature {
	t.Helper()
	c, fs := workbooktest.ReadBook(t, workbooktest.WriteBook(t, testkit.RichCandidature()))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	return c
}

func TestCheckRichIsClean(t *testing.T) {
	if fs := Candidature(readRich(t), testkit.Call(t)); len(fs) != 0 {
		t.Errorf("findings on a valid candidature: %v", fs)
	}
	// Built in code, without refs: the same verdict.
	if fs := Candidature(testkit.RichCandidature(), testkit.Call(t)); len(fs) != 0 {
		t.Errorf("findings on a valid candidature without refs: %v", fs)
	}
}

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(c *model.Candidature)
		sheet    string
		cell     string
		sev      model.Severity
		fragment string
	}{
		{"required form field", func(c *model.Candidature) { c.Collectivite.Nom = "" },
			workbook.SheetCollectivite, "B4", model.Erreur, "« Nom de la collectivité » est obligatoire"},
		{"required table field", func(c *model.Candidature) { c.Budget[1].Libelle = "" },
			workbook.SheetBudget, "B6", model.Avertissement, "« Libellé » est obligatoire"},
		{"empty table", func(c *model.Candidature) { c.Thematiques = nil },
			workbook.SheetThematiques, "", model.Avertissement, "tableau « Thématiques » vide"},
		{"charter", func(c *model.Candidature) { c.Collectivite.Charte = false },
			workbook.SheetCollectivite, "B20", model.Avertissement, "charte NEC"},
		{"capacity too small", func(c *model.Candidature) { c.Lieux[0].Capacite = 1500 },
			workbook.SheetLieux, "C13", model.Avertissement, "capacité insuffisante : 1\u202f500 places"},
		{"no room for speakers", func(c *model.Candidature) { c.Lieux[0].Capacite = 2100 },
			workbook.SheetLieux, "C13", model.Avertissement, "2\u202f100 places pour 2\u202f000 participants et 300 intervenants : il manque 200 places"},
		{"capacity only together", func(c *model.Candidature) { c.Lieux[0].Capacite = 1800 },
			workbook.SheetLieux, "C13", model.Avertissement, "aucun lieu n’accueille seul 2\u202f000 participants"},
		{"negative capacity", func(c *model.Candidature) { c.Lieux[1].Salles = -3 },
			workbook.SheetLieux, "E14", model.Erreur, "nombre négatif"},
		{"venue not confirmed", func(c *model.Candidature) { c.Lieux[1].Disponibilite = false },
			workbook.SheetLieux, "H14", model.Avertissement, "disponibilité du lieu « Les Champs Libres » non confirmée"},
		{"venue cost unpaid", func(c *model.Candidature) { c.Lieux[0].PrisEnCharge = "" },
			workbook.SheetLieux, "J13", model.Avertissement, "coût d’occupation de 18\u202f000\u00a0€ sans financeur"},
		{"days not consecutive", func(c *model.Candidature) { c.Evenement.Jour2 = testkit.Day(2025, 9, 27) },
			workbook.SheetLieux, "B7", model.Avertissement, "le jour 2 devrait être le vendredi 26 septembre 2025, trouvé samedi 27 septembre 2025"},
		{"community day not the day before", func(c *model.Candidature) {
			c.Evenement.JourneeCommunautaire = testkit.Day(2025, 9, 20)
		},
			workbook.SheetLieux, "B5", model.Avertissement, "la journée communautaire a lieu la veille du jour 1 : le mercredi 24 septembre 2025"},
		{"outside the window", func(c *model.Candidature) {
			c.Evenement.JourneeCommunautaire, c.Evenement.Jour1, c.Evenement.Jour2 = testkit.Day(2025, 11, 4), testkit.Day(2025, 11, 5), testkit.Day(2025, 11, 6)
		}, workbook.SheetLieux, "B6", model.Avertissement, "le jour 1 (mercredi 5 novembre 2025) tombe hors de la période habituelle de NEC, du 15 septembre 2025 au 31 octobre 2025"},
		{"moment outside the event", func(c *model.Candidature) { c.Moments[1].Date = testkit.Day(2025, 10, 3) },
			workbook.SheetLieux, "A24", model.Avertissement, "hors des dates de l’événement"},
		{"budget unbalanced", func(c *model.Candidature) { c.Budget[0].Montant += 100_000 },
			workbook.SheetBudget, "", model.Avertissement, "budget déséquilibré : charges 96\u202f000\u00a0€, produits 95\u202f000\u00a0€ (écart 1\u202f000\u00a0€)"},
		{"in-kind unbalanced", func(c *model.Candidature) {
			c.Budget[10].Montant = 1_000_000
			c.Budget[8].Montant += 500_000
		},
			workbook.SheetBudget, "", model.Avertissement, "contributions en nature déséquilibrées : emplois (86) 15\u202f000\u00a0€, ressources (87) 10\u202f000\u00a0€"},
		{"negative amount", func(c *model.Candidature) { c.Budget[2].Montant = -5000 },
			workbook.SheetBudget, "E7", model.Erreur, "montant négatif : -50\u00a0€"},
		{"subsidy without funder", func(c *model.Candidature) { c.Budget[6].Financeur = "" },
			workbook.SheetBudget, "C11", model.Avertissement, "subvention sans financeur"},
		{"subsidy without status", func(c *model.Candidature) { c.Budget[7].Statut = "" },
			workbook.SheetBudget, "D12", model.Avertissement, "subvention sans statut"},
		{"unknown category", func(c *model.Candidature) { c.Budget[0].Categorie, c.Budget[0].Sens = "Divers", 0 },
			workbook.SheetBudget, "A5", model.Erreur, "catégorie « Divers » inconnue"},
		{"side against category", func(c *model.Candidature) { c.Budget[0].Sens = model.Produit },
			workbook.SheetBudget, "A5", model.Erreur, "n’est pas du côté des produits"},
		{"ETP negative", func(c *model.Candidature) { c.Equipe[0].ETP = -1 },
			workbook.SheetMoyens, "C5", model.Erreur, "ETP négatif"},
		{"ETP implausible", func(c *model.Candidature) { c.Equipe[0].ETP = 150 },
			workbook.SheetMoyens, "C5", model.Avertissement, "150,0 ETP pour un seul service"},
		{"ETP above people", func(c *model.Candidature) { c.Equipe[1].ETP = 3 },
			workbook.SheetMoyens, "C6", model.Avertissement, "3,0 ETP pour 2 personnes"},
		{"bad e-mail", func(c *model.Candidature) { c.Collectivite.ContactEmail = "c.martin@ville" },
			workbook.SheetCollectivite, "B15", model.Avertissement, "adresse électronique invalide « c.martin@ville »"},
		{"bad phone", func(c *model.Candidature) { c.Collectivite.ContactTel = "99 12 34 56" },
			workbook.SheetCollectivite, "B16", model.Avertissement, "numéro de téléphone invalide"},
		{"bad postcode", func(c *model.Candidature) { c.Collectivite.CodePostal = "3500" },
			workbook.SheetCollectivite, "B8", model.Avertissement, "code postal attendu (5 chiffres)"},
		{"bad web address", func(c *model.Candidature) { c.Initiatives[0].Lien = "pass numérique" },
			workbook.SheetInitiatives, "F5", model.Avertissement, "adresse web inattendue"},
		{"NEC local year", func(c *model.Candidature) { c.NECLocaux[0].Annee = 1999 },
			workbook.SheetNECLocaux, "A5", model.Avertissement, "année 1999 inattendue"},
		{"no support letter", func(c *model.Candidature) { c.Annexes[0].Type = "Autre" },
			workbook.SheetAnnexes, "", model.Avertissement, "aucune lettre de soutien"},
		{"annex twice", func(c *model.Candidature) { c.Annexes[1].Fichier = "soutien-region.pdf" },
			workbook.SheetAnnexes, "A6", model.Avertissement, "déjà cité plus haut"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := readRich(t)
			tt.mutate(c)
			fs := Candidature(c, testkit.Call(t))
			if !testkit.HasFinding(fs, tt.sheet, tt.cell, tt.sev, tt.fragment) {
				t.Errorf("no %v at %s!%s with %q in:\n%s", tt.sev, tt.sheet, tt.cell, tt.fragment, testkit.FindingsText(fs))
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
	c := testkit.RichCandidature()
	for i := range c.Budget {
		c.Budget[i].Sens = 0
	}
	if fs := Candidature(c, testkit.Call(t)); len(fs) != 0 {
		t.Errorf("findings: %v", fs)
	}
	if got := c.Totals(); got.Charges != 9_500_000 || got.Produits != 9_500_000 || got.EnNatureCharges != 1_500_000 || got.Acquis != 6_500_000 || got.Sollicite != 1_500_000 {
		t.Errorf("totals = %+v", got)
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
	fs := Candidature(c, testkit.Call(t))
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
	b := workbooktest.Edited(t, testkit.RichCandidature(), func(f *excelize.File) error {
		if err := workbooktest.Set(f, workbook.SheetBudget, "Montant", 0, "douze mille"); err != nil {
			return err
		}
		return workbooktest.Set(f, workbook.SheetCollectivite, "Population", 0, "beaucoup")
	})
	c, read := workbooktest.ReadBook(t, b)
	checked := Candidature(c, testkit.Call(t))
	all := append(append([]model.Finding{}, checked...), read...)
	workbook.SortFindings(all)
	var got []string
	for _, f := range all {
		got = append(got, f.Place()+" "+f.Message)
	}
	// One mistake, one finding: the unreadable amount does not also
	// unbalance the budget.
	want := []string{
		"Collectivité!B6 " + french.Spaced("nombre entier attendu, trouvé « beaucoup »"),
		"Budget!E5 " + french.Spaced("montant attendu (nombre), trouvé « douze mille »"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCheckTextNumbers: amounts and ETP typed as text, as people type
// them, are read, and each is named, since the sheet's totals ignore them.
func TestCheckTextNumbers(t *testing.T) {
	b := workbooktest.Edited(t, testkit.RichCandidature(), func(f *excelize.File) error {
		if err := workbooktest.Set(f, workbook.SheetBudget, "Montant", 0, "12 500 €"); err != nil {
			return err
		}
		return workbooktest.Set(f, workbook.SheetMoyens, "ETP", 1, "0,5")
	})
	c, read := workbooktest.ReadBook(t, b)
	if len(read) != 0 {
		t.Fatalf("reading: %v", read)
	}
	if c.Budget[0].Montant != 1_250_000 || c.Equipe[1].ETP != 0.5 {
		t.Errorf("read %d and %v", c.Budget[0].Montant, c.Equipe[1].ETP)
	}
	fs := Candidature(c, testkit.Call(t))
	for _, w := range []struct{ sheet, cell, what string }{{workbook.SheetBudget, "E5", "montant saisi comme du texte"}, {workbook.SheetMoyens, "C6", "ETP saisi comme du texte"}} {
		if !testkit.HasFinding(fs, w.sheet, w.cell, model.Avertissement, w.what) {
			t.Errorf("no warning at %s!%s in:\n%s", w.sheet, w.cell, testkit.FindingsText(fs))
		}
	}
	// A number typed in a text cell elsewhere (a capacity) is not summed by the sheet: nothing to say.
	for _, f := range fs {
		if f.Sheet == workbook.SheetLieux && strings.Contains(f.Message, "texte") {
			t.Errorf("unexpected %v", f)
		}
	}
}

func TestEvaluate(t *testing.T) {
	call := testkit.Call(t)
	status := func(c *model.Candidature) map[string]model.Criterion {
		m := map[string]model.Criterion{}
		for _, cr := range Evaluate(c, call) {
			m[cr.ID] = cr
		}
		return m
	}
	rich := status(testkit.RichCandidature())
	if len(rich) != len(call.Checklist) {
		t.Fatalf("%d verdicts for %d criteria", len(rich), len(call.Checklist))
	}
	// Measurable criteria are met; those that need judgement are given,
	// for the committee to weigh, never « rempli ».
	for id, cr := range rich {
		want := model.Met
		if id == "mobilisation" || id == "experience" {
			want = model.ToJudge
		}
		if cr.Status != want {
			t.Errorf("rich candidature: %s is %v (%s), want %v", id, cr.Status, cr.Detail, want)
		}
	}
	if got := rich["mobilisation"].Detail; got != "2 partenaires : Région Bretagne et Association Bug ; publics mobilisés décrits" {
		t.Errorf("mobilisation detail: %s", got)
	}
	if got := rich["participants"]; got.Label != "Accueillir plus de 2\u202f000 participants" || got.Detail != "capacité 2\u202f600 places (Couvent des Jacobins)" {
		t.Errorf("participants: %+v", got)
	}
	if got := rich["days"].Detail; got != "journée communautaire mercredi 24 septembre 2025, jour 1 jeudi 25 septembre 2025, jour 2 vendredi 26 septembre 2025" {
		t.Errorf("days detail: %s", got)
	}
	if got := rich["letters"].Detail; got != "1 lettre de soutien, 1 autre pièce" {
		t.Errorf("letters detail: %s", got)
	}
	if got := rich["venue"].Detail; got != "2 lieux, disponibilité confirmée pour 2, occupation financée pour 2" {
		t.Errorf("venue detail: %s", got)
	}

	tests := []struct {
		id     string
		mutate func(c *model.Candidature)
		want   model.Status
		detail string
	}{
		{"participants", func(c *model.Candidature) { c.Lieux[0].Capacite = 1800 }, model.ToConfirm, "1\u202f800 places au plus par lieu, 2\u202f200 en tout"},
		{"participants", func(c *model.Candidature) { c.Lieux = nil }, model.NotMet, "aucun lieu renseigné"},
		{"participants", func(c *model.Candidature) { c.Lieux[0].Capacite, c.Lieux[1].Capacite = 0, 0 }, model.ToConfirm, "capacité des lieux non renseignée"},
		{"participants", func(c *model.Candidature) {
			c.Lieux[0].Capacite, c.Lieux[1].Capacite = 0, 0
			c.Lieux[0].At.MarkTyped("Capacite", false)
		}, model.NotMet, "capacité des lieux : 0 place"},
		{"participants", func(c *model.Candidature) { c.Lieux[0].Capacite = 1500 }, model.NotMet, "capacité 1\u202f500 places"},
		{"speakers", func(c *model.Candidature) { c.Lieux[0].Capacite = 2100 }, model.ToConfirm, "2\u202f100 places pour 2\u202f000 participants et 300 intervenants"},
		{"days", func(c *model.Candidature) { c.Evenement.JourneeCommunautaire = testkit.Day(2025, 9, 22) }, model.NotMet, "journée communautaire lundi 22 septembre 2025"},
		{"days", func(c *model.Candidature) { c.Evenement.Jour2 = c.Evenement.Jour1 }, model.NotMet, "jour 2 jeudi 25 septembre 2025"},
		{"window", func(c *model.Candidature) {
			c.Evenement.JourneeCommunautaire, c.Evenement.Jour1, c.Evenement.Jour2 = testkit.Day(2025, 11, 4), testkit.Day(2025, 11, 5), testkit.Day(2025, 11, 6)
		}, model.ToConfirm, "du 4 novembre 2025 au 6 novembre 2025, hors de la période"},
		{"venue", func(c *model.Candidature) { c.Lieux[1].Disponibilite = false }, model.ToConfirm, "disponibilité confirmée pour 1"},
		{"charter", func(c *model.Candidature) { c.Collectivite.Charte = false }, model.NotMet, "engagement non pris"},
		{"letters", func(c *model.Candidature) { c.Annexes = c.Annexes[1:] }, model.NotMet, "aucune lettre de soutien"},
		{"experience", func(c *model.Candidature) { c.Initiatives, c.NECLocaux = nil, nil }, model.NotMet, "aucune initiative, aucun NEC local"},
		{"mobilisation", func(c *model.Candidature) { c.Partenaires = nil }, model.ToJudge, "aucun partenaire ; publics mobilisés décrits"},
		{"mobilisation", func(c *model.Candidature) { c.Partenaires, c.Motivations.Publics = nil, "" }, model.NotMet, "aucun partenaire"},
		{"experience", func(c *model.Candidature) { c.NECLocaux = nil }, model.ToJudge, "2 initiatives : Pass numérique et Réseau des médiateurs, aucun NEC local"},
	}
	for _, tt := range tests {
		c := testkit.RichCandidature()
		tt.mutate(c)
		got := status(c)[tt.id]
		if got.Status != tt.want || !strings.Contains(got.Detail, tt.detail) {
			t.Errorf("%s: %v « %s », want %v with « %s »", tt.id, got.Status, got.Detail, tt.want, tt.detail)
		}
	}
}

func ExampleEvaluate() {
	call, _ := model.LoadCall(templatesFS(), "nec-2025.yaml")
	c := &model.Candidature{Lieux: []model.Lieu{{Nom: "Palais des congrès", Capacite: 2500}}}
	for _, cr := range Evaluate(c, call)[2:4] {
		// The thousands are separated by U+202F, printed here as « _ ».
		line := fmt.Sprintf("%s : %s (%s)", cr.Label, cr.Status, cr.Detail)
		fmt.Println(strings.ReplaceAll(line, french.NNBSP, "_"))
	}
	// Output:
	// Accueillir plus de 2_000 participants : rempli (capacité 2_500 places (Palais des congrès))
	// Accueillir 300 intervenants : rempli (2_500 places pour 2_000 participants et 300 intervenants)
}

func templatesFS() fs.FS { return templates.FS }

func ExampleCandidature() {
	call, _ := model.LoadCall(templatesFS(), "nec-2025.yaml")
	var buf bytes.Buffer
	c := &model.Candidature{Lieux: []model.Lieu{{Nom: "Couvent des Jacobins", Adresse: "Rennes", Capacite: 1500, Pleniere: 800, Disponibilite: true}}}
	if err := workbook.Write(&buf, call, c); err != nil {
		fmt.Println(err)
		return
	}
	read, _, err := workbook.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "candidature.xlsx")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range Candidature(read, call) {
		if f.Sheet == "Lieux et dates" {
			// No-break spaces printed as plain ones here.
			fmt.Println(strings.NewReplacer(french.NNBSP, " ", french.NBSP, " ").Replace(f.String()))
		}
	}
	// Output:
	// avertissement : Lieux et dates!B5 : « Journée communautaire (la veille) » est obligatoire (date de la journée communautaire, la veille du jour 1 (JJ/MM/AAAA). Exemple : 24/09/2025.)
	// avertissement : Lieux et dates!B6 : « Jour 1 » est obligatoire (premier jour de l’événement (JJ/MM/AAAA). Exemple : 25/09/2025.)
	// avertissement : Lieux et dates!B7 : « Jour 2 » est obligatoire (second jour, le lendemain du jour 1 (JJ/MM/AAAA). Exemple : 26/09/2025.)
	// avertissement : Lieux et dates!C13 : capacité insuffisante : 1 500 places, l’appel demande d’accueillir plus de 2 000 participants et 300 intervenants (indiquez un lieu plus grand ou des lieux complémentaires)
}

func TestBlankTemplate(t *testing.T) {
	got, fs := workbooktest.ReadBook(t, workbooktest.WriteBook(t, nil))
	if len(fs) != 0 {
		t.Fatalf("findings reading the blank template: %v", fs)
	}
	if !reflect.DeepEqual(testkit.WithoutRefs(got), &model.Candidature{}) {
		t.Errorf("blank template reads as %+v", testkit.WithoutRefs(got))
	}
	findings := Candidature(got, testkit.Call(t))
	if len(findings) == 0 {
		t.Fatal("no findings on a blank template")
	}
	// Only the identity fields block; the rest is judged, in warnings.
	for _, f := range findings {
		if want := f.Sheet == workbook.SheetCollectivite && strings.Contains(f.Message, "obligatoire"); (f.Severity == model.Erreur) != want {
			t.Errorf("blank template: %v: error is %v, want %v", f, f.Severity == model.Erreur, want)
		}
		if !strings.Contains(f.Message, "obligatoire") && !strings.Contains(f.Message, "vide") &&
			!strings.Contains(f.Message, "charte") && !strings.Contains(f.Message, "aucune lettre") {
			t.Errorf("blank template: unexpected finding %v", f)
		}
	}
	// Every required form field is reported at its template cell.
	var nom bool
	for _, f := range findings {
		if f.Sheet == workbook.SheetCollectivite && f.Cell == workbooktest.MustCell(t, workbook.SheetCollectivite, "Nom", 0) {
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
// *workbook.Error or findings with a place.
func FuzzReadWorkbook(f *testing.F) {
	f.Add(workbooktest.WriteBook(f, nil))
	f.Add(workbooktest.WriteBook(f, testkit.RichCandidature()))
	// The corpus's workbooks join the seeds when the corpus is there; the
	// target runs without it (corpusDir would skip it).
	dir, _ := testkit.FindCorpus(f)
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
	call := testkit.Call(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		c, fs, err := workbook.Read(bytes.NewReader(b), int64(len(b)), "fuzz.xlsx")
		var pe *workbook.PanicError
		if errors.As(err, &pe) {
			t.Fatalf("panic: %v", err)
		}
		if err != nil {
			var we *workbook.Error
			if !errors.As(err, &we) || we.Err == nil {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		for _, f := range append(fs, Candidature(c, call)...) {
			if f.Sheet == "" || f.Message == "" {
				t.Fatalf("finding without a place or message: %#v", f)
			}
		}
		Evaluate(c, call)
	})
}

// BenchmarkReadAndCheck reads a filled workbook, checks it and evaluates it.
func BenchmarkReadAndCheck(b *testing.B) {
	data := workbooktest.WriteBook(b, testkit.BigCandidature())
	call := testkit.Call(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c, _, err := workbook.Read(bytes.NewReader(data), int64(len(data)), "bench.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		if fs := Candidature(c, call); model.HasError(fs) {
			b.Fatal(fs)
		}
		Evaluate(c, call)
	}
}

// TestCheckTextNumbersLibreOffice: amounts and ETP typed as text, the
// workbook then saved by LibreOffice as a user would: the sheet's own
// totals ignore them, and check names each such cell, saying the dossier
// counts it.
func TestCheckTextNumbersLibreOffice(t *testing.T) {
	b := workbooktest.Edited(t, testkit.RichCandidature(), func(f *excelize.File) error {
		if err := workbooktest.Set(f, workbook.SheetBudget, "Montant", 0, "12 500 €"); err != nil {
			return err
		}
		return workbooktest.Set(f, workbook.SheetMoyens, "ETP", 1, "0,5")
	})
	in := filepath.Join(t.TempDir(), "candidature.xlsx")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := workbooktest.LibreOffice(t, "xlsx", in)
	c, read, err := workbook.ReadFile(filepath.Join(out, "candidature.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(read) != 0 || c.Budget[0].Montant != 1_250_000 || c.Equipe[1].ETP != 0.5 {
		t.Fatalf("after LibreOffice: read %d and %v, findings %v", c.Budget[0].Montant, c.Equipe[1].ETP, read)
	}
	fs := Candidature(c, testkit.Call(t))
	for _, w := range []struct{ sheet, cell, what string }{
		{workbook.SheetBudget, "E5", "montant saisi comme du texte"},
		{workbook.SheetMoyens, "C6", "ETP saisi comme du texte"},
	} {
		if !testkit.HasFinding(fs, w.sheet, w.cell, model.Avertissement, w.what) {
			t.Errorf("no warning at %s!%s in:\n%s", w.sheet, w.cell, testkit.FindingsText(fs))
		}
	}
}
