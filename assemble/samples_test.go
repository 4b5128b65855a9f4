package assemble

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"necdossier/assemble/check"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
	"necdossier/assemble/workbook/workbooktest"
	"necdossier/templates"
)

// updateSamples rewrites the workbooks of samples/ from the literals below.
// It is not called -update: the renderer's golden files use that name, and
// one flag should not rewrite both.
var updateSamples = flag.Bool("update-samples", false, "réécrit les classeurs de samples/ à partir de samples_test.go")

// The sample candidatures shipped in samples/: three fictional collectivités
// whose every name, address, person and figure is invented. The literals
// below are the source of truth; the workbooks in samples/ are generated
// from them (go test ./assemble -run TestSamples -update-samples) and the
// test checks that the committed workbooks still read back to them.
//
// Phone numbers are in the ranges the French regulator (Arcep) keeps for
// fiction (01 99 00 xx xx), postal codes start with 99 (no French
// département), e-mail and web addresses use the reserved .example domain.

// sampleDay returns the civil date y-m-d, as the workbook reader gives it.
func sampleDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// sampleEuros converts whole euros to the model's cents.
func sampleEuros(n int64) int64 { return n * 100 }

// sampleCandidatures returns the sample candidatures by folder name under
// samples/. Each call builds fresh values, so a test may change them.
func sampleCandidatures() map[string]*model.Candidature {
	return map[string]*model.Candidature{
		"belrive":     sampleBelrive(),
		"haut-verdal": sampleHautVerdal(),
		"sarrine":     sampleSarrine(),
	}
}

