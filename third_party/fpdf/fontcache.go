// Copyright ©2023 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

// necdossier fork (see README.md): UTF-8 TrueType fonts parsed once per
// process, and font IDs computed without encoding the width table through
// reflection.

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"
	"sync"
)

// utf8FontCacheMax bounds the fonts kept: past it, the cache starts afresh.
const utf8FontCacheMax = 32

// utf8FontEntry is one parsed font file.
type utf8FontEntry struct {
	data []byte        // the font file, as given (never modified)
	font *utf8FontFile // as parseFile left it; never modified afterwards
	ids  map[string]string
}

var utf8Fonts = struct {
	sync.Mutex
	seed    maphash.Seed
	entries map[uint64][]*utf8FontEntry
	n       int
}{seed: maphash.MakeSeed(), entries: map[uint64][]*utf8FontEntry{}}

// parseUTF8Font returns the font file data parsed, for one document: a
// shallow copy of the parsed font kept for the process, with its own
// reader. What the copy shares (the file bytes, the table directory, the
// cmap dictionaries, the width table, the loca offsets) is only read, by
// fpdf and by GenerateCutFont; what GenerateCutFont sets is the copy's.
// Fonts are told apart by a hash of their bytes, confirmed by comparing the
// bytes themselves.
func parseUTF8Font(data []byte) (*utf8FontFile, *utf8FontEntry, error) {
	h := maphash.Bytes(utf8Fonts.seed, data)
	utf8Fonts.Lock()
	e := findUTF8Font(h, data)
	utf8Fonts.Unlock()
	if e == nil {
		// The bytes are kept as given, not copied: fpdf reads them until
		// Output already, and the cache past it, so the caller must not
		// modify them (a font changed in place is only told from its
		// former self by its hash).
		own := data
		font := newUTF8Font(&fileReader{array: own})
		if err := font.parseFile(); err != nil {
			return nil, nil, err
		}
		utf8Fonts.Lock()
		if e = findUTF8Font(h, data); e == nil { // not parsed meanwhile
			if utf8Fonts.n >= utf8FontCacheMax {
				utf8Fonts.entries, utf8Fonts.n = map[uint64][]*utf8FontEntry{}, 0
			}
			e = &utf8FontEntry{data: own, font: font, ids: map[string]string{}}
			utf8Fonts.entries[h] = append(utf8Fonts.entries[h], e)
			utf8Fonts.n++
		}
		utf8Fonts.Unlock()
	}
	doc := *e.font
	doc.fileReader = &fileReader{array: e.data}
	return &doc, e, nil
}

// findUTF8Font returns the entry for data, hashed h, or nil; the caller
// holds the lock.
func findUTF8Font(h uint64, data []byte) *utf8FontEntry {
	for _, e := range utf8Fonts.entries[h] {
		if bytes.Equal(e.data, data) {
			return e
		}
	}
	return nil
}

// utf8FontID returns generateFontID(def) for a font definition made from
// entry e, remembered by font key (the only part of def that does not come
// from the font file).
func utf8FontID(e *utf8FontEntry, def fontDefType) (string, error) {
	utf8Fonts.Lock()
	id, ok := e.ids[def.Name]
	utf8Fonts.Unlock()
	if ok {
		return id, nil
	}
	id, err := generateFontID(def)
	if err != nil {
		return "", err
	}
	utf8Fonts.Lock()
	e.ids[def.Name] = id
	utf8Fonts.Unlock()
	return id, nil
}

// fontIDJSON returns json.Marshal(&fdt), byte for byte, encoding the width
// table (65,536 entries for a UTF-8 font) by hand: through reflection it
// was most of the cost of adding a font.
func fontIDJSON(fdt *fontDefType) ([]byte, error) {
	var b bytes.Buffer
	err := writeFontIDJSON(&b, fdt)
	return b.Bytes(), err
}

// writeFontIDJSON writes fontIDJSON(fdt) to w, the width table in pieces:
// the font ID hashes it as it goes rather than holding it whole (about
// 270 kB for a UTF-8 font).
func writeFontIDJSON(w io.Writer, fdt *fontDefType) error {
	cw := fdt.Cw
	fdt.Cw = nil
	b, err := json.Marshal(fdt)
	fdt.Cw = cw
	if err != nil {
		return err
	}
	if cw == nil {
		_, err = w.Write(b)
		return err
	}
	// Field names are written unescaped and strings escape their quotes,
	// so this key appears once, as the field.
	const null = `,"Cw":null,`
	i := bytes.Index(b, []byte(null))
	if i < 0 || bytes.Contains(b[i+1:], []byte(null)) {
		return fmt.Errorf("fpdf: unexpected font definition encoding")
	}
	out := make([]byte, 0, 4096)
	out = append(out, b[:i]...)
	out = append(out, `,"Cw":[`...)
	for j, cw := range cw {
		if len(out) > cap(out)-24 {
			if _, err := w.Write(out); err != nil {
				return err
			}
			out = out[:0]
		}
		if j > 0 {
			out = append(out, ',')
		}
		if cw == 0 { // most of the table: runes the font lacks
			out = append(out, '0')
			continue
		}
		out = strconv.AppendInt(out, int64(cw), 10)
	}
	out = append(out, "],"...)
	out = append(out, b[i+len(null):]...)
	_, err = w.Write(out)
	return err
}

// fontIDOf returns the font ID of fdt, the SHA-1 of fontIDJSON(fdt),
// hashing the encoding as it is written.
func fontIDOf(fdt *fontDefType) (string, error) {
	h := sha1.New()
	if err := writeFontIDJSON(h, fdt); err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}
