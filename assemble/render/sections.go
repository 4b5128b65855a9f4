package render

// The dossier's blocks: one numbered section per item of the call, built
// by docBuilder from the candidature, and the list of annexes.

import (
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"strconv"
	"strings"
	"time"
)

// buildDocument builds the dossier's blocks: cover, synthesis, contents,
// then one numbered section per item of the call, in the call's order.
//
// maxPoints caps the findings listed on the synthesis page.
func buildDocument(c *model.Candidature, call *model.Call, opt *Options, logo bool, maxPoints int) []docBlock {
	return documentAfter(frontBlocks(c, call, opt, logo, maxPoints))
}

// documentAfter completes the front pages d (frontBlocks) into the whole
// document: contents and sections.
func documentAfter(d *docBuilder) []docBlock {
	call, opt := d.call, d.opt
	toc := &docContents{}
	d.add(toc)
	for i, s := range call.Sections {
		d.add(docPageBreak{})
		d.section(i+1, s)
	}
	// The contents list what the sections produced, in order.
	for _, b := range d.blocks {
		if h, ok := b.(docHeading); ok && h.anchor != "" {
			toc.entries = append(toc.entries, docContentsEntry{level: h.level, title: h.title(), anchor: h.anchor})
		}
	}
	if anyAnnexPages(opt.Annexes) {
		toc.entries = append(toc.entries, docContentsEntry{level: 1, title: "Annexes", annex: firstAnnexWithPages(opt.Annexes)})
		for i, a := range opt.Annexes {
			if a.Pages > 0 {
				toc.entries = append(toc.entries, docContentsEntry{level: 2, title: annexBookmark(i, a), annex: i})
			}
		}
	}
	return d.blocks
}

func totalAnnexPages(as []Annexe) int {
	n := 0
	for _, a := range as {
		n += max(a.Pages, 0)
	}
	return n
}

func anyAnnexPages(as []Annexe) bool { return firstAnnexWithPages(as) >= 0 }

func firstAnnexWithPages(as []Annexe) int {
	for i, a := range as {
		if a.Pages > 0 {
			return i
		}
	}
	return -1
}

// docBuilder collects the blocks of the dossier.
type docBuilder struct {
	c         *model.Candidature
	call      *model.Call
	opt       *Options
	blocks    []docBlock
	sub       int // subsection counter within the current section
	maxPoints int // findings listed on the synthesis page
	num       int // current section number
}

func (d *docBuilder) add(b ...docBlock) { d.blocks = append(d.blocks, b...) }

// h2 adds a numbered subsection heading, listed in the contents.
func (d *docBuilder) h2(text string) {
	d.sub++
	n := strconv.Itoa(d.num) + "." + strconv.Itoa(d.sub)
	d.add(docHeading{level: 2, number: n, text: text, anchor: "s" + n})
}

// h3 adds an item heading, not listed.
func (d *docBuilder) h3(text string) {
	if strings.TrimSpace(text) == "" {
		text = emptyText
	}
	d.add(docHeading{level: 3, text: french.Typo(safeText(text))})
}

// sheetTitle returns the name of the i-th sheet feeding section s (the call's
// words for its subsections), or fallback.
func sheetTitle(s model.Section, i int, fallback string) string {
	if i < len(s.Sheets) && strings.TrimSpace(s.Sheets[i]) != "" {
		return s.Sheets[i]
	}
	return fallback
}

// section adds section n, from the call's item s.
func (d *docBuilder) section(n int, s model.Section) {
	d.num, d.sub = n, 0
	d.add(docHeading{level: 1, number: strconv.Itoa(n), text: french.Typo(safeText(s.Title)), help: french.Typo(safeText(s.Help)), anchor: "s" + strconv.Itoa(n)})
	switch s.ID {
	case "collectivite":
		d.collectivite(s)
	case "motivations":
		d.motivations()
	case "lieux-dates":
		d.lieuxDates(s)
	case "moyens":
		d.moyens(s)
	case "initiatives":
		d.initiatives(s)
	case "thematiques":
		d.thematiques()
	case "annexes":
		d.annexes()
	}
}