// sampleBelrive is the main sample: complete, and meeting every criterion
// of the call.
func sampleBelrive() *model.Candidature {
	return &model.Candidature{
		Collectivite: model.Collectivite{
			Nom:        "Métropole de Belrive",
			Type:       "Métropole",
			Population: 412600,
			Adresse:    "Hôtel de Métropole, 12, quai des Tanneurs",
			CodePostal: "99100",
			Ville:      "Belrive",
			SiteWeb:    "https://www.belrive-metropole.example",
			Presentation: "Collectivité fictive, créée pour illustrer necdossier.\n\n" +
				"La Métropole de Belrive réunit 38 communes et 412 600 habitants de part et d’autre de l’Ormance, " +
				"entre une ville centre de 168 000 habitants, une première couronne urbaine et des communes rurales " +
				"de coteaux. Un habitant sur cinq y vit dans un quartier prioritaire de la politique de la ville, " +
				"et près d’un sur trois déclare renoncer à certaines démarches en ligne.\n\n" +
				"Depuis 2018, la Métropole conduit une politique publique du numérique d’intérêt général : " +
				"schéma métropolitain de l’inclusion numérique, réseau de 42 lieux de médiation « Belrive Connectée », " +
				"ouverture des données publiques, achats numériques responsables et mutualisation de logiciels libres " +
				"avec ses communes membres. Cette politique est portée par un vice-président délégué et par la " +
				"direction de l’innovation numérique (24 agents).\n\n" +
				"Ses partenaires, la Ville de Belrive, la Région Val-d’Ormance, le Département de l’Aubrelle, " +
				"l’Université de Belrive, le réseau associatif des Connecteurs belrivains, la coopérative des " +
				"tiers-lieux et le cluster des entreprises du numérique, travaillent avec elle au sein du " +
				"« comité belrivain du numérique d’intérêt général », qui se réunit chaque trimestre.\n\n" +
				"Pour en savoir plus : https://www.belrive-metropole.example/numerique-interet-general",
			Logo:            "logo-belrive.png",
			ContactNom:      "Sophie Argenton",
			ContactFonction: "Cheffe de projet Numérique en Commun[s], direction de l’innovation numérique",
			ContactEmail:    "sophie.argenton@belrive-metropole.example",
			ContactTel:      "01 99 00 12 34",
			EluNom:          "Yannick Le Bihanic",
			EluFonction:     "Vice-président délégué au numérique responsable et à l’inclusion",
			EluEmail:        "yannick.lebihanic@belrive-metropole.example",
			Charte:          true,
		},
		Partenaires: []model.Partenaire{
			{
				Nom:    "Ville de Belrive",
				Type:   "Collectivité",
				Role:   "Co-organisatrice de la journée communautaire ; met à disposition la Halle Saint-Aubert.",
				Apport: "Ville centre de 168 000 habitants, elle anime le réseau des médiathèques et des centres sociaux, dont 14 lieux labellisés « Belrive Connectée ».",
			},
			{
				Nom:    "Région Val-d’Ormance",
				Type:   "Collectivité",
				Role:   "Cofinanceur ; relaie l’événement auprès des lycées, des centres de formation et des tiers-lieux.",
				Apport: "Porte la feuille de route régionale pour l’inclusion numérique et le « Pass numérique Val-d’Ormance », qui a permis d’accompagner 11 000 habitants de la métropole.",
			},
			{
				Nom:    "Département de l’Aubrelle",
				Type:   "Collectivité",
				Role:   "Cofinanceur ; mobilise ses conseillers numériques départementaux pour la journée communautaire.",
				Apport: "Finance les permanences numériques dans les maisons départementales des solidarités et le bus numérique des communes rurales.",
			},
			{
				Nom:    "Les Connecteurs belrivains",
				Type:   "Association",
				Role:   "Programme la journée communautaire avec les réseaux régionaux de médiation ; accueil bénévole.",
				Apport: "Réseau de 42 lieux de médiation et de 90 médiatrices et médiateurs, qui accompagnent chaque année plus de 15 000 personnes.",
			},
			{
				Nom:    "Université de Belrive",
				Type:   "Enseignement ou recherche",
				Role:   "Programmation scientifique ; mise à disposition d’amphithéâtres pour les ateliers du vendredi.",
				Apport: "Laboratoire « Usages, territoires et communs numériques » et master de médiation numérique ; mène l’évaluation du schéma métropolitain.",
			},
			{
				Nom:    "Coopérative des tiers-lieux de l’Ormance",
				Type:   "Tiers-lieu",
				Role:   "Accueille la soirée des communautés à La Filature ; anime le village des tiers-lieux.",
				Apport: "Société coopérative d’intérêt collectif réunissant 19 tiers-lieux, fablabs et ateliers de réemploi du territoire.",
			},
			{
				Nom:    "Belrive Numérique Entreprises",
				Type:   "Entreprise",
				Role:   "Mécène ; mobilise les entreprises du numérique responsable et du reconditionnement.",
				Apport: "Cluster de 130 entreprises, dont 22 engagées dans la charte « numérique responsable » de la Métropole.",
			},
		},
		Motivations: model.Motivations{
			Pourquoi: "Belrive a fait du numérique d’intérêt général une politique publique à part entière, votée, financée et évaluée. " +
				"Accueillir Numérique en Commun[s] serait la reconnaissance du travail des médiatrices et médiateurs, des agents et des " +
				"associations qui l’ont rendue possible.\n\n" +
				"C’est aussi une étape : après trois NEC locaux, nous voulons ouvrir notre écosystème aux autres territoires, " +
				"confronter nos pratiques aux leurs et apprendre de celles et ceux qui ont accueilli l’événement avant nous.",
			Ambition: "Nous voulons un NEC qui donne envie d’agir : des plénières courtes, des ateliers construits par les " +
				"professionnels eux-mêmes, des visites de terrain dans les lieux de médiation de la métropole, et des « engagements " +
				"de Belrive » que chaque territoire participant pourra reprendre à son compte.\n\n" +
				"Nous visons 2 400 participants sur les deux jours, dont un tiers d’élus et d’agents publics, " +
				"et 320 intervenantes et intervenants, avec une parité stricte sur les scènes.",
			Heritage: "L’événement laissera trois héritages durables :\n" +
				"– un réseau régional de la médiation numérique structuré, avec une charte commune et un plan de formation ;\n" +
				"– un « fonds des communs belrivains », doté de 50 000 € par an, pour soutenir les projets issus des ateliers ;\n" +
				"– une méthode d’événement sobre et accessible (vaisselle réemployable, restauration locale, LSF et vélotypie), " +
				"documentée et publiée sous licence libre.",
			Publics: "Les médiatrices et médiateurs numériques et les travailleurs sociaux, les élus et agents des collectivités " +
				"de la région, les associations, les tiers-lieux, les chercheurs et les étudiants de l’Université de Belrive, " +
				"les entreprises du numérique responsable, et les habitants, associés lors de la journée communautaire " +
				"et des visites de terrain.\n\n" +
				"Les 38 maires de la métropole seront invités personnellement, ainsi que les élus des départements " +
				"voisins ; les Connecteurs belrivains mobiliseront leurs bénévoles et les personnes qu’ils accompagnent, " +
				"pour que l’événement parle aussi de celles et ceux qui vivent le numérique au quotidien.",
		},
		Evenement: model.Evenement{
			JourneeCommunautaire: sampleDay(2025, time.October, 1),
			Jour1:                sampleDay(2025, time.October, 2),
			Jour2:                sampleDay(2025, time.October, 3),
			Commentaire: "La SPL Belrive Événements, qui exploite le Centre des congrès, a confirmé par écrit le 12 juin 2024 " +
				"la disponibilité de tous ses espaces du 30 septembre au 4 octobre 2025. " +
				"Montage le mardi 30 septembre, démontage le samedi 4 octobre au matin. " +
				"La gare de Belrive-Centre est à huit minutes à pied du Centre des congrès ; des navettes électriques " +
				"relieront la Halle Saint-Aubert et La Filature pendant les trois jours.",
		},
		Lieux: []model.Lieu{
			{
				Nom:            "Centre des congrès des Tanneries",
				Adresse:        "2, esplanade des Tanneries, 99100 Belrive",
				Capacite:       2600,
				Pleniere:       1400,
				Salles:         14,
				PlacesAteliers: 1150,
				Accessible:     true,
				Disponibilite:  true,
				Cout:           sampleEuros(58000),
				PrisEnCharge:   "Métropole de Belrive (mise à disposition, valorisée en nature)",
			},
			{
				Nom:            "Halle Saint-Aubert",
				Adresse:        "18, rue Saint-Aubert, 99100 Belrive",
				Capacite:       600,
				Pleniere:       250,
				Salles:         6,
				PlacesAteliers: 240,
				Accessible:     true,
				Disponibilite:  true,
				Cout:           sampleEuros(8000),
				PrisEnCharge:   "Ville de Belrive (mise à disposition, valorisée en nature)",
			},
			{
				Nom:            "La Filature, tiers-lieu",
				Adresse:        "5, rue des Métiers, 99110 Saint-Ormel-les-Rives",
				Capacite:       300,
				Pleniere:       180,
				Salles:         4,
				PlacesAteliers: 90,
				Accessible:     true,
				Disponibilite:  true,
				Cout:           0,
				PrisEnCharge:   "Coopérative des tiers-lieux de l’Ormance (prêt gracieux)",
			},
		},
		Moments: []model.Moment{
			{Date: sampleDay(2025, time.October, 1), Heure: "17 h", Intitule: "Ouverture de la journée communautaire par la présidente de la Métropole", Lieu: "Halle Saint-Aubert"},
			{Date: sampleDay(2025, time.October, 2), Heure: "9 h 30", Intitule: "Plénière d’ouverture institutionnelle, en présence d’un membre du Gouvernement (invitation sollicitée)", Lieu: "Centre des congrès des Tanneries, grand auditorium"},
			{Date: sampleDay(2025, time.October, 2), Heure: "18 h 30", Intitule: "Réception des élus et des partenaires", Lieu: "Hôtel de Métropole"},
			{Date: sampleDay(2025, time.October, 3), Heure: "16 h", Intitule: "Plénière de clôture : les « engagements de Belrive » pour 2026", Lieu: "Centre des congrès des Tanneries, grand auditorium"},
		},
		Equipe: []model.Poste{
			{Service: "Direction de l’innovation numérique", Role: "Cheffe de projet NEC 2025 : pilotage, lien avec l’ANCT", ETP: 1, Personnes: 1, Periode: "Janvier à novembre 2025"},
			{Service: "Direction de l’innovation numérique", Role: "Programmation et relations avec les partenaires", ETP: 0.8, Personnes: 1, Periode: "Février à octobre 2025"},
			{Service: "Mission inclusion numérique", Role: "Coordination de la journée communautaire avec les réseaux de médiation", ETP: 0.4, Personnes: 1, Periode: "Mars à octobre 2025"},
			{Service: "Direction de la communication", Role: "Communication, relations presse, réseaux sociaux", ETP: 0.5, Personnes: 2, Periode: "Avril à octobre 2025"},
			{Service: "Direction de l’événementiel", Role: "Logistique, régie, sécurité des sites", ETP: 0.6, Personnes: 2, Periode: "Mai à octobre 2025"},
			{Service: "Direction des systèmes d’information", Role: "Wifi, inscriptions, captation et diffusion en direct", ETP: 0.3, Personnes: 2, Periode: "Juin à octobre 2025"},
			{Service: "Mission accessibilité", Role: "Accessibilité des lieux et des contenus (LSF, vélotypie, signalétique)", ETP: 0.25, Personnes: 1, Periode: "Mai à octobre 2025"},
			{Service: "Direction de la commande publique", Role: "Marchés de restauration, de production et d’accessibilité", ETP: 0.2, Personnes: 1, Periode: "Janvier à juin 2025"},
			{Service: "Direction des finances", Role: "Suivi budgétaire, subventions et mécénat", ETP: 0.15, Personnes: 1, Periode: "Toute l’année 2025"},
			{Service: "Agents volontaires de la Métropole", Role: "Accueil et orientation des participants", ETP: 1.5, Personnes: 40, Periode: "Du 30 septembre au 3 octobre 2025"},
		},
		Budget: []model.LigneBudget{
			{Sens: model.Charge, Categorie: "60 – Achats", Libelle: "Restauration des participants (déjeuners et pauses, circuits courts)", Montant: sampleEuros(118000)},
			{Sens: model.Charge, Categorie: "60 – Achats", Libelle: "Fournitures, signalétique réemployable et impressions", Montant: sampleEuros(14000)},
			{Sens: model.Charge, Categorie: "61 – Services extérieurs", Libelle: "Location de matériel scénique, son, lumière et captation", Montant: sampleEuros(52000)},
			{Sens: model.Charge, Categorie: "61 – Services extérieurs", Libelle: "Assurance de l’événement", Montant: sampleEuros(3500)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Agence de production (scénographie, régie générale)", Montant: sampleEuros(68000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Déplacements et hébergement des intervenants", Montant: sampleEuros(46000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Interprétation en LSF, vélotypie et sous-titrage", Montant: sampleEuros(18500)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Communication, site web et inscriptions", Montant: sampleEuros(22000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Navettes électriques entre les sites", Montant: sampleEuros(9000)},
			{Sens: model.Charge, Categorie: "64 – Charges de personnel", Libelle: "Renforts temporaires d’accueil (vacataires)", Montant: sampleEuros(24000)},
			{Sens: model.Charge, Categorie: "65 – Autres charges de gestion courante", Libelle: "Bourses de déplacement pour les médiateurs numériques", Montant: sampleEuros(15000)},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Mise à disposition du Centre des congrès des Tanneries", Montant: sampleEuros(58000)},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Mise à disposition de la Halle Saint-Aubert", Montant: sampleEuros(8000)},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Personnel métropolitain mis à disposition (valorisation)", Montant: sampleEuros(30000)},

			{Sens: model.Produit, Categorie: "70 – Ventes de produits finis, prestations de services", Libelle: "Participation des exposants au village des partenaires", Financeur: "Exposants (entreprises, associations)", Montant: sampleEuros(24000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Participation de l’État au titre de Numérique en Commun[s]", Financeur: "ANCT – Programme Société Numérique", Statut: "Sollicité", Montant: sampleEuros(60000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention régionale", Financeur: "Région Val-d’Ormance", Statut: "Sollicité", Montant: sampleEuros(60000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention départementale", Financeur: "Département de l’Aubrelle", Statut: "Acquis", Montant: sampleEuros(25000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Participation de la Métropole (budget primitif 2025)", Financeur: "Métropole de Belrive", Statut: "Acquis", Montant: sampleEuros(150000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Participation de la ville centre", Financeur: "Ville de Belrive", Statut: "Acquis", Montant: sampleEuros(20000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Appel à projets « Territoires numériques solidaires »", Financeur: "Fonds Ormance Numérique Solidaire", Statut: "Sollicité", Montant: sampleEuros(20000)},
			{Sens: model.Produit, Categorie: "75 – Autres produits de gestion courante (mécénat…)", Libelle: "Mécénat des entreprises du cluster", Financeur: "Belrive Numérique Entreprises", Statut: "Acquis", Montant: sampleEuros(19000)},
			{Sens: model.Produit, Categorie: "75 – Autres produits de gestion courante (mécénat…)", Libelle: "Mécénat de fondation (accessibilité)", Financeur: "Fondation Rives solidaires", Statut: "Sollicité", Montant: sampleEuros(12000)},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Centre des congrès des Tanneries", Financeur: "Métropole de Belrive", Montant: sampleEuros(58000)},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Halle Saint-Aubert", Financeur: "Ville de Belrive", Montant: sampleEuros(8000)},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Personnel mis à disposition", Financeur: "Métropole de Belrive", Montant: sampleEuros(30000)},
		},
		Initiatives: []model.Initiative{
			{
				Intitule:    "Schéma métropolitain de l’inclusion numérique",
				Type:        "Politique publique",
				Description: "Adopté en 2018 et révisé en 2023, il fixe trois objectifs : un lieu de médiation à moins de quinze minutes de chaque habitant, la formation de tous les agents d’accueil, et l’évaluation annuelle des besoins.",
				Depuis:      "2018",
				Porteur:     "Métropole de Belrive",
				Lien:        "https://www.belrive-metropole.example/inclusion-numerique",
			},
			{
				Intitule:    "Réseau « Belrive Connectée »",
				Type:        "Partenariat",
				Description: "Label et réseau de 42 lieux de médiation (centres sociaux, médiathèques, France Services, associations), avec un annuaire commun, une formation continue et un outil partagé de prise de rendez-vous.",
				Depuis:      "2019",
				Porteur:     "Métropole de Belrive et Les Connecteurs belrivains",
				Lien:        "https://www.belrive-connectee.example",
			},
			{
				Intitule:    "Stratégie « Numérique responsable 2022-2026 »",
				Type:        "Politique publique",
				Description: "Allongement de la durée de vie du matériel à sept ans, reconditionnement des ordinateurs réformés au profit des associations, clauses environnementales dans tous les marchés numériques.",
				Depuis:      "2022",
				Porteur:     "Métropole de Belrive",
			},
			{
				Intitule:    "Portail des données ouvertes de la Métropole",
				Type:        "Initiative",
				Description: "Plus de 320 jeux de données publiés sous licence ouverte, dont les horaires des lieux de médiation et l’offre de transport ; un atelier mensuel ouvert aux habitants.",
				Depuis:      "2017",
				Porteur:     "Métropole de Belrive",
				Lien:        "https://data.belrive-metropole.example",
			},
			{
				Intitule:    "Fabrique des communs numériques",
				Type:        "Partenariat",
				Description: "Les 38 communes mutualisent des logiciels libres (gestion des salles, état civil, portail citoyen) et financent ensemble leurs évolutions, publiées pour les autres collectivités.",
				Depuis:      "2021",
				Porteur:     "Métropole de Belrive et ses communes membres",
			},
			{
				Intitule:    "Bus numérique « Cap Rives »",
				Type:        "Initiative",
				Description: "Un bus aménagé parcourt chaque semaine les communes rurales des coteaux : accompagnement aux démarches, ateliers, prêt de matériel reconditionné.",
				Depuis:      "2020",
				Porteur:     "Département de l’Aubrelle et Les Connecteurs belrivains",
			},
			{
				Intitule:    "Hub territorial pour un numérique inclusif",
				Type:        "Partenariat",
				Description: "Hébergé à Belrive, il anime un réseau de 240 structures sur les cinq départements de la région, forme les aidants et outille les collectivités.",
				Depuis:      "2020",
				Porteur:     "Région Val-d’Ormance et Métropole de Belrive",
			},
		},
		NECLocaux: []model.NECLocal{
			{Annee: 2021, Lieu: "Belrive, Halle Saint-Aubert", Participants: 280, Bilan: "Première édition, montée en deux mois avec les Connecteurs belrivains ; naissance du label « Belrive Connectée »."},
			{Annee: 2022, Lieu: "Belrive, Centre des congrès des Tanneries", Participants: 450, Bilan: "Vingt-quatre ateliers, dont huit animés par des habitants accompagnés ; lancement de la Fabrique des communs numériques."},
			{Annee: 2023, Lieu: "Belrive et Ormancy", Participants: 640, Bilan: "Édition régionale sur deux villes, avec la Région Val-d’Ormance ; 87 % des participants satisfaits ou très satisfaits, dont 35 % d’élus et d’agents publics."},
		},
		Thematiques: []model.Thematique{
			{Theme: "Inclusion numérique et accès aux droits", Enjeux: "Faire du droit à l’accompagnement une réalité partout, y compris dans les communes rurales et les quartiers prioritaires.", Initiatives: "Réseau « Belrive Connectée », bus numérique « Cap Rives »"},
			{Theme: "Communs numériques et logiciels libres dans les collectivités", Enjeux: "Mutualiser plutôt que racheter : gouvernance, financement et pérennité des communs entre collectivités.", Initiatives: "Fabrique des communs numériques"},
			{Theme: "Sobriété numérique et réemploi", Enjeux: "Allonger la durée de vie des équipements et réduire l’empreinte des services publics numériques.", Initiatives: "Stratégie « Numérique responsable 2022-2026 », filière de reconditionnement"},
			{Theme: "Données publiques au service des politiques locales", Enjeux: "Ouvrir les données utiles aux habitants et aux associations, et apprendre à s’en servir ensemble.", Initiatives: "Portail des données ouvertes, ateliers mensuels"},
			{Theme: "Jeunesse et esprit critique face aux écrans", Enjeux: "Former les jeunes et leurs parents à un usage éclairé des réseaux sociaux et de l’intelligence artificielle.", Initiatives: "Ateliers en collèges avec le Département, master de médiation numérique de l’Université de Belrive"},
		},
		Annexes: []model.Annexe{
			{Fichier: "lettre-region-val-d-ormance.pdf", Titre: "Lettre de soutien de la Région Val-d’Ormance", Signataire: "Hélène Marvaux", Organisation: "Région Val-d’Ormance", Date: sampleDay(2024, time.June, 24), Type: "Lettre de soutien"},
			{Fichier: "deliberation-conseil-metropolitain.pdf", Titre: "Délibération n° CM-2024-06-118 du conseil métropolitain (extrait)", Signataire: "Claire Vautrin", Organisation: "Métropole de Belrive", Date: sampleDay(2024, time.June, 28), Type: "Délibération"},
			{Fichier: "lettre-connecteurs-belrivains.jpg", Titre: "Lettre de soutien des Connecteurs belrivains", Signataire: "Inès Marchadier", Organisation: "Les Connecteurs belrivains", Date: sampleDay(2024, time.June, 19), Type: "Lettre de soutien"},
		},
	}
}

// sampleHautVerdal is a smaller, rural candidate that meets the criteria
// narrowly: a venue of 2 100 places and a single letter.
func sampleHautVerdal() *model.Candidature {
	return &model.Candidature{
		Collectivite: model.Collectivite{
			Nom:        "Communauté de communes du Haut-Verdal",
			Type:       "Communauté de communes",
			Population: 23480,
			Adresse:    "2, place de la Halle",
			CodePostal: "99450",
			Ville:      "Verdalès",
			SiteWeb:    "https://www.haut-verdal.example",
			Presentation: "Collectivité fictive, créée pour illustrer necdossier.\n\n" +
				"La Communauté de communes du Haut-Verdal regroupe 27 communes de moyenne montagne. " +
				"Avec son programme « Verdal branché », elle a équipé chaque mairie d’un point d’accès accompagné " +
				"et fait circuler deux France Services itinérants dans les hameaux.",
			ContactNom:      "Julien Ardouin",
			ContactFonction: "Chargé de mission numérique et services au public",
			ContactEmail:    "julien.ardouin@haut-verdal.example",
			ContactTel:      "01 99 00 45 60",
			EluNom:          "Martine Sarrazac",
			EluFonction:     "Vice-présidente chargée des services au public et du numérique",
			EluEmail:        "martine.sarrazac@haut-verdal.example",
			Charte:          true,
		},
		Partenaires: []model.Partenaire{
			{Nom: "Département de l’Aubrelle", Type: "Collectivité", Role: "Cofinanceur ; navettes depuis la gare d’Aubrelle-sur-Lisse.", Apport: "Conseillers numériques départementaux et schéma d’accessibilité des services au public."},
			{Nom: "Montagne Connectée", Type: "Association", Role: "Programme la journée communautaire.", Apport: "Association de médiation numérique itinérante, présente dans les 27 communes."},
			{Nom: "Verdal Fibre", Type: "Entreprise", Role: "Mécène ; connectivité des sites.", Apport: "Opérateur du réseau d’initiative publique en fibre optique du Haut-Verdal."},
		},
		Motivations: model.Motivations{
			Pourquoi: "Montrer qu’un territoire rural peut accueillir l’événement national et qu’il a des choses à dire sur l’inclusion numérique.",
			Ambition: "Un NEC « hors les murs », avec des ateliers dans les mairies et les France Services itinérants, et 2 000 participants au parc des expositions.",
			Heritage: "Un réseau de médiation structuré à l’échelle de la vallée et une coopération durable avec le Département.",
			Publics:  "Élus et secrétaires de mairie des communes rurales, médiateurs, acteurs du tourisme et de l’agriculture, habitants.",
		},
		Evenement: model.Evenement{
			JourneeCommunautaire: sampleDay(2025, time.September, 24),
			Jour1:                sampleDay(2025, time.September, 25),
			Jour2:                sampleDay(2025, time.September, 26),
			Commentaire:          "Hébergement complété par les villages de vacances de la vallée, hors saison fin septembre.",
		},
		Lieux: []model.Lieu{
			{Nom: "Parc des expositions du Haut-Verdal", Adresse: "Route de la Lisse, 99450 Verdalès", Capacite: 2100, Pleniere: 1200, Salles: 10, PlacesAteliers: 800, Accessible: true, Disponibilite: true, Cout: sampleEuros(22000), PrisEnCharge: "Communauté de communes (mise à disposition, valorisée en nature)"},
			{Nom: "Tiers-lieu La Scierie", Adresse: "Chemin du Moulin, 99450 Verdalès", Capacite: 250, Pleniere: 120, Salles: 3, PlacesAteliers: 60, Accessible: true, Disponibilite: true, Cout: 0, PrisEnCharge: "Association gestionnaire (prêt gracieux)"},
		},
		Moments: []model.Moment{
			{Date: sampleDay(2025, time.September, 25), Heure: "10 h", Intitule: "Plénière d’ouverture avec les élus du territoire", Lieu: "Parc des expositions, grande halle"},
			{Date: sampleDay(2025, time.September, 26), Heure: "15 h 30", Intitule: "Plénière de clôture", Lieu: "Parc des expositions, grande halle"},
		},
		Equipe: []model.Poste{
			{Service: "Mission numérique", Role: "Chef de projet", ETP: 1, Personnes: 1, Periode: "Janvier à octobre 2025"},
			{Service: "Service communication", Role: "Communication et relations presse", ETP: 0.5, Personnes: 1, Periode: "Avril à septembre 2025"},
			{Service: "Services techniques", Role: "Logistique et montage", ETP: 0.6, Personnes: 3, Periode: "Septembre 2025"},
			{Service: "France Services", Role: "Accueil des participants", ETP: 0.4, Personnes: 6, Periode: "Du 23 au 26 septembre 2025"},
		},
		Budget: []model.LigneBudget{
			{Sens: model.Charge, Categorie: "60 – Achats", Libelle: "Restauration et fournitures", Montant: sampleEuros(96000)},
			{Sens: model.Charge, Categorie: "61 – Services extérieurs", Libelle: "Location de chapiteaux, son et lumière", Montant: sampleEuros(38000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Production et communication", Montant: sampleEuros(24000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Déplacements et hébergement des intervenants", Montant: sampleEuros(30000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Navettes depuis la gare", Montant: sampleEuros(8000)},
			{Sens: model.Charge, Categorie: "64 – Charges de personnel", Libelle: "Renforts saisonniers", Montant: sampleEuros(9000)},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Mise à disposition du parc des expositions", Montant: sampleEuros(22000)},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Personnel mis à disposition", Montant: sampleEuros(12000)},

			{Sens: model.Produit, Categorie: "70 – Ventes de produits finis, prestations de services", Libelle: "Participation des exposants", Financeur: "Exposants du salon", Montant: sampleEuros(8000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Participation de l’État", Financeur: "ANCT – Programme Société Numérique", Statut: "Sollicité", Montant: sampleEuros(50000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention régionale", Financeur: "Région Val-d’Ormance", Statut: "Sollicité", Montant: sampleEuros(35000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention départementale", Financeur: "Département de l’Aubrelle", Statut: "Acquis", Montant: sampleEuros(30000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Autofinancement", Financeur: "Communauté de communes du Haut-Verdal", Statut: "Acquis", Montant: sampleEuros(60000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Fonds européen de développement rural", Financeur: "Groupe d’action locale du Haut-Verdal", Statut: "Sollicité", Montant: sampleEuros(10000)},
			{Sens: model.Produit, Categorie: "75 – Autres produits de gestion courante (mécénat…)", Libelle: "Mécénat", Financeur: "Verdal Fibre", Statut: "Acquis", Montant: sampleEuros(12000)},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Parc des expositions", Financeur: "Communauté de communes du Haut-Verdal", Montant: sampleEuros(22000)},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Personnel mis à disposition", Financeur: "Communauté de communes du Haut-Verdal", Montant: sampleEuros(12000)},
		},
		Initiatives: []model.Initiative{
			{Intitule: "Programme « Verdal branché »", Type: "Politique publique", Description: "Un point d’accès accompagné dans chaque mairie, des permanences hebdomadaires de médiation.", Depuis: "2020", Porteur: "Communauté de communes du Haut-Verdal"},
			{Intitule: "France Services itinérants", Type: "Partenariat", Description: "Deux véhicules qui desservent les hameaux deux jours par semaine.", Depuis: "2021", Porteur: "Communauté de communes et Département de l’Aubrelle"},
			{Intitule: "Ateliers « Mon téléphone, mon alpage »", Type: "Initiative", Description: "Ateliers numériques pour les agriculteurs et les saisonniers.", Depuis: "2022", Porteur: "Montagne Connectée"},
		},
		NECLocaux: []model.NECLocal{
			{Annee: 2023, Lieu: "Verdalès", Participants: 180, Bilan: "Premier NEC rural de la région ; un tiers des participants étaient des élus de petites communes."},
		},
		Thematiques: []model.Thematique{
			{Theme: "Ruralité et accès aux services publics", Enjeux: "Maintenir un accompagnement humain là où les guichets ferment.", Initiatives: "France Services itinérants"},
			{Theme: "Connectivité et usages", Enjeux: "Faire suivre les usages après le déploiement de la fibre.", Initiatives: "Programme « Verdal branché »"},
			{Theme: "Numérique et économie de montagne", Enjeux: "Outiller les agriculteurs, les artisans et le tourisme.", Initiatives: "Ateliers « Mon téléphone, mon alpage »"},
		},
		Annexes: []model.Annexe{
			{Fichier: "lettre-departement-aubrelle.pdf", Titre: "Lettre de soutien du Département de l’Aubrelle", Signataire: "Marc-Olivier Peyrelongue", Organisation: "Département de l’Aubrelle", Date: sampleDay(2024, time.July, 1), Type: "Lettre de soutien"},
		},
	}
}

// sampleSarrine is a candidate with two things to confirm: its dates fall in
// November, outside the call's window, and its main venue is not confirmed.
func sampleSarrine() *model.Candidature {
	return &model.Candidature{
		Collectivite: model.Collectivite{
			Nom:        "Département de la Sarrine",
			Type:       "Département",
			Population: 286300,
			Adresse:    "Hôtel du Département, 1, place de la Préfecture",
			CodePostal: "99300",
			Ville:      "Montsarrin",
			SiteWeb:    "https://www.sarrine.example",
			Presentation: "Collectivité fictive, créée pour illustrer necdossier.\n\n" +
				"Le Département de la Sarrine compte 212 communes rurales et une agglomération, Montsarrin. " +
				"Chef de file de l’action sociale, il porte depuis 2021 un plan départemental d’inclusion numérique " +
				"et finance 24 conseillers numériques.",
			ContactNom:      "Claire-Marie Dautrey",
			ContactFonction: "Directrice de l’inclusion et des usages numériques",
			ContactEmail:    "cm.dautrey@sarrine.example",
			ContactTel:      "01 99 00 63 10",
			EluNom:          "Rachid Benhamza",
			EluFonction:     "Vice-président chargé de l’inclusion numérique",
			EluEmail:        "rachid.benhamza@sarrine.example",
			Charte:          true,
		},
		Partenaires: []model.Partenaire{
			{Nom: "Université de Montsarrin", Type: "Enseignement ou recherche", Role: "Programmation scientifique ; journée communautaire sur le campus des Carmes.", Apport: "Observatoire sarrinois des fragilités numériques, master de médiation."},
			{Nom: "Association des maires ruraux de la Sarrine", Type: "Association", Role: "Mobilisation des élus des petites communes.", Apport: "Réseau des 212 maires ruraux du département."},
			{Nom: "Montsarrin Agglomération", Type: "Collectivité", Role: "Cofinanceur ; transports urbains gratuits pour les participants.", Apport: "Réseau de médiathèques et de France Services de l’agglomération."},
		},
		Motivations: model.Motivations{
			Pourquoi: "Faire entendre la voix des départements, chefs de file de l’inclusion, dans la communauté Numérique en Commun[s].",
			Ambition: "Un NEC tourné vers l’action sociale : accès aux droits, aidants numériques, travailleurs sociaux.",
			Heritage: "Une feuille de route départementale révisée avec les acteurs réunis pendant l’événement.",
			Publics:  "Travailleurs sociaux, conseillers numériques, élus ruraux, chercheurs et étudiants.",
		},
		Evenement: model.Evenement{
			JourneeCommunautaire: sampleDay(2025, time.November, 12),
			Jour1:                sampleDay(2025, time.November, 13),
			Jour2:                sampleDay(2025, time.November, 14),
			Commentaire:          "Le parc des congrès n’est disponible qu’à partir de novembre ; une option est posée, sa confirmation est attendue pour septembre 2024.",
		},
		Lieux: []model.Lieu{
			{Nom: "Parc des congrès de Montsarrin", Adresse: "Boulevard de l’Europe, 99300 Montsarrin", Capacite: 2400, Pleniere: 1500, Salles: 12, PlacesAteliers: 900, Accessible: true, Disponibilite: false, Cout: sampleEuros(70000), PrisEnCharge: "Département de la Sarrine (budget 2025)"},
			{Nom: "Campus des Carmes, Université de Montsarrin", Adresse: "45, avenue des Sciences, 99300 Montsarrin", Capacite: 800, Pleniere: 400, Salles: 12, PlacesAteliers: 360, Accessible: true, Disponibilite: true, Cout: 0, PrisEnCharge: "Université de Montsarrin (mise à disposition)"},
		},
		Moments: []model.Moment{
			{Date: sampleDay(2025, time.November, 13), Heure: "9 h 30", Intitule: "Plénière d’ouverture", Lieu: "Parc des congrès, auditorium"},
			{Date: sampleDay(2025, time.November, 14), Heure: "16 h", Intitule: "Plénière de clôture et signature de la feuille de route", Lieu: "Parc des congrès, auditorium"},
		},
		Equipe: []model.Poste{
			{Service: "Direction de l’inclusion et des usages numériques", Role: "Pilotage du projet", ETP: 1, Personnes: 2, Periode: "Janvier à novembre 2025"},
			{Service: "Direction de la communication", Role: "Communication", ETP: 0.5, Personnes: 1, Periode: "Mai à novembre 2025"},
			{Service: "Conseillers numériques départementaux", Role: "Programmation de la journée communautaire", ETP: 0.8, Personnes: 8, Periode: "Septembre à novembre 2025"},
		},
		Budget: []model.LigneBudget{
			{Sens: model.Charge, Categorie: "60 – Achats", Libelle: "Restauration", Montant: sampleEuros(110000)},
			{Sens: model.Charge, Categorie: "61 – Services extérieurs", Libelle: "Location du parc des congrès", Montant: sampleEuros(70000)},
			{Sens: model.Charge, Categorie: "61 – Services extérieurs", Libelle: "Technique et captation", Montant: sampleEuros(40000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Production de l’événement", Montant: sampleEuros(50000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Déplacements des intervenants", Montant: sampleEuros(40000)},
			{Sens: model.Charge, Categorie: "62 – Autres services extérieurs", Libelle: "Communication", Montant: sampleEuros(15000)},
			{Sens: model.Charge, Categorie: "64 – Charges de personnel", Libelle: "Vacataires", Montant: sampleEuros(15000)},
			{Sens: model.Charge, Categorie: "86 – Emplois des contributions volontaires en nature", Libelle: "Personnel départemental mis à disposition", Montant: sampleEuros(25000)},

			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Participation de l’État", Financeur: "ANCT – Programme Société Numérique", Statut: "Sollicité", Montant: sampleEuros(70000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Subvention régionale", Financeur: "Région des Marches-de-Sarre", Statut: "Sollicité", Montant: sampleEuros(40000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Autofinancement", Financeur: "Département de la Sarrine", Statut: "Acquis", Montant: sampleEuros(180000)},
			{Sens: model.Produit, Categorie: "74 – Subventions d’exploitation", Libelle: "Participation de l’agglomération", Financeur: "Montsarrin Agglomération", Statut: "Sollicité", Montant: sampleEuros(30000)},
			{Sens: model.Produit, Categorie: "75 – Autres produits de gestion courante (mécénat…)", Libelle: "Mécénat", Financeur: "Entreprises sarrinoises du numérique", Statut: "Sollicité", Montant: sampleEuros(20000)},
			{Sens: model.Produit, Categorie: "87 – Contributions volontaires en nature", Libelle: "Personnel mis à disposition", Financeur: "Département de la Sarrine", Montant: sampleEuros(25000)},
		},
		Initiatives: []model.Initiative{
			{Intitule: "Plan départemental d’inclusion numérique", Type: "Politique publique", Description: "24 conseillers numériques, deux bus numériques, formation des travailleurs sociaux.", Depuis: "2021", Porteur: "Département de la Sarrine"},
			{Intitule: "Observatoire sarrinois des fragilités numériques", Type: "Partenariat", Description: "Enquête annuelle auprès de 3 000 ménages.", Depuis: "2022", Porteur: "Département et Université de Montsarrin", Lien: "https://observatoire.sarrine.example"},
		},
		NECLocaux: []model.NECLocal{
			{Annee: 2022, Lieu: "Montsarrin", Participants: 320, Bilan: "Journée co-organisée avec l’université ; forte présence des travailleurs sociaux."},
			{Annee: 2024, Lieu: "Préviers-sur-Sarrine", Participants: 150, Bilan: "Édition rurale avec l’Association des maires ruraux."},
		},
		Thematiques: []model.Thematique{
			{Theme: "Inclusion numérique et action sociale", Enjeux: "Former et outiller les travailleurs sociaux face à la dématérialisation.", Initiatives: "Plan départemental d’inclusion numérique"},
			{Theme: "Mesurer les fragilités numériques", Enjeux: "Des données fiables pour orienter l’action publique.", Initiatives: "Observatoire sarrinois des fragilités numériques"},
			{Theme: "Le numérique à la mairie", Enjeux: "Appuyer les secrétaires de mairie des petites communes.", Initiatives: "Ateliers de l’Association des maires ruraux"},
		},
		Annexes: []model.Annexe{
			{Fichier: "lettre-universite-montsarrin.pdf", Titre: "Lettre de soutien de l’Université de Montsarrin", Signataire: "Armand Lescuyer", Organisation: "Université de Montsarrin", Date: sampleDay(2024, time.July, 2), Type: "Lettre de soutien"},
			{Fichier: "lettre-maires-ruraux-sarrine.pdf", Titre: "Lettre de soutien de l’Association des maires ruraux de la Sarrine", Signataire: "Josiane Catelain", Organisation: "Association des maires ruraux de la Sarrine", Date: sampleDay(2024, time.July, 5), Type: "Lettre de soutien"},
		},
	}
}

// samplesDir is the samples/ folder, seen from the package's directory;
// each sample is the workbook sampleWorkbook in its own folder, beside the
// files its annexes name.
const (
	samplesDir     = "../samples"
	sampleWorkbook = "candidature.xlsx"
)

// sampleErrors is the folder of the workbook with typical mistakes.
const sampleErrors = "exemple-erreurs"

// sampleMistake is a typing mistake the model cannot hold (text in a number
// or date cell): the generator writes it into the cell of field key of
// sheet, record row, after workbook.Write.
type sampleMistake struct {
	sheet, key string
	row        int
	text       string
}

// sampleWithErrors returns the error example: Belrive's candidature with the
// mistakes users typically make, those the model can carry (in c) and those
// typed over a cell afterwards. Its annex files are in samples/exemple-erreurs
// (a .docx) or missing on purpose.
func sampleWithErrors() (*model.Candidature, []sampleMistake) {
	c := sampleBelrive()
	c.Collectivite.Presentation = "Classeur d’exemple comportant des erreurs volontaires, créé pour illustrer necdossier. " +
		"La collectivité est fictive.\n\n" + c.Collectivite.Presentation
	c.Collectivite.Logo = ""
	// A required field left empty.
	c.Collectivite.ContactNom = ""
	// An e-mail address without @.
	c.Collectivite.ContactEmail = "sophie.argenton.belrive-metropole.example"
	// testkit.Day 2 is not the day after day 1.
	c.Evenement.Jour2 = sampleDay(2025, time.October, 6)
	for i := range c.Budget {
		switch l := &c.Budget[i]; l.Libelle {
		case "Assurance de l’événement":
			// A negative amount: a reduction typed as a charge.
			l.Montant = -l.Montant
		case "Personnel mis à disposition":
			// In-kind produits (87) no longer equal in-kind charges (86),
			// and the budget no longer balances.
			l.Montant = sampleEuros(25000)
		}
	}
	c.Annexes = []model.Annexe{
		// A letter announced but not put in the folder.
		{Fichier: "lettre-departement-aubrelle.pdf", Titre: "Lettre de soutien du Département de l’Aubrelle", Signataire: "Marc-Olivier Peyrelongue", Organisation: "Département de l’Aubrelle", Date: sampleDay(2024, time.June, 26), Type: "Lettre de soutien"},
		// A letter in Word format instead of PDF or an image.
		{Fichier: "lettre-region-val-d-ormance.docx", Titre: "Lettre de soutien de la Région Val-d’Ormance", Signataire: "Hélène Marvaux", Organisation: "Région Val-d’Ormance", Date: sampleDay(2024, time.June, 24), Type: "Lettre de soutien"},
	}
	mistakes := []sampleMistake{
		// An amount written out in words.
		{sheet: workbook.SheetBudget, key: "Montant", row: 1, text: "douze mille"},
		// A date that does not exist.
		{sheet: workbook.SheetLieux, key: "Date", row: 1, text: "31/09/2025"},
	}
	return c, mistakes
}

// sampleBytes returns the workbook of c with the mistakes typed over it.
func sampleBytes(t *testing.T, call *model.Call, c *model.Candidature, mistakes []sampleMistake) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := workbook.Write(&buf, call, c); err != nil {
		t.Fatal(err)
	}
	if len(mistakes) == 0 {
		return buf.Bytes()
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, m := range mistakes {
		cell, err := workbook.CellFor(m.sheet, m.key, m.row)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStr(m.sheet, cell, m.text); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// sampleParts returns the uncompressed parts of a workbook by name, so that
// two workbooks compare by content, whatever the zip compressor did.
func sampleParts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	parts := map[string]string{}
	for _, p := range workbooktest.ZipParts(t, b) {
		parts[p.Name] = string(p.Data)
	}
	return parts
}

// sampleVerdicts is what the checks should say of each sample: the
// criteria not met (all others are), and the places of the warnings.
var sampleVerdicts = map[string]struct {
	notMet   map[string]model.Status // criterion id → status, for those not Met
	warnings []samplePlace
}{
	"belrive": {},
	"haut-verdal": {
		// 2 100 places: the 2 000 participants, not the 300 speakers as well.
		notMet:   map[string]model.Status{"speakers": model.ToConfirm},
		warnings: []samplePlace{{workbook.SheetLieux, "Capacite", 0}},
	},
	"sarrine": {
		notMet: map[string]model.Status{"window": model.ToConfirm, "venue": model.ToConfirm},
		warnings: []samplePlace{
			{workbook.SheetLieux, "JourneeCommunautaire", 0}, {workbook.SheetLieux, "Jour1", 0}, {workbook.SheetLieux, "Jour2", 0},
			{workbook.SheetLieux, "Disponibilite", 0},
		},
	},
}

// samplePlace is a cell given as CellFor takes it; key "" is the whole sheet.
type samplePlace struct {
	sheet, key string
	row        int
}

// sampleErrorPlaces are the errors the error example was made for: what
// makes a dossier unreadable or untrue. Its other mistakes (an e-mail
// without @, a day 2 that is not the day after day 1) are judged, in
// warnings, and its budget is not called unbalanced on top of its
// unreadable amount (one mistake, one finding).
var sampleErrorPlaces = []samplePlace{
	{workbook.SheetCollectivite, "ContactNom", 0}, // required identity field left empty
	{workbook.SheetLieux, "Date", 1},              // « 31/09/2025 »
	{workbook.SheetBudget, "Montant", 1},          // « douze mille »
	{workbook.SheetBudget, "Montant", 3},          // negative amount
	{workbook.SheetAnnexes, "Fichier", 0},         // file not in the folder
	{workbook.SheetAnnexes, "Fichier", 1},         // a .docx
}

// samplePlaces returns "Feuille!B4" for each place, sorted, without repeats.
func samplePlaces(t *testing.T, ps []samplePlace) []string {
	t.Helper()
	var out []string
	for _, p := range ps {
		f := model.Finding{Sheet: p.sheet}
		if p.key != "" {
			cell, err := workbook.CellFor(p.sheet, p.key, p.row)
			if err != nil {
				t.Fatal(err)
			}
			f.Cell = cell
		}
		out = append(out, f.Place())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sampleFindingPlaces returns the places of the findings of severity sev, sorted,
// without repeats: a cell may draw a reading error and a check error.
func sampleFindingPlaces(fs []model.Finding, sev model.Severity) []string {
	var out []string
	for _, f := range fs {
		if f.Severity == sev {
			out = append(out, f.Place())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestSamples checks that each committed sample workbook is the one
// workbook.Write makes today, that it reads back to its literal and gets the
// verdicts it was made for, and that the error example gives the errors it
// was made for. With -update-samples it first rewrites the workbooks.
func TestSamples(t *testing.T) {
	call := loadSampleCall(t)
	type sample struct {
		dir      string
		c        *model.Candidature
		mistakes []sampleMistake
	}
	var all []sample
	for name, c := range sampleCandidatures() {
		all = append(all, sample{name, c, nil})
	}
	c, mistakes := sampleWithErrors()
	all = append(all, sample{sampleErrors, c, mistakes})
	for _, s := range all {
		want := sampleBytes(t, call, s.c, s.mistakes)
		path := filepath.Join(samplesDir, s.dir, sampleWorkbook)
		if *updateSamples {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("écrit %s (%d octets)", path, len(want))
			continue
		}
		// A template change (layout, help, styles) must reach the samples:
		// the README's first command opens one.
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(sampleParts(t, got), sampleParts(t, want)) {
			t.Errorf("%s n’est plus le classeur que WriteWorkbook écrit : régénérez avec go test ./assemble -run TestSamples -update-samples", path)
		}
	}
	const regenerate = "régénérez avec go test ./assemble -run TestSamples -update-samples"
	for name, want := range sampleCandidatures() {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(samplesDir, name)
			got, findings, err := workbook.ReadFile(filepath.Join(dir, sampleWorkbook))
			if err != nil {
				t.Fatalf("%v (%s)", err, regenerate)
			}
			for _, d := range sampleDiff(reflect.ValueOf(*want), reflect.ValueOf(*got), "Candidature") {
				t.Errorf("différence avec le littéral (%s) : %s", regenerate, d)
			}

			findings, err = CheckFile(filepath.Join(dir, sampleWorkbook), call)
			if err != nil {
				t.Fatal(err)
			}
			verdict := sampleVerdicts[name]
			for _, f := range findings {
				if f.Severity == model.Erreur {
					t.Errorf("erreur inattendue : %v", f)
				}
			}
			if got, want := sampleFindingPlaces(findings, model.Avertissement), samplePlaces(t, verdict.warnings); !slices.Equal(got, want) {
				t.Errorf("avertissements en %q, attendus en %q ; constats :\n%s", got, want, testkit.FindingsText(findings))
			}
			for _, cr := range check.Evaluate(got, call) {
				want, ok := verdict.notMet[cr.ID]
				if !ok {
					want = model.Met
					if cr.ID == "mobilisation" || cr.ID == "experience" {
						want = model.ToJudge // for the committee to weigh
					}
				}
				if cr.Status != want {
					t.Errorf("critère %s (%s) : %v (%s), attendu %v", cr.ID, cr.Label, cr.Status, cr.Detail, want)
				}
			}
		})
	}
	t.Run(sampleErrors, func(t *testing.T) {
		dir := filepath.Join(samplesDir, sampleErrors)
		findings, err := CheckFile(filepath.Join(dir, sampleWorkbook), call)
		if err != nil {
			t.Fatalf("%v (%s)", err, regenerate)
		}
		if got, want := sampleFindingPlaces(findings, model.Erreur), samplePlaces(t, sampleErrorPlaces); !slices.Equal(got, want) {
			t.Errorf("erreurs en %q, attendues en %q ; constats :\n%s", got, want, testkit.FindingsText(findings))
		}
	})
}

// sampleDiff lists where got differs from want, field by field, ignoring
// what the reader adds (each record's Ref, the Source). Dates compare as
// instants, ETP to within rounding.
func sampleDiff(want, got reflect.Value, path string) []string {
	switch want.Type() {
	case reflect.TypeFor[model.Ref](), reflect.TypeFor[model.Source]():
		return nil
	case reflect.TypeFor[time.Time]():
		w, g := want.Interface().(time.Time), got.Interface().(time.Time)
		if !w.Equal(g) {
			return []string{fmt.Sprintf("%s : %v, attendu %v", path, g, w)}
		}
		return nil
	}
	switch want.Kind() {
	case reflect.Struct:
		var out []string
		for i := range want.NumField() {
			out = append(out, sampleDiff(want.Field(i), got.Field(i), path+"."+want.Type().Field(i).Name)...)
		}
		return out
	case reflect.Slice:
		var out []string
		if want.Len() != got.Len() {
			out = append(out, fmt.Sprintf("%s : %d éléments, attendu %d", path, got.Len(), want.Len()))
		}
		for i := range min(want.Len(), got.Len()) {
			out = append(out, sampleDiff(want.Index(i), got.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case reflect.Float64:
		if math.Abs(want.Float()-got.Float()) > 1e-9 {
			return []string{fmt.Sprintf("%s : %v, attendu %v", path, got.Float(), want.Float())}
		}
		return nil
	}
	if !reflect.DeepEqual(want.Interface(), got.Interface()) {
		return []string{fmt.Sprintf("%s : %#v, attendu %#v", path, got.Interface(), want.Interface())}
	}
	return nil
}

// TestSampleData checks that the sample literals say what they claim: the
// budgets balance in the Cerfa way, the dates fall on the right weekdays and
// in or out of the call's window as intended, every candidate is marked as
// fictional, and the files they name are there and small.
func TestSampleData(t *testing.T) {
	call := loadSampleCall(t)
	wantInWindow := map[string]bool{"belrive": true, "haut-verdal": true, "sarrine": false}
	for name, c := range sampleCandidatures() {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(c.Collectivite.Presentation, "fictive") {
				t.Errorf("la présentation ne dit pas que la collectivité est fictive : %q", c.Collectivite.Presentation)
			}

			var charges, produits, nature86, nature87 int64
			for _, l := range c.Budget {
				if l.Montant <= 0 {
					t.Errorf("ligne %q : montant %d, attendu positif", l.Libelle, l.Montant)
				}
				switch {
				case l.Sens == model.Charge && l.Compte() == "86":
					nature86 += l.Montant
				case l.Sens == model.Produit && l.Compte() == "87":
					nature87 += l.Montant
				case l.Sens == model.Charge && l.Compte() >= "60" && l.Compte() <= "65":
				case l.Sens == model.Produit && l.Compte() >= "70" && l.Compte() <= "75":
				default:
					t.Errorf("ligne %q : catégorie %q hors du plan du Cerfa pour son sens", l.Libelle, l.Categorie)
				}
				if l.Sens == model.Charge {
					charges += l.Montant
				} else {
					produits += l.Montant
				}
				if l.Sens == model.Produit && (l.Compte() == "74" || l.Compte() == "75") && l.Statut != "Acquis" && l.Statut != "Sollicité" {
					t.Errorf("ligne %q : statut %q, attendu Acquis ou Sollicité", l.Libelle, l.Statut)
				}
			}
			if charges != produits {
				t.Errorf("budget : charges %d ≠ produits %d", charges, produits)
			}
			if nature86 == 0 || nature86 != nature87 {
				t.Errorf("contributions en nature : 86 = %d, 87 = %d", nature86, nature87)
			}

			ev := c.Evenement
			if got := ev.JourneeCommunautaire.Weekday(); got != time.Wednesday {
				t.Errorf("journée communautaire un %v, attendu mercredi", got)
			}
			if !ev.Jour1.Equal(ev.JourneeCommunautaire.AddDate(0, 0, 1)) || !ev.Jour2.Equal(ev.Jour1.AddDate(0, 0, 1)) {
				t.Errorf("dates %v, %v, %v : attendu trois jours consécutifs", ev.JourneeCommunautaire, ev.Jour1, ev.Jour2)
			}
			w := call.Criteria.Window
			if got := w.Contains(ev.Jour1) && w.Contains(ev.Jour2); got != wantInWindow[name] {
				t.Errorf("dates dans la fenêtre de l’appel : %v, attendu %v", got, wantInWindow[name])
			}
			for _, m := range c.Moments {
				if m.Date.Before(ev.JourneeCommunautaire) || m.Date.After(ev.Jour2) {
					t.Errorf("moment %q le %v, hors de l’événement", m.Intitule, m.Date)
				}
			}

			var biggest int64
			for _, l := range c.Lieux {
				biggest = max(biggest, l.Capacite)
			}
			if biggest < call.Criteria.Participants {
				t.Errorf("plus grand lieu : %d places, l’appel en demande %d", biggest, call.Criteria.Participants)
			}

			files := []string{c.Collectivite.Logo}
			for _, a := range c.Annexes {
				files = append(files, a.Fichier)
				if a.Date.After(call.Deadline.Time) {
					t.Errorf("annexe %q datée du %v, après la date limite", a.Fichier, a.Date)
				}
			}
			for _, f := range files {
				if f == "" {
					continue
				}
				fi, err := os.Stat(filepath.Join(samplesDir, name, f))
				if err != nil {
					t.Error(err)
					continue
				}
				if limit := int64(300 << 10); fi.Size() > limit {
					t.Errorf("%s : %d octets, plus que %d", f, fi.Size(), limit)
				}
			}
		})
	}
}

// loadSampleCall loads the call the samples answer.
func loadSampleCall(t *testing.T) *model.Call {
	t.Helper()
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	return call
}
