// necdossier fork: tests of prepared.go (see README.md).

package fpdf

import (
	"bytes"
	"reflect"
	"testing"
)

// TestPreparedSameAsParsed: a font registered with its prepared form is
// the font parseFile makes (but for the glyph → runes dictionary, which
// only parseFile reads), and gives the same subset and font ID; a prepared
// form is refused with another file, or damaged.
func TestPreparedSameAsParsed(t *testing.T) {
	fonts := forkTestFonts(t)
	for i, data := range fonts {
		prepared, err := PrepareUTF8Font(data, "Lato", "b")
		if err != nil {
			t.Fatal(err)
		}
		fresh := newUTF8Font(&fileReader{array: data})
		if err := fresh.parseFile(); err != nil {
			t.Fatal(err)
		}
		u, ids, err := unmarshalPrepared(data, prepared)
		if err != nil {
			t.Fatal(err)
		}
		a, b := *fresh, *u
		a.fileReader, b.fileReader = nil, nil
		a.symbolCharDictionary, b.symbolCharDictionary = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("font %d: prepared font differs from the parsed one", i)
		}
		want := fresh.GenerateCutFont(copyRunes(forkTestRunes))
		if got := u.GenerateCutFont(copyRunes(forkTestRunes)); !bytes.Equal(got, want) {
			t.Errorf("font %d: subset differs", i)
		}
		def := fontDefType{Tp: "UTF8", Name: "latoB", Cw: fresh.CharWidths, Up: 3}
		idFresh, _ := generateFontID(def)
		def.Cw = u.CharWidths
		if id, _ := generateFontID(def); id != idFresh {
			t.Errorf("font %d: font ID differs", i)
		}

		// A document given the font parses it; another, in a new
		// process where the font was registered, takes it as prepared,
		// with the same font ID.
		utf8Fonts.Lock()
		utf8Fonts.entries = nil // as in a new process
		utf8Fonts.Unlock()
		parsed := New("P", "mm", "A4", "")
		parsed.AddUTF8FontFromBytes("Lato", "B", bytes.Clone(data))
		utf8Fonts.Lock()
		utf8Fonts.entries = nil
		utf8Fonts.Unlock()
		own := bytes.Clone(data)
		if err := RegisterPreparedUTF8Font(own, prepared); err != nil {
			t.Fatal(err)
		}
		if _, e, _ := parseUTF8Font(own); e.font.symbolCharDictionary == nil || len(e.font.symbolCharDictionary) != 0 {
			t.Errorf("font %d: registered font parsed again", i)
		}
		taken := New("P", "mm", "A4", "")
		taken.AddUTF8FontFromBytes("Lato", "B", own)
		if got, want := taken.fonts["latoB"].i, parsed.fonts["latoB"].i; got != want || want == "" || ids["latoB"] != want {
			t.Errorf("font %d: font ID %q as prepared, %q as parsed", i, got, want)
		}

		other := fonts[(i+1)%len(fonts)]
		if err := RegisterPreparedUTF8Font(other, prepared); err == nil && len(fonts) > 1 {
			t.Errorf("font %d: prepared form taken for another font", i)
		}
		for _, bad := range [][]byte{prepared[:len(prepared)/2], prepared[:len(prepared)-1], append(bytes.Clone(prepared), 0), []byte("x"), nil} {
			if _, _, err := unmarshalPrepared(data, bad); err == nil {
				t.Errorf("font %d: damaged prepared form (%d bytes) accepted", i, len(bad))
			}
		}
		if _, _, err := unmarshalPrepared(data[:10], prepared); err == nil {
			t.Errorf("font %d: prepared form taken for a truncated file", i)
		}
	}
}
