// Package fonts holds the typeface of the dossier, embedded in the binary:
// Lato (regular, bold, italic, bold italic), under the SIL Open Font
// License 1.1 (OFL.txt). Lato covers French fully, including œ, « », ’, €
// and the narrow no-break space U+202F.
package fonts

import "embed"

// FS holds the TrueType files and their licence.
//
//go:embed *.ttf OFL.txt
var FS embed.FS

// Files maps each style ("", "B", "I", "BI") to its file in FS.
var Files = map[string]string{
	"":   "Lato-Regular.ttf",
	"B":  "Lato-Bold.ttf",
	"I":  "Lato-Italic.ttf",
	"BI": "Lato-BoldItalic.ttf",
}
