package model

import "time"

// Candidature is everything a collectivité says in its workbook, typed.
// It is what the workbook reader produces, what the checks judge and what
// the renderer draws; nothing downstream reads the workbook again.
//
// Amounts are in euro cents; dates are civil dates (time.Time at midnight
// UTC, the zero Time when the cell is empty). Each record carries a Ref, so
// that a finding can name the sheet and cell to fix.
type Candidature struct {
	Collectivite Collectivite
	Partenaires  []Partenaire
	Motivations  Motivations
	Evenement    Evenement
	Lieux        []Lieu
	Moments      []Moment
	Equipe       []Poste
	Budget       []LigneBudget
	Initiatives  []Initiative
	NECLocaux    []NECLocal
	Thematiques  []Thematique
	Annexes      []Annexe

	// Source describes the workbook file itself.
	Source Source
	// Unreadable names the sheets the reader could not use (missing, or a
	// table whose header it could not find): it said so once, and the checks
	// judge nothing more of them.
	Unreadable map[string]bool
}

// Source identifies the workbook a Candidature was read from.
type Source struct {
	Name   string // file name as given on the command line
	Dir    string // folder the annex files are relative to
	SHA256 string // hex digest of the workbook's bytes
	Size   int64
}

// Ref locates a record in the workbook: its sheet, its row for a table
// (0 on a form sheet), and the cell of each field, keyed by field name.
type Ref struct {
	Sheet string
	Row   int
	Cells map[string]string
	// Unread holds the fields whose cell held something the reader could
	// not read: the reader reported it, so the checks do not report the
	// field as missing too.
	Unread map[string]bool
	// Typed holds the fields whose cell was not blank, so that a typed 0
	// (a free venue) is told from a blank cell. A record made in code has
	// no Typed: its zero values read as blank.
	Typed map[string]bool
	// AsText holds the numeric fields typed as text (« 12 500 € »): read
	// by the tool, but ignored by the sheet's own total formulas.
	AsText map[string]bool
}

// Given reports whether field key's cell was filled in (0 included).
func (r Ref) Given(key string) bool { return r.Typed[key] }

// MarkTyped records that field key's cell held a value; asText that a
// number was typed as text.
func (r *Ref) MarkTyped(key string, asText bool) {
	if r.Typed == nil {
		r.Typed = map[string]bool{}
	}
	r.Typed[key] = true
	if asText {
		if r.AsText == nil {
			r.AsText = map[string]bool{}
		}
		r.AsText[key] = true
	}
}

// Cell returns the cell ("B4") holding field key, or "" when unknown.
func (r Ref) Cell(key string) string { return r.Cells[key] }

// MarkUnread records that field key held something that could not be read.
func (r *Ref) MarkUnread(key string) {
	if r.Unread == nil {
		r.Unread = map[string]bool{}
	}
	r.Unread[key] = true
}

// Collectivite is the sheet « Collectivité »: identity, contact, elected
// official in charge, and the description the call asks for.
type Collectivite struct {
	Nom          string
	Type         string // Commune, EPCI, Métropole, Département, Région, …
	Population   int64
	Adresse      string
	CodePostal   string
	Ville        string
	SiteWeb      string
	Presentation string // long text: the collectivité and its impact
	Logo         string // image file, relative to the workbook's folder

	ContactNom      string
	ContactFonction string
	ContactEmail    string
	ContactTel      string

	EluNom      string
	EluFonction string
	EluEmail    string

	Charte bool // commits to the NEC charter

	At Ref
}

// Partenaire is a row of « Partenaires ».
type Partenaire struct {
	Nom    string
	Type   string // Collectivité, Association, Entreprise, État ou opérateur, …
	Role   string // role in the event
	Apport string // what they bring, their impact
	At     Ref
}

// Motivations is the sheet « Motivations »: long texts.
type Motivations struct {
	Pourquoi string // why the collectivité wants to host NEC 2025
	Ambition string // what it wants the event to achieve
	Heritage string // what will remain on the territory afterwards
	Publics  string // audiences it will mobilise
	At       Ref
}

