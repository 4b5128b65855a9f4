// Package assemble turns a collectivité's workbook into the application
// dossier asked for by a call for applications, here « Numérique en
// Commun[s] 2025 ».
//
// The data goes one way, each stage in its own file:
//
//	call.go       templates/*.yaml → *Call         what the call asks, its criteria
//	workbook*.go  .xlsx → *Candidature + findings  the only place that imports excelize
//	check.go      Check, Evaluate → []Finding      the call's criteria, with sheet and cell
//	render*.go    *Candidature → dossier pages     the only place that imports fpdf
//	letters*.go   PDF/JPEG/PNG → *Letter; Merge    the only place that imports pdfcpu
//	build.go      Build: the stages in order, the output written atomically
//
// A worked example: a workbook whose sheet « Lieux et dates » gives a
// congress centre of 2 400 places and the dates 1, 2 and 3 October 2025 is
// read into a Candidature with one Lieu{Capacite: 2400} and an Evenement
// whose JourneeCommunautaire is 1 October. Check compares 2 400 with the
// call's threshold (criteria.participants: 2000 in templates/nec-2025.yaml)
// and finds nothing to say; had the venue held 1 500 places, it would return
//
//	Finding{Severity: Erreur, Sheet: "Lieux et dates", Cell: "C14",
//	        Message: "capacité totale de 1 500 places, l’appel en demande plus de 2 000", …}
//
// and Build would stop before drawing anything. Otherwise Render lays the
// dossier out (cover, synthesis, contents, one section per item of the
// call, list of annexes), Merge appends the support letters, stamps their
// page numbers and sets the outline, and the file appears under its final
// name only once complete.
//
// Amounts are int64 euro cents, dates civil dates at midnight UTC. User
// messages are French; they start with a lower-case letter and name the
// file, sheet and cell concerned.
package assemble
