package model

import (
	"necdossier/assemble/french"
	"slices"
	"strconv"
	"strings"
)

// BudgetTotals are the sums of the budget prévisionnel, computed from the
// lines (never from the workbook's formulas).
type BudgetTotals struct {
	Charges, Produits         int64 // all lines, in-kind included
	EnNatureCharges           int64 // 86
	EnNatureProduits          int64 // 87
	Acquis, Sollicite         int64 // co-financings by status (own funds included)
	CofinancementsNonAffectes int64 // produits without a status
}

// Totals sums the budget lines of c.
func (c *Candidature) Totals() BudgetTotals {
	var t BudgetTotals
	for _, l := range c.Budget {
		switch side(l) {
		case Charge:
			t.Charges += l.Montant
			if l.Compte() == "86" {
				t.EnNatureCharges += l.Montant
			}
		case Produit:
			t.Produits += l.Montant
			switch {
			case l.Compte() == "87":
				t.EnNatureProduits += l.Montant
			case l.Statut == "Acquis":
				t.Acquis += l.Montant
			case l.Statut == "Sollicité":
				t.Sollicite += l.Montant
			default:
				t.CofinancementsNonAffectes += l.Montant
			}
		}
	}
	return t
}

// side is a budget line's side: its account's (6x and 86 charges, 7x and 87
// produits), or Sens when the account is unknown.
func side(l LigneBudget) Sens {
	if s := SensOf(l.Compte()); s != 0 {
		return s
	}
	return l.Sens
}

// SensOf derives a budget line's side from its account: 6x and 86 are
// charges, 7x and 87 produits.
func SensOf(compte string) Sens {
	switch {
	case compte == "86" || strings.HasPrefix(compte, "6"):
		return Charge
	case compte == "87" || strings.HasPrefix(compte, "7"):
		return Produit
	}
	return 0
}

// Figures are a candidature's key figures, computed once: the checks judge
// them, the synthesis, the charts and the comparison show them. A figure
// has one meaning wherever it appears.
type Figures struct {
	// Main is the main venue, the largest by capacity: the one the call's
	// capacity criteria judge. HasMain is false without a venue.
	Main    Lieu
	HasMain bool
	// Capacity is the main venue's capacity (people at once), the headline;
	// Plenary its plenary seats.
	Capacity, Plenary int64
	// TotalCapacity is the sum of all venues' capacities, a second figure.
	TotalCapacity int64
	// CapacityGiven tells whether any venue's capacity was typed (0 included).
	CapacityGiven bool
	Salles        int64 // workshop rooms across the venues
	WorkshopSeats int64

	BudgetTotals
	// Produits split by origin, in-kind (87) apart: the collectivité's own
	// funds, and external co-financing, acquired or not.
	OwnFunds                         int64
	External, ExternalAcquis         int64
	ExternalSollicite, ExternalOther int64
	// Asked is what the budget asks of the call's funder (the agency).
	Asked int64
	// Participants is the attendance the call expects, PerParticipant the
	// budget (charges, in-kind included) per expected participant, in cents.
	Participants   int64
	PerParticipant int64

	Etp    float64
	People int64

	// Letters counts the annexes of type « Lettre de soutien », Others the
	// other annexes (deliberations, certificates…); LetterFrom names the
	// organisations (or signatories) of the support letters.
	Letters, Others int
	LetterFrom      []string

	// Venues are the venues' names, the main venue first.
	Venues []string
	// Speakers is the number of speakers the call expects.
	Speakers int64
	// PartnersByKind counts the partners by their nature, in the
	// workbook's order of first appearance (« Association : 3 »).
	PartnersByKind []Count
	// History are the local NEC already organised, by year:
	// « 2023 (420 participants) ».
	History []string
	// Comments are what the candidate wrote to explain its answers (its
	// dates, who pays for the venues), prefixed by what they are about.
	Comments []string
}

// Count is a label and how many things bear it.
type Count struct {
	Label string
	N     int
}

// LetterType is the annex type that makes a support letter.
const LetterType = "Lettre de soutien"

// ExternalShare is the share of external co-financing already acquired,
// and false when there is no external co-financing.
func (f Figures) ExternalShare() (float64, bool) {
	if f.External <= 0 {
		return 0, false
	}
	return float64(f.ExternalAcquis) / float64(f.External), true
}

