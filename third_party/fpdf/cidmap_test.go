// necdossier fork: the CIDToGIDMap written up to the highest CID used
// (see README.md, change 13).

package fpdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"testing"
)

// TestCIDToGIDMapShort: each font's CIDToGIDMap is upstream's map, of
// 65,536 CIDs, cut after the highest CID the document uses: every entry
// kept is upstream's, every entry cut was zero.
func TestCIDToGIDMapShort(t *testing.T) {
	fonts := forkTestFonts(t)
	t.Cleanup(func() { // the fonts' IDs, kept by their key, as in a new process
		utf8Fonts.Lock()
		utf8Fonts.entries = nil
		utf8Fonts.Unlock()
	})
	pdf := New("P", "mm", "A4", "")
	pdf.SetCompression(false)
	pdf.AddUTF8FontFromBytes("Lato", "", fonts[0])
	pdf.AddUTF8FontFromBytes("Lato", "B", fonts[1])
	pdf.AddPage()
	pdf.SetFont("Lato", "", 12)
	pdf.Text(10, 20, "Éléonore, cœur « œuvre » — 12 345,67 € ’ … fiﬁ\u202f")
	pdf.SetFont("Lato", "B", 12)
	pdf.Text(10, 30, "Abc")
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		t.Fatal(err)
	}
	doc := out.Bytes()
	maps := regexp.MustCompile(`/CIDToGIDMap (\d+) 0 R`).FindAllSubmatch(doc, -1)
	if len(maps) != 2 {
		t.Fatalf("%d CIDToGIDMap, want 2", len(maps))
	}
	for _, key := range []string{"", "B"} {
		font := pdf.fonts[getFontKey("Lato", key)]
		if font.utf8File == nil {
			t.Fatalf("no font %q", key)
		}
		// Upstream's map.
		full := make([]byte, 256*256*2)
		top := 0
		for cc, glyph := range font.utf8File.CodeSymbolDictionary {
			if cc == 0 {
				continue
			}
			full[cc*2] = byte(glyph >> 8)
			full[cc*2+1] = byte(glyph & 0xFF)
			top = max(top, cc+1)
		}
		var found bool
		for _, m := range maps {
			n, _ := strconv.Atoi(string(m[1]))
			got := streamOf(t, doc, n)
			if len(got) != 2*top {
				continue
			}
			found = true
			if !bytes.Equal(got, full[:2*top]) || bytes.ContainsFunc(full[2*top:], func(r rune) bool { return r != 0 }) {
				t.Errorf("font %q: map differs from upstream's", key)
			}
		}
		if !found {
			t.Errorf("font %q: no map of %d bytes", key, 2*top)
		}
	}
}

// streamOf returns the inflated stream of object n.
func streamOf(t *testing.T, doc []byte, n int) []byte {
	t.Helper()
	i := bytes.Index(doc, []byte("\n"+strconv.Itoa(n)+" 0 obj\n"))
	if i < 0 {
		t.Fatalf("no object %d", n)
	}
	start := bytes.Index(doc[i:], []byte("stream\n")) + i + len("stream\n")
	end := bytes.Index(doc[start:], []byte("\nendstream")) + start
	zr, err := zlib.NewReader(bytes.NewReader(doc[start:end]))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
