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
	"io"
	"strconv"
	"strings"
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

var utf8Fonts struct {
	sync.Mutex
	entries []*utf8FontEntry
}

// parseUTF8Font returns the font file data parsed, for one document: a
// shallow copy of the parsed font kept for the process, with its own
// reader. What the copy shares (the file bytes, the table directory, the
// cmap dictionaries, the width table, the loca offsets) is only read, by
// fpdf and by GenerateCutFont; what GenerateCutFont sets is the copy's.
// Fonts are told apart by their bytes: the same slice, or else equal
// bytes (they were hashed first, which cost more, in a cold process, than
// the comparisons a few fonts of different lengths take).
func parseUTF8Font(data []byte) (*utf8FontFile, *utf8FontEntry, error) {
	utf8Fonts.Lock()
	e := findUTF8Font(data)
	utf8Fonts.Unlock()
	if e == nil {
		// The bytes are kept as given, not copied: fpdf reads them until
		// Output already, and the cache past it, so the caller must not
		// modify them (a font changed in place would be taken for its
		// former self).
		own := data
		font := newUTF8Font(&fileReader{array: own})
		if err := font.parseFile(); err != nil {
			return nil, nil, err
		}
		utf8Fonts.Lock()
		if e = findUTF8Font(data); e == nil { // not parsed meanwhile
			if len(utf8Fonts.entries) >= utf8FontCacheMax {
				utf8Fonts.entries = nil
			}
			e = &utf8FontEntry{data: own, font: font, ids: map[string]string{}}
			utf8Fonts.entries = append(utf8Fonts.entries, e)
		}
		utf8Fonts.Unlock()
	}
	doc := *e.font
	doc.fileReader = &fileReader{array: e.data}
	return &doc, e, nil
}

// findUTF8Font returns the entry for data, or nil; the caller holds the
// lock.
func findUTF8Font(data []byte) *utf8FontEntry {
	for _, e := range utf8Fonts.entries {
		if len(e.data) != len(data) {
			continue
		}
		if len(data) == 0 || &e.data[0] == &data[0] || bytes.Equal(e.data, data) {
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
	out := make([]byte, 0, 4096+len(zeroWidths))
	out = append(out, b[:i]...)
	out = append(out, `,"Cw":[`...)
	for j := 0; j < len(cw); {
		if len(out) > 4096 {
			if _, err := w.Write(out); err != nil {
				return err
			}
			out = out[:0]
		}
		if j > 0 && cw[j] == 0 { // most of the table: runes the font lacks
			n := 1
			for n < len(zeroWidths)/2 && j+n < len(cw) && cw[j+n] == 0 {
				n++
			}
			out = append(out, zeroWidths[:2*n]...)
			j += n
			continue
		}
		if j > 0 {
			out = append(out, ',')
		}
		out = strconv.AppendInt(out, int64(cw[j]), 10)
		j++
	}
	out = append(out, "],"...)
	out = append(out, b[i+len(null):]...)
	_, err = w.Write(out)
	return err
}

// zeroWidths is how a run of absent runes reads in the width table.
var zeroWidths = strings.Repeat(",0", 1024)

// fontIDOf returns the font ID of fdt, the SHA-1 of fontIDJSON(fdt),
// hashing the encoding as it is written.
func fontIDOf(fdt *fontDefType) (string, error) {
	h := sha1.New()
	if err := writeFontIDJSON(h, fdt); err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}
