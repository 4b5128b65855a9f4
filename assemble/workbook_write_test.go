package assemble

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"necdossier/templates"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// testCall loads the default call.
func testCall(t testing.TB) *Call {
	t.Helper()
	call, err := LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	return call
}

// richCandidature is a complete, valid candidature touching every field.
func richCandidature() *Candidature {
	return &Candidature{
		Collectivite: Collectivite{
			Nom: "Rennes Métropole", Type: "Métropole", Population: 229_000,
			Adresse: "4 avenue Henri Fréville", CodePostal: "35200", Ville: "Rennes",
			SiteWeb:      "https://metropole.rennes.fr",
			Presentation: "Rennes Métropole rassemble 43 communes.\nElle porte une politique d’inclusion numérique depuis 2015 ; « Rennes, ville numérique » !",
			Logo:         "logo.png",
			ContactNom:   "Camille Martin", ContactFonction: "Cheffe de projet inclusion numérique",
			ContactEmail: "c.martin@rennesmetropole.fr", ContactTel: "02 99 12 34 56",
			EluNom: "Dominique Durand", EluFonction: "Vice-président au numérique", EluEmail: "d.durand@rennesmetropole.fr",
			Charte: true,
		},
		Partenaires: []Partenaire{
			{Nom: "Région Bretagne", Type: "Collectivité", Role: "Cofinance l’événement", Apport: "Réseau des espaces numériques"},
			{Nom: "Association Bug", Type: "Association", Role: "Co-organise la journée communautaire", Apport: "40 médiateurs numériques"},
		},
		Motivations: Motivations{
			Pourquoi: "Dix ans de politique publique du numérique d’intérêt général.",
			Ambition: "Réunir les acteurs de la médiation numérique de tout le pays.",
			Heritage: "Un réseau local pérenne.",
			Publics:  "Élus des 43 communes, médiateurs, associations.",
		},
		Evenement: Evenement{
			JourneeCommunautaire: day(2025, 9, 24), Jour1: day(2025, 9, 25), Jour2: day(2025, 9, 26),
			Commentaire: "Repli possible les 2 et 3 octobre.",
		},
		Lieux: []Lieu{
			{Nom: "Couvent des Jacobins", Adresse: "20 place Sainte-Anne, Rennes", Capacite: 2_600, Pleniere: 1_000, Salles: 12, PlacesAteliers: 900,
				Accessible: true, Disponibilite: true, Cout: 1_800_000, PrisEnCharge: "Rennes Métropole"},
			{Nom: "Les Champs Libres", Adresse: "10 cours des Alliés, Rennes", Capacite: 400, Pleniere: 200, Salles: 3, PlacesAteliers: 120,
				Accessible: true, Disponibilite: true},
		},
		Moments: []Moment{
			{Date: day(2025, 9, 25), Heure: "9 h 30", Intitule: "Plénière d’ouverture", Lieu: "Couvent des Jacobins"},
			{Date: day(2025, 9, 26), Heure: "16 h", Intitule: "Clôture ministérielle", Lieu: "Couvent des Jacobins"},
		},
		Equipe: []Poste{
			{Service: "Direction du numérique", Role: "Coordination générale", ETP: 1.5, Personnes: 3, Periode: "janvier à octobre 2025"},
			{Service: "Communication", Role: "Campagne et relations presse", ETP: 0.5, Personnes: 2, Periode: "mai à octobre 2025"},
		},
		Budget: []LigneBudget{
			{Sens: Charge, Categorie: "60 – Achats", Libelle: "Restauration", Montant: 2_000_000},
			{Sens: Charge, Categorie: "61 – Services extérieurs", Libelle: "Location du lieu", Montant: 1_800_000},
			{Sens: Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Communication", Montant: 1_076_544},
			{Sens: Charge, Categorie: "63 – Impôts et taxes", Libelle: "Taxes", Montant: 123_456},
			{Sens: Charge, Categorie: "64 – Charges de personnel", Libelle: "Vacations", Montant: 3_000_000},
			{Sens: Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Mise à disposition de salles", Montant: 1_500_000},
			{Sens: Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention régionale", Financeur: "Région Bretagne", Statut: "Acquis", Montant: 2_500_000},
			{Sens: Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention départementale", Financeur: "Département d’Ille-et-Vilaine", Statut: "Sollicité", Montant: 1_000_000},
			{Sens: Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Fonds propres", Financeur: "Rennes Métropole", Statut: "Acquis", Montant: 4_000_000},
			{Sens: Produit, Categorie: "75 – Autres produits de gestion courante (mécénat…)", Libelle: "Mécénat", Financeur: "Fondation locale", Statut: "Sollicité", Montant: 500_000},
			{Sens: Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Salles mises à disposition", Financeur: "Ville de Rennes", Montant: 1_500_000},
		},
		Initiatives: []Initiative{
			{Intitule: "Pass numérique", Type: "Politique publique", Description: "12 000 chèques distribués depuis 2020.", Depuis: "2020", Porteur: "Rennes Métropole", Lien: "https://metropole.rennes.fr/pass"},
			{Intitule: "Réseau des médiateurs", Type: "Partenariat", Description: "Animation mensuelle.", Depuis: "2018", Porteur: "Association Bug"},
		},
		NECLocaux: []NECLocal{
			{Annee: 2023, Lieu: "Saint-Brieuc", Participants: 350, Bilan: "Création d’un réseau départemental."},
		},
		Thematiques: []Thematique{
			{Theme: "Numérique responsable", Enjeux: "Réduire l’empreinte des services publics.", Initiatives: "Atelier de reconditionnement."},
		},
		Annexes: []Annexe{
			{Fichier: "soutien-region.pdf", Titre: "Lettre de soutien de la Région", Signataire: "Loïg Chesnais-Girard", Organisation: "Région Bretagne", Date: day(2024, 7, 2), Type: "Lettre de soutien"},
			{Fichier: "deliberation.jpg", Titre: "Délibération du conseil", Organisation: "Rennes Métropole", Date: day(2024, 6, 27), Type: "Délibération"},
		},
	}
}

// richAnnexes is the folder that goes with richCandidature.
func richAnnexes() fstest.MapFS {
	return fstest.MapFS{
		"logo.png":           {Data: []byte("\x89PNG\r\n\x1a\n....")},
		"soutien-region.pdf": {Data: []byte("%PDF-1.7\n...")},
		"deliberation.jpg":   {Data: []byte("\xFF\xD8\xFF\xE0....")},
	}
}

// writeBook writes c for the default call.
func writeBook(t testing.TB, c *Candidature) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, testCall(t), c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readBook reads b and fails the test on a fatal error.
func readBook(t testing.TB, b []byte) (*Candidature, []Finding) {
	t.Helper()
	c, fs, err := ReadWorkbook(bytes.NewReader(b), int64(len(b)), "test.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	return c, fs
}

// withoutRefs returns a copy of c with every Ref and the Source cleared.
func withoutRefs(c *Candidature) *Candidature {
	cp := *c
	v := reflect.ValueOf(&cp).Elem()
	clearRefs(v)
	cp.Source = Source{}
	return &cp
}

func clearRefs(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Ref{}) {
			v.Set(reflect.ValueOf(Ref{}))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			clearRefs(v.Field(i))
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(cp, v)
		v.Set(cp)
		for i := 0; i < v.Len(); i++ {
			clearRefs(v.Index(i))
		}
	}
}

// TestTemplateForm checks what `init` writes for the user: the guide
// first, sheets in the call's order, styled and frozen headers, an input
// message on every input cell, dropdowns for closed choices, number and
// date formats, and totals as formulas.
func TestTemplateForm(t *testing.T) {
	call := testCall(t)
	f, err := excelize.OpenReader(bytes.NewReader(writeBook(t, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	want = append(want, sheetGuide)
	for _, sec := range call.Sections {
		want = append(want, sec.Sheets...)
	}
	var got []string
	for _, name := range f.GetSheetList() {
		if visible, _ := f.GetSheetVisible(name); visible {
			got = append(got, name)
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("visible sheets %v, want %v", got, want)
	}
	guide, _ := f.GetRows(sheetGuide)
	text := fmt.Sprint(guide)
	for _, must := range []string{"lundi 15 juillet 2024", "estelle.patat@anct.gouv.fr", "necdossier check", "necdossier build", "Annexes"} {
		if !strings.Contains(text, must) {
			t.Errorf("guide lacks %q", must)
		}
	}
	for _, s := range schema {
		panes, err := f.GetPanes(s.name)
		if err != nil || !panes.Freeze || panes.YSplit == 0 {
			t.Errorf("%s: panes not frozen: %+v %v", s.name, panes, err)
		}
		dvs, err := f.GetDataValidations(s.name)
		if err != nil {
			t.Fatal(err)
		}
		lay := s.layout(nil)
		for bi, b := range s.blocks {
			for fi, fd := range b.fields {
				cell := cellName(2, lay[bi].firstRow+fi)
				if b.kind == tableKind {
					cell = cellName(fi+1, lay[bi].lastRow)
					head, _ := f.GetCellValue(s.name, cellName(fi+1, lay[bi].headerRow))
					st, _ := f.GetCellStyle(s.name, cellName(fi+1, lay[bi].headerRow))
					style, _ := f.GetStyle(st)
					if !matchLabelText(head, fd.label) || style == nil || style.Font == nil || !style.Font.Bold || len(style.Fill.Color) == 0 {
						t.Errorf("%s!%s: header %q not styled or not %q", s.name, cellName(fi+1, lay[bi].headerRow), head, fd.label)
					}
				}
				dv := validationAt(dvs, cell)
				if dv == nil || dv.Prompt == nil || !strings.Contains(*dv.Prompt, "Exemple") {
					t.Errorf("%s!%s (%s): no input message with an example", s.name, cell, fd.key)
					continue
				}
				if (fd.kind == kChoice || fd.kind == kYesNo) && dv.Type != "list" {
					t.Errorf("%s!%s (%s): no dropdown", s.name, cell, fd.key)
				}
				if nf, ok := numFmt[fd.kind]; ok {
					st, _ := f.GetCellStyle(s.name, cell)
					style, _ := f.GetStyle(st)
					if style == nil || style.CustomNumFmt == nil || *style.CustomNumFmt != nf {
						t.Errorf("%s!%s (%s): number format not %q", s.name, cell, fd.key, nf)
					}
				}
			}
		}
	}
	// Totals are formulas over the inputs.
	for _, tc := range []struct{ sheet, cell, fragment string }{
		{sheetBudget, "H4", `SUMIF(A5:A`},
		{sheetBudget, "H6", "H4-H5"},
		{sheetMoyens, "H4", "SUM(C5:C"},
	} {
		formula, _ := f.GetCellFormula(tc.sheet, tc.cell)
		if !strings.Contains(formula, tc.fragment) {
			t.Errorf("%s!%s: formula %q, want %q in it", tc.sheet, tc.cell, formula, tc.fragment)
		}
	}
	// The long category list goes through a defined name.
	var names []string
	for _, dn := range f.GetDefinedName() {
		names = append(names, dn.Name)
	}
	if !slices.Contains(names, "liste_Categorie") {
		t.Errorf("defined names %v, want liste_Categorie", names)
	}
}

func matchLabelText(text, label string) bool {
	return slices.Contains(labelKeys(label), normalize(text))
}

// validationAt finds the data validation covering cell.
func validationAt(dvs []*excelize.DataValidation, cell string) *excelize.DataValidation {
	col, row, _ := excelize.CellNameToCoordinates(cell)
	for _, dv := range dvs {
		for _, ref := range strings.Fields(dv.Sqref) {
			a, b, _ := strings.Cut(ref, ":")
			if b == "" {
				b = a
			}
			c1, r1, err1 := excelize.CellNameToCoordinates(a)
			c2, r2, err2 := excelize.CellNameToCoordinates(b)
			if err1 == nil && err2 == nil && col >= c1 && col <= c2 && row >= r1 && row <= r2 {
				return dv
			}
		}
	}
	return nil
}

func TestWriteWorkbookMoreRecordsThanPrepared(t *testing.T) {
	c := richCandidature()
	for len(c.Lieux) < 9 { // 6 prepared, and the moments' table follows
		c.Lieux = append(c.Lieux, Lieu{Nom: fmt.Sprintf("Salle %d", len(c.Lieux)), Adresse: "Rennes", Capacite: 100, Pleniere: 50})
	}
	got, fs := readBook(t, writeBook(t, c))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if !reflect.DeepEqual(withoutRefs(got).Lieux, withoutRefs(c).Lieux) || !reflect.DeepEqual(withoutRefs(got).Moments, withoutRefs(c).Moments) {
		t.Errorf("9 venues: read %d venues, %d moments", len(got.Lieux), len(got.Moments))
	}
}

func TestWriteWorkbookNoCall(t *testing.T) {
	if err := WriteWorkbook(io.Discard, nil, nil); err == nil {
		t.Error("no error without a call")
	}
}
