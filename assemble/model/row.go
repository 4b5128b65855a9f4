package model

import (
	"strconv"
	"time"
)

// Row is one candidate in the reviewers' comparison: the verdict on each
// criterion of the call and the key figures, taken from Figures, as the
// dossiers' synthesis: a figure means the same in both.
type Row struct {
	Dossier                     string // the candidate's folder (or workbook) name in a batch
	Candidat                    string // the collectivité's name
	Type                        string
	Criteria                    []Criterion
	Communautaire, Jour1, Jour2 time.Time
	Capacite                    int64 // the main venue's capacity, the one the criteria judge
	CapaciteTotale              int64 // all venues together
	Pleniere                    int64 // the main venue's plenary seats
	Salles                      int64 // workshop rooms across the venues
	Budget                      int64 // total charges, in-kind included, cents
	EnNature                    int64 // in-kind contributions (87), cents
	Autofinancement             int64 // the collectivité's own funds, cents
	Exterieur                   int64 // external co-financing (in-kind and own funds apart), cents
	ExterieurAcquis             int64 // of which acquired, cents
	Demande                     int64 // asked of the call's funder (the agency), cents
	ParParticipant              int64 // budget per participant the call expects, cents
	ETP                         float64
	Partenaires                 int
	Initiatives                 int
	NECLocaux                   int
	Lettres                     int // support letters
	AutresPieces                int // other annexes
	Pages                       int
	Empreinte                   string // fingerprint of the inputs
}

// PartAcquise is the share of external co-financing acquired, false when
// there is none.
func (r Row) PartAcquise() (float64, bool) {
	if r.Exterieur <= 0 {
		return 0, false
	}
	return float64(r.ExterieurAcquis) / float64(r.Exterieur), true
}

// SetFigures fills the figures of r from f.
func (r *Row) SetFigures(f Figures) {
	r.Capacite, r.CapaciteTotale, r.Pleniere, r.Salles = f.Capacity, f.TotalCapacity, f.Plenary, f.Salles
	r.Budget, r.EnNature = f.Charges, f.EnNatureProduits
	r.Autofinancement, r.Exterieur, r.ExterieurAcquis = f.OwnFunds, f.External, f.ExternalAcquis
	r.Demande, r.ParParticipant = f.Asked, f.PerParticipant
	r.ETP = f.Etp
	r.Lettres, r.AutresPieces = f.Letters, f.Others
}

// CompareColumns names the comparison's columns, criteria aside, in the
// order of the CSV and the workbook.
var CompareColumns = []string{
	"Dossier", "Candidat", "Type", "Journée communautaire", "Jour 1", "Jour 2",
	"Capacité du lieu principal", "Capacité de tous les lieux", "Plénière du lieu principal (places)", "Salles d’ateliers",
	"Budget (€)", "Contributions en nature (€)", "Autofinancement (€)", "Cofinancements extérieurs (€)",
	"Part acquise des cofinancements extérieurs", "Demandé à l’agence (€)", "Budget par participant attendu (€)",
	"ETP", "Partenaires", "Initiatives", "NEC locaux", "Lettres de soutien", "Autres pièces", "Pages", "Empreinte SHA-256",
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
