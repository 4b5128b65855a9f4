// necdossier fork: tests of fontcache.go (see README.md). They read the
// fonts of the repository that holds the fork, when present.

package fpdf

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
)

func forkTestFonts(t *testing.T) [][]byte { return forkTestFontsTB(t) }

func forkTestFontsTB(t testing.TB) [][]byte {
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
	utf8Fonts.Lock()
	utf8Fonts.entries = nil // the IDs other tests' documents kept, by font key
	utf8Fonts.Unlock()
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
					if id, _ := utf8FontID(e, def); id != fmt.Sprintf("%x", sha1.Sum(b)) {
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

// TestParseSameAsUpstream: the cmap dictionaries and the unpacked arrays
// the fork builds at their size are upstream's.
func TestParseSameAsUpstream(t *testing.T) {
	for _, data := range forkTestFonts(t) {
		u := newUTF8Font(&fileReader{array: data})
		if err := u.parseFile(); err != nil {
			t.Fatal(err)
		}
		symbolChar, charSymbol := u.generateSCCSDictionaries(u.cmapPosition)
		wantSymbolChar, wantCharSymbol := map[int][]int{}, map[int]int{}
		upstreamSCCSDictionaries(u, u.cmapPosition, wantSymbolChar, wantCharSymbol)
		if !reflect.DeepEqual(symbolChar, wantSymbolChar) || !reflect.DeepEqual(charSymbol, wantCharSymbol) {
			t.Error("cmap dictionaries differ from upstream's")
		}
	}
	for n := range 12 {
		data := []byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b")[:n]
		if got, want := unpackUint16Array(data), upstreamUnpack(data, 2); !slicesEqual(got, want) {
			t.Errorf("unpackUint16Array(% x) = %v, upstream %v", data, got, want)
		}
		if got, want := unpackUint32Array(data), upstreamUnpack(data, 4); !slicesEqual(got, want) {
			t.Errorf("unpackUint32Array(% x) = %v, upstream %v", data, got, want)
		}
	}
}

// upstreamUnpack is upstream's unpackUint16Array (size 2) and
// unpackUint32Array (size 4).
func upstreamUnpack(data []byte, size int) []int {
	answer := make([]int, 1)
	r := bytes.NewReader(data)
	bs := make([]byte, size)
	c, e := r.Read(bs)
	for e == nil && c > 0 {
		if size == 2 {
			answer = append(answer, int(binary.BigEndian.Uint16(bs)))
		} else {
			answer = append(answer, int(binary.BigEndian.Uint32(bs)))
		}
		c, e = r.Read(bs)
	}
	return answer
}

// upstreamSCCSDictionaries is upstream's generateSCCSDictionaries.
func upstreamSCCSDictionaries(utf *utf8FontFile, runeCmapPosition int, symbolCharDictionary map[int][]int, charSymbolDictionary map[int]int) {
	utf.seek(runeCmapPosition + 2)
	size := utf.readUint16()
	rim := runeCmapPosition + size
	utf.skip(2)
	segmentSize := utf.readUint16() / 2
	utf.skip(6)
	completers := make([]int, 0)
	for range segmentSize {
		completers = append(completers, utf.readUint16())
	}
	utf.skip(2)
	beginners := make([]int, 0)
	for range segmentSize {
		beginners = append(beginners, utf.readUint16())
	}
	sizes := make([]int, 0)
	for range segmentSize {
		sizes = append(sizes, int(utf.readInt16()))
	}
	readerPositionStart := utf.fileReader.readerPosition
	positions := make([]int, 0)
	for range segmentSize {
		positions = append(positions, utf.readUint16())
	}
	var symbol int
	for n := range segmentSize {
		completePosition := completers[n] + 1
		for char := beginners[n]; char < completePosition; char++ {
			if positions[n] == 0 {
				symbol = (char + sizes[n]) & 0xFFFF
			} else {
				position := (char-beginners[n])*2 + positions[n]
				position = int(readerPositionStart) + 2*n + position
				if position >= rim {
					symbol = 0
				} else {
					symbol = utf.getUint16(position)
					if symbol != 0 {
						symbol = (symbol + sizes[n]) & 0xFFFF
					}
				}
			}
			charSymbolDictionary[char] = symbol
			symbolCharDictionary[symbol] = append(symbolCharDictionary[symbol], char)
		}
	}
}

// TestUntypedKeyMapPut: put(nil, v) takes the smallest integer key not in
// use, as upstream's search did, whatever the keys left by pop, delete
// and arrayMerge.
func TestUntypedKeyMapPut(t *testing.T) {
	upstreamNext := func(pa *untypedKeyMap) int {
		for n := 0; ; n++ {
			if pa.getIndex(n) < 0 {
				return n
			}
		}
	}
	var pa untypedKeyMap
	for i := range 200 {
		want := upstreamNext(&pa)
		pa.put(nil, i)
		if got := pa.keySet[len(pa.keySet)-1]; got != want {
			t.Fatalf("step %d: key %v, upstream %d", i, got, want)
		}
		switch i % 7 {
		case 3:
			pa.put("interval", 1)
		case 5:
			pa.delete(i / 3) // a hole lower down
		case 6:
			pa.delete("interval")
			pa.pop()
		}
	}
	merged := arrayMerge(&untypedKeyMap{keySet: []any{0, 2, "interval"}, valueSet: []int{1, 2, 3}},
		&untypedKeyMap{keySet: []any{0, 1}, valueSet: []int{4, 5}})
	if !reflect.DeepEqual(merged.keySet, []any{0, 2, "interval", 1, 3}) {
		t.Errorf("arrayMerge keys %v", merged.keySet)
	}
}

// TestChecksumAsUpstream: generateChecksum gives upstream's two halves
// (README, change 15), for every length modulo 4 and sums that carry.
func TestChecksumAsUpstream(t *testing.T) {
	upstream := func(data []byte) []int {
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
		answer := []int{0x0000, 0x0000}
		for i := 0; i < len(data); i += 4 {
			answer[0] += (int(data[i]) << 8) + int(data[i+1])
			answer[1] += (int(data[i+2]) << 8) + int(data[i+3])
			answer[0] += answer[1] >> 16
			answer[1] = answer[1] & 0xFFFF
			answer[0] = answer[0] & 0xFFFF
		}
		return answer
	}
	var u utf8FontFile
	data := bytes.Repeat([]byte{0xFF, 0xFE, 0xFD, 0x07, 0x80}, 400)
	for _, font := range forkTestFonts(t)[:1] {
		data = append(data, font[:50_001]...)
	}
	for n := range 16 {
		for _, d := range [][]byte{data[:n], data[:len(data)-n], data[n : 2000+n]} {
			if got, want := u.generateChecksum(d), upstream(bytes.Clone(d)); !slices.Equal(got, want) {
				t.Fatalf("%d bytes: %v, want %v", len(d), got, want)
			}
		}
	}
}
