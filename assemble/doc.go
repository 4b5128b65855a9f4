// Package assemble turns a collectivité's workbook into the application
// dossier asked for by the call « Numérique en Commun[s] 2025 ».
package assemble
