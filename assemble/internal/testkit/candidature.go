package testkit

import (
	"fmt"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"necdossier/templates"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// Day is a civil date, as the model holds them.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Call loads the default call.
func Call(t testing.TB) *model.Call {
	t.Helper()
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	return call
}

// RichCandidature is a complete, valid candidature touching every field.
func RichCandidature() *model.Candidature {
	return &model.Candidature{
		Collectivite: model.Collectivite{
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
		Partenaires: []model.Partenaire{
			{Nom: "Région Bretagne", Type: "Collectivité", Role: "Cofinance l’événement", Apport: "Réseau des espaces numériques"},
			{Nom: "Association Bug", Type: "Association", Role: "Co-organise la journée communautaire", Apport: "40 médiateurs numériques"},
		},
		Motivations: model.Motivations{
			Pourquoi: "Dix ans de politique publique du numérique d’intérêt général.",
			Ambition: "Réunir les acteurs de la médiation numérique de tout le pays.",
			Heritage: "Un réseau local pérenne.",
			Publics:  "Élus des 43 communes, médiateurs, associations.",
		},
		Evenement: model.Evenement{
			JourneeCommunautaire: Day(2025, 9, 24), Jour1: Day(2025, 9, 25), Jour2: Day(2025, 9, 26),
			Commentaire: "Repli possible les 2 et 3 octobre.",
		},
		Lieux: []model.Lieu{
			{Nom: "Couvent des Jacobins", Adresse: "20 place Sainte-Anne, Rennes", Capacite: 2_600, Pleniere: 1_000, Salles: 12, PlacesAteliers: 900,
				Accessible: true, Disponibilite: true, Cout: 1_800_000, PrisEnCharge: "Rennes Métropole"},
			{Nom: "Les Champs Libres", Adresse: "10 cours des Alliés, Rennes", Capacite: 400, Pleniere: 200, Salles: 3, PlacesAteliers: 120,
				Accessible: true, Disponibilite: true},
		},
		Moments: []model.Moment{
			{Date: Day(2025, 9, 25), Heure: "9 h 30", Intitule: "Plénière d’ouverture", Lieu: "Couvent des Jacobins"},
			{Date: Day(2025, 9, 26), Heure: "16 h", Intitule: "Clôture ministérielle", Lieu: "Couvent des Jacobins"},
		},
		Equipe: []model.Poste{
			{Service: "Direction du numérique", Role: "Coordination générale", ETP: 1.5, Personnes: 3, Periode: "janvier à octobre 2025"},
			{Service: "Communication", Role: "Campagne et relations presse", ETP: 0.5, Personnes: 2, Periode: "mai à octobre 2025"},
		},
		Budget: []model.LigneBudget{
			{Sens: model.Charge, Categorie: "60 – Achats", Libelle: "Restauration", Montant: 2_000_000},
			{Sens: model.Charge, Categorie: "61 – Services extérieurs", Libelle: "Location du lieu", Montant: 1_800_000},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Communication", Montant: 1_076_544},
			{Sens: model.Charge, Categorie: "63 – Impôts et taxes", Libelle: "Taxes", Montant: 123_456},
			{Sens: model.Charge, Categorie: "64 – Charges de personnel", Libelle: "Vacations", Montant: 3_000_000},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Mise à disposition de salles", Montant: 1_500_000},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention régionale", Financeur: "Région Bretagne", Statut: "Acquis", Montant: 2_500_000},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention départementale", Financeur: "Département d’Ille-et-Vilaine", Statut: "Sollicité", Montant: 1_000_000},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Fonds propres", Financeur: "Rennes Métropole", Statut: "Acquis", Montant: 4_000_000},
			{Sens: model.Produit, Categorie: "75 – Autres produits de gestion courante (mécénat…)", Libelle: "Mécénat", Financeur: "Fondation locale", Statut: "Sollicité", Montant: 500_000},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Salles mises à disposition", Financeur: "Ville de Rennes", Montant: 1_500_000},
		},
		Initiatives: []model.Initiative{
			{Intitule: "Pass numérique", Type: "Politique publique", Description: "12 000 chèques distribués depuis 2020.", Depuis: "2020", Porteur: "Rennes Métropole", Lien: "https://metropole.rennes.fr/pass"},
			{Intitule: "Réseau des médiateurs", Type: "Partenariat", Description: "Animation mensuelle.", Depuis: "2018", Porteur: "Association Bug"},
		},
		NECLocaux: []model.NECLocal{
			{Annee: 2023, Lieu: "Saint-Brieuc", Participants: 350, Bilan: "Création d’un réseau départemental."},
		},
		Thematiques: []model.Thematique{
			{Theme: "Numérique responsable", Enjeux: "Réduire l’empreinte des services publics.", Initiatives: "Atelier de reconditionnement."},
		},
		Annexes: []model.Annexe{
			{Fichier: "soutien-region.pdf", Titre: "Lettre de soutien de la Région", Signataire: "Loïg Chesnais-Girard", Organisation: "Région Bretagne", Date: Day(2024, 7, 2), Type: "Lettre de soutien"},
			{Fichier: "deliberation.jpg", Titre: "Délibération du conseil", Organisation: "Rennes Métropole", Date: Day(2024, 6, 27), Type: "Délibération"},
		},
	}
}

