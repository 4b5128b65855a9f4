package workbook

import (
	"fmt"
	"necdossier/assemble/model"
	"reflect"
	"strconv"
	"strings"
)

// The workbook contract. One declarative description of every sheet drives
// the writer (template and filled workbooks), the reader (which locates each
// field by its label, not by a fixed cell) and the cell references of the
// findings. A sheet holds blocks: a form (label in column A, value in column
// B, help in column C, one row per field) or a table (a header row, then one
// row per record). Tables are found again by their header labels, so that a
// user who inserts rows or columns does not break the reading.
//
// The workbook, sheet by sheet, after « Mode d'emploi » (written from the
// call, never read):
//
//	Collectivité     form: identity, contact, elected official, logo file, charter (Oui/Non)
//	Partenaires      table: Nom, Nature, Rôle dans l’événement, Apport et impact
//	Motivations      form: four long texts
//	Lieux et dates   form (Dates: journée communautaire, jour 1, jour 2, commentaire),
//	                 table « Lieux pressentis », table « Moments officiels prévus »
//	Moyens humains   table: Service, Rôle, ETP, Personnes, Période; a « Total ETP » formula beside
//	Budget           table: Catégorie (Cerfa 12156 account, its number gives the side),
//	                 Libellé, Financeur, Statut (Acquis/Sollicité), Montant (€); totals beside
//	Initiatives      table: Intitulé, Type, Description, Depuis, Porteur, Lien
//	NEC locaux       table: Année, Lieu, Participants, Bilan
//	Thématiques      table: Thématique, Enjeux, Initiatives à mettre en avant
//	Annexes          table: Fichier (relative to the workbook's folder), Titre, Signataire,
//	                 Organisation, Date, Type
//
// Units: amounts in euros (read as cents), dates JJ/MM/AAAA or date cells,
// yes/no as Oui/Non. The hidden sheet « Listes » holds the long dropdowns.

// kind is the type of a field: how it is written, parsed and validated.
type kind int

const (
	kText     kind = iota + 1 // one line of text
	kLongText                 // paragraphs
	kInt                      // whole number ≥ 0
	kMoney                    // euros, kept in cents
	kDecimal                  // number with decimals (ETP)
	kDate                     // civil date
	KYesNo                    // oui / non
	kChoice                   // one of choices
	kEmail                    // e-mail address
	kPhone                    // French phone number
	kFile                     // file name relative to the workbook's folder
	kYear                     // four-digit year
	kPostcode                 // five-digit French postcode
	kURL                      // web address
)

// Text lengths beyond which a cell is refused: the dossier's layout holds a
// few pages per long text, a line for a short one.
const (
	maxLongText  = 10000
	maxShortText = 300
)

// field is one value of the workbook: a form row or a table column.
type field struct {
	Key      string // the model's field name, used in Ref.Cells
	Label    string // header or label text, as written in the template
	Kind     kind
	choices  []string // for kChoice (and kYesNo: Oui, Non)
	Required bool
	help     string  // input message: what is expected
	example  string  // an example value, shown with help
	width    float64 // column width (tables)
}

// sheetBlockKind tells a form from a table.
type sheetBlockKind int

const (
	FormKind sheetBlockKind = iota + 1
	tableKind
)

// SheetBlock is a form or a table within a sheet.
type SheetBlock struct {
	Kind    sheetBlockKind
	name    string // the model's name for the records ("Lieux", "Moments"…)
	Title   string // bold line above the block, "" for none
	Fields  []field
	rows    int // rows prepared in the template (tables)
	MinRows int // records required (tables)
	// total, when set, is a side panel of formulas the template shows the
	// user; the reader never reads it back.
	total []totalLine
}

// totalLine is a label and a formula template; {col:key} is replaced by the
// column letter of field key, {first} and {last} by the table's data rows.
type totalLine struct {
	label   string
	formula string
	format  kind
}

// sheetSpec is one sheet of the workbook.
type sheetSpec struct {
	Name   string
	intro  string // what to put in the sheet, under the title
	Blocks []SheetBlock
}

