package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"image"
	"image/color"
	"io"
	"math"
	"necdossier/assemble/french"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"necdossier/fonts"
	"necdossier/templates"
)

// The -update flag rewrites golden files. Other test files of the package
// may declare it too (as a package variable, set before any init runs):
// register it only when nobody has.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files of testdata/")
	}
}

// updating reports whether -update was given.
func updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

func civilDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// eur converts whole euros to cents.
func euros(n int64) int64 { return n * 100 }

// richDossier is a complete, fictional candidature: every sheet filled,
// several venues, a budget over several categories with acquired and
// requested co-financing and in-kind contributions (86/87), staff,
// initiatives, local NECs, themes and three annexes.
func richDossier() *model.Candidature {
	return &model.Candidature{
		Collectivite: model.Collectivite{
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
		Partenaires: []model.Partenaire{
			{Nom: "Département de l'Ardon", Type: "Collectivité", Role: "Co-organisateur de la journée communautaire", Apport: "Mise à disposition de l'hôtel du Département et de 2 agents ; mobilisation des 14 espaces France services."},
			{Nom: "Région Centre-Ardon", Type: "Collectivité", Role: "Financeur", Apport: "Subvention de fonctionnement ; relais auprès des lycées et des campus connectés."},
			{Nom: "Les Fabriques du Val", Type: "Association", Role: "Animation des ateliers", Apport: "Réseau de 12 tiers-lieux ; 60 bénévoles formés à l'accueil."},
			{Nom: "Coopérative Libre Ardon", Type: "Entreprise", Role: "Partenaire technique", Apport: "Captation et diffusion des plénières sous licence libre."},
		},
		Motivations: model.Motivations{
			Pourquoi: "Accueillir Numérique en Commun[s] en 2025, c'est donner une visibilité nationale à dix ans de travail collectif et confronter nos pratiques à celles des autres territoires.\n\nNotre territoire mêle ville moyenne et ruralité : il ressemble à la France où se joue l'inclusion numérique.",
			Ambition: "Faire de l'édition 2025 un événement sobre et accessible : 100 % des lieux accessibles, restauration locale, captations libres, programme co-construit avec les acteurs locaux.",
			Heritage: "Un réseau régional des médiateurs pérennisé, un fonds d'amorçage pour les communs numériques locaux et une charte de sobriété numérique adoptée par les 42 communes.",
			Publics:  "Nous mobiliserons :\n- les médiateurs et conseillers numériques de la région ;\n- les élus et agents des collectivités ;\n- les associations, les chercheurs et les entreprises de l'économie sociale et solidaire.\nEt, le samedi, les habitants.",
		},
		Evenement: model.Evenement{
			JourneeCommunautaire: civilDay(2025, time.October, 1),
			Jour1:                civilDay(2025, time.October, 2),
			Jour2:                civilDay(2025, time.October, 3),
			Commentaire:          "Les dates ont été réservées auprès du centre des congrès ; une option court jusqu'au 30 novembre.",
		},
		Lieux: []model.Lieu{
			{Nom: "Centre des congrès de l'Ardon", Adresse: "1, esplanade de l'Europe, Lorière-sur-Ardon", Capacite: 1800, Pleniere: 1200, Salles: 9, PlacesAteliers: 540, Accessible: true, Disponibilite: true, Cout: euros(48000), PrisEnCharge: "prise en charge par l'agglomération"},
			{Nom: "Halle des Tanneurs", Adresse: "quai des Tanneurs", Capacite: 600, Pleniere: 0, Salles: 4, PlacesAteliers: 200, Accessible: true, Disponibilite: true, Cout: 0, PrisEnCharge: "mise à disposition par la ville"},
			{Nom: "Médiathèque Louise-Michel", Adresse: "place de la Liberté", Capacite: 250, Pleniere: 120, Salles: 3, PlacesAteliers: 90, Accessible: true, Disponibilite: false, Cout: euros(2500), PrisEnCharge: "en cours de discussion"},
		},
		Moments: []model.Moment{
			{Date: civilDay(2025, time.October, 2), Heure: "9 h 30", Intitule: "Plénière d'ouverture institutionnelle", Lieu: "Centre des congrès"},
			{Date: civilDay(2025, time.October, 2), Heure: "17 h 00", Intitule: "Visite ministérielle des ateliers", Lieu: "Halle des Tanneurs"},
			{Date: civilDay(2025, time.October, 3), Heure: "16 h 30", Intitule: "Plénière de clôture et passage de témoin", Lieu: "Centre des congrès"},
		},
		Equipe: []model.Poste{
			{Service: "Direction du numérique", Role: "Pilotage du projet, coordination avec l'ANCT", ETP: 1.0, Personnes: 2, Periode: "janvier à novembre 2025"},
			{Service: "Communication", Role: "Identité visuelle, relations presse, réseaux sociaux", ETP: 0.5, Personnes: 3, Periode: "mars à octobre 2025"},
			{Service: "Événementiel", Role: "Logistique, accueil, sécurité", ETP: 1.5, Personnes: 6, Periode: "juin à octobre 2025"},
			{Service: "Inclusion numérique", Role: "Programme de la journée communautaire", ETP: 0.8, Personnes: 4, Periode: "avril à octobre 2025"},
		},
		Budget: []model.LigneBudget{
			{Sens: model.Charge, Categorie: "60 – Achats", Libelle: "Restauration (circuits courts)", Montant: euros(62000)},
			{Sens: model.Charge, Categorie: "60 – Achats", Libelle: "Fournitures et signalétique réemployable", Montant: euros(8500)},
			{Sens: model.Charge, Categorie: "61 – Services extérieurs", Libelle: "Location du centre des congrès", Montant: euros(48000)},
			{Sens: model.Charge, Categorie: "61 – Services extérieurs", Libelle: "Sécurité et accueil", Montant: euros(14200)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Captation vidéo et diffusion", Montant: euros(18000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Déplacements des intervenants", Montant: euros(22500)},
			{Sens: model.Charge, Categorie: "64 – Charges de personnel", Libelle: "Renfort temporaire (2 contrats de 6 mois)", Montant: euros(41000)},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Mise à disposition de la Halle et de la médiathèque", Montant: euros(15000)},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Bénévolat (60 bénévoles × 2 jours)", Montant: euros(9600)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Fonds propres de l'agglomération", Financeur: "Val-de-Lorière", Statut: "Acquis", Montant: euros(90000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention régionale", Financeur: "Région Centre-Ardon", Statut: "Sollicité", Montant: euros(50000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Participation départementale", Financeur: "Département de l'Ardon", Statut: "Acquis", Montant: euros(30000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Appel à projets communs numériques", Financeur: "Banque des Territoires", Statut: "Sollicité", Montant: euros(25000)},
			{Sens: model.Produit, Categorie: "70 – Ventes de produits et prestations", Libelle: "Participation des exposants", Financeur: "Exposants", Statut: "Sollicité", Montant: euros(19200)},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Locaux mis à disposition", Financeur: "Ville de Lorière-sur-Ardon", Montant: euros(15000)},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Bénévolat", Financeur: "Les Fabriques du Val", Montant: euros(9600)},
		},
		Initiatives: []model.Initiative{
			{Intitule: "Pass numérique du Val", Type: "Politique publique", Description: "Chèques de formation au numérique distribués par les CCAS et les France services, utilisables dans 38 lieux labellisés.", Depuis: "2019", Porteur: "Communauté d'agglomération", Lien: "https://www.val-de-loriere.example/pass-numerique"},
			{Intitule: "Données ouvertes du Val", Type: "Initiative", Description: "Portail de données ouvertes mutualisé entre l'agglomération et ses 42 communes ; 310 jeux de données publiés sous Licence Ouverte.", Depuis: "2018", Porteur: "Service SIG mutualisé", Lien: "https://data.val-de-loriere.example"},
			{Intitule: "Réseau des Fabriques", Type: "Partenariat", Description: "Douze tiers-lieux associatifs qui accueillent ateliers, permanences et réparation d'ordinateurs reconditionnés.", Depuis: "2020", Porteur: "Les Fabriques du Val"},
		},
		NECLocaux: []model.NECLocal{
			{Annee: 2022, Lieu: "Lorière-sur-Ardon", Participants: 320, Bilan: "Première édition : 24 ateliers, forte présence des élus ruraux."},
			{Annee: 2023, Lieu: "Saint-Ardon-les-Vignes", Participants: 410, Bilan: "Journée dédiée aux aidants numériques ; lancement du réseau des médiateurs."},
			{Annee: 2024, Lieu: "Lorière-sur-Ardon", Participants: 560, Bilan: "Deux jours, 40 intervenants, captations publiées sous licence libre."},
		},
		Thematiques: []model.Thematique{
			{Theme: "Sobriété numérique des services publics", Enjeux: "Réduire l'empreinte des services en ligne sans exclure les usagers.", Initiatives: "Référentiel d'écoconception adopté par l'agglomération ; audit de 20 démarches en ligne."},
			{Theme: "Communs numériques et données territoriales", Enjeux: "Mutualiser les outils entre petites communes.", Initiatives: "Portail de données ouvertes ; logiciels libres partagés entre les mairies."},
			{Theme: "Inclusion numérique en milieu rural", Enjeux: "Aller vers les habitants éloignés des lieux de médiation.", Initiatives: "Bus numérique itinérant ; permanences dans les mairies."},
		},
		Annexes: []model.Annexe{
			{Fichier: "lettre-departement.pdf", Titre: "Lettre de soutien du Département de l'Ardon", Signataire: "Martine Roussel", Organisation: "Département de l'Ardon", Date: civilDay(2024, time.June, 28), Type: "Lettre de soutien"},
			{Fichier: "lettre-region.pdf", Titre: "Lettre de soutien de la Région Centre-Ardon", Signataire: "Paul Besnard", Organisation: "Région Centre-Ardon", Date: civilDay(2024, time.July, 2), Type: "Lettre de soutien"},
			{Fichier: "deliberation-conseil.pdf", Titre: "Délibération du conseil communautaire", Signataire: "Le président", Organisation: "Communauté d'agglomération du Val-de-Lorière", Date: civilDay(2024, time.June, 20), Type: "Délibération"},
		},
		Source: model.Source{Name: "candidature-nec-2025.xlsx", SHA256: strings.Repeat("ab", 32)},
	}
}

