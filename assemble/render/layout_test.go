package render

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"necdossier/assemble/model"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLayoutRules lays out many generated dossiers — 0 to 60 rows per table,
// texts from empty to 5 000 characters, long unbroken words, accents and
// ligatures — and checks the layout the engine decided against every rule
// of the page (see paginate). A failure names the seed, which rebuilds the
// dossier: go test -run TestLayoutRules -layoutseed=N -layouts=1.
var (
	layoutCount = flag.Int("layouts", 200, "generated dossiers laid out by TestLayoutRules")
	layoutSeed  = flag.Uint64("layoutseed", 1, "first seed of TestLayoutRules")
)

func TestLayoutRules(t *testing.T) {
	n := *layoutCount
	if testing.Short() {
		n = min(n, 40)
	}
	call := renderCall(t)
	seeds := make(chan uint64)
	var mu sync.Mutex
	failed := 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for seed := range seeds {
				c, opt := generatedDossier(seed)
				problems := layoutProblems(c, call, opt)
				if len(problems) == 0 {
					continue
				}
				mu.Lock()
				failed++
				if failed <= 8 {
					if len(problems) > 6 {
						problems = append(problems[:6], fmt.Sprintf("… et %d autres", len(problems)-6))
					}
					t.Errorf("dossier généré %d (%s) :\n\t%s", seed, describeDossier(c), strings.Join(problems, "\n\t"))
				}
				mu.Unlock()
			}
		})
	}
	for i := range uint64(n) {
		seeds <- *layoutSeed + i
	}
	close(seeds)
	wg.Wait()
	if failed > 0 {
		t.Logf("%d dossiers sur %d enfreignent une règle de la page", failed, n)
	}
}

// layoutProblems lays c out and lists every broken rule of the page.
func layoutProblems(c *model.Candidature, call *model.Call, opt Options) (problems []string) {
	defer func() {
		if p := recover(); p != nil {
			problems = append(problems, fmt.Sprintf("panique : %v", p))
		}
	}()
	r, err := newRenderer(c, call, opt)
	if err != nil {
		return []string{err.Error()}
	}
	r.layOut()
	return r.pageRuleProblems()
}

// pageRuleProblems checks the layout against the rules of the page.
func (r *renderer) pageRuleProblems() []string {
	var out []string
	bad := func(page int, format string, args ...any) {
		out = append(out, fmt.Sprintf("page %d : ", page)+fmt.Sprintf(format, args...))
	}
	pageOf := map[*frag]int{}
	split := map[*frag]bool{} // a piece of a row whose next piece follows
	for i, f := range r.frags {
		split[f] = i+1 < len(r.frags) && r.frags[i+1].cont
	}
	lines := map[int]map[int]int{} // group of lines → page → lines there
	for p, pg := range r.pages {
		page := p + 1
		only := true
		for i, pl := range pg {
			f := pl.f
			if !pl.repeated {
				pageOf[f] = page
				only = false
			}
			if pl.y < bodyTop-0.01 || pl.y+f.h > bodyBot+0.01 {
				bad(page, "%s placé de %.1f à %.1f mm, hors de la zone de texte", f.kind, pl.y, pl.y+f.h)
			}
			next, cont := fragKind(-1), false // what follows on the page; a piece of the same row?
			if i+1 < len(pg) {
				next, cont = pg[i+1].f.kind, pg[i+1].f.cont
			}
			switch f.kind {
			case kindTableHead:
				if next != kindRow && next != kindGroup && !cont {
					bad(page, "en-tête de tableau sans ligne après lui")
				}
			case kindGroup:
				if !split[f] && next != kindRow && !cont {
					bad(page, "catégorie sans ligne après elle")
				}
			case kindTotal:
				if !f.cont && (i == 0 || pg[i-1].repeated) {
					bad(page, "total seul en haut de page")
				}
			}
			if f.lines > 0 {
				if lines[f.lines] == nil {
					lines[f.lines] = map[int]int{}
				}
				lines[f.lines][page]++
			}
		}
		if only && len(pg) > 0 {
			bad(page, "la page ne porte qu’un en-tête de tableau répété")
		}
	}
	for _, byPage := range lines {
		if len(byPage) < 2 {
			continue
		}
		for page, n := range byPage {
			if n < 2 {
				bad(page, "ligne isolée d’un paragraphe (veuve ou orpheline)")
			}
		}
	}
	// A heading keeps the next two lines or rows (and a heading after it).
	for i, f := range r.frags {
		if f.kind != kindHeading {
			continue
		}
		units := 0
		for _, g := range r.frags[i+1:] {
			if g.newPage || units >= 2 || g.kind == kindHeading && units > 0 {
				break
			}
			if pageOf[g] != pageOf[f] {
				bad(pageOf[f], "titre en bas de page, séparé de ce qui le suit")
				break
			}
			if g.kind == kindHeading {
				break
			}
			units += g.units
		}
	}
	for _, o := range r.overflows {
		bad(o.page, "texte de %.1f mm dans %.1f mm : %q", o.width, o.room, shorten(o.text, 60))
	}
	return out
}

