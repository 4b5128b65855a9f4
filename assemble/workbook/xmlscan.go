package workbook

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// The worksheets and the shared strings are most of a workbook's XML, and
// encoding/xml's Decoder spends most of a read on them: a byte at a time,
// and an allocation for each token. xmlScan reads them from the part's
// bytes in place, and only the XML that every producer writes: elements,
// attributes, text with the predefined entities and character references,
// CDATA, comments and the XML declaration, in UTF-8. Whatever else it meets
// (a DOCTYPE, another encoding, a tag closed by another name, anything
// encoding/xml would refuse) makes it give up, and the part is read again
// by encoding/xml, so that what is read, and every error said, is
// encoding/xml's; FuzzXMLScan checks that both agree wherever xmlScan
// reads a part to its end.

// xmlKind is what xmlScan.next found.
type xmlKind uint8

const (
	xmlUnsure xmlKind = iota // something to leave to encoding/xml
	xmlEOF
	xmlStart
	xmlEnd
	xmlText
)

// xmlAttr is an attribute of a start tag: its local name (without prefix)
// and its value, entities decoded.
type xmlAttr struct{ local, value []byte }

// xmlTag is a start tag: the element's local name and its attributes.
type xmlTag struct {
	local []byte
	attrs []xmlAttr
}

// attr is the value of the first attribute whose local name is name, as
// encoding/xml's Attr list gives it, or "".
func (t *xmlTag) attr(name string) []byte {
	for _, a := range t.attrs {
		if string(a.local) == name {
			return a.value
		}
	}
	return nil
}

// xmlScan reads a part's XML token by token. The slices it returns are
// valid until the next call to next.
type xmlScan struct {
	b     []byte
	pos   int
	open  [][]byte // raw names of the elements open
	tag   xmlTag   // the last start tag
	end   []byte   // the local name of the last end tag
	text  []byte   // the last text, decoded
	buf   []byte   // where text with entities is decoded
	empty bool     // the last start tag was <name/>: its end comes next
}

// reset makes s read b, keeping its buffers.
func (s *xmlScan) reset(b []byte) {
	*s = xmlScan{b: b, open: s.open[:0], tag: xmlTag{attrs: s.tag.attrs[:0]}, buf: s.buf[:0]}
}

// next reads the next token; comments and processing instructions are
// skipped.
func (s *xmlScan) next() xmlKind {
	for {
		if k, skipped := s.token(); !skipped {
			return k
		}
	}
}

// token reads a token, or skips a comment or processing instruction.
func (s *xmlScan) token() (k xmlKind, skipped bool) {
	if s.empty {
		s.empty = false
		return s.closeElement(s.open[len(s.open)-1]), false
	}
	b := s.b
	if s.pos >= len(b) {
		if len(s.open) > 0 {
			return xmlUnsure, false // encoding/xml: unexpected EOF
		}
		return xmlEOF, false
	}
	if b[s.pos] != '<' {
		i := bytes.IndexByte(b[s.pos:], '<')
		if i < 0 {
			i = len(b) - s.pos
		}
		raw := b[s.pos : s.pos+i]
		s.pos += i
		if bytes.Contains(raw, []byte("]]>")) {
			return xmlUnsure, false
		}
		var ok bool
		if s.text, ok = s.decode(raw, false); !ok {
			return xmlUnsure, false
		}
		return xmlText, false
	}
	rest := b[s.pos+1:]
	if len(rest) == 0 {
		return xmlUnsure, false
	}
	switch rest[0] {
	case '/':
		return s.endTag(), false
	case '?':
		return xmlUnsure, s.procInst()
	case '!':
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			body := rest[3:]
			i := bytes.Index(body, []byte("-->"))
			if i < 0 || bytes.Contains(body[:i], []byte("--")) || (i > 0 && body[i-1] == '-') {
				return xmlUnsure, false
			}
			s.pos += 1 + 3 + i + 3
			return 0, true
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			body := rest[8:]
			i := bytes.Index(body, []byte("]]>"))
			if i < 0 {
				return xmlUnsure, false
			}
			s.pos += 1 + 8 + i + 3
			var ok bool
			if s.text, ok = s.decode(body[:i], true); !ok {
				return xmlUnsure, false
			}
			return xmlText, false
		}
		return xmlUnsure, false // a DOCTYPE, or worse
	}
	return s.startTag(), false
}

// startTag reads <name attr="value"…> or <name…/>.
func (s *xmlScan) startTag() xmlKind {
	b := s.b
	p := s.pos + 1
	name, local, ok := scanName(b, p)
	if !ok {
		return xmlUnsure
	}
	p += len(name)
	s.tag.local = local
	s.tag.attrs = s.tag.attrs[:0]
	for {
		p = skipSpace(b, p)
		if p >= len(b) {
			return xmlUnsure
		}
		switch b[p] {
		case '/':
			if p+1 >= len(b) || b[p+1] != '>' {
				return xmlUnsure
			}
			s.pos = p + 2
			s.open = append(s.open, name)
			s.empty = true
			return xmlStart
		case '>':
			s.pos = p + 1
			s.open = append(s.open, name)
			return xmlStart
		}
		an, alocal, ok := scanName(b, p)
		if !ok {
			return xmlUnsure
		}
		p = skipSpace(b, p+len(an))
		if p >= len(b) || b[p] != '=' {
			return xmlUnsure
		}
		p = skipSpace(b, p+1)
		if p >= len(b) || (b[p] != '"' && b[p] != '\'') {
			return xmlUnsure
		}
		q := b[p]
		i := bytes.IndexByte(b[p+1:], q)
		if i < 0 {
			return xmlUnsure
		}
		raw := b[p+1 : p+1+i]
		p += 1 + i + 1
		if bytes.IndexByte(raw, '<') >= 0 {
			return xmlUnsure
		}
		v := raw
		if bytes.IndexByte(raw, '&') >= 0 || bytes.IndexByte(raw, '\r') >= 0 {
			// Rare: decoded into a slice of its own, as the text
			// buffer is reused for each value.
			d, ok := s.decode(raw, false)
			if !ok {
				return xmlUnsure
			}
			v = bytes.Clone(d)
		} else if !validChars(raw) {
			return xmlUnsure
		}
		s.tag.attrs = append(s.tag.attrs, xmlAttr{alocal, v})
	}
}

