// Copyright ©2023 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

// necdossier fork (see README.md): a UTF-8 TrueType font parsed ahead of
// time (at go generate time), its parsed form kept beside the font and
// given back to the process, which then does not parse the font.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// preparedMagic starts what PrepareUTF8Font returns; its last digit is
// the version of the encoding.
const preparedMagic = "fpdf prepared UTF-8 font 1\n"

// PrepareUTF8Font parses the TrueType file data as AddUTF8FontFromBytes
// does and returns what that parse computes, encoded, with the font ID the
// font gets when added as familyStr and styleStr: given back with the same
// file to RegisterPreparedUTF8Font, it spares a process the parse and the
// ID. The encoding holds the font's metrics, the widths and the glyphs of
// the runes it maps, and the offsets of its glyphs; no glyph outline.
func PrepareUTF8Font(data []byte, familyStr, styleStr string) ([]byte, error) {
	u := newUTF8Font(&fileReader{array: data})
	if err := u.parseFile(); err != nil {
		return nil, err
	}
	key := getFontKey(familyStr, styleStr)
	id, err := generateFontID(utf8FontDef(key, u))
	if err != nil {
		return nil, err
	}
	b := []byte(preparedMagic)
	put := func(v int) { b = binary.AppendVarint(b, int64(v)) }
	put(len(data))
	names := make([]string, 0, len(u.tableDescriptions))
	for name := range u.tableDescriptions {
		names = append(names, name)
	}
	slices.Sort(names)
	put(len(names))
	for _, name := range names {
		t := u.tableDescriptions[name]
		if len(name) != 4 || len(t.checksum) != 2 {
			return nil, fmt.Errorf("fpdf: unexpected table %q", name)
		}
		b = append(b, name...)
		put(t.checksum[0])
		put(t.checksum[1])
		put(t.position)
		put(t.size)
	}
	for _, v := range []int{u.Ascent, u.Descent, u.fontElementSize, u.Bbox.Xmin, u.Bbox.Ymin,
		u.Bbox.Xmax, u.Bbox.Ymax, u.CapHeight, u.StemV, u.ItalicAngle, u.Flags, u.cmapPosition} {
		put(v)
	}
	for _, f := range []float64{u.UnderlinePosition, u.UnderlineThickness, u.DefaultWidth} {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	put(len(u.CharWidths))
	var widths []int // rune, width: those set
	for r, w := range u.CharWidths {
		if w != 0 {
			widths = append(widths, r, w)
		}
	}
	put(len(widths) / 2)
	for _, v := range widths {
		put(v)
	}
	runes := make([]int, 0, len(u.charSymbolDictionary))
	for r := range u.charSymbolDictionary {
		runes = append(runes, r)
	}
	slices.Sort(runes)
	put(len(runes))
	for _, r := range runes {
		put(r)
		put(u.charSymbolDictionary[r])
	}
	put(len(u.symbolPosition))
	for _, p := range u.symbolPosition {
		put(p)
	}
	for _, s := range []string{key, id} {
		put(len(s))
		b = append(b, s...)
	}
	return b, nil
}

// utf8FontDef is the definition of the UTF-8 font u added under font key
// fontkey, but for the runes it uses: what its font ID is computed from.
func utf8FontDef(fontkey string, u *utf8FontFile) fontDefType {
	return fontDefType{
		Tp:   "UTF8",
		Name: fontkey,
		Desc: FontDescType{
			Ascent:       int(u.Ascent),
			Descent:      int(u.Descent),
			CapHeight:    u.CapHeight,
			Flags:        u.Flags,
			FontBBox:     u.Bbox,
			ItalicAngle:  u.ItalicAngle,
			StemV:        u.StemV,
			MissingWidth: round(u.DefaultWidth),
		},
		Up:       int(round(u.UnderlinePosition)),
		Ut:       round(u.UnderlineThickness),
		Cw:       u.CharWidths,
		utf8File: u,
	}
}

// RegisterPreparedUTF8Font makes the process take the font file data, when
// AddUTF8FontFromBytes is given that same slice, as parsed from prepared,
// what PrepareUTF8Font returned for the same file, rather than parse it.
// Like AddUTF8FontFromBytes, it keeps data, which must not be modified. It
// registers nothing and reports an error when prepared is not such an
// encoding of a file of data's length and table directory (the directory
// holds each table's checksum).
func RegisterPreparedUTF8Font(data, prepared []byte) error {
	u, ids, err := unmarshalPrepared(data, prepared)
	if err != nil {
		return err
	}
	utf8Fonts.Lock()
	defer utf8Fonts.Unlock()
	if findUTF8Font(data) != nil {
		return nil // parsed or registered already
	}
	if len(utf8Fonts.entries) >= utf8FontCacheMax {
		utf8Fonts.entries = nil
	}
	utf8Fonts.entries = append(utf8Fonts.entries, &utf8FontEntry{data: data, font: u, ids: ids})
	return nil
}

var errPrepared = errors.New("fpdf: prepared font does not match its file")

// unmarshalPrepared decodes prepared into the font data parseFile would
// have made of data, and the font ID it holds, by font key.
func unmarshalPrepared(data, prepared []byte) (u *utf8FontFile, ids map[string]string, err error) {
	defer func() {
		if recover() != nil { // a file too short for its table directory
			u, ids, err = nil, nil, errPrepared
		}
	}()
	if !bytes.HasPrefix(prepared, []byte(preparedMagic)) {
		return nil, nil, errPrepared
	}
	b := prepared[len(preparedMagic):]
	get := func() int {
		v, n := binary.Varint(b)
		if n <= 0 {
			err = errPrepared
			b = nil
			return 0
		}
		b = b[n:]
		return int(v)
	}
	// count reads a length, at most max (and 0 after an error).
	count := func(max int) int {
		n := get()
		if n < 0 || n > max {
			err = errPrepared
			b = nil
			return 0
		}
		return n
	}
	if get() != len(data) || err != nil {
		return nil, nil, errPrepared
	}
	// The table directory, checked against the file's.
	file := newUTF8Font(&fileReader{array: data})
	if len(data) < 12 {
		return nil, nil, errPrepared
	}
	file.skip(4)
	file.generateTableDescriptions()
	n := count(len(file.tableDescriptions))
	if n != len(file.tableDescriptions) {
		return nil, nil, errPrepared
	}
	for range n {
		if len(b) < 4 {
			return nil, nil, errPrepared
		}
		name := string(b[:4])
		b = b[4:]
		t, ok := file.tableDescriptions[name]
		c0, c1, pos, size := get(), get(), get(), get()
		if !ok || err != nil || t.checksum[0] != c0 || t.checksum[1] != c1 || t.position != pos || t.size != size {
			return nil, nil, errPrepared
		}
	}
	u = &utf8FontFile{
		fileReader:           &fileReader{array: data},
		tableDescriptions:    file.tableDescriptions,
		outTablesData:        map[string][]byte{},
		symbolCharDictionary: map[int][]int{}, // only parseFile reads it; GenerateCutFont needs it set
	}
	for _, p := range []*int{&u.Ascent, &u.Descent, &u.fontElementSize, &u.Bbox.Xmin, &u.Bbox.Ymin,
		&u.Bbox.Xmax, &u.Bbox.Ymax, &u.CapHeight, &u.StemV, &u.ItalicAngle, &u.Flags, &u.cmapPosition} {
		*p = get()
	}
	for _, p := range []*float64{&u.UnderlinePosition, &u.UnderlineThickness, &u.DefaultWidth} {
		if len(b) < 8 {
			return nil, nil, errPrepared
		}
		*p = math.Float64frombits(binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	u.CharWidths = make([]int, count(1<<20))
	for range count(len(u.CharWidths)) {
		r, w := get(), get()
		if r < 0 || r >= len(u.CharWidths) {
			return nil, nil, errPrepared
		}
		u.CharWidths[r] = w
	}
	n = count(1 << 20)
	u.charSymbolDictionary = make(map[int]int, n)
	for range n {
		r := get()
		u.charSymbolDictionary[r] = get()
	}
	n = count(len(data))
	u.symbolPosition = make([]int, n)
	for i := range u.symbolPosition {
		u.symbolPosition[i] = get()
	}
	var key, id string
	for _, s := range []*string{&key, &id} {
		n := count(len(b))
		*s = string(b[:n])
		b = b[n:]
	}
	if err != nil || len(b) != 0 || key == "" || id == "" {
		return nil, nil, errPrepared
	}
	return u, map[string]string{key: id}, nil
}
