package model

import (
	"strconv"
	"time"
)

// Row is one candidate in the reviewers' comparison: the verdict on each
// criterion of the call and the key figures, taken from the same model as
// the dossiers.
type Row struct {
	Dossier                     string // the candidate's folder (or workbook) name in a batch
	Candidat                    string // the collectivité's name
	Type                        string
	Criteria                    []Criterion
	Communautaire, Jour1, Jour2 time.Time
	Capacite                    int64   // total places across the venues
	Pleniere                    int64   // largest plenary room
	Salles                      int64   // workshop rooms across the venues
	Budget                      int64   // total charges, in-kind excluded, cents
	Acquis                      float64 // share of the produits already secured (acquis), 0–1
	EnNature                    int64   // in-kind contributions (87), cents
	ETP                         float64
	Partenaires                 int
	Initiatives                 int
	NECLocaux                   int
	Lettres                     int
	Pages                       int
	Empreinte                   string // fingerprint of the inputs
}

// compareColumns names the comparison's columns, criteria aside.
var CompareColumns = []string{
	"Dossier", "Candidat", "Type", "Journée communautaire", "Jour 1", "Jour 2",
	"Capacité totale", "Plénière (places)", "Salles d’ateliers", "Budget (€)",
	"Part acquise des produits", "Contributions en nature (€)", "ETP", "Partenaires",
	"Initiatives", "NEC locaux", "Lettres", "Pages", "Empreinte SHA-256",
}

// statusOf returns the verdict on criterion id, 0 when absent.
func StatusOf(cs []Criterion, id string) Status {
	for _, c := range cs {
		if c.ID == id {
			return c.Status
		}
	}
	return 0
}

// criterionColumns are the headers of the criteria's columns: numbered as
// in the comparison's PDF, with the call's wording.
func CriterionColumns(call *Call) []string {
	var cols []string
	for i, it := range call.Checklist {
		cols = append(cols, "C"+strconv.Itoa(i+1)+" : "+call.Label(it))
	}
	return cols
}