// endTag reads </name>.
func (s *xmlScan) endTag() xmlKind {
	b := s.b
	p := s.pos + 2
	name, _, ok := scanName(b, p)
	if !ok {
		return xmlUnsure
	}
	p = skipSpace(b, p+len(name))
	if p >= len(b) || b[p] != '>' {
		return xmlUnsure
	}
	s.pos = p + 1
	return s.closeElement(name)
}

// closeElement closes the innermost open element, which must be name.
func (s *xmlScan) closeElement(name []byte) xmlKind {
	n := len(s.open)
	if n == 0 || !bytes.Equal(s.open[n-1], name) {
		return xmlUnsure
	}
	s.open = s.open[:n-1]
	_, s.end, _ = scanName(name, 0)
	return xmlEnd
}

// procInst skips <?target …?>; the XML declaration must say UTF-8 and
// version 1.0, or nothing. It reports whether it skipped it.
func (s *xmlScan) procInst() bool {
	b := s.b
	p := s.pos + 2
	name, _, ok := scanName(b, p)
	if !ok {
		return false
	}
	p += len(name)
	i := bytes.Index(b[p:], []byte("?>"))
	if i < 0 {
		return false
	}
	body := b[p : p+i]
	s.pos = p + i + 2
	if string(name) == "xml" {
		if v, ok := declParam(body, "version"); !ok || (v != "" && v != "1.0") {
			return false
		}
		if e, ok := declParam(body, "encoding"); !ok || (e != "" && !bytes.EqualFold([]byte(e), []byte("utf-8"))) {
			return false
		}
	}
	return true
}

// declParam is a parameter of the XML declaration, when it is written
// plainly: once, quoted. ok is false when it is not.
func declParam(body []byte, param string) (string, bool) {
	key := []byte(param + "=")
	i := bytes.Index(body, key)
	if i < 0 {
		return "", true
	}
	if bytes.Count(body, key) > 1 {
		return "", false
	}
	rest := body[i+len(key):]
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return "", false
	}
	j := bytes.IndexByte(rest[1:], rest[0])
	if j < 0 {
		return "", false
	}
	return string(rest[1 : 1+j]), true
}

// scanName reads an element or attribute name at b[p:]: ASCII, as
// encoding/xml reads it, with at most one colon between a prefix and the
// local name. Other names are left to encoding/xml.
func scanName(b []byte, p int) (name, local []byte, ok bool) {
	i := p
	colon := -1
	for i < len(b) {
		c := b[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || i > p && ('0' <= c && c <= '9' || c == '.' || c == '-') {
			i++
			continue
		}
		if c == ':' && colon < 0 && i > p {
			colon = i
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			return nil, nil, false
		}
		break
	}
	if i == p || colon == i-1 {
		return nil, nil, false
	}
	name = b[p:i]
	local = name
	if colon >= 0 {
		local = b[colon+1 : i]
	}
	return name, local, true
}

func skipSpace(b []byte, p int) int {
	for p < len(b) && (b[p] == ' ' || b[p] == '\n' || b[p] == '\t' || b[p] == '\r') {
		p++
	}
	return p
}

// validChars reports whether b holds only characters XML allows, in
// UTF-8, as encoding/xml checks them.
func validChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !inCharRange(r) {
			return false
		}
		i += n
	}
	return true
}

func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// decode gives the text of raw as encoding/xml does: entities and
// character references replaced (not in CDATA), \r\n and \r made \n. It
// returns raw itself when there is nothing to replace.
func (s *xmlScan) decode(raw []byte, cdata bool) ([]byte, bool) {
	amp := -1
	if !cdata {
		amp = bytes.IndexByte(raw, '&')
	}
	if amp < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return raw, validChars(raw)
	}
	out := s.buf[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\r':
			out = append(out, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case c == '&' && !cdata:
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				return nil, false
			}
			r, ok := entityValue(raw[i+1 : i+j])
			if !ok {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
			i += j
		default:
			out = append(out, c)
		}
	}
	s.buf = out
	return out, validChars(out)
}

// entityValue is the character an entity or character reference (without
// & and ;) stands for: the five XML predefines, &#n; and &#xh;.
func entityValue(e []byte) (rune, bool) {
	switch string(e) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(e) < 2 || e[0] != '#' {
		return 0, false
	}
	digits, base := e[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || n > utf8.MaxRune || !inCharRange(rune(n)) {
		return 0, false
	}
	return rune(n), true
}
