package check

import (
	"fmt"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Candidature judges c against the call: required answers, the call's criteria
// (capacity, dates, window), the budget's balance, plausible figures and
// contact formats. It reads no file: the files a workbook names are the
// intake's (package assemble). The findings come in sheet order, then cell
// order.
func Candidature(c *model.Candidature, call *model.Call) []model.Finding {
	k := &checker{c: c, call: call}
	k.required()
	k.collectivite()
	k.dates()
	k.venues()
	k.moments()
	k.staff()
	k.budget()
	k.necLocaux()
	k.links()
	k.textNumbers()
	k.annexes()
	workbook.SortFindings(k.out)
	return k.out
}

type checker struct {
	c    *model.Candidature
	call *model.Call
	out  []model.Finding
}

// add records a finding. Of a sheet the reader could not use, which it
// reported, the checks judge nothing on the sheet as a whole: an empty
// table there is the missing sheet, not a second mistake.
func (k *checker) add(sev model.Severity, sheet, cell, msg, hint string) {
	if cell == "" && k.c.Unreadable[sheet] {
		return
	}
	k.out = append(k.out, model.Finding{Severity: sev, Sheet: sheet, Cell: cell, Message: french.Spaced(msg), Hint: french.Spaced(hint)})
}

// required reports every required answer left empty, and tables with
// fewer records than the call needs. Only an empty identity field (sheet
// « Collectivité ») or a budget line without its category (it could not
// be put on a side of the budget) is an error; any other gap is a warning:
// the dossier shows « Non renseigné », the committee judges.
func (k *checker) required() {
	for _, s := range workbook.Schema {
		for _, b := range s.Blocks {
			v := workbook.ModelOf(k.c, b)
			if b.Kind == workbook.FormKind {
				k.requiredFields(s.Name, b, v)
				continue
			}
			if v.Len() < b.MinRows {
				name := b.Title
				if name == "" {
					name = s.Name
				}
				k.add(model.Avertissement, s.Name, "", fmt.Sprintf("tableau « %s » vide : au moins une ligne attendue", name), "remplissez au moins une ligne du tableau")
			}
			for i := 0; i < v.Len(); i++ {
				k.requiredFields(s.Name, b, v.Index(i))
			}
		}
	}
}

func (k *checker) requiredFields(sheet string, b workbook.SheetBlock, rec reflect.Value) {
	ref := rec.FieldByName("At").Interface().(model.Ref)
	for _, f := range b.Fields {
		if !f.Required || f.Kind == workbook.KYesNo || ref.Unread[f.Key] {
			continue // yes/no answers have their own rules (the charter); unread cells have their finding
		}
		v := rec.FieldByName(f.Key)
		// A typed 0 is an answer (a free venue); an empty text is not.
		if v.IsZero() && (v.Kind() == reflect.String || !ref.Given(f.Key)) {
			sev := model.Avertissement
			if sheet == workbook.SheetCollectivite || (sheet == workbook.SheetBudget && f.Key == "Categorie") {
				sev = model.Erreur
			}
			k.add(sev, sheet, k.cellOf(ref, sheet, f.Key), fmt.Sprintf("« %s » est obligatoire", f.Label), lowerFirst(workbook.ExampleText(f)))
		}
	}
}

// cellOf returns the cell of key in ref; for a form read from no workbook,
// the template's cell.
func (k *checker) cellOf(ref model.Ref, sheet, key string) string {
	if c := ref.Cell(key); c != "" {
		return c
	}
	if ref.Sheet == "" && ref.Row == 0 {
		if s, ok := workbook.SheetByName(sheet); ok && s.Blocks[0].Kind == workbook.FormKind {
			if c, err := workbook.CellFor(sheet, key, 0); err == nil {
				return c
			}
		}
	}
	return ""
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToLower(string(r)) + s[n:]
}

func (k *checker) collectivite() {
	co := &k.c.Collectivite
	sh := workbook.SheetCollectivite
	cell := func(key string) string { return k.cellOf(co.At, sh, key) }
	if !co.Charte {
		k.add(model.Avertissement, sh, cell("Charte"), "l’engagement à respecter la charte NEC est attendu", "répondez Oui : l’appel demande de s’engager à respecter "+k.call.Charter)
	}
	if co.Population < 0 {
		k.add(model.Erreur, sh, cell("Population"), "population négative", "indiquez le nombre d’habitants")
	}
	if co.CodePostal != "" && !(len(co.CodePostal) == 5 && workbook.AllDigits(co.CodePostal)) {
		k.add(model.Avertissement, sh, cell("CodePostal"), fmt.Sprintf("code postal attendu (5 chiffres), trouvé « %s »", co.CodePostal), "exemple : 35000")
	}
	for _, e := range []struct{ key, v string }{{"ContactEmail", co.ContactEmail}, {"EluEmail", co.EluEmail}} {
		if e.v != "" && !validEmail(e.v) {
			k.add(model.Avertissement, sh, cell(e.key), fmt.Sprintf("adresse électronique invalide « %s »", e.v), "exemple : prenom.nom@ville.fr")
		}
	}
	if co.ContactTel != "" && !validPhone(co.ContactTel) {
		k.add(model.Avertissement, sh, cell("ContactTel"), fmt.Sprintf("numéro de téléphone invalide « %s »", co.ContactTel), "10 chiffres commençant par 0, ou +33 suivi de 9 chiffres ; exemple : 02 99 12 34 56")
	}
}

// validEmail accepts local@domain.tld without spaces; the full grammar of
// RFC 5322 would accept what no one means to type.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") || strings.ContainsAny(s, " \t<>,;\"") {
		return false
	}
	i := strings.LastIndex(domain, ".")
	return i > 0 && i < len(domain)-2 && !strings.Contains(domain, "..") && !strings.HasPrefix(domain, ".")
}