// RichAnnexes is the folder that goes with richCandidature.
func RichAnnexes() fstest.MapFS {
	return fstest.MapFS{
		"logo.png":           {Data: []byte("\x89PNG\r\n\x1a\n....")},
		"soutien-region.pdf": {Data: []byte("%PDF-1.7\n...")},
		"deliberation.jpg":   {Data: []byte("\xFF\xD8\xFF\xE0....")},
	}
}

// WithoutRefs returns a copy of c with every Ref and the Source cleared.
func WithoutRefs(c *model.Candidature) *model.Candidature {
	cp := *c
	v := reflect.ValueOf(&cp).Elem()
	clearRefs(v)
	cp.Source = model.Source{}
	return &cp
}

func HasFinding(fs []model.Finding, sheet, cell string, sev model.Severity, fragment string) bool {
	for _, f := range fs {
		if f.Sheet == sheet && f.Cell == cell && f.Severity == sev && strings.Contains(f.Message, french.Spaced(fragment)) {
			return true
		}
	}
	return false
}

// BigCandidature is the rich candidature with tables as long as a busy
// collectivité's: 40 budget lines, 20 partners, 15 initiatives.
func BigCandidature() *model.Candidature {
	c := RichCandidature()
	for i := 0; len(c.Partenaires) < 20; i++ {
		c.Partenaires = append(c.Partenaires, model.Partenaire{Nom: fmt.Sprintf("Partenaire %d", i), Type: "Association", Role: "Ateliers", Apport: strings.Repeat("Un apport décrit. ", 20)})
	}
	for i := 0; len(c.Initiatives) < 15; i++ {
		c.Initiatives = append(c.Initiatives, model.Initiative{Intitule: fmt.Sprintf("Initiative %d", i), Type: "Initiative", Description: strings.Repeat("Une initiative décrite. ", 30), Depuis: "2019"})
	}
	for i := 0; i < 15; i++ {
		c.Budget = append(c.Budget,
			model.LigneBudget{Sens: model.Charge, Categorie: model.BudgetCategories[i%6], Libelle: fmt.Sprintf("Dépense %d", i), Montant: int64(100_000 + i)},
			model.LigneBudget{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: fmt.Sprintf("Subvention %d", i), Financeur: "Région", Statut: "Sollicité", Montant: int64(100_000 + i)})
	}
	c.Motivations.Pourquoi = strings.Repeat("Une motivation longuement exposée. ", 200)
	return c
}

func clearRefs(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(model.Ref{}) {
			v.Set(reflect.ValueOf(model.Ref{}))
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

// FindingsText is fs one per line, as check prints them.
func FindingsText(fs []model.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}
