package french

import (
	"strings"
	"testing"
)

// foldRef is Fold as it was before its table (issue 15): a map looked up
// for every rune.
func foldRef(s string) string {
	m := make(map[rune]string)
	for _, p := range foldPairs {
		for _, r := range p[0] {
			m[r] = p[1]
		}
	}
	var b strings.Builder
	for _, r := range s {
		if a, ok := m[r]; ok {
			b.WriteString(a)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestFoldMatchesReference(t *testing.T) {
	var all []string
	for r := rune(0); r < 0x3000; r++ {
		all = append(all, string(r), "a"+string(r)+"é")
	}
	all = append(all, "", "\xff", "a\xffb", "é\xc3", "\xef\xbf\xbd", "Œuvre à Noël", "ÆßĲ ſ ŉ")
	for _, s := range append(all, typoSamples(t)...) {
		if got, want := Fold(s), foldRef(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q (reference)", s, got, want)
		}
	}
}

func FuzzFoldReference(f *testing.F) {
	f.Add("Œuvre à Noël")
	f.Add("a\xffb")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldRef(s); got != want {
			t.Fatalf("Fold(%q) = %q, want %q (reference)", s, got, want)
		}
	})
}

// BenchmarkFold folds the texts of a Belrive build, lower-cased as
// workbook.Normalize gives them.
func BenchmarkFold(b *testing.B) {
	texts := belriveTypo(b)
	for i, s := range texts {
		texts[i] = strings.ToLower(s)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Fold(s)
		}
	}
}