// validPhone accepts French numbers: ten digits starting with 0, or +33 (or
// 0033) and nine digits, a « (0) » allowed after the prefix; spaces, dots
// and dashes are ignored.
func validPhone(s string) bool {
	d := strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || workbook.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	switch {
	case strings.HasPrefix(d, "+33"):
		d = strings.TrimPrefix(strings.TrimPrefix(d, "+33"), "(0)")
		return len(d) == 9 && workbook.AllDigits(d) && d[0] != '0'
	case strings.HasPrefix(d, "0033"):
		d = strings.TrimPrefix(strings.TrimPrefix(d, "0033"), "(0)")
		return len(d) == 9 && workbook.AllDigits(d) && d[0] != '0'
	}
	return len(d) == 10 && workbook.AllDigits(d) && d[0] == '0' && d[1] != '0'
}

// dates checks the event's days against the call: consecutive days, the
// community day the day before, inside the call's window.
func (k *checker) dates() {
	ev := &k.c.Evenement
	cr := k.call.Criteria
	sh := workbook.SheetLieux
	cell := func(key string) string { return k.cellOf(ev.At, sh, key) }
	if !ev.Jour1.IsZero() && !ev.Jour2.IsZero() && cr.EventDays > 1 {
		want := ev.Jour1.AddDate(0, 0, cr.EventDays-1)
		if !ev.Jour2.Equal(want) {
			k.add(model.Avertissement, sh, cell("Jour2"), fmt.Sprintf("l’événement dure %d jours consécutifs : après le jour 1 (%s), le jour 2 devrait être le %s, trouvé %s",
				cr.EventDays, french.LongDate(ev.Jour1), french.LongDate(ev.Jour1.AddDate(0, 0, 1)), french.LongDate(ev.Jour2)), "corrigez la date du jour 2")
		}
	}
	if cr.CommunityDayBefore && !ev.Jour1.IsZero() && !ev.JourneeCommunautaire.IsZero() {
		want := ev.Jour1.AddDate(0, 0, -1)
		if !ev.JourneeCommunautaire.Equal(want) {
			k.add(model.Avertissement, sh, cell("JourneeCommunautaire"), fmt.Sprintf("la journée communautaire a lieu la veille du jour 1 : le %s, trouvé %s",
				french.LongDate(want), french.LongDate(ev.JourneeCommunautaire)), "corrigez la date de la journée communautaire ou du jour 1")
		}
	}
	w := cr.Window
	for _, d := range []struct {
		key, label string
		t          time.Time
	}{{"JourneeCommunautaire", "la journée communautaire", ev.JourneeCommunautaire}, {"Jour1", "le jour 1", ev.Jour1}, {"Jour2", "le jour 2", ev.Jour2}} {
		if !d.t.IsZero() && !w.Contains(d.t) {
			k.add(model.Avertissement, sh, cell(d.key), fmt.Sprintf("%s (%s) tombe hors de la période habituelle de NEC, du %s au %s",
				d.label, french.LongDate(d.t), french.ShortDate(w.From.Time), french.ShortDate(w.To.Time)), "NEC a lieu traditionnellement entre fin septembre et fin octobre ; expliquez ce choix dans le commentaire sur les dates")
		}
	}
}

