package render

import (
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"strconv"
	"strings"
	"time"
)

// The dossier is a sequence of semantic blocks — heading, paragraph, list,
// table, figure, key-value list — built from the model by one builder per
// section of the call. The layout engine (render.go) turns each block into
// fragments it can place on pages; nothing here draws. Keeping the blocks
// semantic is what will let a later version tag the PDF (PDF/UA): each
// block becomes one structure element.

// docBlock is a unit of the dossier that the layout engine can place.
type docBlock interface {
	frags(r *renderer) []*frag
}

// docHeading is a heading: level 1 for a section, 2 for a subsection,
// 3 for an item inside a subsection.
type docHeading struct {
	level  int
	number string // "3" or "3.2", "" when unnumbered
	text   string
	help   string // what the call asks, shown in italics under a section heading
	anchor string // target of the table of contents; "" when not listed
	mark   string // a place pagination records without listing it
}

// title is the heading as listed in the contents and the outline.
func (h docHeading) title() string {
	if h.number == "" {
		return h.text
	}
	// A number never ends a line apart from its title.
	if !strings.Contains(h.number, ".") {
		return h.number + "." + french.NBSP + h.text
	}
	return h.number + french.NBSP + h.text
}

// docPara is a paragraph; line breaks inside it are kept.
type docPara struct {
	text     string // "" reads « Non renseigné »
	st       textStyle
	gap      float64
	withPrev bool // kept on the page of the block before it
}

// docList is a bulleted list.
type docList struct {
	items []string
}

// docPair is a key and its value; an empty value reads « Non renseigné »,
// unless the field is optional: then the pair adds no line.
type docPair struct {
	key, value string
	optional   bool
}

// docKeyValues is a key-value list: labels on the left, values on the right.
type docKeyValues struct {
	pairs []docPair
}

// docColumn is a table column: its title, its share of the width, and whether
// its cells are numbers (right-aligned).
type docColumn struct {
	title string
	share float64
	right bool
}

// docRowKind tells a row's role in a table.
type docRowKind int

const (
	rowBody     docRowKind = iota
	rowGroup               // a category and its subtotal
	rowTotal               // a total
	rowEmphasis            // a plain row in bold (the balance)
)

// docRow is a row: its cells, its kind, and optionally where it links.
type docRow struct {
	cells  []string
	kind   docRowKind
	status model.Status // drawn as a coloured mark in the table's status column
	annex  int          // 1-based annex the row stands for: it links to the annex, whose pages fill the last cell
	span   bool         // the first cell runs over the empty cells up to the last column
	indent bool         // the first cell is indented (a line under its category)
}

// docTable is a table with a header row repeated on each page it spans.
type docTable struct {
	cols      []docColumn
	rows      []docRow
	statusCol int // column drawn with a status mark; -1 for none
}

// docFigure is a chart drawn as vectors, with its text alternative.
type docFigure struct {
	title string
	alt   string
	chart docChart
}

// docTiles is a row of key figures: a value in large type over its label.
// It is a key-value list whose values are meant to be seen at a glance.
type docTiles struct {
	items []docPair // key: label, value: the figure
}

// docNote is a framed list of remarks (the points to confirm).
type docNote struct {
	title string
	items []string
}

// docContentsEntry is a line of the table of contents.
type docContentsEntry struct {
	level  int // 1 or 2
	title  string
	anchor string // dossier heading, or "" for an annex
	annex  int    // annex index when anchor is ""
}

// docContents is the table of contents; page numbers are read when
// drawing, once pagination has placed every heading. An entry's height does
// not depend on its number (drawn in a fixed column at the right), so one
// pagination is exact, however many pages the contents take: no second
// pass, no reserved pages.
type docContents struct {
	entries []docContentsEntry
}

// docCover is the cover page.
type docCover struct {
	organiser, title, subtitle string
	nom, kind                  string
	date                       string
	contact                    []string
	deadline                   string
	logo                       bool
}

// docPageBreak starts a new page.
type docPageBreak struct{}

// asTyped returns s cleaned but not through Typo: URLs, e-mail addresses
// and file names must keep their exact characters.
func asTyped(s string) string { return strings.TrimSpace(safeText(s)) }

// orEmpty returns user text cleaned and through Typo, or "" when it is
// blank, which blocks show as « Non renseigné ».
func orEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return french.Typo(safeText(strings.TrimSpace(s)))
}