func shorten(s string, n int) string {
	if rs := []rune(s); len(rs) > n {
		return string(rs[:n]) + "…"
	}
	return s
}

// describeDossier sums a generated dossier up for a failure message.
func describeDossier(c *model.Candidature) string {
	long := 0
	for _, s := range []string{c.Collectivite.Nom, c.Collectivite.Presentation, c.Motivations.Pourquoi, c.Motivations.Ambition} {
		long = max(long, len([]rune(s)))
	}
	return fmt.Sprintf("%d partenaires, %d lieux, %d temps officiels, %d postes, %d lignes de budget, %d initiatives, %d NEC locaux, %d thématiques, %d annexes, texte le plus long %d caractères",
		len(c.Partenaires), len(c.Lieux), len(c.Moments), len(c.Equipe), len(c.Budget), len(c.Initiatives), len(c.NECLocaux), len(c.Thematiques), len(c.Annexes), long)
}

// textGen makes the texts of a generated dossier.
type textGen struct{ rnd *rand.Rand }

var genWords = strings.Fields(`le la les des un une et à de du pour avec sur dans numérique inclusion
	médiation accès droits territoire collectivité habitants élus agents associations réseau ateliers
	œuvre cœur sœur Lætitia ﬁnancement eﬃcace Œhlmann Éléonore Ærø ÉTÉ à-côté aujourd'hui l'État d'Arles
	« citation » "guillemets" 12 500 1 800 passages 184 300 habitants 19h 19h30 1er 2e 3ème 40% 12 500€
	: ; ! ? … – (parenthèse) [crochets] n° 3,5 ETP 2025 2026 Saint-Étienne-du-Rouvray`)

var genLongWords = []string{
	"https://www.exemple-de-collectivite.fr/politiques-publiques/inclusion-numerique/rapport-annuel-2024-version-definitive.pdf",
	"lettre_de_soutien_region_val_d_ormance_signee_par_la_presidente_2024-07-02_v3_definitif.pdf",
	"contact.direction-du-numerique-et-des-systemes-d-information@agglomeration-du-val-de-loriere.fr",
	strings.Repeat("Anticonstitutionnellement", 12),
	"Établissement-public-de-coopération-intercommunale-des-Coteaux-du-Val-de-Lorière-et-des-Rives-de-l’Ardon",
}

