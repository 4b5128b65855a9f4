package model

import "fmt"

// Severity tells whether a finding stops the build.
type Severity int

const (
	// Erreur stops the build: the dossier would not meet the call or could not be made.
	Erreur Severity = iota + 1
	// Avertissement is printed, and the build goes on.
	Avertissement
)

// String returns the French word for the severity.
func (s Severity) String() string {
	switch s {
	case Erreur:
		return "erreur"
	case Avertissement:
		return "avertissement"
	}
	return fmt.Sprintf("gravité(%d)", int(s))
}

// Finding is something to fix or to know about a workbook, at a place the
// user can find: a sheet and a cell ("" when it concerns the whole sheet).
// Message and Hint are French sentences starting with a lower-case letter.
type Finding struct {
	Severity Severity
	Sheet    string
	Cell     string
	Message  string
	Hint     string
}

// Place returns "Feuille!B4", or the sheet alone when there is no cell.
func (f Finding) Place() string {
	if f.Cell == "" {
		return f.Sheet
	}
	return f.Sheet + "!" + f.Cell
}

// String formats the finding as check prints it:
// "erreur : Budget!D12 : montant attendu (nombre), trouvé « douze mille » (conseil : …)".
func (f Finding) String() string {
	s := f.Severity.String() + " : " + f.Place() + " : " + f.Message
	if f.Hint != "" {
		s += " (" + f.Hint + ")"
	}
	return s
}

// HasError reports whether any finding is an error.
func HasError(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Erreur {
			return true
		}
	}
	return false
}

// Status is where a candidature stands on one criterion of the call.
type Status int

const (
	Met       Status = iota + 1 // rempli
	NotMet                      // non rempli
	ToConfirm                   // à confirmer
)

// String returns the French label of the status.
func (s Status) String() string {
	switch s {
	case Met:
		return "rempli"
	case NotMet:
		return "non rempli"
	case ToConfirm:
		return "à confirmer"
	case 0:
		return "non évalué"
	}
	return fmt.Sprintf("statut(%d)", int(s))
}

// Criterion is the verdict on one item of the call's checklist.
type Criterion struct {
	ID     string // the checklist item's id in the call
	Label  string // with the thresholds filled in
	Status Status
	Detail string // the figures behind the verdict, e.g. "capacité 2 400 places"
}
