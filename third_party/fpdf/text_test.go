// necdossier fork: tests of Text's line built in place (see README.md).

package fpdf

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestTextAsUpstream: Text writes the line upstream's code wrote, for UTF-8
// text with parentheses, backslashes, carriage returns, accents, runes
// above U+FFFF and invalid UTF-8, at various places, with and without a
// text color differing from the fill color; the runes are recorded as used.
func TestTextAsUpstream(t *testing.T) {
	fonts := forkTestFonts(t)
	texts := []string{"", "Bonjour", "l’État (ANCT) \\ a\rb", "12\u202f500\u00a0€", "«\u00a0oui\u00a0»",
		"1\u1d49\u02b3 octobre", "emoji 😀 !", "a\xffb", "é\xc3", "((()))\\\\", "\u2028\u0301"}
	places := [][2]float64{{10, 20}, {0, 0}, {-1.234, 297.005}, {105.125, 12.345}, {1e6, -1e6}, {math.Inf(1), 3}, {math.NaN(), 1}}
	for _, color := range []bool{false, true} {
		pdf := New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("Lato", "", fonts[0])
		pdf.SetFont("Lato", "", 10)
		pdf.AddPage()
		if color {
			pdf.SetFillColor(200, 10, 10)
			pdf.SetTextColor(10, 10, 200)
		}
		for _, p := range places {
			for _, s := range texts {
				want := upstreamText(pdf, p[0], p[1], s)
				before := pdf.pages[pdf.page].Len()
				func() {
					defer func() {
						if r := recover(); r != nil {
							want = "panic"
						}
					}()
					pdf.Text(p[0], p[1], s)
				}()
				got := pdf.pages[pdf.page].String()[before:]
				if want == "panic" {
					pdf.pages[pdf.page].Truncate(before)
					continue
				}
				if got != want+"\n" {
					t.Errorf("Text(%v, %v, %q) wrote\n%q\nwant\n%q", p[0], p[1], s, got, want+"\n")
				}
				for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
					if pdf.currentFont.usedRunes[int(r)] != int(r) {
						t.Errorf("Text(%q): rune %q not recorded as used", s, r)
					}
				}
			}
		}
	}
}

// TestTextRunesPerFont: each font records the runes of its own lines, all
// of them and no other (upstream's set), whichever font wrote a rune first.
func TestTextRunesPerFont(t *testing.T) {
	fonts := forkTestFonts(t)
	pdf := New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("Lato", "", fonts[0])
	pdf.AddUTF8FontFromBytes("Lato", "B", fonts[1])
	pdf.AddPage()
	want := map[string]map[int]int{"": makeSubsetRange(57), "B": makeSubsetRange(57)}
	lines := []string{"été", "Été", "cœur", "été 😀", "€ ’ …", "aÿb", "déjà", "Zoé"}
	for i, s := range lines {
		for _, style := range [][]string{{"", "B"}, {"B", ""}}[i%2] {
			pdf.SetFont("Lato", style, 10)
			pdf.Text(10, 20, s)
			for _, r := range s {
				want[style][int(r)] = int(r)
			}
		}
	}
	for style, w := range want {
		if got := pdf.fonts[getFontKey("Lato", style)].usedRunes; !reflect.DeepEqual(got, w) {
			t.Errorf("font %q: runes used %v, want %v", style, got, w)
		}
	}
}

// upstreamText is the line upstream's Text wrote for UTF-8 text, or
// "panic" where it panicked.
func upstreamText(f *Fpdf, x, y float64, txtStr string) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = "panic"
		}
	}()
	txt2 := f.escape(utf8toutf16(txtStr, false))
	s = sprintf("BT %.2f %.2f Td (%s) Tj ET", x*f.k, (f.h-y)*f.k, txt2)
	if f.colorFlag {
		s = sprintf("q %s %s Q", f.color.text.str, s)
	}
	return s
}

// TestSetFontAsUpstream: SetFont, SetFontSize and SetFontUnitSize write
// the line upstream's code wrote.
func TestSetFontAsUpstream(t *testing.T) {
	fonts := forkTestFonts(t)
	pdf := New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("Lato", "", fonts[0])
	pdf.AddPage()
	for _, size := range []float64{10, 8.5, 11.125, 0, 1e6, -3, math.Inf(1), math.NaN()} {
		for _, set := range []func(){
			func() { pdf.SetFontSize(1); pdf.SetFont("Lato", "", size) },
			func() { pdf.SetFontSize(size) },
			func() { pdf.SetFontUnitSize(size) },
		} {
			set()
			before := strings.LastIndex(strings.TrimSuffix(pdf.pages[pdf.page].String(), "\n"), "\n") + 1
			want := sprintf("BT /F%s %.2f Tf ET", pdf.currentFont.i, pdf.fontSizePt) + "\n"
			if got := pdf.pages[pdf.page].String()[before:]; got != want {
				t.Errorf("size %v: wrote %q, want %q", size, got, want)
			}
		}
	}
}

// BenchmarkText: 2,000 lines of French text in a page, the runes recorded
// as used (README, changes 12 and 14).
func BenchmarkText(b *testing.B) {
	fonts := forkTestFontsTB(b)
	pdf := New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("Lato", "", fonts[0])
	pdf.SetFont("Lato", "", 10)
	pdf.AddPage()
	const line = "Éléonore, cœur « œuvre » — 12 345,67 € ’ … la médiathèque intercommunale"
	b.ReportAllocs()
	for b.Loop() {
		for range 2000 {
			pdf.Text(10, 20, line)
		}
		pdf.pages[pdf.page].Reset()
	}
}
