// necdossier fork: tests of fontcache.go (see README.md). They read the
// fonts of the repository that holds the fork, when present.

package fpdf

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func forkTestFonts(t *testing.T) [][]byte {
	t.Helper()
	files, _ := filepath.Glob("../../fonts/*.ttf")
	if len(files) == 0 {
		t.Skip("no TrueType font in ../../fonts")
	}
	var fonts [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fonts = append(fonts, b)
	}
	return fonts
}

var forkTestRunes = func() map[int]int {
	m := makeSubsetRange(57)
	for _, r := range "Éléonore, cœur « œuvre » — 12 345,67 € ’ … fiﬁ\u202f" {
		m[int(r)] = int(r)
	}
	return m
}()

// TestFontCacheSameAsUpstream: a font taken from the cache gives the
// same widths, font ID and subset as one parsed afresh, the file bytes
// are left as they were, and concurrent documents agree.
func TestFontCacheSameAsUpstream(t *testing.T) {
	for _, data := range forkTestFonts(t) {
		orig := bytes.Clone(data)
		fresh := newUTF8Font(&fileReader{array: bytes.Clone(data)})
		if err := fresh.parseFile(); err != nil {
			t.Fatal(err)
		}
		want := fresh.GenerateCutFont(copyRunes(forkTestRunes))
		def := fontDefType{Tp: "UTF8", Name: "latoB", Cw: fresh.CharWidths, Up: 3}
		b, err := json.Marshal(&def)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fontIDJSON(&def)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("fontIDJSON differs from json.Marshal (%v)", err)
		}
		_, first, err := parseUTF8Font(data)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 3 {
					u, e, err := parseUTF8Font(data)
					if err != nil {
						t.Error(err)
						return
					}
					if id, _ := utf8FontID(e, def); id != fontIDSum(b) {
						t.Error("cached font ID differs")
					}
					if !slicesEqual(u.CharWidths, fresh.CharWidths) {
						t.Error("widths differ")
					}
					if cut := u.GenerateCutFont(copyRunes(forkTestRunes)); !bytes.Equal(cut, want) {
						t.Error("subset differs")
					}
				}
			})
		}
		wg.Wait()
		if !bytes.Equal(data, orig) || !bytes.Equal(first.data, orig) {
			t.Error("font bytes changed")
		}
		if _, e, _ := parseUTF8Font(data); e != first {
			t.Error("font parsed again")
		}
	}
}

func copyRunes(m map[int]int) map[int]int {
	c := make(map[int]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