// Evenement is the dated part of « Lieux et dates ».
type Evenement struct {
	JourneeCommunautaire time.Time // the community day, the day before day 1
	Jour1                time.Time
	Jour2                time.Time
	Commentaire          string
	At                   Ref
}

// Lieu is a venue row of « Lieux et dates ».
type Lieu struct {
	Nom            string
	Adresse        string
	Capacite       int64 // total people at once
	Pleniere       int64 // seats in the plenary room
	Salles         int64 // workshop rooms
	PlacesAteliers int64 // seats across the workshop rooms
	Accessible     bool  // step-free access
	Disponibilite  bool  // availability confirmed for the dates
	Cout           int64 // occupation cost, cents
	PrisEnCharge   string
	At             Ref
}

// Moment is an official moment foreseen (ministerial visit, plenary…).
type Moment struct {
	Date     time.Time
	Heure    string
	Intitule string
	Lieu     string
	At       Ref
}

// Poste is a row of « Moyens humains ».
type Poste struct {
	Service   string
	Role      string
	ETP       float64
	Personnes int64
	Periode   string
	At        Ref
}

// Sens tells a budget line's side.
type Sens int

const (
	Charge Sens = iota + 1
	Produit
)

// LigneBudget is a row of « Budget », in the Cerfa 12156 way: each line has
// a side, an account category (60 to 65 and 86 for charges, 70 to 75 and 87
// for produits), and for co-financings the funder and whether the money is
// secured (acquis) or requested (sollicité). In-kind contributions are the
// categories 86 (charges) and 87 (produits), which must balance.
type LigneBudget struct {
	Sens      Sens
	Categorie string // "60 – Achats", "74 – Subventions d’exploitation", …
	Libelle   string
	Financeur string
	Statut    string // "Acquis", "Sollicité" or ""
	Montant   int64  // cents
	At        Ref
}

// Compte returns the account number of the line's category ("60", "74", …),
// or "" when the category does not start with one.
func (l LigneBudget) Compte() string {
	n := 0
	for n < len(l.Categorie) && n < 2 && l.Categorie[n] >= '0' && l.Categorie[n] <= '9' {
		n++
	}
	if n < 2 {
		return ""
	}
	return l.Categorie[:2]
}

// EnNature reports whether the line is an in-kind contribution (86 or 87).
func (l LigneBudget) EnNature() bool {
	c := l.Compte()
	return c == "86" || c == "87"
}

// Initiative is a row of « Initiatives »: an initiative, a partnership or a
// public policy for a numérique d'intérêt général.
type Initiative struct {
	Intitule    string
	Type        string // Initiative, Partenariat, Politique publique
	Description string
	Depuis      string // year or period
	Porteur     string
	Lien        string
	At          Ref
}

// NECLocal is a local NEC already organised.
type NECLocal struct {
	Annee        int64
	Lieu         string
	Participants int64
	Bilan        string
	At           Ref
}

// Thematique is a theme to put forward in the 2025 programme.
type Thematique struct {
	Theme       string
	Enjeux      string
	Initiatives string
	At          Ref
}

// Annexe is a row of « Annexes »: a support letter or another document.
type Annexe struct {
	Fichier      string // relative to the workbook's folder
	Titre        string
	Signataire   string
	Organisation string
	Date         time.Time
	Type         string // Lettre de soutien, Délibération, Attestation, Autre
	At           Ref
}

// BudgetCategories are the accounts of the Cerfa 12156 budget prévisionnel.
// The account number tells the side: 6x and 86 are charges, 7x and 87 produits.
var BudgetCategories = []string{
	"60 – Achats",
	"61 – Services extérieurs",
	"62 – Autres services extérieurs",
	"63 – Impôts et taxes",
	"64 – Charges de personnel",
	"65 – Autres charges de gestion courante",
	"86 – Emplois des contributions volontaires en nature",
	"70 – Ventes de produits finis, prestations de services",
	"74 – Subventions d’exploitation",
	"75 – Autres produits de gestion courante (mécénat…)",
	"87 – Contributions volontaires en nature",
}