// richDossierAnnexes are the annexes of richDossier as the letters stage
// describes them.
func richDossierAnnexes(c *model.Candidature) []Annexe {
	pages := []int{2, 1, 3}
	var out []Annexe
	for i, a := range c.Annexes {
		out = append(out, Annexe{Title: a.Titre, Organisation: a.Organisation, Signataire: a.Signataire, Kind: a.Type, Date: a.Date, File: a.Fichier, Pages: pages[i]})
	}
	return out
}

// richDossierCriteria are verdicts built by hand, one of each status.
func richDossierCriteria() []model.Criterion {
	return []model.Criterion{
		{ID: "mobilisation", Label: "Mobiliser les acteurs locaux du numérique et les élus sur tout le territoire", Status: model.Met, Detail: "4 partenaires, 3 lettres"},
		{ID: "experience", Label: "Expérience confirmée ou politique publique en faveur d’un numérique d’intérêt général", Status: model.Met, Detail: "3 initiatives, 3 NEC locaux"},
		{ID: "participants", Label: "Accueillir plus de 2 000 participants", Status: model.Met, Detail: "capacité 2 650 places"},
		{ID: "speakers", Label: "Accueillir 300 intervenants", Status: model.ToConfirm, Detail: "non chiffré dans le classeur"},
		{ID: "days", Label: "Un événement de 2 jours, précédé de la journée communautaire", Status: model.Met, Detail: "1er, 2 et 3 octobre 2025"},
		{ID: "window", Label: "Des dates entre fin septembre et fin octobre", Status: model.Met, Detail: "2 et 3 octobre 2025"},
		{ID: "venue", Label: "Disponibilité des lieux confirmée et financement de leur occupation", Status: model.NotMet, Detail: "Médiathèque Louise-Michel : disponibilité à confirmer"},
		{ID: "charter", Label: "Engagement à respecter la charte NEC", Status: model.Met, Detail: "engagement pris"},
		{ID: "letters", Label: "Au moins une lettre de soutien", Status: model.Met, Detail: "2 lettres de soutien"},
	}
}

func renderCall(t testing.TB) *model.Call {
	t.Helper()
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	return call
}

var renderCreated = time.Date(2024, time.July, 10, 9, 30, 0, 0, time.UTC)

func richDossierOptions(c *model.Candidature) Options {
	return Options{
		Fonts:       fonts.FS,
		Created:     renderCreated,
		Fingerprint: "3f2a9c0d5e7b41a8b6c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5",
		Annexes:     richDossierAnnexes(c),
		Criteria:    richDossierCriteria(),
		Findings: []model.Finding{
			{Severity: model.Avertissement, Sheet: "Lieux et dates", Cell: "H6", Message: "disponibilité de la médiathèque Louise-Michel non confirmée"},
			{Severity: model.Avertissement, Sheet: "Budget", Message: "la subvention régionale est sollicitée, pas encore acquise"},
		},
	}
}

// render renders c with opt and returns the PDF bytes and the layout.
func renderPDF(t testing.TB, c *model.Candidature, opt Options) ([]byte, *Layout) {
	t.Helper()
	var buf bytes.Buffer
	lay, err := Render(&buf, c, renderCall(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), lay
}

// needTool skips when a command-line tool is missing, unless
// NECDOSSIER_REQUIRE_TOOLS=1.
func needRenderTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("NECDOSSIER_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s introuvable (NECDOSSIER_REQUIRE_TOOLS=1)", name)
		}
		t.Skipf("%s introuvable : test sauté", name)
	}
}

// writeTemp writes a PDF to a temporary file and returns its path.
func writeTempPDF(t *testing.T, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "dossier.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pageTexts extracts the text of each page with pdftotext.
func pdfPageTexts(t *testing.T, pdf []byte) []string {
	t.Helper()
	needRenderTool(t, "pdftotext")
	p := writeTempPDF(t, pdf)
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
	c := richDossier()
	pdf, lay := renderPDF(t, c, richDossierOptions(c))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if lay.Pages < 8 || lay.Total != lay.Pages+6 {
		t.Errorf("pages %d, total %d: want ≥ 8 dossier pages and 6 annex pages", lay.Pages, lay.Total)
	}
	if dir := os.Getenv("RENDER_OUT"); dir != "" { // to look at it
		os.WriteFile(filepath.Join(dir, "rich.pdf"), pdf, 0o644)
	}
}

// golden compares got with testdata/render/name, or rewrites it with -update.
func goldenRender(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "render", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if string(want) != got {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := range max(len(wl), len(gl)) {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Fatalf("%s differs at line %d:\nwant %q\ngot  %q\n(go test -run %s -update rewrites it after review)", path, i+1, w, g, t.Name())
			}
		}
	}
}

