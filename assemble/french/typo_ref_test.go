package french

// The implementation of Typo before it reused its buffers (issue 15), kept
// as the reference the current one must match byte for byte
// (TestTypoMatchesReference, FuzzTypoReference). Frozen: do not edit; its
// comments name the functions of that time, here suffixed with Ref.

import (
	"strings"
	"unicode"
)

func typoRef(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	depth := 0 // open guillemets, carried over lines until a blank line
	start := 0
	for i := 0; i <= len(rs); i++ {
		if i < len(rs) && !isBreakRef(rs[i]) {
			continue
		}
		typoLineRef(&b, rs[start:i], &depth)
		if i < len(rs) {
			b.WriteRune(rs[i])
			if rs[i] == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
				i++
				b.WriteRune('\n')
			}
		}
		start = i + 1
	}
	return b.String()
}

// glyph is a rune of the line being typeset.
type glyphRef struct {
	r    rune
	keep bool // part of a URL or an e-mail address: never changed
}

// typoLine typesets one line (without its line break) into b.
func typoLineRef(b *strings.Builder, rs []rune, depth *int) {
	cs := collapseRef(rs)
	if len(cs) == 0 {
		*depth = 0 // a blank line ends any quotation left open
		return
	}
	protectRef(cs)
	cs = ellipsesRef(cs)
	apostrophesRef(cs)
	quotesRef(cs, depth)
	cs = guillemetsRef(cs)
	cs = punctuationRef(cs)
	dashesRef(cs)
	cs = numbersRef(cs)
	unitsRef(cs)
	cs = hoursRef(cs)
	cs = ordinalsRef(cs)
	for _, c := range cs {
		b.WriteRune(c.r)
	}
}