// FiguresOf computes the key figures of c under call (nil call: no funder,
// no expected attendance).
func FiguresOf(c *Candidature, call *Call) Figures {
	var f Figures
	main := -1
	for i, l := range c.Lieux {
		if !f.HasMain || l.Capacite > f.Main.Capacite {
			f.Main, f.HasMain, main = l, true, i
		}
		f.TotalCapacity += max(l.Capacite, 0)
		f.Salles += max(l.Salles, 0)
		f.WorkshopSeats += max(l.PlacesAteliers, 0)
		if l.Capacite != 0 || l.At.Given("Capacite") {
			f.CapacityGiven = true
		}
	}
	if f.HasMain {
		f.Capacity, f.Plenary = max(f.Main.Capacite, 0), max(f.Main.Pleniere, 0)
	}
	f.BudgetTotals = c.Totals()
	own := french.Fold(strings.ToLower(strings.TrimSpace(c.Collectivite.Nom)))
	for _, l := range c.Budget {
		if side(l) != Produit || l.Compte() == "87" {
			continue
		}
		if call != nil && call.Funder.Matches(l.Financeur) {
			f.Asked += l.Montant
		}
		if isOwnFunds(l, own) {
			f.OwnFunds += l.Montant
			continue
		}
		f.External += l.Montant
		switch l.Statut {
		case "Acquis":
			f.ExternalAcquis += l.Montant
		case "Sollicité":
			f.ExternalSollicite += l.Montant
		default:
			f.ExternalOther += l.Montant
		}
	}
	if call != nil {
		f.Participants = call.Criteria.Participants
	}
	if f.Participants > 0 && f.Charges > 0 {
		f.PerParticipant = (f.Charges + f.Participants/2) / f.Participants
	}
	for _, p := range c.Equipe {
		f.Etp += p.ETP
		f.People += max(p.Personnes, 0)
	}
	for _, a := range c.Annexes {
		if a.Type == LetterType {
			f.Letters++
			if who := strings.TrimSpace(cmpOr(a.Organisation, a.Signataire)); who != "" && !slices.Contains(f.LetterFrom, who) {
				f.LetterFrom = append(f.LetterFrom, who)
			}
		} else {
			f.Others++
		}
	}
	if f.HasMain {
		f.Venues = append(f.Venues, cmpOr(strings.TrimSpace(f.Main.Nom), "lieu sans nom"))
	}
	for i, l := range c.Lieux {
		if i != main {
			f.Venues = append(f.Venues, cmpOr(strings.TrimSpace(l.Nom), "lieu sans nom"))
		}
	}
	if call != nil {
		f.Speakers = call.Criteria.Speakers
	}
	for _, p := range c.Partenaires {
		kind := cmpOr(strings.TrimSpace(p.Type), "nature non précisée")
		i := slices.IndexFunc(f.PartnersByKind, func(k Count) bool { return k.Label == kind })
		if i < 0 {
			f.PartnersByKind = append(f.PartnersByKind, Count{Label: kind})
			i = len(f.PartnersByKind) - 1
		}
		f.PartnersByKind[i].N++
	}
	for _, n := range c.NECLocaux {
		h := "année non précisée"
		if n.Annee > 0 {
			h = strconv.FormatInt(n.Annee, 10)
		}
		if n.Participants > 0 {
			unit := "participants"
			if n.Participants == 1 {
				unit = "participant"
			}
			h += " (" + french.Number(n.Participants) + french.NBSP + unit + ")"
		}
		f.History = append(f.History, h)
	}
	if s := strings.TrimSpace(c.Evenement.Commentaire); s != "" {
		f.Comments = append(f.Comments, "Dates : "+s)
	}
	return f
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// isOwnFunds tells a produit the collectivité brings itself: its funder is
// the collectivité (own, folded), or its label says « autofinancement » or
// « fonds propres ».
func isOwnFunds(l LigneBudget, own string) bool {
	fin := french.Fold(strings.ToLower(strings.TrimSpace(l.Financeur)))
	lib := french.Fold(strings.ToLower(l.Libelle))
	return (own != "" && fin == own) || strings.Contains(lib, "autofinancement") || strings.Contains(lib, "fonds propres")
}