// normalise trims trailing spaces of each line of a page's text.
func trimLines(page string) string {
	lines := strings.Split(page, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func outlineText(o []OutlineEntry) string {
	var b strings.Builder
	for _, e := range o {
		fmt.Fprintf(&b, "%s%s … %d\n", strings.Repeat("  ", e.Level), e.Title, e.Page)
	}
	return b.String()
}

func TestRenderGolden(t *testing.T) {
	c := richDossier()
	pdf, lay := renderPDF(t, c, richDossierOptions(c))
	pages := pdfPageTexts(t, pdf)
	if len(pages) != lay.Pages {
		t.Fatalf("pdftotext found %d pages, layout says %d", len(pages), lay.Pages)
	}
	var b strings.Builder
	for i, p := range pages {
		fmt.Fprintf(&b, "======== page %d ========\n%s\n", i+1, trimLines(p))
	}
	goldenRender(t, "rich.txt", b.String())
	goldenRender(t, "rich.outline.txt", outlineText(lay.Outline))
}

func TestRenderReproducible(t *testing.T) {
	c := richDossier()
	opt := richDossierOptions(c)
	a, _ := renderPDF(t, c, opt)
	for range 3 {
		b, _ := renderPDF(t, c, opt)
		if !bytes.Equal(a, b) {
			t.Fatal("two renderings with the same Created differ")
		}
	}
	opt.Created = opt.Created.Add(time.Hour)
	d, _ := renderPDF(t, c, opt)
	if bytes.Equal(a, d) {
		t.Fatal("the creation date is not written")
	}
}

// pdfWord is a word's box as pdftotext -bbox reports it, in points.
type pdfWord struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

var (
	reBboxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	reBboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// pdfWords extracts every word with its box, with pdftotext -bbox.
func pdfWords(t *testing.T, pdf []byte) []pdfWord {
	t.Helper()
	needRenderTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-bbox", writeTempPDF(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox : %v", err)
	}
	var ws []pdfWord
	page := 0
	for line := range strings.SplitSeq(string(out), "\n") {
		if reBboxPage.MatchString(line) {
			page++
			continue
		}
		m := reBboxWord.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		f := func(s string) float64 { x, _ := strconv.ParseFloat(s, 64); return x }
		ws = append(ws, pdfWord{page, f(m[1]), f(m[2]), f(m[3]), f(m[4]), html.UnescapeString(m[5])})
	}
	if len(ws) < 100 || page < 2 {
		t.Fatalf("pdftotext -bbox: %d words on %d pages, the output was not understood", len(ws), page)
	}
	return ws
}

// checkInsideTextBlock fails for any word outside the text block (margins plus the
// header and footer bands), with a tolerance of one point.
func checkInsideTextBlock(t *testing.T, ws []pdfWord) {
	t.Helper()
	const tol = 1.0
	left, right := marginL*ptPerMM-tol, (pageW-marginR)*ptPerMM+tol
	top, bottom := 10*ptPerMM, (pageH-8)*ptPerMM
	for _, w := range ws {
		if w.xMin < left || w.xMax > right || w.yMin < top || w.yMax > bottom {
			t.Errorf("page %d : « %s » hors du cadre (x %.1f–%.1f, y %.1f–%.1f)", w.page, w.text, w.xMin, w.xMax, w.yMin, w.yMax)
		}
	}
}

func TestRenderNothingOverflows(t *testing.T) {
	c := richDossier()
	long := "https://www.val-de-loriere.example/" + strings.Repeat("un-chemin-tres-long/", 12) + "index.html?param=" + strings.Repeat("x", 80)
	longWord := "Anticonstitutionnellement" + strings.Repeat("Numérique", 30)
	c.Collectivite.SiteWeb = long
	c.Collectivite.Presentation = "Voir " + long + " et " + longWord + ".\n\n" + c.Collectivite.Presentation
	c.Partenaires[0].Nom = longWord
	c.Partenaires[1].Apport = long
	c.Initiatives[0].Lien = long
	c.Thematiques[0].Theme = longWord
	c.Lieux[0].Nom = longWord
	c.Budget[0].Libelle = longWord
	c.Budget[9].Financeur = longWord
	pdf, _ := renderPDF(t, c, richDossierOptions(c))
	ws := pdfWords(t, pdf)
	checkInsideTextBlock(t, ws)
	// The pieces of the long word, put back together, give the word.
	var all strings.Builder
	for _, w := range ws {
		all.WriteString(w.text)
	}
	if !strings.Contains(all.String(), longWord) {
		t.Error("the long word is not found whole once its pieces are joined")
	}
}

func TestRenderLongText(t *testing.T) {
	c := richDossier()
	var b strings.Builder
	for i := 0; b.Len() < 10000; i++ {
		fmt.Fprintf(&b, "Phrase numéro %d d’un très long texte de motivation, écrite pour éprouver la pagination. ", i)
		if i%9 == 8 {
			b.WriteString("\n\n")
		}
	}
	c.Motivations.Pourquoi = b.String()
	pdf, lay := renderPDF(t, c, richDossierOptions(c))
	checkInsideTextBlock(t, pdfWords(t, pdf))
	pages := pdfPageTexts(t, pdf)
	text := readingText(pages)
	n := strings.Count(b.String(), "Phrase numéro")
	for i := range n {
		if !strings.Contains(text, fmt.Sprintf("Phrase numéro %d d’un très long texte", i)) {
			t.Errorf("sentence %d lost", i)
		}
	}
	base, _ := renderPDF(t, richDossier(), richDossierOptions(richDossier()))
	if lay.Pages <= len(pdfPageTexts(t, base)) {
		t.Errorf("a 10 000-character text adds no page (%d pages)", lay.Pages)
	}
}

func TestRenderLongTable(t *testing.T) {
	c := richDossier()
	c.Equipe = nil
	for i := range 200 {
		c.Equipe = append(c.Equipe, model.Poste{Service: fmt.Sprintf("Service-%03d", i), Role: fmt.Sprintf("Rôle %03d sur une ou deux lignes selon la longueur du texte qui varie", i)[:30+i%40], ETP: 0.5, Personnes: int64(i%7 + 1), Periode: fmt.Sprintf("fin-%03d", i)})
	}
	pdf, _ := renderPDF(t, c, richDossierOptions(c))
	checkInsideTextBlock(t, pdfWords(t, pdf))
	pages := pdfPageTexts(t, pdf)
	spanned := 0
	for i := range 200 {
		first, last := -1, -1
		for p, text := range pages {
			for _, key := range []string{fmt.Sprintf("Service-%03d", i), fmt.Sprintf("fin-%03d", i)} {
				if strings.Contains(text, key) {
					if first < 0 {
						first = p
					}
					last = p
				}
			}
		}
		if first < 0 {
			t.Fatalf("row %d missing", i)
		}
		if first != last {
			t.Errorf("row %d split across pages %d and %d", i, first+1, last+1)
		}
	}
	// Every page holding rows starts them under a repeated header row.
	for p, text := range pages {
		if !strings.Contains(text, "Service-") {
			continue
		}
		spanned++
		hdr := strings.Index(text, "Personnes")
		row := strings.Index(text, "Service-")
		if hdr < 0 || hdr > row {
			t.Errorf("page %d: rows without the header row above them", p+1)
		}
	}
	if spanned < 4 {
		t.Errorf("200 rows on %d pages: want at least 4", spanned)
	}
	if !strings.Contains(strings.Join(pages, ""), "100,0") {
		t.Error("total ETP (100,0) missing")
	}
}

// bodyText joins the pages' text without running header and page number,
// with white space collapsed: the text as a reader follows it.
func readingText(pages []string) string {
	var parts []string
	for _, p := range pages {
		var lines []string
		for l := range strings.SplitSeq(p, "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 2 {
			lines = lines[1 : len(lines)-1]
		}
		parts = append(parts, strings.Join(lines, " "))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func TestRenderEmpty(t *testing.T) {
	call := renderCall(t)
	var buf bytes.Buffer
	lay, err := Render(&buf, &model.Candidature{}, call, Options{Fonts: fonts.FS, Created: renderCreated})
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("RENDER_OUT"); dir != "" { // to look at it
		os.WriteFile(filepath.Join(dir, "empty.pdf"), buf.Bytes(), 0o644)
	}
	pages := pdfPageTexts(t, buf.Bytes())
	text := readingText(pages)
	// Every section is there, numbered, with what the call asks, and says
	// « Non renseigné » for what is missing (its last occurrence is the
	// section, the first the contents).
	var at []int
	for i, s := range call.Sections {
		head := fmt.Sprintf("%d. %s", i+1, plainSpaces(french.Typo(s.Title)))
		n := strings.LastIndex(text, head)
		if n < 0 {
			t.Fatalf("section %q missing", head)
		}
		if !strings.Contains(text[n:], plainSpaces(french.Typo(s.Help))) {
			t.Errorf("section %q: help text missing", head)
		}
		at = append(at, n)
	}
	at = append(at, len(text))
	for i := range call.Sections {
		if !strings.Contains(text[at[i]:at[i+1]], "Non renseigné") {
			t.Errorf("section %d: no « Non renseigné »", i+1)
		}
	}
	if n := strings.Count(text, "Non renseigné"); n < 25 {
		t.Errorf("%d « Non renseigné »: want one per empty field (≥ 25)", n)
	}
	if lay.Pages != len(pages) || lay.Total != lay.Pages {
		t.Errorf("layout %d/%d pages, pdftotext %d", lay.Pages, lay.Total, len(pages))
	}
	for _, e := range lay.Outline {
		if e.Title == "Annexes" {
			t.Error("an « Annexes » entry without annexes")
		}
	}
}

func TestRenderText(t *testing.T) {
	c := richDossier()
	pdf, lay := renderPDF(t, c, richDossierOptions(c))
	pages := pdfPageTexts(t, pdf)
	all := strings.Join(pages, "\n")
	for _, want := range []string{
		"Communauté d’agglomération du Val-de-Lorière (fictive)", // apostrophe made typographic, accents intact
		"Gaëtan Œhlmann",
		"Vice-président délégué au numérique et à l’inclusion",
		"« fabriques »",
		"Critères de l’appel : 7 critères remplis sur 9, 1 à confirmer, 1 non rempli",
		"• les élus et agents des collectivités ;", // a typed list becomes a list
		"238 800 €", // pdftotext turns no-break spaces into spaces
		"187 450 habitants",
		"Mercredi 1ᵉʳ octobre 2025", // raised letters
		"24,2 %",                    // the share of external co-financing acquired
		"autofinancement : 90 000 €",
		"moyens humains, 15 personnes",
		"p. 15 à 16",
		"Empreinte SHA-256 des pièces : 3f2a9c0d5e7b41a8b6c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("%q missing from the extracted text", want)
		}
	}
	// The third initiative has no link: an optional field adds no line.
	for _, unwanted := range []string{"Lien : Non renseigné", "1er", "pièces jointes\n1\n"} {
		if strings.Contains(all, unwanted) {
			t.Errorf("%q in the extracted text", unwanted)
		}
	}
	for i, p := range pages {
		want := fmt.Sprintf("page %d / %d", i+1, lay.Total)
		if !strings.Contains(p, want) {
			t.Errorf("page %d: %q missing", i+1, want)
		}
		if i > 0 && !strings.Contains(p, "Communauté d’agglomération du Val-de-Lorière (fictive)") {
			t.Errorf("page %d: running header missing", i+1)
		}
	}
	// Sections in the call's order, after the contents.
	body := readingText(pages)
	last := -1
	for i, s := range renderCall(t).Sections {
		at := strings.LastIndex(body, fmt.Sprintf("%d. %s", i+1, plainSpaces(french.Typo(s.Title))))
		if at <= last {
			t.Errorf("section %d missing or out of order", i+1)
		}
		last = at
	}
}

// qpdfOutlineItem is the outline as qpdf --json reports it.
type qpdfOutlineItem struct {
	Title string            `json:"title"`
	Page  int               `json:"destpageposfrom1"`
	Kids  []qpdfOutlineItem `json:"kids"`
}

func flattenOutline(os []qpdfOutlineItem, level int, out *[]OutlineEntry) {
	for _, o := range os {
		*out = append(*out, OutlineEntry{Title: o.Title, Level: level, Page: o.Page})
		flattenOutline(o.Kids, level+1, out)
	}
}

func TestRenderOutlineMatchesContents(t *testing.T) {
	needRenderTool(t, "qpdf")
	c := richDossier()
	pdf, lay := renderPDF(t, c, richDossierOptions(c))
	out, err := exec.Command("qpdf", "--json", "--json-key=outlines", writeTempPDF(t, pdf)).Output()
	if err != nil {
		t.Fatalf("qpdf : %v", err)
	}
	var doc struct {
		Outlines []qpdfOutlineItem `json:"outlines"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var inPDF []OutlineEntry
	flattenOutline(doc.Outlines, 0, &inPDF)
	// The PDF's own outline is the layout's, less the annexes (pages the
	// merge stage adds).
	var dossier []OutlineEntry
	annexes := 0
	for _, e := range lay.Outline {
		if e.Page <= lay.Pages {
			dossier = append(dossier, e)
		} else {
			annexes++
			if e.Page > lay.Total {
				t.Errorf("%q points past the end (%d > %d)", e.Title, e.Page, lay.Total)
			}
		}
	}
	if annexes != 4 {
		t.Errorf("%d annex entries, want « Annexes » and 3 annexes", annexes)
	}
	if !slices.Equal(inPDF, dossier) {
		t.Errorf("PDF outline\n%s\nlayout outline\n%s", outlineText(inPDF), outlineText(dossier))
	}
	// The contents page lists the same entries with the same pages.
	pages := pdfPageTexts(t, pdf)
	toc := pages[2]
	for _, e := range lay.Outline {
		re := regexp.MustCompile(wrappedTitle(e.Title) + `\s+` + strconv.Itoa(e.Page) + `\n`)
		if !re.MatchString(toc) {
			t.Errorf("contents: %q … %d missing", e.Title, e.Page)
		}
	}
	// Every entry's page shows its title.
	for _, e := range dossier {
		if !strings.Contains(readingText(pages[e.Page-1:e.Page]), plainSpaces(e.Title)) {
			t.Errorf("%q not on page %d", e.Title, e.Page)
		}
	}
}

func TestRenderLinks(t *testing.T) {
	c := richDossier()
	pdf, lay := renderPDF(t, c, richDossierOptions(c))
	ann := richDossierAnnexes(c)
	first := lay.Pages + 1
	starts := []int{first, first + ann[0].Pages, first + ann[0].Pages + ann[1].Pages}
	targets := map[int]int{}
	for _, l := range lay.Links {
		if l.Page < 1 || l.Page > lay.Pages {
			t.Errorf("link on page %d of %d", l.Page, lay.Pages)
		}
		if l.X < 0 || l.Y < 0 || l.X+l.W > pageW*ptPerMM+0.01 || l.Y+l.H > pageH*ptPerMM+0.01 || l.W <= 0 || l.H <= 0 {
			t.Errorf("link %+v outside the page", l)
		}
		targets[l.Target]++
	}
	// Each annex is reached from the contents and from the annex list; the
	// « Annexes » entry also leads to the first one.
	for i, s := range starts {
		want := 2
		if i == 0 {
			want = 3
		}
		if targets[s] != want {
			t.Errorf("annex %d (page %d): %d links, want %d", i+1, s, targets[s], want)
		}
	}
	// Each rectangle covers the words of its entry: an annex title in the
	// contents, or the annex's row in the list.
	ws := pdfWords(t, pdf)
	for _, l := range lay.Links {
		top := pageH*ptPerMM - (l.Y + l.H)
		var inside []string
		for _, w := range ws {
			cx, cy := (w.xMin+w.xMax)/2, (w.yMin+w.yMax)/2
			if w.page == l.Page && cx >= l.X && cx <= l.X+l.W && cy >= top && cy <= top+l.H {
				inside = append(inside, w.text)
			}
		}
		text := strings.Join(inside, " ")
		i := slices.Index(starts, l.Target)
		if i < 0 || !strings.Contains(text, "soutien") && !strings.Contains(text, "Délibération") && text != "Annexes "+strconv.Itoa(first) {
			t.Errorf("link on page %d to %d covers %q", l.Page, l.Target, text)
		}
	}
	// Internal links: one per contents entry of the dossier.
	if n := bytes.Count(pdf, []byte("/Subtype /Link")); n < 20 {
		t.Errorf("%d link annotations, want the contents' entries linked", n)
	}
}

// TestRenderMetadata: the metadata render gives fpdf. What letters.Finish
// adds (version 1.4, DisplayDocTitle, zoned dates, indirect annotations,
// subset font names) is checked in letters' tests.
func TestRenderMetadata(t *testing.T) {
	needRenderTool(t, "pdfinfo")
	c := richDossier()
	opt := richDossierOptions(c)
	pdf, _ := renderPDF(t, c, opt)
	p := writeTempPDF(t, pdf)
	out, err := exec.Command("pdfinfo", p).Output()
	if err != nil {
		t.Fatalf("pdfinfo : %v", err)
	}
	info := string(out)
	for _, want := range []string{
		"Title:           Numérique en Commun[s] 2025 — Communauté d’agglomération du Val-de-Lorière (fictive)",
		"Author:          Communauté d’agglomération du Val-de-Lorière (fictive)",
		"Subject:         Candidature à la co-organisation de l’événement national",
		"Creator:         necdossier",
		"CreationDate:    Wed Jul 10 09:30:00 2024",
		"Page size:       595.28 x 841.89 pts (A4)",
		opt.Fingerprint,
	} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo: %q missing in\n%s", want, info)
		}
	}
	for _, want := range []string{"/Lang (fr-FR)", "/CreationDate (D:20240710093000)"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("catalog: %s missing", want)
		}
	}
	if _, err := exec.LookPath("qpdf"); err == nil {
		if out, err := exec.Command("qpdf", "--check", p).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check : %v\n%s", err, out)
		}
	}
}

// plainSpaces turns no-break spaces into spaces, as pdftotext does.
func plainSpaces(s string) string {
	return strings.NewReplacer(french.NBSP, " ", french.NNBSP, " ").Replace(s)
}

func BenchmarkRender(b *testing.B) {
	c := richDossier()
	opt := richDossierOptions(c)
	call := renderCall(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if _, err := Render(&buf, c, call, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}

func TestRenderLogos(t *testing.T) {
	dir := filepath.Join(testkit.CorpusDir(t), "images")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no images in %s", dir)
	}
	c := richDossier()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			img, ok := decodeLogo(data)
			if !ok {
				t.Fatal("logo refused")
			}
			if b := img.Bounds(); max(b.Dx(), b.Dy()) > logoSide {
				t.Errorf("logo kept at %v", b)
			}
			opt := richDossierOptions(c)
			opt.Logo = data
			pdf, _ := renderPDF(t, c, opt)
			if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
				t.Error("no image in the PDF")
			}
		})
	}
	data, err := os.ReadFile(filepath.Join(dir, "exif_orientation_6.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if o := logoOrientation(data); o != 6 {
		t.Errorf("EXIF orientation %d, want 6", o)
	}
}

func TestShrinkOrientation(t *testing.T) {
	// A 3×2 image whose pixels are numbered 1 to 6 in reading order:
	//   1 2 3
	//   4 5 6
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.SetNRGBA(i%3, i/3, color.NRGBA{uint8(i + 1), 0, 0, 255})
	}
	for _, tc := range []struct {
		o    int
		want string // rows of the upright image
	}{
		{1, "123/456"},
		{2, "321/654"}, // mirrored
		{3, "654/321"}, // turned 180°
		{4, "456/123"}, // upside down mirror
		{5, "14/25/36"},
		{6, "41/52/63"}, // stored turned 90° counter-clockwise: shown turned clockwise
		{7, "63/52/41"},
		{8, "36/25/14"},
	} {
		img := shrinkLogo(src, tc.o, 100)
		var rows []string
		for y := range img.Bounds().Dy() {
			var row strings.Builder
			for x := range img.Bounds().Dx() {
				fmt.Fprint(&row, img.NRGBAAt(x, y).R)
			}
			rows = append(rows, row.String())
		}
		if got := strings.Join(rows, "/"); got != tc.want {
			t.Errorf("orientation %d: %s, want %s", tc.o, got, tc.want)
		}
	}
	// Scaling averages: a 4×4 image of 0 and 200 halves gives 100.
	half := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for y := range 4 {
		for x := range 4 {
			half.SetNRGBA(x, y, color.NRGBA{uint8(200 * (x % 2)), 0, 0, 255})
		}
	}
	if img := shrinkLogo(half, 1, 2); img.Bounds().Dx() != 2 || img.NRGBAAt(0, 0).R != 100 {
		t.Errorf("shrink to 2 px: %v, first pixel %v", img.Bounds(), img.NRGBAAt(0, 0))
	}
}

func TestRenderBadLogo(t *testing.T) {
	c := richDossier()
	for name, data := range map[string][]byte{
		"text":      []byte("not an image"),
		"truncated": {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13},
		"gif":       []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
	} {
		opt := richDossierOptions(c)
		opt.Logo = data
		var buf bytes.Buffer
		if _, err := Render(&buf, c, renderCall(t), opt); err != nil {
			t.Errorf("%s: %v (a bad logo is left out, not an error)", name, err)
		}
		if bytes.Contains(buf.Bytes(), []byte("/Subtype /Image")) {
			t.Errorf("%s: an image was embedded", name)
		}
	}
}

// TestRenderLongContents makes a table of contents of three pages: a call
// asking each item several times, and many annexes. Page numbers, links and
// outline must account for the extra contents pages.
func TestRenderLongContents(t *testing.T) {
	call := *renderCall(t)
	var secs []model.Section
	for range 4 {
		secs = append(secs, call.Sections...)
	}
	call.Sections = secs
	c := richDossier()
	opt := richDossierOptions(c)
	for i := range 30 {
		opt.Annexes = append(opt.Annexes, Annexe{Title: fmt.Sprintf("Lettre de soutien numéro %d", i+4), Kind: "Lettre de soutien", File: fmt.Sprintf("lettre-%02d.pdf", i+4), Pages: 1 + i%2})
	}
	var buf bytes.Buffer
	lay, err := Render(&buf, c, &call, opt)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPageTexts(t, buf.Bytes())
	// The contents run from page 3 to the page before section 1.
	first := 0
	for _, e := range lay.Outline {
		if strings.HasPrefix(plainSpaces(e.Title), "1. ") {
			first = e.Page
			break
		}
	}
	if first < 5 {
		t.Fatalf("section 1 on page %d: the contents do not span several pages", first)
	}
	contents := readingText(pages[2 : first-1])
	want := 0
	for _, e := range lay.Outline {
		if e.Page > lay.Pages {
			want++
			continue
		}
		// Each dossier entry is on the page the contents and outline give.
		if !strings.Contains(readingText(pages[e.Page-1:e.Page]), plainSpaces(e.Title)) {
			t.Errorf("%q not on page %d", e.Title, e.Page)
		}
	}
	if want != 1+len(opt.Annexes) {
		t.Errorf("%d annex entries in the outline, want %d", want, 1+len(opt.Annexes))
	}
	// The contents read the same pages (pdftotext joins title and number).
	for _, e := range lay.Outline {
		if !strings.Contains(contents, plainSpaces(e.Title)+" "+strconv.Itoa(e.Page)) {
			t.Errorf("contents: %q … %d missing", e.Title, e.Page)
		}
	}
	last := opt.Annexes[len(opt.Annexes)-1]
	if got := lay.Pages + totalPages(opt.Annexes); lay.Total != got || !strings.Contains(pages[len(pages)-1], fmt.Sprintf("/ %d", got)) {
		t.Errorf("total %d, want %d (last annex %q)", lay.Total, got, last.Title)
	}
}

func totalPages(as []Annexe) int {
	n := 0
	for _, a := range as {
		n += a.Pages
	}
	return n
}

// oddCandidature puts s in every text field and n in every number.
func oddCandidature(s string, n int64, x float64) *model.Candidature {
	c := richDossier()
	col := &c.Collectivite
	col.Nom, col.Type, col.Adresse, col.SiteWeb, col.Presentation, col.ContactNom, col.EluNom = s, s, s, s, s, s, s
	col.Population = n
	c.Partenaires = append(c.Partenaires, model.Partenaire{Nom: s, Type: s, Role: s, Apport: s})
	c.Motivations.Pourquoi = s
	c.Evenement.Commentaire = s
	c.Lieux = append(c.Lieux, model.Lieu{Nom: s, Adresse: s, Capacite: n, Pleniere: n, Salles: n, PlacesAteliers: n, Cout: n, PrisEnCharge: s})
	c.Moments = append(c.Moments, model.Moment{Date: civilDay(2025, time.October, 2), Heure: s, Intitule: s, Lieu: s})
	c.Equipe = append(c.Equipe, model.Poste{Service: s, Role: s, ETP: x, Personnes: n, Periode: s})
	c.Budget = append(c.Budget,
		model.LigneBudget{Sens: model.Charge, Categorie: s, Libelle: s, Montant: n},
		model.LigneBudget{Sens: model.Produit, Categorie: s, Libelle: s, Financeur: s, Statut: s, Montant: n})
	c.Initiatives = append(c.Initiatives, model.Initiative{Intitule: s, Type: s, Description: s, Depuis: s, Porteur: s, Lien: s})
	c.NECLocaux = append(c.NECLocaux, model.NECLocal{Annee: n, Lieu: s, Participants: n, Bilan: s})
	c.Thematiques = append(c.Thematiques, model.Thematique{Theme: s, Enjeux: s, Initiatives: s})
	return c
}

var oddTexts = []string{
	"",
	"   \n\n\t  ",
	"emoji 🎉🚀 et symboles ✓ ✗ ★ → ≥",
	"contrôle \x00\x01\x07\x1b[31m rouge \x7f fin\r\nligne\rsuite",
	"invalide \xff\xfe utf-8 \xc3",
	"\u202eà l’envers\u202c, zéro\u200blargeur, \ufeffBOM, \uffff, \U00010000",
	"العربية עברית 中文 日本語 한국어",
	strings.Repeat("ABCDEFGHIJ", 5000),
	strings.Repeat("a ", 20000),
	strings.Repeat("\n", 3000),
	"(parenthèses) \\ barre ) ( et %PDF-1.4 endstream endobj",
}

var oddNumbers = []struct {
	n int64
	x float64
}{
	{0, 0}, {-1, -1}, {1 << 62, 1e300}, {-(1 << 62), math.Inf(1)}, {math.MaxInt64, math.NaN()}, {math.MinInt64, math.Inf(-1)},
}

func TestRenderOddInput(t *testing.T) {
	call := renderCall(t)
	for i, s := range oddTexts {
		c := oddCandidature(s, 12, 1)
		var buf bytes.Buffer
		if _, err := Render(&buf, c, call, richDossierOptions(c)); err != nil {
			t.Errorf("text %d: %v", i, err)
			continue
		}
		if len(s) < 1000 { // the long texts are checked by TestRenderNothingOverflows, faster
			checkInsideTextBlock(t, pdfWords(t, buf.Bytes()))
		}
	}
	for _, num := range oddNumbers {
		c := oddCandidature("texte", num.n, num.x)
		if _, err := Render(io.Discard, c, call, richDossierOptions(c)); err != nil {
			t.Errorf("number %d, %g: %v", num.n, num.x, err)
		}
	}
	if _, err := Render(io.Discard, nil, call, Options{}); err == nil {
		t.Error("no candidature: no error")
	}
	if _, err := Render(io.Discard, richDossier(), nil, Options{}); err == nil {
		t.Error("no call: no error")
	}
	if _, err := Render(io.Discard, richDossier(), call, Options{Fonts: os.DirFS(t.TempDir())}); err == nil || !strings.Contains(err.Error(), "police") {
		t.Errorf("fonts missing: %v", err)
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range oddTexts[:7] {
		f.Add(s, int64(12500), 1.5)
	}
	f.Add("https://example.org/"+strings.Repeat("x", 300), int64(-3), -0.5)
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, n int64, x float64) {
		c := oddCandidature(s, n, x)
		if _, err := Render(io.Discard, c, call, richDossierOptions(c)); err != nil {
			t.Fatal(err)
		}
	})
}

func ExampleRender() {
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := richDossier()
	var pdf bytes.Buffer
	lay, err := Render(&pdf, c, call, Options{
		Fonts:   fonts.FS,
		Created: time.Date(2024, time.July, 10, 9, 30, 0, 0, time.UTC),
		Annexes: richDossierAnnexes(c), // 2, 1 and 3 pages
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d pages, %d with the annexes\n", lay.Pages, lay.Total)
	for _, e := range lay.Outline {
		if e.Level == 0 {
			fmt.Printf("%s, page %d\n", e.Title, e.Page)
		}
	}
	// Output:
	// 14 pages, 20 with the annexes
	// Synthèse, page 2
	// 1. La collectivité candidate et ses partenaires, page 4
	// 2. Motivations pour organiser le NEC national 2025, page 6
	// 3. Lieux et dates de l’événement, page 7
	// 4. Moyens humains et financiers mobilisables, page 9
	// 5. Initiatives, partenariats et politiques publiques ; bilan des NEC locaux, page 12
	// 6. Thématiques et initiatives à mettre en avant en 2025, page 13
	// 7. Documents à l’appui de la candidature, page 14
	// Annexes, page 15
}

func testRenderer(t *testing.T) *renderer {
	t.Helper()
	r, err := newRenderer(richDossier(), renderCall(t), Options{Created: renderCreated})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWrap(t *testing.T) {
	r := testRenderer(t)
	for _, tc := range []struct {
		name, in string
		w        float64
		want     []string
	}{
		{"fits", "Numérique en Commun[s]", 100, []string{"Numérique en Commun[s]"}},
		{"hard breaks kept", "ligne un\nligne deux\n\nligne quatre", 100, []string{"ligne un", "ligne deux", "", "ligne quatre"}},
		{"breaks at spaces", "un deux trois quatre", 14, []string{"un deux", "trois", "quatre"}},
		{"no-break space holds", "montant de 12" + french.NNBSP + "500" + french.NBSP + "€", 24, []string{"montant de", "12" + french.NNBSP + "500" + french.NBSP + "€"}},
		{"URL cut after separators", "https://exemple.fr/un/deux/trois/quatre/cinq/six", 30, nil},
		{"unit parts from its figure when too narrow", "540" + french.NBSP + "places", 10, []string{"540" + french.NBSP, "places"}},
		{"long word cut to fit", strings.Repeat("m", 30), 20, nil},
	} {
		got := r.wrap(tc.in, stBody, tc.w)
		if tc.want != nil && !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
		if strings.HasPrefix(tc.in, "https://") {
			for _, l := range got[:len(got)-1] {
				if !strings.ContainsAny(l[len(l)-1:], "/.") {
					t.Errorf("%s: %q not cut after a slash or a dot", tc.name, got)
				}
			}
			if len(got) < 2 {
				t.Errorf("%s: not cut: %q", tc.name, got)
			}
		}
		if strings.Join(strings.Fields(strings.Join(got, " ")), "") != strings.Join(strings.Fields(tc.in), "") {
			t.Errorf("%s: text changed: %q", tc.name, got)
		}
		for _, l := range got {
			if w := r.width(l, stBody); w > tc.w+0.001 {
				t.Errorf("%s: %q is %.1f mm wide, room %.1f", tc.name, l, w, tc.w)
			}
		}
	}
}

// TestKeepWithNext slides a heading down the page, one line at a time:
// it must never end a page, whatever precedes it.
func TestKeepWithNext(t *testing.T) {
	for n := 30; n < 52; n++ {
		r := testRenderer(t)
		filler := strings.TrimSpace(strings.Repeat("ligne\n", n))
		r.paginate([]docBlock{
			docPara{text: filler, st: stBody},
			docHeading{level: 2, number: "1.1", text: "Intertitre", anchor: "h"},
			docPara{text: "Premier paragraphe sous l’intertitre.\nSuite.\nFin.", st: stBody},
		})
		var headPage, nextPage int
		for p, pg := range r.pages {
			for i, pl := range pg {
				if pl.f.anchor == "h" {
					headPage = p
					if i+1 < len(pg) {
						nextPage = p
					} else {
						nextPage = p + 1
					}
				}
			}
		}
		if headPage != nextPage {
			t.Errorf("%d lines before: heading alone at the bottom of page %d", n, headPage+1)
		}
		for p, pg := range r.pages {
			for _, pl := range pg {
				if pl.y < bodyTop-0.01 || pl.y+pl.f.h > bodyBot+0.01 {
					t.Errorf("%d lines before: fragment at %.1f–%.1f mm on page %d, outside the text block", n, pl.y, pl.y+pl.f.h, p+1)
				}
			}
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disque plein") }

func TestRenderWriteError(t *testing.T) {
	c := richDossier()
	_, err := Render(failingWriter{}, c, renderCall(t), richDossierOptions(c))
	if err == nil || !strings.Contains(err.Error(), "disque plein") {
		t.Errorf("error %v, want the writer's", err)
	}
}

// TestRenderSynthesisOnePage fills the synthesis as a long real case would:
// a long name, every criterion with a two-line detail, more findings than
// are shown. It still takes one page.
func TestRenderSynthesisOnePage(t *testing.T) {
	c := richDossier()
	c.Collectivite.Nom = "Communauté urbaine des Rives-de-l’Ardon et des Coteaux-du-Val-de-Lorière (fictive)"
	opt := richDossierOptions(c)
	for i := range opt.Criteria {
		opt.Criteria[i].Detail += " ; précision supplémentaire donnée par la vérification du classeur"
	}
	for i := range 12 {
		opt.Findings = append(opt.Findings, model.Finding{Severity: model.Avertissement, Sheet: "Budget", Cell: fmt.Sprintf("D%d", i+4),
			Message: "la ligne de cofinancement n’indique pas si le montant est acquis ou sollicité, à préciser avant l’envoi"})
	}
	pdf, lay := renderPDF(t, c, opt)
	if dir := os.Getenv("RENDER_OUT"); dir != "" { // to look at it
		os.WriteFile(filepath.Join(dir, "synthesis.pdf"), pdf, 0o644)
	}
	want := map[string]int{"Synthèse": 2, "1.\u00a0" + renderCall(t).Sections[0].Title: 4}
	for _, e := range lay.Outline {
		if p, ok := want[e.Title]; ok && p != e.Page {
			t.Errorf("%q on page %d, want %d: the synthesis does not fit on one page", e.Title, e.Page, p)
		}
	}
}

func TestParagraphBlocks(t *testing.T) {
	got := paragraphBlocks("Intro :\n- un\n– deux\n• trois\nSuite.\n\n* seul\n\n-pas une puce\n- ")
	want := []docBlock{
		docPara{text: french.Typo("Intro :"), st: stBody, gap: 2.6},
		docList{items: []string{"un", "deux", "trois"}},
		docPara{text: "Suite.", st: stBody, gap: 2.6},
		docList{items: []string{"seul"}},
		docPara{text: "-pas une puce\n-", st: stBody, gap: 2.6},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	if got := paragraphBlocks("  \n "); len(got) != 1 || got[0].(docPara).text != "" {
		t.Errorf("blank text: %#v, want one empty paragraph (« Non renseigné »)", got)
	}
}

// TestFigureAlt checks every figure says in words what it shows, in French
// typography: the text a screen reader will read once the PDF is tagged.
func TestFigureAlt(t *testing.T) {
	c := richDossier()
	opt := richDossierOptions(c)
	figures := 0
	for _, b := range buildDocument(c, renderCall(t), &opt, false, maxPoints) {
		f, ok := b.(docFigure)
		if !ok {
			continue
		}
		figures++
		if len(f.alt) < 40 || strings.Contains(f.alt, " :") || strings.Contains(f.alt, " ;") {
			t.Errorf("%s: alternative %q", f.title, f.alt)
		}
	}
	if figures != 4 {
		t.Errorf("%d figures, want the timeline, capacity, charges and funding", figures)
	}
	tl := newTimeline(c, renderCall(t))
	for _, want := range []string{"Journée communautaire", "mercredi 1ᵉʳ octobre 2025", "Plénière d’ouverture institutionnelle"} {
		if !strings.Contains(tl.alt(), want) {
			t.Errorf("timeline alternative lacks %q: %s", want, tl.alt())
		}
	}
}

// TestRenderConcurrent renders in parallel, as batch does: same bytes as
// one at a time (run with -race to check for shared state).
func TestRenderConcurrent(t *testing.T) {
	c := richDossier()
	opt := richDossierOptions(c)
	call := renderCall(t)
	want, _ := renderPDF(t, c, opt)
	results := make(chan []byte, 4)
	for range 4 {
		go func() {
			var buf bytes.Buffer
			if _, err := Render(&buf, c, call, opt); err != nil {
				t.Error(err)
			}
			results <- buf.Bytes()
		}()
	}
	for range 4 {
		if got := <-results; !bytes.Equal(got, want) {
			t.Error("a parallel rendering differs")
		}
	}
}

// TestRenderContentsLinks follows the contents' internal links: each
// leads to the page its entry names.
func TestRenderContentsLinks(t *testing.T) {
	c := richDossier()
	pdf, lay := renderPDF(t, c, richDossierOptions(c))
	obj := func(n string) []byte { // the text of object n (uncompressed dictionaries)
		at := bytes.Index(pdf, []byte("\n"+n+" 0 obj\n"))
		if at < 0 {
			t.Fatalf("object %s missing", n)
		}
		end := bytes.Index(pdf[at:], []byte("endobj"))
		return pdf[at : at+end]
	}
	kids := regexp.MustCompile(`/Type /Pages\n/Kids \[([^\]]*)\]`).FindSubmatch(pdf)
	if kids == nil {
		t.Fatal("no page tree")
	}
	page := map[string]int{}
	for i, ref := range regexp.MustCompile(`(\d+) 0 R`).FindAllSubmatch(kids[1], -1) {
		page[string(ref[1])] = i + 1
	}
	// Dossier entries of the outline, in order, as the contents list them.
	var want []int
	for _, e := range lay.Outline {
		if e.Page <= lay.Pages {
			want = append(want, e.Page)
		}
	}
	// fpdf writes the links inline in the page's /Annots (letters.Finish
	// makes them objects of their own); links to annexes are added by the
	// merge stage.
	var got []int
	for ref, p := range page {
		if p != 3 { // the contents page
			continue
		}
		o := obj(ref)
		if !bytes.Contains(o, []byte("/Annots [")) {
			t.Fatal("no links on the contents page")
		}
		for _, dest := range regexp.MustCompile(`/Dest \[(\d+) 0 R`).FindAllSubmatch(o, -1) {
			got = append(got, page[string(dest[1])])
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("contents links lead to pages %v, want %v", got, want)
	}
}

// wrappedTitle matches a contents entry's title, which may wrap onto
// several lines: its words, separated by any white space.
func wrappedTitle(title string) string {
	words := strings.Fields(plainSpaces(title))
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, `\s+`)
}

// TestRenderInitiativeKeptTogether: whatever the length of the texts, no
// page starts with the link line of an initiative begun on the page before.
// The first description grows line by line, so that every initiative's end
// meets a page break in one of the renderings.
func TestRenderInitiativeKeptTogether(t *testing.T) {
	const sentence = "Une phrase de description assez longue pour occuper une ligne entière du dossier. "
	for shift := range 14 {
		c := richDossier()
		base := c.Initiatives[0]
		c.Initiatives = nil
		for i := range 12 {
			in := base
			in.Intitule = fmt.Sprintf("Initiative n° %d", i+1)
			in.Description = strings.Repeat(sentence, 2+i%3)
			if i == 0 {
				in.Description = strings.Repeat(sentence, 1+shift)
			}
			c.Initiatives = append(c.Initiatives, in)
		}
		pdf, _ := renderPDF(t, c, richDossierOptions(c))
		for n, page := range pdfPageTexts(t, pdf) {
			var lines []string
			for _, l := range strings.Split(page, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
			// The running header, then the page's first content.
			if len(lines) > 1 && strings.HasPrefix(lines[1], "Lien") {
				t.Errorf("shift %d, page %d starts with an initiative's link line, alone: %q", shift, n+1, lines[1])
			}
		}
	}
}

// TestRenderTypographyGolden puts in the workbook's cells what people type
// — numbers with ordinary spaces, « 12 500€ », « 19h30 », « 1er », straight
// apostrophes, a URL, an e-mail address and a file name with apostrophes —
// and keeps, in testdata/render/typo.txt, the lines of the dossier that
// show each rule of French typography once drawn. pdftotext writes no-break
// spaces as spaces: the golden file marks them, "_" for NBSP and "·" for
// NNBSP, from the layout's own lines.
func TestRenderTypographyGolden(t *testing.T) {
	c := richDossier()
	c.Collectivite.Presentation = "Le territoire compte 184 300 habitants ; la médiathèque reçoit 1 800 passages par an.\n" +
		"Un budget de 12 500€, soit 40% des produits, voté le 1er mars pour la 2e édition et la 3ème année.\n" +
		"Rendez-vous à 19h, puis à 19h30 : l'accueil d'aujourd'hui est ouvert ! Vraiment ? \"Oui\".\n" +
		"Voir https://exemple.fr/l'appel-1er?a=1 ou ecrire.a.l'agglo@val.example et lettre_d'appui.pdf."
	c.Moments[0].Heure = "19h30"
	c.Initiatives[0].Lien = "https://exemple.fr/d'abord"
	opt := richDossierOptions(c)
	opt.Annexes = opt.Annexes[:1]
	r, err := newRenderer(c, renderCall(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	r.keepDrawn = true
	r.layOut()
	marks := strings.NewReplacer(french.NBSP, "_", french.NNBSP, "·")
	var b strings.Builder
	seen := map[string]bool{}
	for _, l := range r.drawn {
		for _, key := range []string{"habitants", "passages", "ᵉ", "19" + french.NBSP + "h", "Vraiment", "https://", "pièce", "@"} {
			if strings.Contains(l, key) && !seen[l] {
				seen[l] = true
				b.WriteString(marks.Replace(l) + "\n")
			}
		}
	}
	goldenRender(t, "typo.txt", b.String())
}