func isBreakRef(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// isHSpace reports a horizontal space (a line break is not one).
func isHSpaceRef(r rune) bool { return unicode.IsSpace(r) && !isBreakRef(r) }

func isNoBreakRef(r rune) bool { return r == nbsp || r == nnbsp || r == '\u2007' }

// collapse turns runs of spaces into one space, trims both ends, and keeps a
// no-break space if the run had one.
func collapseRef(rs []rune) []glyphRef {
	cs := make([]glyphRef, 0, len(rs)+8)
	for _, r := range rs {
		if isHSpaceRef(r) {
			if !isNoBreakRef(r) {
				r = ' '
			}
			n := len(cs)
			if n == 0 {
				continue
			}
			if isHSpaceRef(cs[n-1].r) {
				if cs[n-1].r == ' ' {
					cs[n-1].r = r
				}
				continue
			}
		}
		cs = append(cs, glyphRef{r: r})
	}
	if n := len(cs); n > 0 && isHSpaceRef(cs[n-1].r) {
		cs = cs[:n-1]
	}
	return cs
}

// Punctuation that may surround an address without being part of it. Both
// sets hold every quote and bracket, so that what Typo makes of them stays
// outside the address when Typo runs again.
const (
	leadingRef  = `"'«»“”‘’()[]{}<>`
	trailingRef = leadingRef + `.,;:!?…`
)

// protect marks the words that hold a URL or an e-mail address, minus the
// punctuation around them.
func protectRef(cs []glyphRef) {
	for i := 0; i < len(cs); {
		if isHSpaceRef(cs[i].r) {
			i++
			continue
		}
		j := i
		for j < len(cs) && !isHSpaceRef(cs[j].r) {
			j++
		}
		a, z := i, j
		for a < z && strings.ContainsRune(leadingRef, cs[a].r) {
			a++
		}
		for z > a && strings.ContainsRune(trailingRef, cs[z-1].r) {
			z--
		}
		// Only a word with one of « : @ . » may be an address or a file
		// name: the others are not looked at further.
		maybe := false
		for _, c := range cs[a:z] {
			if c.r == ':' || c.r == '@' || c.r == '.' {
				maybe = true
				break
			}
		}
		if !maybe {
			i = j
			continue
		}
		w := make([]rune, 0, z-a)
		for _, c := range cs[a:z] {
			w = append(w, c.r)
		}
		// "Contains", not "starts with": a word typeset once must not gain
		// protection the second time (idempotence), e.g. x«www.a gives x« www.a.
		if word := strings.ToLower(string(w)); strings.Contains(word, "://") ||
			strings.Contains(word, "@") || strings.Contains(word, "www.") || isFileNameRef(word) {
			for k := a; k < z; k++ {
				cs[k].keep = true
			}
		}
		i = j
	}
}

// fileExts are the extensions that make a word a file name, whose
// characters Typo keeps.
var fileExtsRef = []string{".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".xls", ".ods", ".odt", ".doc", ".docx", ".csv", ".txt", ".zip", ".eml", ".json"}

// isFileName reports whether a lower-case word ends like a file name.
func isFileNameRef(w string) bool {
	for _, e := range fileExtsRef {
		if len(w) > len(e) && strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// ellipses replaces "..." (exactly three dots) by "…".
func ellipsesRef(cs []glyphRef) []glyphRef {
	out := make([]glyphRef, 0, len(cs))
	for i := 0; i < len(cs); i++ {
		j := i
		for j < len(cs) && cs[j].r == '.' && !cs[j].keep {
			j++
		}
		switch {
		case j == i:
			out = append(out, cs[i])
		case j-i == 3 && (i == 0 || cs[i-1].r != '.') && (j == len(cs) || cs[j].r != '.'):
			out = append(out, glyphRef{r: '…'})
			i = j - 1
		default:
			out = append(out, cs[i:j]...)
			i = j - 1
		}
	}
	return out
}

// apostrophes curls a straight apostrophe between two letters.
func apostrophesRef(cs []glyphRef) {
	for i := 1; i+1 < len(cs); i++ {
		p, n := cs[i-1].r, cs[i+1].r
		if cs[i].r == '\'' && !cs[i].keep && (unicode.IsLetter(p) || unicode.IsMark(p)) && unicode.IsLetter(n) {
			cs[i].r = '’'
		}
	}
}

// quotes turns straight double quotes into « or », from the context: after
// a space or an opening sign a quote opens, after a word it closes an open
// quotation. A quote between two spaces, or one after a word and before a
// space while no quotation is open (un écran 27"), is left alone.
func quotesRef(cs []glyphRef, depth *int) {
	for i := range cs {
		c := &cs[i]
		if c.keep {
			continue
		}
		switch c.r {
		case '«':
			*depth++
		case '»':
			*depth = max(*depth-1, 0)
		case '"':
			// A quote right after « closes it: "" gives « ».
			left := i == 0 || opensRef(cs[i-1].r) && cs[i-1].r != '«'
			right := i+1 == len(cs) || isHSpaceRef(cs[i+1].r)
			switch {
			case left && !right, !left && !right && *depth == 0:
				c.r = '«'
				*depth++
			case !left && *depth > 0:
				c.r = '»'
				*depth--
			}
		}
	}
}

// opens reports whether an opening quote may follow r.
func opensRef(r rune) bool {
	return isHSpaceRef(r) || unicode.In(r, unicode.Ps, unicode.Pi, unicode.Pd)
}

// guillemets puts a NBSP on the inner side of « and », replacing a space.
func guillemetsRef(cs []glyphRef) []glyphRef {
	out := make([]glyphRef, 0, len(cs)+8)
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		switch {
		case c.keep:
		case c.r == '»':
			if n := len(out); n > 0 && isHSpaceRef(out[n-1].r) {
				out[n-1].r = nbsp
			} else if n > 0 {
				out = append(out, glyphRef{r: nbsp})
			}
		case c.r == '«' && i+1 < len(cs):
			out = append(out, c, glyphRef{r: nbsp})
			if isHSpaceRef(cs[i+1].r) {
				i++ // replaced by the NBSP
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// punctuation puts the right no-break space before ":", ";", "!" and "?".
func punctuationRef(cs []glyphRef) []glyphRef {
	isMark := func(c glyphRef) bool { return !c.keep && strings.ContainsRune(":;!?", c.r) }
	out := make([]glyphRef, 0, len(cs)+8)
	for i := 0; i < len(cs); i++ {
		if !isMark(cs[i]) {
			out = append(out, cs[i])
			continue
		}
		j := i + 1
		for j < len(cs) && isMark(cs[j]) {
			j++
		}
		sp := nnbsp
		if cs[i].r == ':' {
			sp = nbsp
		}
		if n := len(out); n > 0 {
			p := out[n-1]
			switch {
			case isHSpaceRef(p.r):
				if sp == nnbsp || p.r != nnbsp {
					out[n-1].r = sp
				}
			case endsWordRef(p) && (j == len(cs) || mayFollowRef(cs[j].r)):
				out = append(out, glyphRef{r: sp})
			}
		}
		out = append(out, cs[i:j]...)
		i = j - 1
	}
	return out
}

// endsWord reports whether c may end a word that takes a space before
// ":;!?". It looks at the rune only, whether protected or not.
func endsWordRef(c glyphRef) bool {
	return unicode.IsLetter(c.r) || unicode.IsDigit(c.r) || unicode.IsMark(c.r) ||
		strings.ContainsRune(".)]}»’”…%€°", c.r)
}

// mayFollow reports whether r may follow ":;!?" that takes an added space:
// a space or closing punctuation, not a letter or digit (14:30, a:b).
func mayFollowRef(r rune) bool {
	return isHSpaceRef(r) || unicode.In(r, unicode.Pe, unicode.Pf) || strings.ContainsRune(`".,'…`, r)
}

// dashes turns a hyphen between two spaces into an en dash.
// units binds a unit to its number: « 12 500 € », « 40 % » typed with an
// ordinary space get a no-break space, so the sign never starts a line.
func unitsRef(cs []glyphRef) {
	for i := 1; i+1 < len(cs); i++ {
		if cs[i].r == ' ' && !cs[i].keep && unicode.IsDigit(cs[i-1].r) && strings.ContainsRune("€%", cs[i+1].r) {
			cs[i].r = nbsp
		}
	}
}

// isDigit is an ASCII digit: other scripts' digits are left alone.
func isDigitRef(r rune) bool { return r >= '0' && r <= '9' }

// isWordRune is a letter or a digit: what a number, an hour or an ordinal
// must not touch on either side.
func isWordRuneRef(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// digitRun returns where the run of ASCII digits ending before i starts.
func digitRunRef(cs []glyphRef, i int) int {
	j := i
	for j > 0 && isDigitRef(cs[j-1].r) && !cs[j-1].keep {
		j--
	}
	return j
}

// numbers groups the digits of a number typed with ordinary spaces: a
// space between a group of one to three digits that starts the number
// and exactly three digits that end a group becomes NNBSP (« 1 800 »,
// « 184 300 », « 1 184 300 »); a year list (« 2024 2025 ») is not a
// number and is left alone. A number glued to € or % gets its NBSP.
func numbersRef(cs []glyphRef) []glyphRef {
	out := make([]glyphRef, 0, len(cs)+4)
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		if !c.keep && (c.r == ' ' || c.r == nnbsp || c.r == nbsp) && i > 0 && isDigitRef(cs[i-1].r) && !cs[i-1].keep {
			from := digitRunRef(cs, i)
			lead := i - from
			grouped := from > 0 && cs[from-1].r == nnbsp && from >= 2 && isDigitRef(cs[from-2].r)
			starts := from == 0 || !(isWordRuneRef(cs[from-1].r) || strings.ContainsRune(",.", cs[from-1].r))
			next := i + 1
			for next < len(cs) && next-i-1 < 4 && isDigitRef(cs[next].r) && !cs[next].keep {
				next++
			}
			three := next-i-1 == 3 && (next == len(cs) || !isWordRuneRef(cs[next].r) && cs[next].r != ',' || cs[next].r == ',' && next+1 < len(cs) && isDigitRef(cs[next+1].r))
			if three && lead >= 1 && lead <= 3 && (starts || grouped) && c.r == ' ' {
				c.r = nnbsp
				cs[i].r = nnbsp // the next group sees this one
			}
		}
		if !c.keep && (c.r == '€' || c.r == '%') && i > 0 && isDigitRef(cs[i-1].r) && !cs[i-1].keep {
			out = append(out, glyphRef{r: nbsp})
		}
		out = append(out, c)
	}
	return out
}

// hours spaces an hour typed « 19h » or « 19h30 » (also « 9H », « 19h00 »):
// « 19 h », « 19 h 30 », with no-break spaces. Only hours 0 to 24 and
// minutes 00 to 59, between non-letters.
func hoursRef(cs []glyphRef) []glyphRef {
	out := make([]glyphRef, 0, len(cs)+4)
	for i := 0; i < len(cs); i++ {
		h := i
		for h < len(cs) && h-i < 3 && isDigitRef(cs[h].r) && !cs[h].keep {
			h++
		}
		n := h - i
		ok := n >= 1 && n <= 2 && h < len(cs) && (cs[h].r == 'h' || cs[h].r == 'H') && !cs[h].keep &&
			(i == 0 || !isWordRuneRef(cs[i-1].r) && cs[i-1].r != ',' && cs[i-1].r != '.')
		if !ok {
			out = append(out, cs[i])
			continue
		}
		hh := 0
		for _, c := range cs[i:h] {
			hh = hh*10 + int(c.r-'0')
		}
		m := h + 1
		for m < len(cs) && m-h-1 < 3 && isDigitRef(cs[m].r) && !cs[m].keep {
			m++
		}
		mins := m - h - 1
		end := m
		if mins != 0 && mins != 2 || mins == 2 && cs[h+1].r > '5' || hh > 24 ||
			end < len(cs) && isWordRuneRef(cs[end].r) {
			out = append(out, cs[i])
			continue
		}
		out = append(out, cs[i:h]...)
		out = append(out, glyphRef{r: nbsp}, glyphRef{r: 'h'})
		if mins == 2 {
			out = append(out, glyphRef{r: nbsp}, cs[h+1], cs[h+2])
		}
		i = end - 1
	}
	return out
}

// Raised letters of ordinals (modifier letters the embedded font draws).
const (
	supERef = '\u1d49' // ᵉ
	supRRef = '\u02b3' // ʳ
)

// ordinals raises the letters of « 1er », « 1re », « 2e », « 2ème », « 2eme »
// after a number that starts a word, when a non-letter follows.
func ordinalsRef(cs []glyphRef) []glyphRef {
	out := make([]glyphRef, 0, len(cs))
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		out = append(out, c)
		if !isDigitRef(c.r) || c.keep || i+1 >= len(cs) || cs[i+1].keep {
			continue
		}
		from := digitRunRef(cs, i+1)
		if from > 0 && (isWordRuneRef(cs[from-1].r) || strings.ContainsRune(",.", cs[from-1].r)) {
			continue
		}
		rest := cs[i+1:]
		word := 0
		for word < len(rest) && word < 4 && unicode.IsLetter(rest[word].r) {
			word++
		}
		if word < len(rest) && (unicode.IsLetter(rest[word].r) || unicode.IsDigit(rest[word].r)) {
			continue
		}
		var suffix []rune
		switch s := string(runesOfRef(rest[:word])); {
		case s == "er" && c.r == '1' && i == from:
			suffix = []rune{supERef, supRRef}
		case s == "re" && c.r == '1' && i == from:
			suffix = []rune{supRRef, supERef}
		case (s == "e" || s == "ème" || s == "eme") && !(c.r == '1' && i == from):
			suffix = []rune{supERef}
		default:
			continue
		}
		for _, r := range suffix {
			out = append(out, glyphRef{r: r})
		}
		i += word
	}
	return out
}

func runesOfRef(cs []glyphRef) []rune {
	rs := make([]rune, len(cs))
	for i, c := range cs {
		rs[i] = c.r
	}
	return rs
}

func dashesRef(cs []glyphRef) {
	for i := 1; i+1 < len(cs); i++ {
		if cs[i].r == '-' && !cs[i].keep && isHSpaceRef(cs[i-1].r) && isHSpaceRef(cs[i+1].r) {
			cs[i].r = '–'
		}
	}
}