// paragraphBlocks splits a long text into paragraphs at blank lines.
//
// Lines starting with a dash or a bullet, as people type lists in a
// spreadsheet cell, become a list.
func paragraphBlocks(s string) []docBlock {
	s = strings.TrimSpace(safeText(s))
	if s == "" {
		return []docBlock{docPara{st: stBody}}
	}
	var out []docBlock
	for _, p := range splitParagraphs(s) {
		var text []string
		var list docList
		flush := func() {
			if len(text) > 0 {
				out = append(out, docPara{text: french.Typo(strings.Join(text, "\n")), st: stBody, gap: 2.6})
				text = nil
			}
			if len(list.items) > 0 {
				out = append(out, list)
				list = docList{}
			}
		}
		for line := range strings.SplitSeq(p, "\n") {
			if item, ok := listItem(line); ok {
				if len(text) > 0 {
					flush()
				}
				list.items = append(list.items, french.Typo(item))
				continue
			}
			if len(list.items) > 0 {
				flush()
			}
			text = append(text, line)
		}
		flush()
	}
	return out
}

// listItem reports whether line is a list item (« - », « – », « • » or
// « * » then a space) and returns its text.
func listItem(line string) (string, bool) {
	t := strings.TrimLeft(line, " ")
	for _, m := range []string{"- ", "– ", "— ", "• ", "* ", "· "} {
		if rest, ok := strings.CutPrefix(t, m); ok && strings.TrimSpace(rest) != "" {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// splitParagraphs cuts at one or more blank lines, keeping single line breaks.
func splitParagraphs(s string) []string {
	var out []string
	var cur []string
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				out = append(out, strings.Join(cur, "\n"))
				cur = nil
			}
			continue
		}
		cur = append(cur, strings.TrimRight(line, " "))
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, "\n"))
	}
	return out
}

