package render

// The front of the dossier: its cover and its one-page synthesis (key
// figures, the call's criteria, the points to confirm).

import (
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"strconv"
	"strings"
)

// frontBlocks starts the dossier: the cover, the synthesis and the heading
// of the contents, which must start on page 3 at the latest.
func frontBlocks(c *model.Candidature, call *model.Call, opt *Options, logo bool, maxPoints int) *docBuilder {
	d := &docBuilder{c: c, call: call, opt: opt, maxPoints: maxPoints}
	d.cover(logo)
	d.add(docPageBreak{})
	d.synthesis()
	d.add(docPageBreak{})
	d.add(docHeading{level: 1, text: "Sommaire", mark: "sommaire"})
	return d
}

func (d *docBuilder) cover(logo bool) {
	col := d.c.Collectivite
	cv := docCover{
		organiser: french.Typo(safeText(d.call.Organiser)),
		title:     french.Typo(safeText(d.call.Title)),
		subtitle:  french.Typo(safeText(d.call.Subtitle)),
		nom:       orEmpty(col.Nom),
		kind:      orEmpty(col.Type),
		date:      coverDate(d.opt),
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

// coverDate says when and by whom the dossier was made: the
// collectivité's own build is « établi le », a reviewer's regeneration
// says so, with when the files were received and their fingerprint, so
// that a dossier regenerated after the deadline does not look late.
func coverDate(opt *Options) string {
	if !opt.Regenerated {
		return "Dossier établi le " + french.ShortDate(opt.Created)
	}
	s := "Dossier régénéré par l’instructeur le " + french.ShortDate(opt.Created) + " à partir des fichiers reçus"
	if !opt.Received.IsZero() {
		s += " le " + french.ShortDate(opt.Received)
	}
	if fp := safeText(opt.Fingerprint); len(fp) >= 12 {
		s += " (empreinte " + fp[:12] + "…)"
	}
	return s
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
	d.add(docFingerprint{})
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