func (d *docBuilder) collectivite(s model.Section) {
	col := d.c.Collectivite
	d.h2(sheetTitle(s, 0, "Collectivité"))
	pop := ""
	if col.Population > 0 {
		pop = french.Number(col.Population) + french.NBSP + "habitants"
	}
	addr := joinNonEmpty("\n", orEmpty(col.Adresse), joinNonEmpty(" ", orEmpty(col.CodePostal), orEmpty(col.Ville)))
	charte := ""
	if col.Charte {
		charte = french.Typo("La collectivité s’engage à respecter " + safeText(d.call.Charter) + ".")
	}
	d.add(docKeyValues{pairs: []docPair{
		{"Nom", orEmpty(col.Nom), false},
		{"Type", orEmpty(col.Type), false},
		{"Population", pop, false},
		{"Adresse", addr, false},
		{"Site web", asTyped(col.SiteWeb), true},
		{"Contact", joinNonEmpty("\n", joinNonEmpty(", ", orEmpty(col.ContactNom), orEmpty(col.ContactFonction)), asTyped(col.ContactEmail), orEmpty(col.ContactTel)), false},
		{"Élu référent", joinNonEmpty("\n", joinNonEmpty(", ", orEmpty(col.EluNom), orEmpty(col.EluFonction)), asTyped(col.EluEmail)), false},
		{"Charte", charte, false},
	}})
	d.add(docHeading{level: 3, text: "Présentation et impact"})
	d.add(paragraphBlocks(col.Presentation)...)

	d.h2(sheetTitle(s, 1, "Partenaires"))
	t := docTable{cols: []docColumn{
		{title: "Partenaire", share: 0.25},
		{title: "Type", share: 0.16},
		{title: "Rôle dans l’événement", share: 0.25},
		{title: "Apport et impact", share: 0.34},
	}, statusCol: -1}
	for _, p := range d.c.Partenaires {
		t.rows = append(t.rows, docRow{cells: []string{orEmpty(p.Nom), orEmpty(p.Type), orEmpty(p.Role), orEmpty(p.Apport)}})
	}
	d.add(t)
}

func (d *docBuilder) motivations() {
	m := d.c.Motivations
	for _, p := range []struct{ title, text string }{
		{"Pourquoi accueillir l’événement", m.Pourquoi},
		{"Ambition", m.Ambition},
		{"Héritage pour le territoire", m.Heritage},
		{"Publics mobilisés", m.Publics},
	} {
		d.h2(p.title)
		d.add(paragraphBlocks(p.text)...)
	}
}

// longDate is « Jeudi 2 octobre 2025 », or "" for no date.
func longDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return french.Capitalize(french.LongDate(t))
}

func (d *docBuilder) lieuxDates(s model.Section) {
	e := d.c.Evenement
	d.h2("Calendrier")
	d.add(docKeyValues{pairs: []docPair{
		{"Journée communautaire", longDate(e.JourneeCommunautaire), false},
		{"Jour 1", longDate(e.Jour1), false},
		{"Jour 2", longDate(e.Jour2), false},
		{"Commentaire", orEmpty(e.Commentaire), true},
	}})
	if tl := newTimeline(d.c, d.call); tl != nil {
		d.add(docFigure{title: "Déroulé de l’événement", alt: tl.alt(), chart: tl})
	}

	d.h2("Lieux")
	t := docTable{cols: []docColumn{
		{title: "Lieu", share: 0.23},
		{title: "Capacité", share: 0.10, right: true},
		{title: "Plénière", share: 0.10, right: true},
		{title: "Ateliers", share: 0.13, right: true},
		{title: "Accès PMR", share: 0.09},
		{title: "Disponibilité", share: 0.14},
		{title: "Coût d’occupation", share: 0.21},
	}, statusCol: -1}
	for _, l := range d.c.Lieux {
		lieu := nonEmpty(orEmpty(l.Nom))
		if a := orEmpty(l.Adresse); a != "" {
			lieu += "\n" + a
		}
		ateliers := joinNonEmpty("\n", counted(l.Salles, l.At.Given("Salles"), "salle", "salles"), counted(l.PlacesAteliers, l.At.Given("PlacesAteliers"), "place", "places"))
		// A typed 0 is a free venue; a blank cell is not said.
		cout := ""
		switch {
		case l.Cout != 0:
			cout = french.Money(l.Cout)
		case l.At.Given("Cout"):
			cout = "gratuit"
		}
		if p := orEmpty(l.PrisEnCharge); p != "" {
			cout = joinNonEmpty("\n", cout, p)
		}
		t.rows = append(t.rows, docRow{cells: []string{lieu, given(l.Capacite, l.At.Given("Capacite")), given(l.Pleniere, l.At.Given("Pleniere")), ateliers, ouiNon(l.Accessible), confirmee(l.Disponibilite), cout}})
	}
	d.add(t)
	if cc := newCapacityChart(d.c, d.call); cc != nil {
		d.add(docFigure{title: "Capacité d’accueil et seuils de l’appel", alt: cc.alt(), chart: cc})
	}

	d.h2("Temps officiels")
	mt := docTable{cols: []docColumn{
		{title: "Date", share: 0.24},
		{title: "Heure", share: 0.11},
		{title: "Intitulé", share: 0.40},
		{title: "Lieu", share: 0.25},
	}, statusCol: -1}
	for _, m := range d.c.Moments {
		mt.rows = append(mt.rows, docRow{cells: []string{longDate(m.Date), orEmpty(m.Heure), orEmpty(m.Intitule), orEmpty(m.Lieu)}})
	}
	d.add(mt)
}

