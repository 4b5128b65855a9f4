package model

import "fmt"

// Severity tells whether a finding stops the build.
type Severity int

const (
	// Erreur stops the build: the dossier could not be made, or would be
	// unreadable or untrue (a value that cannot be read, a file that cannot
	// be found or merged, an empty identity field). What the call asks is
	// judged, never an error.
	Erreur Severity = iota + 1
	// Avertissement is printed, and the build goes on; the synthesis lists
	// it among the points the candidate must confirm.
	Avertissement
	// Note is about how the tool processed a file (a letter decrypted,
	// flattened, its signature lost): for the person building, printed and
	// written to the manifest, never in the dossier.
	Note
)

// String returns the French word for the severity.
func (s Severity) String() string {
	switch s {
	case Erreur:
		return "erreur"
	case Avertissement:
		return "avertissement"
	case Note:
		return "note"
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
	// ToJudge is a criterion that needs the committee's judgement
	// (experience, mobilisation): the candidate answered, the committee weighs.
	ToJudge // renseigné — à apprécier
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
	case ToJudge:
		return "renseigné — à apprécier"
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
