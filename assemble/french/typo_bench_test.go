package french

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// belriveTypo returns the strings a build of the Belrive sample gives Typo,
// in order (testdata/belrive-typo.txt, one Go-quoted string a line).
func belriveTypo(tb testing.TB) []string {
	f, err := os.Open("testdata/belrive-typo.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		s, err := strconv.Unquote(sc.Text())
		if err != nil {
			tb.Fatalf("testdata/belrive-typo.txt: %v", err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkTypoBelrive typesets the texts of one Belrive build.
func BenchmarkTypoBelrive(b *testing.B) {
	texts := belriveTypo(b)
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			Typo(s)
		}
	}
}

// typoSamples returns texts to compare Typo with typoRef on: the Belrive
// build's, TestTypo's and FuzzTypo's cases, and strings drawn from pieces
// that each rule looks at (digits, hours, ordinals, quotes, marks, spaces,
// addresses, line breaks, invalid UTF-8).
func typoSamples(tb testing.TB) []string {
	out := belriveTypo(tb)
	for _, tt := range typoCases {
		out = append(out, spaces.Replace(tt.in), tt.in)
	}
	for _, s := range typoSeeds {
		out = append(out, spaces.Replace(s), s)
	}
	pieces := []string{
		"a", "É", "l", "er", "re", "e", "ème", "eme", "h", "H", "www.", "://", "@", ".pdf", ".", "..", "...",
		"0", "1", "2", "19", "24", "25", "30", "60", "000", "300", "1 800", "2024",
		" ", "  ", "\t", NBSP, NNBSP, "\u2007", "\n", "\r\n", "\r", "\n\n", "\u2028",
		"'", "’", `"`, "«", "»", "“", "”", "(", ")", "[", "-", "–", ",",
		":", ";", "!", "?", "?!", "…", "€", "%", "°", "\xff", "\u0301", "٣",
	}
	seed := uint64(15)
	next := func(n int) int { // a small xorshift: the same strings every run
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return int(seed % uint64(n))
	}
	for range 20000 {
		var b []byte
		for range 1 + next(14) {
			b = append(b, pieces[next(len(pieces))]...)
		}
		out = append(out, string(b))
	}
	for _, s := range out[:len(out):len(out)] {
		out = append(out, typoRef(s)) // typeset text, given again
	}
	return out
}

// TestTypoMatchesReference checks that Typo gives what the implementation
// before issue 15 gave, byte for byte.
func TestTypoMatchesReference(t *testing.T) {
	for _, s := range typoSamples(t) {
		if got, want := Typo(s), typoRef(s); got != want {
			t.Errorf("Typo(%q)\n got %q\nwant %q (reference)", s, vis.Replace(got), vis.Replace(want))
		}
	}
}

// FuzzTypoReference fuzzes Typo against the reference implementation.
func FuzzTypoReference(f *testing.F) {
	for _, s := range typoSamples(f)[:400] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Typo(s), typoRef(s); got != want {
			t.Fatalf("Typo(%q)\n got %q\nwant %q (reference)", s, got, want)
		}
	})
}

// TestPunctuationSets checks the punctuation that protect and punctuation
// look for against the reference's sets.
func TestPunctuationSets(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if isLeading(r) != strings.ContainsRune(leadingRef, r) ||
			isTrailing(r) != strings.ContainsRune(trailingRef, r) ||
			isMarkRune(r) != strings.ContainsRune(":;!?", r) {
			t.Errorf("%q: isLeading %v, isTrailing %v, isMarkRune %v", r, isLeading(r), isTrailing(r), isMarkRune(r))
		}
	}
}

// TestTypoOtherScriptsDigits: units binds a sign to any script's digits,
// as the reference does, so a text with such digits is not plain, nor is
// its line without digits for the passes.
func TestTypoOtherScriptsDigits(t *testing.T) {
	for _, s := range []string{"٣ €", "x ١٢ %", "３ %", "Total : ۴ €"} {
		if got, want := Typo(s), typoRef(s); got != want {
			t.Errorf("Typo(%q) = %q, reference %q", s, vis.Replace(got), vis.Replace(want))
		}
	}
	if got := Typo("٣ €"); got != "٣\u00a0€" {
		t.Errorf("Typo(%q) = %q", "٣ €", got)
	}
}
