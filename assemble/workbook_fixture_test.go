package assemble

import (
	"bytes"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

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