// buildDocument builds the dossier's blocks: cover, synthesis, contents,
// then one numbered section per item of the call, in the call's order.
//
// maxPoints caps the findings listed on the synthesis page.
func buildDocument(c *model.Candidature, call *model.Call, opt *RenderOptions, logo bool, maxPoints int) []docBlock {
	d := frontBlocks(c, call, opt, logo, maxPoints)
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

func totalAnnexPages(as []Annex) int {
	n := 0
	for _, a := range as {
		n += max(a.Pages, 0)
	}
	return n
}

func anyAnnexPages(as []Annex) bool { return firstAnnexWithPages(as) >= 0 }

func firstAnnexWithPages(as []Annex) int {
	for i, a := range as {
		if a.Pages > 0 {
			return i
		}
	}
	return -1
}

// frontBlocks starts the dossier: the cover, the synthesis and the heading
// of the contents, which must start on page 3 at the latest.
func frontBlocks(c *model.Candidature, call *model.Call, opt *RenderOptions, logo bool, maxPoints int) *docBuilder {
	d := &docBuilder{c: c, call: call, opt: opt, maxPoints: maxPoints}
	d.cover(logo)
	d.add(docPageBreak{})
	d.synthesis()
	d.add(docPageBreak{})
	d.add(docHeading{level: 1, text: "Sommaire", mark: "sommaire"})
	return d
}

// docBuilder collects the blocks of the dossier.
type docBuilder struct {
	c         *model.Candidature
	call      *model.Call
	opt       *RenderOptions
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

func (d *docBuilder) cover(logo bool) {
	col := d.c.Collectivite
	cv := docCover{
		organiser: french.Typo(safeText(d.call.Organiser)),
		title:     french.Typo(safeText(d.call.Title)),
		subtitle:  french.Typo(safeText(d.call.Subtitle)),
		nom:       orEmpty(col.Nom),
		kind:      orEmpty(col.Type),
		date:      "Dossier établi le " + french.ShortDate(d.opt.Created),
		logo:      logo,
	}
	if col.Population > 0 {
		if cv.kind != "" {
			cv.kind += " — "
		}
		cv.kind += french.Number(col.Population) + french.NBSP + "habitants"
	}
	contact := joinNonEmpty(" — ", orEmpty(col.ContactNom), orEmpty(col.ContactFonction))
	if contact == "" {
		contact = emptyText
	}
	cv.contact = append(cv.contact, french.Typo("Contact : "+contact))
	if l := joinNonEmpty(" · ", asTyped(col.ContactEmail), orEmpty(col.ContactTel)); l != "" {
		cv.contact = append(cv.contact, l)
	}
	if !d.call.Deadline.IsZero() {
		cv.deadline = french.Typo("Candidature à adresser avant le " + french.ShortDate(d.call.Deadline.Time))
		if d.call.Recipient.Name != "" {
			cv.deadline += " au " + french.Typo(safeText(d.call.Recipient.Name))
		}
	}
	d.add(cv)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// shareText formats part/whole as a percentage, or « — » when whole is zero.
// Always one decimal (unlike Percent), so that a column of shares aligns.
func shareText(part, whole int64) string {
	if whole <= 0 {
		return "—"
	}
	return french.Decimal(100*float64(part)/float64(whole), 1) + french.NBSP + "%"
}

// eventDates formats the two days of the event for a tile.
func eventDates(e model.Evenement) string {
	a, b := e.Jour1, e.Jour2
	switch {
	case a.IsZero() && b.IsZero():
		return ""
	case b.IsZero():
		return french.ShortDate(a)
	case a.IsZero():
		return french.ShortDate(b)
	case a.Year() == b.Year() && a.Month() == b.Month():
		return strconv.Itoa(a.Day()) + " et " + french.ShortDate(b)
	}
	return french.ShortDate(a) + " et " + french.ShortDate(b)
}

// plural is french.Plural with the count bound to its noun (NBSP), for the page.
func plural(n int, zero, one, many string) string {
	return strings.Replace(french.Plural(n, zero, one, many), " ", french.NBSP, 1)
}

func (d *docBuilder) synthesis() {
	c := d.c
	f := model.FiguresOf(c, d.call)
	d.add(docHeading{level: 1, text: "Synthèse", anchor: "synthese"})
	// « Candidature de » + the name would need the name's article (« de la
	// Métropole », « du Département »), which the workbook does not give.
	intro := "Collectivité candidate : " + nonEmpty(orEmpty(c.Collectivite.Nom)) + " — appel « " + french.Typo(safeText(d.call.Title)) + " »."

	d.add(docPara{text: french.Typo(intro), st: stBody})
	d.add(synthesisTiles(c, d.call, f))
	t := d.checklist()
	d.add(docHeading{level: 3, text: french.Typo("Critères de l’appel : " + tally(t))})
	d.add(t)
	d.points()
	// The fingerprint is printed at the foot of this page (see renderer.footer).
}

// synthesisTiles are the key figures, each with its meaning in words: the
// capacity the criteria judge first, the money a committee weighs.
func synthesisTiles(c *model.Candidature, call *model.Call, f model.Figures) docTiles {
	capLabel := "places au lieu principal"
	if f.HasMain {
		capLabel += " (plénière " + french.Number(f.Plenary) + ")"
		if len(c.Lieux) > 1 {
			capLabel += ", " + french.Number(f.TotalCapacity) + french.NBSP + "tous lieux réunis"
		}
	}
	capacity := ""
	if f.HasMain && (f.Capacity != 0 || f.CapacityGiven) {
		capacity = french.Number(f.Capacity)
	}
	budget, nature := "", ""
	if len(c.Budget) > 0 {
		budget = french.Money(f.Charges)
		if f.EnNatureProduits > 0 {
			nature = "dont " + french.Money(f.EnNatureProduits) + " en nature"
		}
	}
	share, shareLabel := "", "des cofinancements extérieurs acquis"
	if p, ok := f.ExternalShare(); ok {
		share = french.Percent(p)
		shareLabel += " (" + french.Money(f.ExternalAcquis) + " sur " + french.Money(f.External) + ")"
	} else if len(c.Budget) > 0 {
		share = "aucun"
		shareLabel = "cofinancement extérieur"
	}
	own, asked, per := "", "", ""
	if len(c.Budget) > 0 {
		own, asked = french.Money(f.OwnFunds), french.Money(f.Asked)
		if f.PerParticipant > 0 {
			per = french.Money(f.PerParticipant)
		}
	}
	funder := "l’agence"
	if call.Funder.Name != "" {
		funder = french.Typo(safeText(call.Funder.Name))
	}
	etp := ""
	if len(c.Equipe) > 0 {
		etp = french.ETP(f.Etp) + french.NBSP + "ETP"
	}
	others := plural(f.Others, "aucune autre pièce", "autre pièce", "autres pièces")
	budgetLabel := joinNonEmpty(", ", "budget prévisionnel", nature)
	if per != "" {
		budgetLabel += " ; " + per + " par participant attendu (" + french.Number(f.Participants) + ")"
	}
	askedLabel := "demandés à " + funder
	if own != "" {
		askedLabel += " ; autofinancement : " + own
	}
	staffLabel := "moyens humains, " + plural(int(f.People), "aucune personne", "personne", "personnes") + " ; " +
		plural(f.Letters, "aucune lettre de soutien", "lettre de soutien", "lettres de soutien") + ", " + others + " ; " +
		plural(len(c.Partenaires), "aucun partenaire", "partenaire", "partenaires")
	return docTiles{items: []docPair{
		{key: capLabel, value: capacity},
		{key: "jours de l’événement", value: eventDates(c.Evenement)},
		{key: budgetLabel, value: budget},
		{key: shareLabel, value: share},
		{key: askedLabel, value: asked},
		{key: staffLabel, value: etp},
	}}
}

func nonEmpty(s string) string {
	if s == "" {
		return emptyText
	}
	return s
}

// checklist is the table of the call's criteria and where the candidature
// stands. Without verdicts (Evaluate not run), the call's items are listed
// as to confirm, so that the page keeps its shape.
func (d *docBuilder) checklist() docTable {
	t := docTable{cols: []docColumn{
		{title: "Critère", share: 0.45},
		{title: "Statut", share: 0.16},
		{title: "Détail", share: 0.39},
	}, statusCol: 1}
	if len(d.opt.Criteria) > 0 {
		for _, cr := range d.opt.Criteria {
			// The status is written, not only coloured.
			t.rows = append(t.rows, docRow{cells: []string{french.Typo(safeText(cr.Label)), cr.Status.String(), orEmpty(cr.Detail)}, status: cr.Status})
		}
		return t
	}
	fill := strings.NewReplacer(
		"{participants}", french.Number(d.call.Criteria.Participants),
		"{speakers}", french.Number(d.call.Criteria.Speakers),
		"{event_days}", strconv.Itoa(d.call.Criteria.EventDays))
	for _, it := range d.call.Checklist {
		t.rows = append(t.rows, docRow{cells: []string{french.Typo(safeText(fill.Replace(it.Label))), model.ToConfirm.String(), "non évalué"}, status: model.ToConfirm})
	}
	return t
}

// tally sums up the checklist: « 7 critères remplis sur 9, 1 à confirmer,
// 1 non rempli ».
func tally(t docTable) string {
	var n [5]int
	for _, r := range t.rows {
		if r.status >= model.Met && r.status <= model.ToJudge {
			n[r.status]++
		}
	}
	count := func(k int, one, many string) string {
		if k == 1 {
			return "1" + french.NBSP + one
		}
		return french.Number(int64(k)) + french.NBSP + many
	}
	s := count(n[model.Met], "critère rempli", "critères remplis") + " sur " + french.Number(int64(len(t.rows)))
	if n[model.ToJudge] > 0 {
		s += ", " + french.Number(int64(n[model.ToJudge])) + french.NBSP + "à apprécier"
	}
	if n[model.ToConfirm] > 0 {
		s += ", " + french.Number(int64(n[model.ToConfirm])) + french.NBSP + "à confirmer"
	}
	if n[model.NotMet] > 0 {
		s += ", " + count(n[model.NotMet], "non rempli", "non remplis")
	}
	return s
}

// maxPoints is how many findings the synthesis lists at most; Render
// lists fewer when the synthesis would not fit on one page.
const maxPoints = 5

// points lists the warnings in a box « Points à confirmer »: at most
// d.maxPoints of them, the rest counted on a last line. Notes on how a
// letter was processed are for the person building, not for the committee.
func (d *docBuilder) points() {
	var items []string
	for _, sev := range []model.Severity{model.Erreur, model.Avertissement} {
		for _, f := range d.opt.Findings {
			if f.Severity == sev {
				// The sheet tells the committee what it is about; the cell
				// is for the person filling in the workbook.
				items = append(items, french.Typo(safeText(joinNonEmpty(" : ", f.Sheet, f.Message))))
			}
		}
	}
	if len(items) == 0 {
		return
	}
	if n := max(d.maxPoints, 1); len(items) > n {
		rest := len(items) - (n - 1)
		others := "et " + strconv.Itoa(rest) + french.NBSP + "autres points"
		if n == 1 {
			others = strconv.Itoa(rest) + french.NBSP + "points"
		}
		items = append(items[:n-1], others+", listés par la vérification du classeur")
	}
	d.add(docNote{title: "Points à confirmer", items: items})
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
	if ch := newChargesChart(d.c); ch != nil {
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
	if fc := newFundingChart(d.c); fc != nil {
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
		t.rows = append(t.rows, docRow{cells: []string{strconv.Itoa(i + 1), doc, orEmpty(a.Kind), date, "—"}, annex: i + 1})
	}
	d.add(t)
}
