package letters

import (
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// TestReadGlyphs: a CIDToGIDMap gives the codes mapped to a glyph, whether
// Flate-encoded (decoded a piece at a time) or not, none past its end, and
// nothing when it does not decode cleanly.
func TestReadGlyphs(t *testing.T) {
	gids := make([]byte, 2*0x2100)
	mapped := []int{'0', '9', 'p', 0xe9, 0x2019, 0x20ff}
	for i, c := range mapped {
		gids[2*c], gids[2*c+1] = byte(i>>8), byte(i+1) // one with a high byte 0, one not
	}
	gids[2*'a'] = 1 // glyph 256: high byte only
	mapped = append(mapped, 'a')
	raw, err := zlibBytes(gids)
	if err != nil {
		t.Fatal(err)
	}
	flate := types.StreamDict{Raw: raw, FilterPipeline: []types.PDFFilter{{Name: "FlateDecode"}}}
	plain := types.StreamDict{Raw: gids, Content: gids}
	for name, m := range map[string]types.StreamDict{"flate": flate, "plain": plain} {
		g := readGlyphs(m)
		if g == nil {
			t.Fatalf("%s: not read", name)
		}
		want := map[int]bool{}
		for _, c := range mapped {
			want[c] = true
		}
		for c := -1; c < 70000; c++ {
			if g.has(c) != want[c] {
				t.Errorf("%s: has(%#x) = %v", name, c, g.has(c))
			}
		}
	}
	cut := flate
	cut.Raw = raw[:len(raw)-5]
	if readGlyphs(cut) != nil {
		t.Error("a cut stream gave a set")
	}
}
