package workbook

import (
	"bytes"
	"encoding/hex"
	"unicode/utf16"
	"unicode/utf8"
)

// xstring decodes the escapes of a spreadsheet string (ST_Xstring,
// ECMA-376 Part 1, 22.9.2.19), as Excel and LibreOffice write them in
// shared and inline strings: « _xHHHH_ » stands for the UTF-16 code unit
// HHHH (a carriage return pasted into a cell is saved as _x000D_), and
// « _x005F_ » for an underscore that would otherwise start an escape.
// excelize reads these strings the same way, except for the halves of a
// character beyond U+FFFF (D800 to DFFF), whose escapes it drops: here a
// pair becomes its character, a lone half U+FFFD.
func xstring(b []byte) string {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for {
		out = append(out, b[:i]...)
		b = b[i:]
		u, ok := xunit(b)
		if !ok {
			out = append(out, '_')
			b = b[1:]
		} else {
			b = b[7:]
			r := rune(u)
			if utf16.IsSurrogate(r) {
				r = utf8.RuneError
				if lo, ok := xunit(b); ok && u < 0xDC00 {
					if pair := utf16.DecodeRune(rune(u), rune(lo)); pair != utf8.RuneError {
						r = pair
						b = b[7:]
					}
				}
			}
			out = utf8.AppendRune(out, r)
		}
		if i = bytes.Index(b, []byte("_x")); i < 0 {
			return string(append(out, b...))
		}
	}
}

// xunit reads the escape « _xHHHH_ » at the start of b.
func xunit(b []byte) (u uint16, ok bool) {
	var h [2]byte
	if len(b) < 7 || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	if _, err := hex.Decode(h[:], b[2:6]); err != nil {
		return 0, false
	}
	return uint16(h[0])<<8 | uint16(h[1]), true
}
