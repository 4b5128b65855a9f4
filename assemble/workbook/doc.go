// Package workbook reads and writes the candidature workbook (.xlsx): the
// schema that both sides share (sheets, forms, tables, their labels and
// cells), a streaming reader that turns a workbook filled in by hand, in
// Excel, LibreOffice, Numbers or Google Sheets, into a model.Candidature
// with a finding per cell it could not read, the writer of the blank
// template (`necdossier init`) and of the reviewers' comparison sheet.
//
// It is the only package that imports excelize. Every problem names its
// sheet and cell: « Budget!E12 : montant attendu (nombre), trouvé « douze
// mille » ». A file that is not a workbook, or a zip bomb, is refused
// before excelize sees it.
package workbook