// Sheet names: they are the contract with the user and with the call's
// sections (templates/*.yaml name them), keep them.
const (
	SheetGuide        = "Mode d'emploi"
	SheetCollectivite = "Collectivité"
	SheetPartenaires  = "Partenaires"
	SheetMotivations  = "Motivations"
	SheetLieux        = "Lieux et dates"
	SheetMoyens       = "Moyens humains"
	SheetBudget       = "Budget"
	SheetInitiatives  = "Initiatives"
	SheetNECLocaux    = "NEC locaux"
	SheetThematiques  = "Thématiques"
	SheetAnnexes      = "Annexes"
	SheetLists        = "Listes" // hidden: the dropdowns' long lists
)

var yesNoChoices = []string{"Oui", "Non"}

var (
	collectiviteTypes = []string{"Commune", "Communauté de communes", "Communauté d’agglomération", "Communauté urbaine", "Métropole", "Département", "Région", "Collectivité à statut particulier", "Syndicat mixte", "Autre"}
	partenaireTypes   = []string{"Collectivité", "Association", "Entreprise", "État ou opérateur public", "Enseignement ou recherche", "Tiers-lieu", "Autre"}
	initiativeTypes   = []string{"Initiative", "Partenariat", "Politique publique"}
	budgetStatuts     = []string{"Acquis", "Sollicité"}
	annexeTypes       = []string{"Lettre de soutien", "Délibération", "Attestation", "Autre"}
)