// venues checks capacities against the call and the venues' availability.
func (k *checker) venues() {
	cr := k.call.Criteria
	sh := workbook.SheetLieux
	for _, l := range k.c.Lieux {
		cell := l.At.Cell
		for _, n := range []struct {
			key string
			v   int64
		}{{"Capacite", l.Capacite}, {"Pleniere", l.Pleniere}, {"Salles", l.Salles}, {"PlacesAteliers", l.PlacesAteliers}} {
			if n.v < 0 {
				k.add(model.Erreur, sh, cell(n.key), "nombre négatif", "indiquez un nombre positif")
			}
		}
		if l.Cout < 0 {
			k.add(model.Erreur, sh, cell("Cout"), "montant négatif : "+french.Money(l.Cout), "indiquez le coût d’occupation, positif")
		}
		if l.Capacite > 0 && l.Pleniere > l.Capacite {
			k.add(model.Avertissement, sh, cell("Pleniere"), fmt.Sprintf("la plénière (%s places) dépasse la capacité totale du lieu (%s)", french.Number(l.Pleniere), french.Number(l.Capacite)), "vérifiez les deux nombres")
		}
		if l.Nom != "" && !l.Disponibilite && !l.At.Unread["Disponibilite"] {
			k.add(model.Avertissement, sh, cell("Disponibilite"), fmt.Sprintf("disponibilité du lieu « %s » non confirmée", l.Nom), "l’appel demande de s’assurer de la disponibilité du lieu ; répondez Oui une fois la réservation confirmée")
		}
		if l.Cout > 0 && l.PrisEnCharge == "" {
			k.add(model.Avertissement, sh, cell("PrisEnCharge"), fmt.Sprintf("coût d’occupation de %s sans financeur", french.Money(l.Cout)), "l’appel demande qui finance l’occupation du lieu")
		}
	}
	f := model.FiguresOf(k.c, k.call)
	best, sum := f.Main, f.TotalCapacity
	if !f.HasMain || best.At.Unread["Capacite"] {
		return
	}
	need := cr.Participants
	switch {
	case best.Capacite >= need+cr.Speakers:
	case best.Capacite >= need:
		k.add(model.Avertissement, sh, best.At.Cell("Capacite"), fmt.Sprintf("%s places pour %s participants et %s intervenants : il manque %s places",
			french.Number(best.Capacite), french.Number(need), french.Number(cr.Speakers), french.Number(need+cr.Speakers-best.Capacite)), "précisez comment les intervenants seront accueillis : salles d’ateliers, autre lieu")
	case sum >= need:
		k.add(model.Avertissement, sh, best.At.Cell("Capacite"), fmt.Sprintf("aucun lieu n’accueille seul %s participants (au plus %s) ; ensemble, les lieux en accueillent %s",
			french.Number(need), french.Number(best.Capacite), french.Number(sum)), "précisez dans le commentaire que les lieux sont utilisés en même temps")
	default:
		k.add(model.Avertissement, sh, best.At.Cell("Capacite"), fmt.Sprintf("capacité insuffisante : %s places, l’appel demande d’accueillir plus de %s participants et %s intervenants",
			french.Number(best.Capacite), french.Number(need), french.Number(cr.Speakers)), "indiquez un lieu plus grand ou des lieux complémentaires")
	}
}