// given prints n when it is not 0 or when its cell was typed (a typed 0
// prints 0); "" reads « Non renseigné ».
func given(n int64, typed bool) string {
	if n == 0 && !typed {
		return ""
	}
	return french.Number(n)
}

// counted is given with its unit: « 12 salles », « 0 salle ».
func counted(n int64, typed bool, one, many string) string {
	if n == 0 && !typed {
		return ""
	}
	if n == 0 || n == 1 {
		return french.Number(n) + french.NBSP + one
	}
	return french.Number(n) + french.NBSP + many
}

func ouiNon(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

func confirmee(b bool) string {
	if b {
		return "confirmée"
	}
	return "à confirmer"
}

func (d *docBuilder) moyens(s model.Section) {
	d.h2(sheetTitle(s, 0, "Moyens humains"))
	t := docTable{cols: []docColumn{
		{title: "Service", share: 0.25},
		{title: "Rôle", share: 0.37},
		{title: "ETP", share: 0.1, right: true},
		{title: "Personnes", share: 0.12, right: true},
		{title: "Période", share: 0.16},
	}, statusCol: -1}
	f := model.FiguresOf(d.c, d.call)
	for _, p := range d.c.Equipe {
		etp := ""
		if p.ETP != 0 || p.At.Given("ETP") {
			etp = french.ETP(p.ETP)
		}
		t.rows = append(t.rows, docRow{cells: []string{orEmpty(p.Service), orEmpty(p.Role), etp, given(p.Personnes, p.At.Given("Personnes")), orEmpty(p.Periode)}})
	}
	if len(t.rows) > 0 {
		t.rows = append(t.rows, docRow{cells: []string{"Total", "", french.ETP(f.Etp), french.Number(f.People), ""}, kind: rowTotal})
	}
	d.add(t)

	d.h2(sheetTitle(s, 1, "Budget"))
	d.budget(f)
}

// budgetGroups groups the lines of one side by category, in the order the
// categories first appear.
func budgetGroups(lines []model.LigneBudget, sens model.Sens) (order []string, groups map[string][]model.LigneBudget) {
	groups = map[string][]model.LigneBudget{}
	for _, l := range lines {
		if l.Sens != sens {
			continue
		}
		k := strings.TrimSpace(l.Categorie)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], l)
	}
	return order, groups
}

func sumMontants(ls []model.LigneBudget) int64 {
	var n int64
	for _, l := range ls {
		n += l.Montant
	}
	return n
}