// Schema is the workbook, sheet by sheet, in the call's order. The guide
// sheet is written from the call and never read.
var Schema = []sheetSpec{
	{
		Name:  SheetCollectivite,
		intro: "Présentez la collectivité candidate, la personne à contacter et l’élu·e en charge du dossier.",
		Blocks: []SheetBlock{{
			Kind: FormKind, name: "Collectivite",
			Fields: []field{
				{Key: "Nom", Label: "Nom de la collectivité", Kind: kText, Required: true, help: "Nom officiel de la collectivité candidate.", example: "Ville de Rennes"},
				{Key: "Type", Label: "Type de collectivité", Kind: kChoice, choices: collectiviteTypes, Required: true, help: "Choisissez dans la liste.", example: "Métropole"},
				{Key: "Population", Label: "Population", Kind: kInt, Required: true, help: "Nombre d’habitants (population municipale ou totale).", example: "225\u202f000"},
				{Key: "Adresse", Label: "Adresse", Kind: kText, Required: true, help: "Numéro et rue du siège.", example: "Place de la Mairie"},
				{Key: "CodePostal", Label: "Code postal", Kind: kPostcode, Required: true, help: "Cinq chiffres.", example: "35000"},
				{Key: "Ville", Label: "Ville", Kind: kText, Required: true, help: "Commune du siège.", example: "Rennes"},
				{Key: "SiteWeb", Label: "Site internet", Kind: kURL, help: "Adresse du site, commençant par https://.", example: "https://metropole.rennes.fr"},
				{Key: "Presentation", Label: "Présentation de la collectivité", Kind: kLongText, Required: true, help: "La collectivité, son territoire et son action pour un numérique d’intérêt général (10 000 caractères au plus).", example: "Rennes Métropole rassemble 43 communes…"},
				{Key: "Logo", Label: "Logo (fichier)", Kind: kFile, help: "Nom du fichier image (PNG ou JPEG) placé dans le même dossier que ce classeur.", example: "logo.png"},
				{Key: "ContactNom", Label: "Contact : nom et prénom", Kind: kText, Required: true, help: "Personne qui suit la candidature.", example: "Camille Martin"},
				{Key: "ContactFonction", Label: "Contact : fonction", Kind: kText, Required: true, help: "Fonction de cette personne.", example: "Cheffe de projet inclusion numérique"},
				{Key: "ContactEmail", Label: "Contact : courriel", Kind: kEmail, Required: true, help: "Adresse électronique.", example: "c.martin@ville.fr"},
				{Key: "ContactTel", Label: "Contact : téléphone", Kind: kPhone, Required: true, help: "10 chiffres commençant par 0, ou +33.", example: "02 99 12 34 56"},
				{Key: "EluNom", Label: "Élu·e en charge : nom et prénom", Kind: kText, Required: true, help: "Élu·e qui porte la candidature.", example: "Dominique Durand"},
				{Key: "EluFonction", Label: "Élu·e en charge : fonction", Kind: kText, Required: true, help: "Sa délégation.", example: "Vice-président au numérique"},
				{Key: "EluEmail", Label: "Élu·e en charge : courriel", Kind: kEmail, help: "Adresse électronique.", example: "d.durand@ville.fr"},
				{Key: "Charte", Label: "Engagement à respecter la charte NEC", Kind: KYesNo, choices: yesNoChoices, Required: true, help: "Répondez Oui pour vous engager à respecter la charte NEC.", example: "Oui"},
			},
		}},
	},
	{
		Name:  SheetPartenaires,
		intro: "Une ligne par partenaire : autres collectivités, associations, entreprises, acteurs du territoire.",
		Blocks: []SheetBlock{{
			Kind: tableKind, name: "Partenaires", rows: 15,
			Fields: []field{
				{Key: "Nom", Label: "Nom", Kind: kText, Required: true, help: "Nom du partenaire.", example: "Association Bug", width: 32},
				{Key: "Type", Label: "Nature", Kind: kChoice, choices: partenaireTypes, help: "Choisissez dans la liste.", example: "Association", width: 26},
				{Key: "Role", Label: "Rôle dans l’événement", Kind: kLongText, help: "Ce que le partenaire fera pour NEC.", example: "Co-organise la journée communautaire", width: 45},
				{Key: "Apport", Label: "Apport et impact", Kind: kLongText, help: "Ce qu’il apporte, son impact pour le numérique d’intérêt général.", example: "Réseau de 40 médiateurs numériques", width: 55},
			},
		}},
	},
	{
		Name:  SheetMotivations,
		intro: "Dites pourquoi la collectivité veut organiser le NEC national 2025. Texte libre, retours à la ligne permis (Alt+Entrée).",
		Blocks: []SheetBlock{{
			Kind: FormKind, name: "Motivations",
			Fields: []field{
				{Key: "Pourquoi", Label: "Pourquoi accueillir NEC 2025", Kind: kLongText, Required: true, help: "Les raisons de la candidature.", example: "Notre territoire porte depuis dix ans…"},
				{Key: "Ambition", Label: "Ambition pour l’événement", Kind: kLongText, Required: true, help: "Ce que l’événement doit permettre.", example: "Réunir les acteurs de la médiation…"},
				{Key: "Heritage", Label: "Ce qui restera sur le territoire", Kind: kLongText, help: "L’héritage attendu après l’événement.", example: "Un réseau local pérenne…"},
				{Key: "Publics", Label: "Publics mobilisés", Kind: kLongText, help: "Acteurs locaux, élus, habitants que vous mobiliserez.", example: "Élus des 43 communes, médiateurs…"},
			},
		}},
	},
	{
		Name:  SheetLieux,
		intro: "Les dates envisagées, les lieux pressentis et les moments officiels prévus. NEC a lieu traditionnellement entre fin septembre et fin octobre.",
		Blocks: []SheetBlock{
			{
				Kind: FormKind, name: "Evenement", Title: "Dates",
				Fields: []field{
					{Key: "JourneeCommunautaire", Label: "Journée communautaire (la veille)", Kind: kDate, Required: true, help: "Date de la journée communautaire, la veille du jour 1 (JJ/MM/AAAA).", example: "24/09/2025"},
					{Key: "Jour1", Label: "Jour 1", Kind: kDate, Required: true, help: "Premier jour de l’événement (JJ/MM/AAAA).", example: "25/09/2025"},
					{Key: "Jour2", Label: "Jour 2", Kind: kDate, Required: true, help: "Second jour, le lendemain du jour 1 (JJ/MM/AAAA).", example: "26/09/2025"},
					{Key: "Commentaire", Label: "Commentaire sur les dates", Kind: kLongText, help: "Contraintes, dates de repli…", example: "Repli possible les 2 et 3 octobre"},
				},
			},
			{
				Kind: tableKind, name: "Lieux", Title: "Lieux pressentis", rows: 6, MinRows: 1,
				Fields: []field{
					{Key: "Nom", Label: "Lieu", Kind: kText, Required: true, help: "Nom du lieu.", example: "Couvent des Jacobins", width: 30},
					{Key: "Adresse", Label: "Adresse", Kind: kText, Required: true, help: "Adresse du lieu.", example: "20 place Sainte-Anne, Rennes", width: 32},
					{Key: "Capacite", Label: "Capacité totale", Kind: kInt, Required: true, help: "Personnes accueillies en même temps.", example: "2\u202f400", width: 14},
					{Key: "Pleniere", Label: "Places en plénière", Kind: kInt, Required: true, help: "Places assises de la salle plénière.", example: "1\u202f000", width: 14},
					{Key: "Salles", Label: "Salles d’ateliers", Kind: kInt, help: "Nombre de salles d’ateliers.", example: "12", width: 12},
					{Key: "PlacesAteliers", Label: "Places en ateliers", Kind: kInt, help: "Places assises de toutes les salles d’ateliers.", example: "900", width: 14},
					{Key: "Accessible", Label: "Accès de plain-pied", Kind: KYesNo, choices: yesNoChoices, help: "Accessible aux personnes à mobilité réduite ?", example: "Oui", width: 13},
					{Key: "Disponibilite", Label: "Disponibilité confirmée", Kind: KYesNo, choices: yesNoChoices, help: "Le lieu est-il réservé ou confirmé pour ces dates ?", example: "Oui", width: 14},
					{Key: "Cout", Label: "Coût d’occupation (€)", Kind: kMoney, help: "Coût de location ou d’occupation, en euros.", example: "18\u202f000", width: 16},
					{Key: "PrisEnCharge", Label: "Pris en charge par", Kind: kText, help: "Qui paie l’occupation.", example: "Rennes Métropole", width: 24},
				},
			},
			{
				Kind: tableKind, name: "Moments", Title: "Moments officiels prévus", rows: 6,
				Fields: []field{
					{Key: "Date", Label: "Date", Kind: kDate, Required: true, help: "Date du moment officiel (JJ/MM/AAAA).", example: "25/09/2025", width: 14},
					{Key: "Heure", Label: "Heure", Kind: kText, help: "Heure prévue.", example: "9 h 30", width: 10},
					{Key: "Intitule", Label: "Intitulé", Kind: kText, Required: true, help: "Plénière d’ouverture, visite ministérielle…", example: "Plénière d’ouverture", width: 30},
					{Key: "Lieu", Label: "Lieu", Kind: kText, help: "Où il se tiendra.", example: "Couvent des Jacobins", width: 24},
				},
			},
		},
	},
	{
		Name:  SheetMoyens,
		intro: "Les moyens humains que la collectivité mobilisera : une ligne par service ou par rôle.",
		Blocks: []SheetBlock{{
			Kind: tableKind, name: "Equipe", rows: 15, MinRows: 1,
			Fields: []field{
				{Key: "Service", Label: "Service", Kind: kText, Required: true, help: "Service ou direction.", example: "Direction du numérique", width: 30},
				{Key: "Role", Label: "Rôle", Kind: kText, Required: true, help: "Ce que fera ce service pour NEC.", example: "Coordination générale", width: 36},
				{Key: "ETP", Label: "ETP", Kind: kDecimal, help: "Équivalents temps plein consacrés à NEC (0,5 = mi-temps).", example: "1,5", width: 10},
				{Key: "Personnes", Label: "Personnes", Kind: kInt, help: "Nombre de personnes.", example: "3", width: 11},
				{Key: "Periode", Label: "Période", Kind: kText, help: "Quand elles seront mobilisées.", example: "janvier à octobre 2025", width: 28},
			},
			total: []totalLine{{label: "Total ETP", formula: "SUM({col:ETP}{first}:{col:ETP}{last})", format: kDecimal}},
		}},
	},
	{
		Name:  SheetBudget,
		intro: "Le budget prévisionnel, à la manière du Cerfa 12156 : une ligne par charge ou produit. Le numéro de la catégorie dit s’il s’agit d’une charge (6x, 86) ou d’un produit (7x, 87). Les contributions en nature (86 et 87) s’équilibrent à part.",
		Blocks: []SheetBlock{{
			Kind: tableKind, name: "Budget", rows: 25, MinRows: 1,
			Fields: []field{
				{Key: "Categorie", Label: "Catégorie", Kind: kChoice, choices: model.BudgetCategories, Required: true, help: "Compte du budget (Cerfa 12156) : 60 à 65 et 86 pour les charges, 70 à 75 et 87 pour les produits.", example: "74 – Subventions d’exploitation", width: 44},
				{Key: "Libelle", Label: "Libellé", Kind: kText, Required: true, help: "Nature de la dépense ou de la recette.", example: "Location du lieu", width: 36},
				{Key: "Financeur", Label: "Financeur", Kind: kText, help: "Pour un cofinancement : qui le verse.", example: "Région Bretagne", width: 24},
				{Key: "Statut", Label: "Statut", Kind: kChoice, choices: budgetStatuts, help: "Pour un cofinancement : acquis ou sollicité.", example: "Sollicité", width: 12},
				{Key: "Montant", Label: "Montant (€)", Kind: kMoney, Required: true, help: "Montant en euros.", example: "12\u202f500", width: 16},
			},
			total: []totalLine{
				{label: "Total des charges", formula: `SUMIF({col:Categorie}{first}:{col:Categorie}{last},"6*",{col:Montant}{first}:{col:Montant}{last})+SUMIF({col:Categorie}{first}:{col:Categorie}{last},"86*",{col:Montant}{first}:{col:Montant}{last})`, format: kMoney},
				{label: "Total des produits", formula: `SUMIF({col:Categorie}{first}:{col:Categorie}{last},"7*",{col:Montant}{first}:{col:Montant}{last})+SUMIF({col:Categorie}{first}:{col:Categorie}{last},"87*",{col:Montant}{first}:{col:Montant}{last})`, format: kMoney},
				{label: "Solde (doit être nul)", formula: "{total:0}-{total:1}", format: kMoney},
				{label: "Contributions en nature : emplois (86)", formula: `SUMIF({col:Categorie}{first}:{col:Categorie}{last},"86*",{col:Montant}{first}:{col:Montant}{last})`, format: kMoney},
				{label: "Contributions en nature : ressources (87)", formula: `SUMIF({col:Categorie}{first}:{col:Categorie}{last},"87*",{col:Montant}{first}:{col:Montant}{last})`, format: kMoney},
			},
		}},
	},
	{
		Name:  SheetInitiatives,
		intro: "Les initiatives, dynamiques partenariales et politiques publiques de votre territoire en faveur d’un numérique d’intérêt général.",
		Blocks: []SheetBlock{{
			Kind: tableKind, name: "Initiatives", rows: 15, MinRows: 1,
			Fields: []field{
				{Key: "Intitule", Label: "Intitulé", Kind: kText, Required: true, help: "Nom de l’initiative ou de la politique.", example: "Pass numérique", width: 30},
				{Key: "Type", Label: "Type", Kind: kChoice, choices: initiativeTypes, help: "Choisissez dans la liste.", example: "Politique publique", width: 20},
				{Key: "Description", Label: "Description", Kind: kLongText, Required: true, help: "Ce qu’elle fait, pour qui, avec quels résultats.", example: "12\u202f000 chèques distribués depuis 2020…", width: 60},
				{Key: "Depuis", Label: "Depuis", Kind: kText, help: "Année ou période.", example: "2020", width: 12},
				{Key: "Porteur", Label: "Porteur", Kind: kText, help: "Qui la porte.", example: "Rennes Métropole", width: 24},
				{Key: "Lien", Label: "Lien", Kind: kURL, help: "Page web de présentation.", example: "https://exemple.fr/pass", width: 30},
			},
		}},
	},
	{
		Name:  SheetNECLocaux,
		intro: "Le bilan des NEC locaux déjà organisés sur votre territoire, s’il y en a.",
		Blocks: []SheetBlock{{
			Kind: tableKind, name: "NECLocaux", rows: 10,
			Fields: []field{
				{Key: "Annee", Label: "Année", Kind: kYear, Required: true, help: "Année de l’édition (AAAA).", example: "2023", width: 10},
				{Key: "Lieu", Label: "Lieu", Kind: kText, Required: true, help: "Où il s’est tenu.", example: "Saint-Brieuc", width: 26},
				{Key: "Participants", Label: "Participants", Kind: kInt, help: "Nombre de participants.", example: "350", width: 13},
				{Key: "Bilan", Label: "Bilan", Kind: kLongText, help: "Ce qu’il a produit.", example: "Création d’un réseau départemental…", width: 70},
			},
		}},
	},
	{
		Name:  SheetThematiques,
		intro: "Les thématiques, les enjeux et les initiatives du territoire à mettre en avant dans la programmation du NEC 2025.",
		Blocks: []SheetBlock{{
			Kind: tableKind, name: "Thematiques", rows: 10, MinRows: 1,
			Fields: []field{
				{Key: "Theme", Label: "Thématique", Kind: kText, Required: true, help: "Intitulé court.", example: "Numérique responsable", width: 30},
				{Key: "Enjeux", Label: "Enjeux", Kind: kLongText, help: "Pourquoi ce thème compte pour le territoire.", example: "Réduire l’empreinte des services publics…", width: 55},
				{Key: "Initiatives", Label: "Initiatives à mettre en avant", Kind: kLongText, help: "Initiatives locales à présenter.", example: "Atelier de reconditionnement…", width: 55},
			},
		}},
	},
	{
		Name:  SheetAnnexes,
		intro: "Les lettres de soutien et autres documents, un par ligne. Placez chaque fichier (PDF, JPEG ou PNG) dans le même dossier que ce classeur et écrivez son nom exact dans la colonne « Fichier ».",
		Blocks: []SheetBlock{{
			Kind: tableKind, name: "Annexes", rows: 15, MinRows: 1,
			Fields: []field{
				{Key: "Fichier", Label: "Fichier", Kind: kFile, Required: true, help: "Nom du fichier dans le dossier du classeur (PDF, JPEG ou PNG).", example: "soutien-region.pdf", width: 30},
				{Key: "Titre", Label: "Titre", Kind: kText, Required: true, help: "Titre du document.", example: "Lettre de soutien de la Région", width: 36},
				{Key: "Signataire", Label: "Signataire", Kind: kText, help: "Qui signe.", example: "Loïg Chesnais-Girard", width: 24},
				{Key: "Organisation", Label: "Organisation", Kind: kText, help: "Au nom de quelle organisation.", example: "Région Bretagne", width: 24},
				{Key: "Date", Label: "Date", Kind: kDate, help: "Date du document (JJ/MM/AAAA).", example: "02/07/2024", width: 12},
				{Key: "Type", Label: "Type", Kind: kChoice, choices: annexeTypes, Required: true, help: "Choisissez dans la liste.", example: "Lettre de soutien", width: 20},
			},
		}},
	},
}