// moments checks that official moments fall within the event.
func (k *checker) moments() {
	ev := k.c.Evenement
	first, last := ev.JourneeCommunautaire, ev.Jour2
	if first.IsZero() {
		first = ev.Jour1
	}
	if first.IsZero() || last.IsZero() {
		return
	}
	for _, m := range k.c.Moments {
		if !m.Date.IsZero() && (m.Date.Before(first) || m.Date.After(last)) {
			k.add(model.Avertissement, workbook.SheetLieux, m.At.Cell("Date"), fmt.Sprintf("moment officiel le %s, hors des dates de l’événement (%s – %s)", french.LongDate(m.Date), french.ShortDate(first), french.ShortDate(last)), "vérifiez la date")
		}
	}
}

// staff checks that ETP figures are plausible.
func (k *checker) staff() {
	sh := workbook.SheetMoyens
	for _, p := range k.c.Equipe {
		cell := p.At.Cell
		switch {
		case p.ETP < 0:
			k.add(model.Erreur, sh, cell("ETP"), "ETP négatif", "1 ETP est un temps plein, 0,5 un mi-temps")
		case p.ETP > 50:
			k.add(model.Avertissement, sh, cell("ETP"), fmt.Sprintf("%s ETP pour un seul service : chiffre inhabituel", french.Decimal(p.ETP, 1)), "1 ETP est un temps plein ; vérifiez l’unité")
		case p.Personnes > 0 && p.ETP > float64(p.Personnes):
			k.add(model.Avertissement, sh, cell("ETP"), fmt.Sprintf("%s ETP pour %s : plus d’un temps plein par personne", french.Decimal(p.ETP, 1), french.Plural(int(p.Personnes), "", "personne", "personnes")), "vérifiez les ETP ou le nombre de personnes")
		}
		if p.Personnes < 0 {
			k.add(model.Erreur, sh, cell("Personnes"), "nombre de personnes négatif", "indiquez un nombre positif")
		}
	}
}

