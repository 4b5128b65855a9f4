package workbook

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"necdossier/assemble/french"
)

// normalizeRef is Normalize as first written: the reference that the
// faster Normalize must agree with.
func normalizeRef(s string) string {
	s = french.Fold(strings.ToLower(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

var normalizeSeeds = []string{
	"", "#n/a", " #div/0! ", "#ſpill!", "#REF", "Montant (€) *", "Nom de la collectivité", "  ÉTÉ  Œuvre à Noël ", "Straße", "e\u0301te\u0301",
	"İstanbul", "K\u212a\u212b", "ǅemal ǈ", "Ⅻ 12", "١٢٣", "日本語 テキスト", "a\xffb", "\xc3", "x\u00a0y\u200bz",
	"Þorn ÆØÅ ĳ ŉ ſ", "ÀÁÂÃÄÅĀĂĄàáâãäåāăą ÇĆĈĊČ", "Ǎǎ Ǒ ȁ ɐ", "Ωμέγα", "СЛОВО", "a--b__c", "1er",
}

func TestNormalizeAsFirstWritten(t *testing.T) {
	for _, s := range normalizeSeeds {
		if got, want := Normalize(s), normalizeRef(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
	for r := rune(0); r < 0x3000; r++ {
		s := "A" + string(r) + "b"
		if got, want := Normalize(s), normalizeRef(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}

// cleanLineRef is cleanLine as first written.
func cleanLineRef(s string) string { return strings.Join(strings.FieldsFunc(s, IsSpace), " ") }

func TestCleanLineAsFirstWritten(t *testing.T) {
	for _, s := range append(normalizeSeeds, " a", "a ", "a  b", "a\tb", "a\u00a0b", "a\u200bb", "\ufeffa", " ", "a b c", "\x01 x", "a\xff b") {
		if got, want := cleanLine(s), cleanLineRef(s); got != want {
			t.Errorf("cleanLine(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzNormalize: Normalize and cleanLine are their first, slower versions.
func FuzzNormalize(f *testing.F) {
	for _, s := range normalizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Normalize(s), normalizeRef(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
		if got, want := cleanLine(s), cleanLineRef(s); got != want {
			t.Errorf("cleanLine(%q) = %q, want %q", s, got, want)
		}
		if got, want := isErrorValue(s), slices.Contains(errorValues, strings.ToUpper(strings.TrimSpace(s))); got != want {
			t.Errorf("isErrorValue(%q) = %v, want %v", s, got, want)
		}
	})
}