// Template layout: where things are in the workbook that workbook.Write makes.
const (
	titleRow   = 1 // sheet title
	introRow   = 2 // what to put in the sheet
	firstBlock = 4 // first row of the first block
	blockGap   = 2 // blank rows between blocks (tables prepared rows included)
	// extraRows is how far below a table's prepared rows the formats and
	// dropdowns still apply, for users who need more rows.
	extraRows = 200
)

// blockLayout is where a block lies in the template.
type blockLayout struct {
	titleRow  int // 0 when the block has no title
	headerRow int // tables: the header row; forms: the first field's row
	firstRow  int // first data row (tables) or first field row (forms)
	lastRow   int // last prepared row
}

// layout computes the rows for the blocks of s, tables holding at least
// counts[i] records (counts may be nil: the blank template). It is the one
// place the template's geometry is decided: the writer and CellFor use it.
func (s sheetSpec) layout(counts []int) []blockLayout {
	out := make([]blockLayout, len(s.Blocks))
	row := firstBlock
	for i, b := range s.Blocks {
		var l blockLayout
		if b.Title != "" {
			l.titleRow = row
			row++
		}
		switch b.Kind {
		case FormKind:
			l.headerRow = row
			l.firstRow = row
			l.lastRow = row + len(b.Fields) - 1
		case tableKind:
			l.headerRow = row
			l.firstRow = row + 1
			n := b.rows
			if i < len(counts) && counts[i] > n {
				n = counts[i]
			}
			l.lastRow = row + n
		}
		out[i] = l
		row = l.lastRow + 1 + blockGap
	}
	return out
}