func (d *docBuilder) budget(f model.Figures) {
	d.add(docHeading{level: 3, text: "Charges"})
	ct := docTable{cols: []docColumn{
		{title: "Poste", share: 0.62},
		{title: "Montant", share: 0.22, right: true},
		{title: "Part", share: 0.16, right: true},
	}, statusCol: -1}
	order, groups := budgetGroups(d.c.Budget, model.Charge)
	for _, k := range order {
		st := sumMontants(groups[k])
		ct.rows = append(ct.rows, docRow{cells: []string{nonEmpty(orEmpty(k)), french.Money(st), shareText(st, f.Charges)}, kind: rowGroup})
		for _, l := range groups[k] {
			ct.rows = append(ct.rows, docRow{cells: []string{nonEmpty(orEmpty(l.Libelle)), french.Money(l.Montant), shareText(l.Montant, f.Charges)}, indent: true})
		}
	}
	if len(order) > 0 {
		ct.rows = append(ct.rows, docRow{cells: []string{"Total des charges", french.Money(f.Charges), shareText(f.Charges, f.Charges)}, kind: rowTotal})
	}
	d.add(ct)
	if ch := newChargesChart(d.c, d.call); ch != nil {
		d.add(docFigure{title: "Charges par catégorie", alt: ch.alt(), chart: ch})
	}

	d.add(docHeading{level: 3, text: "Produits"})
	pt := docTable{cols: []docColumn{
		{title: "Libellé", share: 0.36},
		{title: "Financeur", share: 0.26},
		{title: "Statut", share: 0.16},
		{title: "Montant", share: 0.22, right: true},
	}, statusCol: -1}
	order, groups = budgetGroups(d.c.Budget, model.Produit)
	for _, k := range order {
		pt.rows = append(pt.rows, docRow{cells: []string{nonEmpty(orEmpty(k)), "", "", french.Money(sumMontants(groups[k]))}, kind: rowGroup, span: true})
		for _, l := range groups[k] {
			statut := orEmpty(l.Statut)
			if l.EnNature() && statut == "" {
				statut = "en nature"
			}
			pt.rows = append(pt.rows, docRow{cells: []string{nonEmpty(orEmpty(l.Libelle)), nonEmpty(orEmpty(l.Financeur)), nonEmpty(statut), french.Money(l.Montant)}, indent: true})
		}
	}
	if len(order) > 0 {
		pt.rows = append(pt.rows, docRow{cells: []string{"Total des produits", "", "", french.Money(f.Produits)}, kind: rowTotal, span: true})
	}
	d.add(pt)
	d.add(docHeading{level: 3, text: "Équilibre et financement"})
	bt := docTable{cols: []docColumn{
		{title: "Poste", share: 0.62},
		{title: "Montant", share: 0.22, right: true},
		{title: "Part des produits", share: 0.16, right: true},
	}, statusCol: -1}
	bt.rows = []docRow{
		{cells: []string{"Total des charges", french.Money(f.Charges), "—"}},
		{cells: []string{"Total des produits", french.Money(f.Produits), shareText(f.Produits, f.Produits)}},
		{cells: []string{"Solde (produits − charges)", french.Money(f.Produits - f.Charges), "—"}, kind: rowEmphasis},
		{cells: []string{"Autofinancement de la collectivité", french.Money(f.OwnFunds), shareText(f.OwnFunds, f.Produits)}},
		{cells: []string{"Cofinancements extérieurs acquis", french.Money(f.ExternalAcquis), shareText(f.ExternalAcquis, f.Produits)}},
		{cells: []string{"Cofinancements extérieurs sollicités", french.Money(f.ExternalSollicite), shareText(f.ExternalSollicite, f.Produits)}},
	}
	if f.ExternalOther != 0 {
		bt.rows = append(bt.rows, docRow{cells: []string{"Cofinancements extérieurs sans statut précisé", french.Money(f.ExternalOther), shareText(f.ExternalOther, f.Produits)}})
	}
	bt.rows = append(bt.rows, docRow{cells: []string{"Contributions en nature (87), valorisées en charges (86) pour " + french.Money(f.EnNatureCharges), french.Money(f.EnNatureProduits), shareText(f.EnNatureProduits, f.Produits)}})
	funder := "l’agence"
	if d.call.Funder.Name != "" {
		funder = french.Typo(safeText(d.call.Funder.Name))
	}
	bt.rows = append(bt.rows, docRow{cells: []string{"Demandé à " + funder + ", compris ci-dessus", french.Money(f.Asked), shareText(f.Asked, f.Produits)}})
	if p, ok := f.ExternalShare(); ok {
		bt.rows = append(bt.rows, docRow{cells: []string{"Part acquise des cofinancements extérieurs", french.Percent(p), "—"}, kind: rowEmphasis})
	}
	if f.PerParticipant > 0 {
		bt.rows = append(bt.rows, docRow{cells: []string{"Budget par participant attendu (" + french.Number(f.Participants) + ")", french.Money(f.PerParticipant), "—"}})
	}
	d.add(bt)
	if fc := newFundingChart(d.c, d.call); fc != nil {
		d.add(docFigure{title: "Financements par financeur et par statut", alt: fc.alt(), chart: fc})
	}
}

