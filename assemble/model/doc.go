// Package model holds what every stage of necdossier talks about: the call
// for applications (Call, read from templates/*.yaml), the candidature read
// from a workbook (Candidature and its parts, in the workbook's French
// words), the findings of the checks (Finding, Criterion), and the figures
// that the dossier, the checks and the comparison all show, each computed
// once (Candidature.Totals, FiguresOf, Row).
//
// A worked example: a workbook whose sheet « Lieux et dates » gives a
// congress centre of 2 400 places becomes a Candidature with one
// Lieu{Capacite: 2400}; FiguresOf gives Capacity 2 400, which the checks
// compare with Call.Criteria.Participants and the synthesis page prints.
//
// Amounts are int64 euro cents, dates civil dates at midnight UTC. The
// package imports no other stage but french, and no outside library but
// the YAML decoder of the call.
package model
