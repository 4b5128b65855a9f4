package assemble

import (
	"strings"
	"unicode"
)

// Printable returns s with its control and format characters (escape
// sequences, bidirectional overrides, line breaks) replaced by a visible
// « ? »: a file name or a cell is text from a candidate, and must not move
// the cursor, recolour or rewrite a reviewer's terminal when printed.
func Printable(s string) string {
	if strings.IndexFunc(s, hidden) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if hidden(r) {
			return '?'
		}
		return r
	}, s)
}

func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u00ad'
}

func printable(s string) string { return Printable(s) }
