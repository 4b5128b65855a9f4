package letters

// The dossier's own font, for the page numbers stamped on letter pages:
// an embedded font with Unicode mapping, as an accessible PDF needs, at
// no cost (render draws the glyphs the numbers need).

import (
	"fmt"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// fontFace is fpdf's regular Lato as the dossier holds it: a Type0 font
// whose codes are Unicode code points (Identity-H), mapped to glyphs by
// CIDToGIDMap.
type fontFace struct {
	font   types.IndirectRef
	widths map[int]float64 // code → width in thousandths of an em
	glyphs *glyphSet       // the codes CIDToGIDMap maps to a glyph
}

// footerGrey is the dossier's footer colour (render's colMuted).
const footerGrey = "0.3765 0.4078 0.4392 rg"

// findFace looks for the dossier's regular font in the pages of ctx; nil
// when there is none (a document not drawn by render).
func findFace(ctx *model.Context) *fontFace {
	x := ctx.XRefTable
	for i := 1; i <= ctx.PageCount; i++ {
		pd, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			return nil
		}
		res, _ := deref(x, pd["Resources"]).(types.Dict)
		fonts, _ := deref(x, res["Font"]).(types.Dict)
		for _, v := range fonts {
			ref, ok := v.(types.IndirectRef)
			fd, _ := deref(x, v).(types.Dict)
			if !ok || fd == nil {
				continue
			}
			if n, _ := fd["BaseFont"].(types.Name); !strings.HasSuffix(string(n), "+Lato-Regular") {
				continue
			}
			if f := readFace(x, ref, fd); f != nil {
				return f
			}
		}
	}
	return nil
}

func readFace(x *model.XRefTable, ref types.IndirectRef, fd types.Dict) *fontFace {
	desc, _ := deref(x, fd["DescendantFonts"]).(types.Array)
	if len(desc) != 1 {
		return nil
	}
	cid, _ := deref(x, desc[0]).(types.Dict)
	m, ok := deref(x, cid["CIDToGIDMap"]).(types.StreamDict)
	if !ok {
		return nil
	}
	glyphs := readGlyphs(m)
	if glyphs == nil {
		return nil
	}
	f := &fontFace{font: ref, widths: map[int]float64{}, glyphs: glyphs}
	w, _ := deref(x, cid["W"]).(types.Array)
	for i := 0; i < len(w); {
		c, ok := num(x, w[i])
		if !ok || i+1 >= len(w) {
			return nil
		}
		if arr, ok := deref(x, w[i+1]).(types.Array); ok {
			for j, v := range arr {
				f.widths[int(c)+j], _ = num(x, v)
			}
			i += 2
			continue
		}
		c2, ok1 := num(x, w[i+1])
		if i+2 >= len(w) || !ok1 {
			return nil
		}
		wv, _ := num(x, w[i+2])
		for k := int(c); k <= int(c2) && k-int(c) < 65536; k++ {
			f.widths[k] = wv
		}
		i += 3
	}
	return f
}

// glyphSet is a set of codes below 65536, one bit each.
type glyphSet [65536 / 64]uint64

func (g *glyphSet) has(c int) bool { return c >= 0 && c < 65536 && g[c/64]&(1<<(c%64)) != 0 }

// readGlyphs reads a CIDToGIDMap stream (two bytes a code, the glyph's
// number, 0 for none) as the set of the codes it maps to a glyph, nil when
// it cannot be read. fpdf writes the whole map, 128 KB once decoded for the
// 8 KB of a set: a Flate-encoded one (render's) is decoded a piece at a
// time, never whole.
func readGlyphs(m types.StreamDict) *glyphSet {
	g := new(glyphSet)
	w := &glyphWriter{set: g}
	if f := m.FilterPipeline; len(f) == 1 && f[0].Name == "FlateDecode" && f[0].DecodeParms == nil && m.Raw != nil {
		if inflateTo(w, m.Raw, 2*65536) != nil {
			return nil
		}
		return g
	}
	if m.Decode() != nil {
		return nil
	}
	w.Write(m.Content[:min(len(m.Content), 2*65536)])
	return g
}

// glyphWriter adds to set the codes of the CIDToGIDMap written to it
// whose glyph is not 0.
type glyphWriter struct {
	set *glyphSet
	n   int // the bytes written so far
}

func (w *glyphWriter) Write(p []byte) (int, error) {
	for i, b := range p {
		if c := (w.n + i) / 2; b != 0 && c < 65536 {
			w.set[c/64] |= 1 << (c % 64)
		}
	}
	w.n += len(p)
	return len(p), nil
}

func (f *fontFace) ref() types.IndirectRef {
	if f == nil {
		return types.IndirectRef{}
	}
	return f.font
}

// encode returns s as a hex string of codes and its width at size, or
// false when a glyph is missing from the subset.
func (f *fontFace) encode(s string, size float64) (string, float64, bool) {
	var b strings.Builder
	w := 0.0
	b.WriteByte('<')
	for _, r := range s {
		c := int(r)
		if !f.glyphs.has(c) {
			return "", 0, false
		}
		fmt.Fprintf(&b, "%04X", c)
		w += f.widths[c] * size / 1000
	}
	b.WriteByte('>')
	return b.String(), w, true
}

// footer draws the label (left) and the page text (right) in the band,
// in the dossier's footer style; false when the font lacks a glyph.
func (f *fontFace) footer(width float64, label, text string) ([]byte, bool) {
	if f == nil {
		return nil, false
	}
	text = strings.NewReplacer("\u202f", " ", "\u2009", " ", "\u00a0", " ").Replace(text)
	t, tw, ok := f.encode(text, footerSize)
	if !ok {
		return nil, false
	}
	var sb strings.Builder
	sb.WriteString("q " + footerGrey + " BT /" + footerFont + " " + nums(footerSize) + " Tf\n")
	if label != "" {
		l, lw, ok := f.encode(label, footerSize)
		if !ok {
			return nil, false
		}
		if lw <= width-2*sideMargin-tw-12 {
			fmt.Fprintf(&sb, "1 0 0 1 %s Tm %s Tj\n", nums(sideMargin, footerBaseline), l)
		}
	}
	fmt.Fprintf(&sb, "1 0 0 1 %s Tm %s Tj\nET Q\n", nums(width-sideMargin-tw, footerBaseline), t)
	return []byte(sb.String()), true
}