func (d *docBuilder) initiatives(s model.Section) {
	d.h2(sheetTitle(s, 0, "Initiatives"))
	if len(d.c.Initiatives) == 0 {
		d.add(docPara{st: stBody})
	}
	for _, in := range d.c.Initiatives {
		d.h3(in.Intitule)
		meta := joinNonEmpty(" · ", orEmpty(in.Type), sinceOrEmpty(in.Depuis), porteurOrEmpty(in.Porteur))
		if meta != "" {
			d.add(docPara{text: meta, st: stHelp})
		}
		desc := paragraphBlocks(in.Description)
		if p, ok := desc[0].(docPara); ok && meta != "" {
			p.withPrev = true // the meta line does not end a page alone
			desc[0] = p
		}
		d.add(desc...)
		// The link is optional: no line when there is none.
		if l := asTyped(in.Lien); l != "" {
			d.add(docPara{text: "Lien" + french.NBSP + ": " + l, st: stHelp, gap: 1.5, withPrev: true})
		}
	}

	d.h2(sheetTitle(s, 1, "NEC locaux"))
	t := docTable{cols: []docColumn{
		{title: "Année", share: 0.1},
		{title: "Lieu", share: 0.22},
		{title: "Participants", share: 0.14, right: true},
		{title: "Bilan", share: 0.54},
	}, statusCol: -1}
	for _, n := range d.c.NECLocaux {
		year := ""
		if n.Annee > 0 {
			year = strconv.FormatInt(n.Annee, 10)
		}
		t.rows = append(t.rows, docRow{cells: []string{year, orEmpty(n.Lieu), given(n.Participants, n.At.Given("Participants")), orEmpty(n.Bilan)}})
	}
	d.add(t)
}

func sinceOrEmpty(s string) string {
	if s = orEmpty(s); s == "" {
		return ""
	}
	return "depuis " + s
}

func porteurOrEmpty(s string) string {
	if s = orEmpty(s); s == "" {
		return ""
	}
	return "portée par " + s
}

func (d *docBuilder) thematiques() {
	if len(d.c.Thematiques) == 0 {
		d.add(docPara{st: stBody})
	}
	for _, t := range d.c.Thematiques {
		d.h3(t.Theme)
		d.add(docKeyValues{pairs: []docPair{
			{"Enjeux", orEmpty(t.Enjeux), false},
			{"Initiatives", orEmpty(t.Initiatives), false},
		}})
	}
}

// annexes lists the documents joined to the dossier, with their pages in
// the final document; each row links to its first page.
func (d *docBuilder) annexes() {
	if n, pages := len(d.opt.Annexes), totalAnnexPages(d.opt.Annexes); n > 0 && pages > 0 {
		docs := "1" + french.NBSP + "document joint"
		if n > 1 {
			docs = french.Number(int64(n)) + french.NBSP + "documents joints"
		}
		unit := french.NBSP + "page"
		if pages > 1 {
			unit = french.NBSP + "pages"
		}
		where := " à la suite du dossier (" + french.Number(int64(pages)) + unit + ") ; chaque ligne renvoie à son document."
		if f := d.opt.AnnexFile; f != "" {
			// build --split: the letters are in a file of their own.
			where = " dans un fichier à part, « " + asTyped(f) + " » (" + french.Number(int64(pages)) + unit +
				", numérotées à la suite de ce dossier)."
		}
		d.add(docPara{text: french.Typo(french.Capitalize(docs) + where), st: stBody, gap: 2})
	}
	t := docTable{cols: []docColumn{
		{title: "N°", share: 0.07, right: true},
		{title: "Document", share: 0.43},
		{title: "Type", share: 0.17},
		{title: "Date", share: 0.17},
		{title: "Pages", share: 0.16, right: true},
	}, statusCol: -1}
	for i, a := range d.opt.Annexes {
		doc := nonEmpty(orEmpty(a.Title))
		if who := joinNonEmpty(", ", orEmpty(a.Signataire), orEmpty(a.Organisation)); who != "" {
			doc += "\n" + who
		}
		if f := asTyped(a.File); f != "" {
			doc += "\n" + f
		}
		date := ""
		if !a.Date.IsZero() {
			date = french.ShortDate(a.Date)
		}
		pages := "—"
		if a.Problem != "" {
			pages = french.Typo(safeText(a.Problem))
		}
		t.rows = append(t.rows, docRow{cells: []string{strconv.Itoa(i + 1), doc, orEmpty(a.Kind), date, pages}, annex: i + 1})
	}
	d.add(t)
}