// SheetByName returns the spec of a data sheet.
func SheetByName(name string) (sheetSpec, bool) {
	for _, s := range Schema {
		if s.Name == name {
			return s, true
		}
	}
	return sheetSpec{}, false
}

// sheetIndex is a sheet's rank in the workbook, for sorting findings; the
// guide comes first, unknown sheets last.
func sheetIndex(name string) int {
	if name == SheetGuide {
		return 0
	}
	for i, s := range Schema {
		if s.Name == name {
			return i + 1
		}
	}
	return len(Schema) + 1
}

// colName returns the column letters of the n-th column (1-based).
func colName(n int) string {
	if n >= 1 && n <= 26 {
		return columnLetters[n-1 : n]
	}
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

// cellName returns "B4" for column 2, row 4.
func cellName(col, row int) string { return colName(col) + strconv.Itoa(row) }

const columnLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// CellFor returns the cell of the blank template that holds field key of
// sheet: for a form field its value cell (row is ignored), for a table the
// cell of the row-th record (0-based). Keys are the model's field names
// ("Nom", "Capacite", "Montant"…), as in Ref.Cells. A table followed by
// another block (the venues of « Lieux et dates ») has only its prepared
// rows; the others grow downwards without limit.
func CellFor(sheet, key string, row int) (string, error) {
	s, ok := SheetByName(sheet)
	if !ok {
		return "", fmt.Errorf("feuille « %s » inconnue du classeur", sheet)
	}
	lay := s.layout(nil)
	for bi, b := range s.Blocks {
		for fi, f := range b.Fields {
			if f.Key != key {
				continue
			}
			if b.Kind == FormKind {
				return cellName(2, lay[bi].firstRow+fi), nil
			}
			if row < 0 {
				return "", fmt.Errorf("feuille « %s » : ligne %d invalide", sheet, row)
			}
			// Below a table followed by another block, rows run into it.
			if bi < len(s.Blocks)-1 && row >= b.rows {
				return "", fmt.Errorf("feuille « %s » : le tableau « %s » a %d lignes préparées ; insérez des lignes pour en écrire plus", sheet, b.Title, b.rows)
			}
			return cellName(fi+1, lay[bi].firstRow+row), nil
		}
	}
	var keys []string
	for _, b := range s.Blocks {
		for _, f := range b.Fields {
			keys = append(keys, f.Key)
		}
	}
	return "", fmt.Errorf("feuille « %s » : champ %q inconnu (connus : %s)", sheet, key, strings.Join(keys, ", "))
}

// ModelOf returns the part of c that block b fills: a struct for a form, a
// slice of structs for a table. The schema names model fields by their Go
// names; TestSchemaMatchesModel keeps the two in step.
func ModelOf(c *model.Candidature, b SheetBlock) reflect.Value {
	return reflect.ValueOf(c).Elem().FieldByName(b.name)
}
