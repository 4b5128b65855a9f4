// Package assemble turns a collectivité's workbook into the application
// dossier asked for by a call for applications, here « Numérique en
// Commun[s] 2025 ». It orchestrates the stages and is the only package that
// touches the file system; the stages are its sub-packages, and imports run
// down this list, never back:
//
//	model     the call, the candidature, findings, figures computed once
//	french    numbers, money, dates and typography (a leaf)
//	workbook  .xlsx ↔ model.Candidature (the only importer of excelize)
//	check     model in, findings out: what the call asks, cell by cell
//	tagged    the structure of a tagged PDF (PDF/UA), built by render, written by letters (a leaf)
//	render    model → the dossier's own pages (the only importer of fpdf)
//	letters   annexes in, merged PDF out; the print bundle's PDF (the only importer of pdfcpu,
//	          and of klauspost/compress, its zlib; fpdf's fork uses it too, inside render's fpdf)
//	assemble  Build, Check, batch, print bundle, e-mail, manifest
//
// A worked example: a workbook whose sheet « Lieux et dates » gives a
// congress centre of 2 400 places and the dates 1, 2 and 3 October 2025 is
// read into a Candidature with one Lieu{Capacite: 2400}; check compares 2 400
// with the call's threshold (criteria.participants: 2000 in
// templates/nec-2025.yaml) and finds nothing to say. render lays the dossier
// out (cover, synthesis, contents, one section per item of the call, list
// of annexes), letters appends the support letters, stamps their page
// numbers and sets the outline, and Build writes the file under its final
// name only once complete.
//
// # Naming
//
// Domain words are French, as the call and the workbook say them
// (Candidature, Lieu, LigneBudget, Annexe, Collectivite); mechanics are
// English (Render, Layout, Merge, Finding, Severity). An exported name does
// not repeat its package: workbook.Read, letters.Read, render.Options, not
// workbook.ReadWorkbook. User messages are French; they start with a
// lower-case letter and name the file, sheet and cell concerned.
package assemble
