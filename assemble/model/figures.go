package model

import "strings"

// BudgetTotals are the sums of the budget prévisionnel, computed from the
// lines (never from the workbook's formulas).
type BudgetTotals struct {
	Charges, Produits         int64 // all lines, in-kind included
	EnNatureCharges           int64 // 86
	EnNatureProduits          int64 // 87
	Acquis, Sollicite         int64 // co-financings by status
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

// sensOf derives a budget line's side from its account: 6x and 86 are
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

// budgetFigures are the key figures of the synthesis and the budget.
type BudgetFigures struct {
	Capacity, Plenary, workshopSeats int64
	Charges, Produits                int64
	Acquis, Sollicite, Nature, Other int64
	ChargesNature                    int64
	Etp                              float64
	People                           int64
}

func BudgetKeyFigures(c *Candidature) BudgetFigures {
	var f BudgetFigures
	for _, l := range c.Lieux {
		f.Capacity += max(l.Capacite, 0)
		f.Plenary = max(f.Plenary, l.Pleniere)
		f.workshopSeats += max(l.PlacesAteliers, 0)
	}
	// The budget's figures are the checks' own, so that the dossier shows
	// the totals the checks judged.
	t := c.Totals()
	f.Charges, f.Produits = t.Charges, t.Produits
	f.ChargesNature, f.Nature = t.EnNatureCharges, t.EnNatureProduits
	f.Acquis, f.Sollicite, f.Other = t.Acquis, t.Sollicite, t.CofinancementsNonAffectes
	for _, p := range c.Equipe {
		f.Etp += p.ETP
		f.People += max(p.Personnes, 0)
	}
	return f
}