// budget checks the balance, the in-kind balance, the signs and the
// co-financings' funder and status.
func (k *checker) budget() {
	sh := workbook.SheetBudget
	for _, l := range k.c.Budget {
		cell := l.At.Cell
		if l.Montant < 0 {
			k.add(model.Erreur, sh, cell("Montant"), "montant négatif : "+french.Money(l.Montant), "une recette va dans une catégorie de produits, 70 à 75 ou 87, pas en négatif dans les charges")
		}
		switch s := model.SensOf(l.Compte()); {
		case l.Categorie != "" && s == 0:
			k.add(model.Erreur, sh, cell("Categorie"), fmt.Sprintf("catégorie « %s » inconnue", l.Categorie), "choisissez une catégorie dans la liste : 60 à 65 et 86 pour les charges, 70 à 75 et 87 pour les produits")
		case l.Sens != 0 && s != 0 && l.Sens != s:
			k.add(model.Erreur, sh, cell("Categorie"), fmt.Sprintf("la catégorie « %s » n’est pas du côté %s du budget", l.Categorie, map[model.Sens]string{model.Charge: "des charges", model.Produit: "des produits"}[l.Sens]), "choisissez une catégorie de charges (6x, 86) pour une dépense, de produits (7x, 87) pour une recette")
		}
		if l.Compte() == "74" {
			if l.Financeur == "" {
				k.add(model.Avertissement, sh, cell("Financeur"), "subvention sans financeur", "indiquez qui verse la subvention")
			}
			if l.Statut == "" && !l.At.Unread["Statut"] {
				k.add(model.Avertissement, sh, cell("Statut"), "subvention sans statut", "indiquez si elle est acquise ou sollicitée")
			}
		}
	}
	if len(k.c.Budget) == 0 {
		return
	}
	// An amount or a category that could not be read has its finding: the
	// balance is not judged on the rest (one mistake, one finding).
	for _, l := range k.c.Budget {
		if l.At.Unread["Montant"] || l.At.Unread["Categorie"] {
			return
		}
	}
	t := k.c.Totals()
	if t.Charges != t.Produits {
		k.add(model.Avertissement, sh, "", fmt.Sprintf("budget déséquilibré : charges %s, produits %s (écart %s)", french.Money(t.Charges), french.Money(t.Produits), french.Money(abs(t.Charges-t.Produits))),
			"un budget prévisionnel est à l’équilibre : le total des charges égale celui des produits")
	}
	if t.EnNatureCharges != t.EnNatureProduits {
		k.add(model.Avertissement, sh, "", fmt.Sprintf("contributions en nature déséquilibrées : emplois (86) %s, ressources (87) %s", french.Money(t.EnNatureCharges), french.Money(t.EnNatureProduits)),
			"chaque contribution en nature figure deux fois, au même montant : en 86 et en 87")
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func (k *checker) necLocaux() {
	year := int64(k.call.Deadline.Year())
	for _, n := range k.c.NECLocaux {
		if n.Annee != 0 && (n.Annee < 2015 || n.Annee > year) {
			k.add(model.Avertissement, workbook.SheetNECLocaux, n.At.Cell("Annee"), fmt.Sprintf("année %d inattendue pour un NEC déjà organisé", n.Annee), fmt.Sprintf("les NEC ont lieu depuis 2015 ; indiquez une année jusqu’à %d", year))
		}
		if n.Participants < 0 {
			k.add(model.Erreur, workbook.SheetNECLocaux, n.At.Cell("Participants"), "nombre de participants négatif", "indiquez un nombre positif")
		}
	}
}

// textNumbers names each number typed as text (« 12 500 € », « 0,5 »)
// where the sheet's own total formulas sum: the tool reads it and the
// dossier counts it, but the sheet's totals leave it out, and the
// workbook would contradict the dossier without a word.
func (k *checker) textNumbers() {
	say := func(sheet string, ref model.Ref, key, what, example string) {
		if !ref.AsText[key] || ref.Unread[key] || !workbook.Totalled(sheet, key) {
			return
		}
		k.add(model.Avertissement, sheet, ref.Cell(key), what+" saisi comme du texte : le dossier le compte, mais les totaux de la feuille l’ignorent",
			"retapez-le comme un nombre, sans unité (exemple : "+example+"), pour que les totaux du classeur et ceux du dossier concordent")
	}
	for _, l := range k.c.Budget {
		say(workbook.SheetBudget, l.At, "Montant", "montant", "12500")
	}
	for _, p := range k.c.Equipe {
		say(workbook.SheetMoyens, p.At, "ETP", "ETP", "0,5")
	}
}

// links checks that web addresses look like ones.
func (k *checker) links() {
	check := func(sheet, cell, s string) {
		if s == "" {
			return
		}
		l := strings.ToLower(s)
		if !(strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "www.")) || strings.ContainsAny(s, " \t") {
			k.add(model.Avertissement, sheet, cell, fmt.Sprintf("adresse web inattendue « %s »", workbook.Clip(s, 60)), "exemple : https://www.ville.fr")
		}
	}
	check(workbook.SheetCollectivite, k.cellOf(k.c.Collectivite.At, workbook.SheetCollectivite, "SiteWeb"), k.c.Collectivite.SiteWeb)
	for _, in := range k.c.Initiatives {
		check(workbook.SheetInitiatives, in.At.Cell("Lien"), in.Lien)
	}
}

// annexes notes a file named twice and the lack of a support letter.
func (k *checker) annexes() {
	sh := workbook.SheetAnnexes
	seen := map[string]bool{}
	for _, a := range k.c.Annexes {
		if key := workbook.Normalize(a.Fichier); key != "" {
			if seen[key] {
				k.add(model.Avertissement, sh, a.At.Cell("Fichier"), fmt.Sprintf("fichier « %s » déjà cité plus haut", a.Fichier), "chaque document ne figure qu’une fois dans le dossier ; supprimez la ligne en double")
			}
			seen[key] = true
		}
	}
	if model.FiguresOf(k.c, k.call).Letters == 0 {
		k.add(model.Avertissement, sh, "", "aucune lettre de soutien", "l’appel cite les lettres de soutien parmi les documents qui peuvent appuyer la candidature ; si vous en avez, ajoutez une ligne de type « Lettre de soutien » avec son fichier")
	}
}

// Evaluate gives the verdict on each item of call.Checklist, with the
// figures behind it, French-formatted, for the synthesis page and the
// reviewers' comparison.
func Evaluate(c *model.Candidature, call *model.Call) []model.Criterion {
	cr := call.Criteria
	f := model.FiguresOf(c, call)
	var out []model.Criterion
	for _, it := range call.Checklist {
		label := strings.NewReplacer(
			"{participants}", french.Number(cr.Participants),
			"{speakers}", french.Number(cr.Speakers),
			"{event_days}", strconv.Itoa(cr.EventDays),
		).Replace(it.Label)
		crit := model.Criterion{ID: it.ID, Label: label, Status: model.ToConfirm}
		if judge, ok := criteria[it.ID]; ok {
			crit.Status, crit.Detail = judge(c, call, f)
		}
		out = append(out, crit)
	}
	return out
}

// criteria judge the items of the checklist, by ID; an item without a judge
// here is « à confirmer », without detail.
//
// Two kinds of criteria: measurable ones (capacity, dates, charter,
// letters) are rempli, non rempli or à confirmer with the figure that
// decides; those that need judgement (mobilisation, experience) are
// « renseigné — à apprécier » with what was given, never rempli.
var criteria = map[string]func(c *model.Candidature, call *model.Call, f model.Figures) (model.Status, string){
	"mobilisation": mobilisation,
	"experience":   experience,
	"participants": participants,
	"speakers":     speakers,
	"days":         days,
	"window":       window,
	"venue":        venue,
	"charter":      charter,
	"letters":      letters,
}

// mobilisation: the partners and the publics mobilised, to be judged.
func mobilisation(c *model.Candidature, _ *model.Call, _ model.Figures) (model.Status, string) {
	var names []string
	for _, p := range c.Partenaires {
		names = append(names, p.Nom)
	}
	d := french.Plural(len(c.Partenaires), "aucun partenaire", "partenaire", "partenaires") + given(names)
	if c.Motivations.Publics != "" {
		d += " ; publics mobilisés décrits"
	}
	if len(c.Partenaires) > 0 || c.Motivations.Publics != "" {
		return model.ToJudge, d
	}
	return model.NotMet, d
}

// experience: the initiatives and the local NEC already held, to be judged.
func experience(c *model.Candidature, _ *model.Call, _ model.Figures) (model.Status, string) {
	var names []string
	for _, in := range c.Initiatives {
		names = append(names, in.Intitule)
	}
	d := french.Plural(len(c.Initiatives), "aucune initiative", "initiative", "initiatives") + given(names) + ", " + french.Plural(len(c.NECLocaux), "aucun NEC local", "NEC local", "NEC locaux")
	if len(c.Initiatives)+len(c.NECLocaux) > 0 {
		return model.ToJudge, d
	}
	return model.NotMet, d
}

// participants: the main venue holds the call's participants; several
// venues that do together are to be confirmed.
func participants(_ *model.Candidature, call *model.Call, f model.Figures) (model.Status, string) {
	if s, d, ok := noCapacity(f); ok {
		return s, d
	}
	best, need := f.Main, call.Criteria.Participants
	d := fmt.Sprintf("capacité %s places (%s)", french.Number(best.Capacite), best.Nom)
	if best.Capacite >= need {
		return model.Met, d
	}
	if f.TotalCapacity >= need {
		return model.ToConfirm, fmt.Sprintf("%s places au plus par lieu, %s en tout", french.Number(best.Capacite), french.Number(f.TotalCapacity))
	}
	return model.NotMet, d
}

// speakers: the main venue holds the participants and the speakers; the
// participants alone are to be confirmed.
func speakers(_ *model.Candidature, call *model.Call, f model.Figures) (model.Status, string) {
	if s, d, ok := noCapacity(f); ok {
		return s, d
	}
	cr, best := call.Criteria, f.Main
	d := fmt.Sprintf("%s places pour %s participants et %s intervenants", french.Number(best.Capacite), french.Number(cr.Participants), french.Number(cr.Speakers))
	if best.Capacite >= cr.Participants+cr.Speakers {
		return model.Met, d
	}
	if best.Capacite >= cr.Participants {
		return model.ToConfirm, d
	}
	return model.NotMet, d
}

// noCapacity is the verdict of a capacity criterion when the main venue
// gives no capacity to judge; ok is false when it gives one.
func noCapacity(f model.Figures) (s model.Status, detail string, ok bool) {
	switch {
	case !f.HasMain:
		return model.NotMet, "aucun lieu renseigné", true
	case f.Main.Capacite > 0:
		return 0, "", false
	case !f.CapacityGiven:
		return model.ToConfirm, "capacité des lieux non renseignée", true
	}
	return model.NotMet, "capacité des lieux : 0 place", true
}

// days: consecutive event days, the community day the day before.
func days(c *model.Candidature, call *model.Call, _ model.Figures) (model.Status, string) {
	ev, cr := c.Evenement, call.Criteria
	if ev.Jour1.IsZero() || ev.Jour2.IsZero() {
		return model.NotMet, "dates non renseignées"
	}
	d := fmt.Sprintf("jour 1 %s, jour 2 %s", french.LongDate(ev.Jour1), french.LongDate(ev.Jour2))
	if !ev.JourneeCommunautaire.IsZero() {
		d = fmt.Sprintf("journée communautaire %s, ", french.LongDate(ev.JourneeCommunautaire)) + d
	}
	ok := ev.Jour2.Equal(ev.Jour1.AddDate(0, 0, cr.EventDays-1))
	if cr.CommunityDayBefore {
		ok = ok && ev.JourneeCommunautaire.Equal(ev.Jour1.AddDate(0, 0, -1))
	}
	if ok {
		return model.Met, d
	}
	return model.NotMet, d
}

// window: every day given within the call's usual period.
func window(c *model.Candidature, call *model.Call, _ model.Figures) (model.Status, string) {
	ev, cr := c.Evenement, call.Criteria
	if ev.Jour1.IsZero() {
		return model.NotMet, "dates non renseignées"
	}
	first, last := ev.Jour1, ev.Jour1
	in := true
	for _, t := range []time.Time{ev.JourneeCommunautaire, ev.Jour1, ev.Jour2} {
		if t.IsZero() {
			continue
		}
		first, last = minTime(first, t), maxTime(last, t)
		in = in && cr.Window.Contains(t)
	}
	d := fmt.Sprintf("du %s au %s", french.ShortDate(first), french.ShortDate(last))
	if in {
		return model.Met, d
	}
	return model.ToConfirm, d + fmt.Sprintf(", hors de la période du %s au %s", french.ShortDate(cr.Window.From.Time), french.ShortDate(cr.Window.To.Time))
}

// venue: every venue available and its occupation paid for.
func venue(c *model.Candidature, _ *model.Call, _ model.Figures) (model.Status, string) {
	if len(c.Lieux) == 0 {
		return model.NotMet, "aucun lieu renseigné"
	}
	confirmed, paid := 0, 0
	for _, l := range c.Lieux {
		if l.Disponibilite {
			confirmed++
		}
		if l.Cout == 0 || l.PrisEnCharge != "" {
			paid++
		}
	}
	d := fmt.Sprintf("%s, disponibilité confirmée pour %d, occupation financée pour %d", french.Plural(len(c.Lieux), "aucun lieu", "lieu", "lieux"), confirmed, paid)
	if confirmed == len(c.Lieux) && paid == len(c.Lieux) {
		return model.Met, d
	}
	return model.ToConfirm, d
}

// charter: the commitment to the charter.
func charter(c *model.Candidature, _ *model.Call, _ model.Figures) (model.Status, string) {
	if c.Collectivite.Charte {
		return model.Met, "engagement pris"
	}
	return model.NotMet, "engagement non pris"
}

// letters: at least one letter of support.
func letters(_ *model.Candidature, _ *model.Call, f model.Figures) (model.Status, string) {
	n := f.Letters
	d := french.Plural(n, "aucune lettre de soutien", "lettre de soutien", "lettres de soutien")
	if f.Others > 0 {
		d += ", " + french.Plural(f.Others, "", "autre pièce", "autres pièces")
	}
	if n > 0 {
		return model.Met, d
	}
	return model.NotMet, d
}

// given lists the first names given: « : Ville, Région et 2 autres ».
func given(names []string) string {
	var ns []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			ns = append(ns, n)
		}
	}
	switch {
	case len(ns) == 0:
		return ""
	case len(ns) == 1:
		return " : " + ns[0]
	case len(ns) == 2:
		return " : " + ns[0] + " et " + ns[1]
	}
	return " : " + ns[0] + ", " + ns[1] + " et " + french.Plural(len(ns)-2, "", "autre", "autres")
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