// text returns a text of about n characters.
func (g textGen) text(n int) string {
	var b strings.Builder
	for b.Len() < n {
		switch k := g.rnd.IntN(100); {
		case k < 2:
			b.WriteString(genLongWords[g.rnd.IntN(len(genLongWords))])
		case k < 5:
			b.WriteString("\n")
		case k < 6:
			b.WriteString("\n\n")
		case k < 7:
			b.WriteString("\n- ")
		default:
			b.WriteString(genWords[g.rnd.IntN(len(genWords))])
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// size draws a text length: often empty or short, sometimes up to 5 000.
func (g textGen) size(short bool) string {
	switch k := g.rnd.IntN(20); {
	case k < 3:
		return ""
	case k < 12 || short && k < 18:
		return g.text(1 + g.rnd.IntN(40))
	case k < 18:
		return g.text(100 + g.rnd.IntN(900))
	default:
		return g.text(1000 + g.rnd.IntN(4000))
	}
}

// rows draws a number of rows: 0 to 60, most often a few.
func (g textGen) rows() int {
	switch k := g.rnd.IntN(10); {
	case k < 2:
		return 0
	case k < 7:
		return 1 + g.rnd.IntN(6)
	case k < 9:
		return 7 + g.rnd.IntN(20)
	default:
		return 27 + g.rnd.IntN(34)
	}
}

func (g textGen) amount() int64 { return int64(g.rnd.IntN(10_000_000)) * 100 }

// generatedDossier builds the dossier of a seed; the same seed gives the
// same dossier.
func generatedDossier(seed uint64) (*model.Candidature, Options) {
	g := textGen{rand.New(rand.NewPCG(seed, 0x6e6563))}
	day := func() time.Time {
		if g.rnd.IntN(8) == 0 {
			return time.Time{}
		}
		return civilDay(2025, time.Month(9+g.rnd.IntN(2)), 1+g.rnd.IntN(30))
	}
	c := &model.Candidature{}
	col := &c.Collectivite
	col.Nom, col.Type, col.Adresse, col.Ville = g.size(true), g.size(true), g.size(true), g.size(true)
	col.Population = int64(g.rnd.IntN(3_000_000))
	col.SiteWeb, col.ContactEmail = g.size(true), g.size(true)
	col.Presentation = g.size(false)
	col.ContactNom, col.ContactFonction, col.EluNom, col.EluFonction = g.size(true), g.size(true), g.size(true), g.size(true)
	col.Charte = g.rnd.IntN(2) == 0
	for range g.rows() {
		c.Partenaires = append(c.Partenaires, model.Partenaire{Nom: g.size(true), Type: g.size(true), Role: g.size(false), Apport: g.size(false)})
	}
	c.Motivations = model.Motivations{Pourquoi: g.size(false), Ambition: g.size(false), Heritage: g.size(false), Publics: g.size(false)}
	c.Evenement = model.Evenement{JourneeCommunautaire: day(), Jour1: day(), Jour2: day(), Commentaire: g.size(true)}
	for range g.rows() {
		c.Lieux = append(c.Lieux, model.Lieu{Nom: g.size(true), Adresse: g.size(true), Capacite: int64(g.rnd.IntN(5000)),
			Pleniere: int64(g.rnd.IntN(2000)), Salles: int64(g.rnd.IntN(30)), PlacesAteliers: int64(g.rnd.IntN(900)),
			Accessible: g.rnd.IntN(2) == 0, Cout: g.amount(), PrisEnCharge: g.size(true)})
	}
	for range g.rows() {
		c.Moments = append(c.Moments, model.Moment{Date: day(), Heure: g.size(true), Intitule: g.size(true), Lieu: g.size(true)})
	}
	for range g.rows() {
		c.Equipe = append(c.Equipe, model.Poste{Service: g.size(true), Role: g.size(false), ETP: float64(g.rnd.IntN(50)) / 10,
			Personnes: int64(g.rnd.IntN(40)), Periode: g.size(true)})
	}
	cats := []string{"60 – Achats", "61 – Services extérieurs", "62 – Autres services extérieurs", "64 – Charges de personnel", "86 – Emplois des contributions volontaires en nature", g.size(true)}
	prods := []string{"74 – Subventions d’exploitation", "70 – Ventes", "87 – Contributions volontaires en nature", g.size(true)}
	for range 2 * g.rows() {
		l := model.LigneBudget{Sens: model.Charge, Categorie: cats[g.rnd.IntN(len(cats))], Libelle: g.size(true), Montant: g.amount()}
		if g.rnd.IntN(2) == 0 {
			l.Sens, l.Categorie = model.Produit, prods[g.rnd.IntN(len(prods))]
			l.Financeur, l.Statut = g.size(true), []string{"Acquis", "Sollicité", ""}[g.rnd.IntN(3)]
		}
		c.Budget = append(c.Budget, l)
	}
	for range g.rows() / 2 {
		c.Initiatives = append(c.Initiatives, model.Initiative{Intitule: g.size(true), Type: g.size(true), Description: g.size(false),
			Depuis: g.size(true), Porteur: g.size(true), Lien: g.size(true)})
	}
	for range g.rows() {
		c.NECLocaux = append(c.NECLocaux, model.NECLocal{Annee: int64(2015 + g.rnd.IntN(10)), Lieu: g.size(true), Participants: int64(g.rnd.IntN(2000)), Bilan: g.size(false)})
	}
	for range g.rows() / 2 {
		c.Thematiques = append(c.Thematiques, model.Thematique{Theme: g.size(true), Enjeux: g.size(false), Initiatives: g.size(false)})
	}
	opt := Options{Created: renderCreated, Fingerprint: strings.Repeat("ab", 32)}
	for range g.rows() {
		a := model.Annexe{Fichier: g.size(true), Titre: g.size(true), Signataire: g.size(true), Organisation: g.size(true), Type: g.size(true), Date: day()}
		c.Annexes = append(c.Annexes, a)
		opt.Annexes = append(opt.Annexes, Annexe{Title: a.Titre, Organisation: a.Organisation, Signataire: a.Signataire,
			Kind: a.Type, Date: a.Date, File: a.Fichier, Pages: g.rnd.IntN(4)})
	}
	for i := range g.rnd.IntN(12) {
		opt.Criteria = append(opt.Criteria, model.Criterion{ID: fmt.Sprint(i), Label: g.size(true), Status: model.Status(1 + g.rnd.IntN(3)), Detail: g.size(true)})
	}
	for range g.rnd.IntN(10) {
		opt.Findings = append(opt.Findings, model.Finding{Severity: model.Avertissement, Sheet: g.size(true), Message: g.size(true)})
	}
	return c, opt
}
