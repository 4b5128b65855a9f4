package assemble

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"necdossier/fonts"
	"necdossier/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/render")

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// eur converts whole euros to cents.
func eur(n int64) int64 { return n * 100 }

// richCandidature is a complete, fictional candidature: every sheet filled,
// several venues, a budget over several categories with acquired and
// requested co-financing and in-kind contributions (86/87), staff,
// initiatives, local NECs, themes and three annexes.
func richCandidature() *Candidature {
	return &Candidature{
		Collectivite: Collectivite{
			Nom:        "Communauté d'agglomération du Val-de-Lorière (fictive)",
			Type:       "EPCI",
			Population: 187450,
			Adresse:    "12, quai des Tanneurs",
			CodePostal: "99120",
			Ville:      "Lorière-sur-Ardon",
			SiteWeb:    "https://www.val-de-loriere.example/numerique-en-communs/candidature-2025",
			Presentation: "La Communauté d'agglomération du Val-de-Lorière regroupe 42 communes, de la ville-centre aux bourgs ruraux des coteaux. Depuis 2017, elle porte une politique publique d'inclusion numérique : 38 lieux de médiation, 21 conseillers numériques, un réseau de « fabriques » ouvert à tous.\n\n" +
				"Son projet de territoire fait du numérique d'intérêt général un levier d'égalité : ouverture des données, logiciels libres dans les écoles, sobriété des services publics en ligne.\n" +
				"Ses partenaires — Département, Région, associations d'éducation populaire, tiers-lieux — co-construisent chaque année une feuille de route partagée.",
			ContactNom:      "Élise Marchand",
			ContactFonction: "Cheffe de projet Numérique en Commun[s]",
			ContactEmail:    "elise.marchand@val-de-loriere.example",
			ContactTel:      "01 23 45 67 89",
			EluNom:          "Gaëtan Œhlmann",
			EluFonction:     "Vice-président délégué au numérique et à l'inclusion",
			EluEmail:        "g.oehlmann@val-de-loriere.example",
			Charte:          true,
		},
		Partenaires: []Partenaire{
			{Nom: "Département de l'Ardon", Type: "Collectivité", Role: "Co-organisateur de la journée communautaire", Apport: "Mise à disposition de l'hôtel du Département et de 2 agents ; mobilisation des 14 espaces France services."},
			{Nom: "Région Centre-Ardon", Type: "Collectivité", Role: "Financeur", Apport: "Subvention de fonctionnement ; relais auprès des lycées et des campus connectés."},
			{Nom: "Les Fabriques du Val", Type: "Association", Role: "Animation des ateliers", Apport: "Réseau de 12 tiers-lieux ; 60 bénévoles formés à l'accueil."},
			{Nom: "Coopérative Libre Ardon", Type: "Entreprise", Role: "Partenaire technique", Apport: "Captation et diffusion des plénières sous licence libre."},
		},
		Motivations: Motivations{
			Pourquoi: "Accueillir Numérique en Commun[s] en 2025, c'est donner une visibilité nationale à dix ans de travail collectif et confronter nos pratiques à celles des autres territoires.\n\nNotre territoire mêle ville moyenne et ruralité : il ressemble à la France où se joue l'inclusion numérique.",
			Ambition: "Faire de l'édition 2025 un événement sobre et accessible : 100 % des lieux accessibles, restauration locale, captations libres, programme co-construit avec les acteurs locaux.",
			Heritage: "Un réseau régional des médiateurs pérennisé, un fonds d'amorçage pour les communs numériques locaux et une charte de sobriété numérique adoptée par les 42 communes.",
			Publics:  "Médiateurs et conseillers numériques, élus et agents des collectivités, associations, chercheurs, entreprises de l'économie sociale et solidaire, habitants.",
		},
		Evenement: Evenement{
			JourneeCommunautaire: day(2025, time.October, 1),
			Jour1:                day(2025, time.October, 2),
			Jour2:                day(2025, time.October, 3),
			Commentaire:          "Les dates ont été réservées auprès du centre des congrès ; une option court jusqu'au 30 novembre.",
		},
		Lieux: []Lieu{
			{Nom: "Centre des congrès de l'Ardon", Adresse: "1, esplanade de l'Europe, Lorière-sur-Ardon", Capacite: 1800, Pleniere: 1200, Salles: 9, PlacesAteliers: 540, Accessible: true, Disponibilite: true, Cout: eur(48000), PrisEnCharge: "prise en charge par l'agglomération"},
			{Nom: "Halle des Tanneurs", Adresse: "quai des Tanneurs", Capacite: 600, Pleniere: 0, Salles: 4, PlacesAteliers: 200, Accessible: true, Disponibilite: true, Cout: 0, PrisEnCharge: "mise à disposition par la ville"},
			{Nom: "Médiathèque Louise-Michel", Adresse: "place de la Liberté", Capacite: 250, Pleniere: 120, Salles: 3, PlacesAteliers: 90, Accessible: true, Disponibilite: false, Cout: eur(2500), PrisEnCharge: "en cours de discussion"},
		},
		Moments: []Moment{
			{Date: day(2025, time.October, 2), Heure: "9 h 30", Intitule: "Plénière d'ouverture institutionnelle", Lieu: "Centre des congrès"},
			{Date: day(2025, time.October, 2), Heure: "17 h 00", Intitule: "Visite ministérielle des ateliers", Lieu: "Halle des Tanneurs"},
			{Date: day(2025, time.October, 3), Heure: "16 h 30", Intitule: "Plénière de clôture et passage de témoin", Lieu: "Centre des congrès"},
		},
		Equipe: []Poste{
			{Service: "Direction du numérique", Role: "Pilotage du projet, coordination avec l'ANCT", ETP: 1.0, Personnes: 2, Periode: "janvier à novembre 2025"},
			{Service: "Communication", Role: "Identité visuelle, relations presse, réseaux sociaux", ETP: 0.5, Personnes: 3, Periode: "mars à octobre 2025"},
			{Service: "Événementiel", Role: "Logistique, accueil, sécurité", ETP: 1.5, Personnes: 6, Periode: "juin à octobre 2025"},
			{Service: "Inclusion numérique", Role: "Programme de la journée communautaire", ETP: 0.8, Personnes: 4, Periode: "avril à octobre 2025"},
		},
		Budget: []LigneBudget{
			{Sens: Charge, Categorie: "60 – Achats", Libelle: "Restauration (circuits courts)", Montant: eur(62000)},
			{Sens: Charge, Categorie: "60 – Achats", Libelle: "Fournitures et signalétique réemployable", Montant: eur(8500)},
			{Sens: Charge, Categorie: "61 – Services extérieurs", Libelle: "Location du centre des congrès", Montant: eur(48000)},
			{Sens: Charge, Categorie: "61 – Services extérieurs", Libelle: "Sécurité et accueil", Montant: eur(14200)},
			{Sens: Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Captation vidéo et diffusion", Montant: eur(18000)},
			{Sens: Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Déplacements des intervenants", Montant: eur(22500)},
			{Sens: Charge, Categorie: "64 – Charges de personnel", Libelle: "Renfort temporaire (2 contrats de 6 mois)", Montant: eur(41000)},
			{Sens: Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Mise à disposition de la Halle et de la médiathèque", Montant: eur(15000)},
			{Sens: Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Bénévolat (60 bénévoles × 2 jours)", Montant: eur(9600)},
			{Sens: Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Fonds propres de l'agglomération", Financeur: "Val-de-Lorière", Statut: "Acquis", Montant: eur(90000)},
			{Sens: Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention régionale", Financeur: "Région Centre-Ardon", Statut: "Sollicité", Montant: eur(50000)},
			{Sens: Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Participation départementale", Financeur: "Département de l'Ardon", Statut: "Acquis", Montant: eur(30000)},
			{Sens: Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Appel à projets communs numériques", Financeur: "Banque des Territoires", Statut: "Sollicité", Montant: eur(25000)},
			{Sens: Produit, Categorie: "70 – Ventes de produits et prestations", Libelle: "Participation des exposants", Financeur: "Exposants", Statut: "Sollicité", Montant: eur(19200)},
			{Sens: Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Locaux mis à disposition", Financeur: "Ville de Lorière-sur-Ardon", Montant: eur(15000)},
			{Sens: Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Bénévolat", Financeur: "Les Fabriques du Val", Montant: eur(9600)},
		},
		Initiatives: []Initiative{
			{Intitule: "Pass numérique du Val", Type: "Politique publique", Description: "Chèques de formation au numérique distribués par les CCAS et les France services, utilisables dans 38 lieux labellisés.", Depuis: "2019", Porteur: "Communauté d'agglomération", Lien: "https://www.val-de-loriere.example/pass-numerique"},
			{Intitule: "Données ouvertes du Val", Type: "Initiative", Description: "Portail de données ouvertes mutualisé entre l'agglomération et ses 42 communes ; 310 jeux de données publiés sous Licence Ouverte.", Depuis: "2018", Porteur: "Service SIG mutualisé", Lien: "https://data.val-de-loriere.example"},
			{Intitule: "Réseau des Fabriques", Type: "Partenariat", Description: "Douze tiers-lieux associatifs qui accueillent ateliers, permanences et réparation d'ordinateurs reconditionnés.", Depuis: "2020", Porteur: "Les Fabriques du Val"},
		},
		NECLocaux: []NECLocal{
			{Annee: 2022, Lieu: "Lorière-sur-Ardon", Participants: 320, Bilan: "Première édition : 24 ateliers, forte présence des élus ruraux."},
			{Annee: 2023, Lieu: "Saint-Ardon-les-Vignes", Participants: 410, Bilan: "Journée dédiée aux aidants numériques ; lancement du réseau des médiateurs."},
			{Annee: 2024, Lieu: "Lorière-sur-Ardon", Participants: 560, Bilan: "Deux jours, 40 intervenants, captations publiées sous licence libre."},
		},
		Thematiques: []Thematique{
			{Theme: "Sobriété numérique des services publics", Enjeux: "Réduire l'empreinte des services en ligne sans exclure les usagers.", Initiatives: "Référentiel d'écoconception adopté par l'agglomération ; audit de 20 démarches en ligne."},
			{Theme: "Communs numériques et données territoriales", Enjeux: "Mutualiser les outils entre petites communes.", Initiatives: "Portail de données ouvertes ; logiciels libres partagés entre les mairies."},
			{Theme: "Inclusion numérique en milieu rural", Enjeux: "Aller vers les habitants éloignés des lieux de médiation.", Initiatives: "Bus numérique itinérant ; permanences dans les mairies."},
		},
		Annexes: []Annexe{
			{Fichier: "lettre-departement.pdf", Titre: "Lettre de soutien du Département de l'Ardon", Signataire: "Martine Roussel", Organisation: "Département de l'Ardon", Date: day(2024, time.June, 28), Type: "Lettre de soutien"},
			{Fichier: "lettre-region.pdf", Titre: "Lettre de soutien de la Région Centre-Ardon", Signataire: "Paul Besnard", Organisation: "Région Centre-Ardon", Date: day(2024, time.July, 2), Type: "Lettre de soutien"},
			{Fichier: "deliberation-conseil.pdf", Titre: "Délibération du conseil communautaire", Signataire: "Le président", Organisation: "Communauté d'agglomération du Val-de-Lorière", Date: day(2024, time.June, 20), Type: "Délibération"},
		},
		Source: Source{Name: "candidature-nec-2025.xlsx", SHA256: strings.Repeat("ab", 32)},
	}
}

// richAnnexes are the annexes of richCandidature as the letters stage
// describes them.
func richAnnexes(c *Candidature) []Annex {
	pages := []int{2, 1, 3}
	var out []Annex
	for i, a := range c.Annexes {
		out = append(out, Annex{Title: a.Titre, Organisation: a.Organisation, Signataire: a.Signataire, Kind: a.Type, Date: a.Date, File: a.Fichier, Pages: pages[i]})
	}
	return out
}

// richCriteria are verdicts built by hand, one of each status.
func richCriteria() []Criterion {
	return []Criterion{
		{ID: "mobilisation", Label: "Mobiliser les acteurs locaux du numérique et les élus sur tout le territoire", Status: Met, Detail: "4 partenaires, 3 lettres"},
		{ID: "experience", Label: "Expérience confirmée ou politique publique en faveur d’un numérique d’intérêt général", Status: Met, Detail: "3 initiatives, 3 NEC locaux"},
		{ID: "participants", Label: "Accueillir plus de 2 000 participants", Status: Met, Detail: "capacité 2 650 places"},
		{ID: "speakers", Label: "Accueillir 300 intervenants", Status: ToConfirm, Detail: "non chiffré dans le classeur"},
		{ID: "days", Label: "Un événement de 2 jours, précédé de la journée communautaire", Status: Met, Detail: "1er, 2 et 3 octobre 2025"},
		{ID: "window", Label: "Des dates entre fin septembre et fin octobre", Status: Met, Detail: "2 et 3 octobre 2025"},
		{ID: "venue", Label: "Disponibilité des lieux confirmée et financement de leur occupation", Status: NotMet, Detail: "Médiathèque Louise-Michel : disponibilité à confirmer"},
		{ID: "charter", Label: "Engagement à respecter la charte NEC", Status: Met, Detail: "engagement pris"},
		{ID: "letters", Label: "Au moins une lettre de soutien", Status: Met, Detail: "2 lettres de soutien"},
	}
}

func testCall(t testing.TB) *Call {
	t.Helper()
	call, err := LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	return call
}

var testCreated = time.Date(2024, time.July, 10, 9, 30, 0, 0, time.UTC)

func richOptions(c *Candidature) RenderOptions {
	return RenderOptions{
		Fonts:       fonts.FS,
		Created:     testCreated,
		Fingerprint: "3f2a9c0d5e7b41a8b6c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5",
		Annexes:     richAnnexes(c),
		Criteria:    richCriteria(),
		Findings: []Finding{
			{Severity: Avertissement, Sheet: "Lieux et dates", Cell: "H6", Message: "disponibilité de la médiathèque Louise-Michel non confirmée"},
			{Severity: Avertissement, Sheet: "Budget", Message: "la subvention régionale est sollicitée, pas encore acquise"},
		},
	}
}

// render renders c with opt and returns the PDF bytes and the layout.
func render(t testing.TB, c *Candidature, opt RenderOptions) ([]byte, *Layout) {
	t.Helper()
	var buf bytes.Buffer
	lay, err := Render(&buf, c, testCall(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), lay
}

// needTool skips when a command-line tool is missing, unless
// NECDOSSIER_REQUIRE_TOOLS=1.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("NECDOSSIER_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s introuvable (NECDOSSIER_REQUIRE_TOOLS=1)", name)
		}
		t.Skipf("%s introuvable : test sauté", name)
	}
}

// writeTemp writes a PDF to a temporary file and returns its path.
func writeTemp(t *testing.T, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "dossier.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pageTexts extracts the text of each page with pdftotext.
func pageTexts(t *testing.T, pdf []byte) []string {
	t.Helper()
	needTool(t, "pdftotext")
	p := writeTemp(t, pdf)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext : %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

func TestRenderWrites(t *testing.T) {
	c := richCandidature()
	pdf, lay := render(t, c, richOptions(c))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if lay.Pages < 8 || lay.Total != lay.Pages+6 {
		t.Errorf("pages %d, total %d: want ≥ 8 dossier pages and 6 annex pages", lay.Pages, lay.Total)
	}
	if dir := os.Getenv("RENDER_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, "rich.pdf"), pdf, 0o644)
	}
}
