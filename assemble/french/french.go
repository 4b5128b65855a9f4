package french

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	// NBSP is the no-break space (U+00A0): before €, %, « » inner sides and ":".
	NBSP = "\u00a0"
	// NNBSP is the narrow no-break space (U+202F): thousands separator and
	// the space before ";", "!" and "?".
	NNBSP = "\u202f"
)

const (
	nbsp  = '\u00a0'
	nnbsp = '\u202f'
)

// ---------------------------------------------------------------------------
// Numbers

// Number formats an integer the French way: 12500 gives "12 500" with U+202F
// between groups of three digits; negative numbers start with "-".
func Number(n int64) string {
	u := uint64(n)
	if n < 0 {
		u = -u // also right for math.MinInt64
	}
	s := group(strconv.FormatUint(u, 10))
	if n < 0 {
		return "-" + s
	}
	return s
}

// group inserts NNBSP between groups of three digits of an unsigned integer.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(NNBSP)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Decimal formats x with exactly prec decimals (prec < 0 counts as 0), a
// decimal comma and U+202F between thousands: Decimal(1234.5, 2) gives
// "1 234,50". Rounding is half away from zero on the shortest decimal form
// of x, so 2.675 gives "2,68" as a person would expect. NaN and infinities
// give "NaN", "∞" and "-∞".
func Decimal(x float64, prec int) string {
	return decimal(x, 0, prec, false)
}

// DecimalTrim is Decimal without trailing zeros: prec is the maximum number
// of decimals, DecimalTrim(2.50, 2) gives "2,5" and DecimalTrim(3, 2) "3".
func DecimalTrim(x float64, prec int) string {
	return decimal(x, 0, prec, true)
}

// ETP formats a number of full-time equivalents (équivalents temps plein)
// with at most two decimals: 2.5 gives "2,5", 3 gives "3", 0.25 "0,25".
func ETP(x float64) string {
	return DecimalTrim(x, 2)
}

// Percent formats a ratio as a percentage rounded to one decimal, with a
// NBSP before "%": 0.425 gives "42,5 %", 1 gives "100 %" (no ",0").
func Percent(ratio float64) string {
	return decimal(ratio, 2, 1, true) + NBSP + "%"
}

// Money formats an amount in euro cents: 1250000 gives "12 500 €" and
// 1250050 gives "12 500,50 €" (U+202F between thousands, NBSP before €);
// cents are shown only when they are not zero.
func Money(cents int64) string {
	u := uint64(cents)
	if cents < 0 {
		u = -u
	}
	s := group(strconv.FormatUint(u/100, 10))
	if c := u % 100; c != 0 {
		s += "," + string(rune('0'+c/10)) + string(rune('0'+c%10))
	}
	if cents < 0 {
		s = "-" + s
	}
	return s + NBSP + "€"
}

// Cents converts an amount in euros to cents for Money, rounding half away
// from zero on the shortest decimal form (0.285 gives 29). It reports false
// for NaN, infinities and amounts that do not fit in an int64.
func Cents(euros float64) (int64, bool) {
	if math.IsNaN(euros) || math.IsInf(euros, 0) {
		return 0, false
	}
	neg, ip, _ := round(euros, 2, 0)
	if neg {
		ip = "-" + ip
	}
	n, err := strconv.ParseInt(ip, 10, 64)
	return n, err == nil
}

// decimal formats x·10^shift with prec decimals, trimming trailing zeros if
// trim is set.
func decimal(x float64, shift, prec int, trim bool) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "-∞"
	}
	neg, ip, fp := round(x, shift, max(prec, 0))
	if trim {
		fp = strings.TrimRight(fp, "0")
	}
	s := group(ip)
	if fp != "" {
		s += "," + fp
	}
	if neg {
		s = "-" + s
	}
	return s
}

// round returns the integer and fractional digits of |x|·10^shift rounded
// half away from zero to prec decimals, working on the shortest decimal
// representation of x so that no binary artefact leaks into the result.
// neg is false when the rounded value is zero.
func round(x float64, shift, prec int) (neg bool, ip, fp string) {
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	ip, fp, _ = strings.Cut(s, ".")
	if shift > 0 {
		if len(fp) < shift {
			fp += strings.Repeat("0", shift-len(fp))
		}
		ip, fp = ip+fp[:shift], fp[shift:]
		if ip = strings.TrimLeft(ip, "0"); ip == "" {
			ip = "0"
		}
	}
	if len(fp) <= prec {
		fp += strings.Repeat("0", prec-len(fp))
	} else {
		up := fp[prec] >= '5'
		fp = fp[:prec]
		if up {
			d := []byte(ip + fp)
			i := len(d) - 1
			for ; i >= 0 && d[i] == '9'; i-- {
				d[i] = '0'
			}
			if i >= 0 {
				d[i]++
			} else {
				d = append([]byte{'1'}, d...)
			}
			ip, fp = string(d[:len(d)-prec]), string(d[len(d)-prec:])
		}
	}
	neg = math.Signbit(x) && strings.Trim(ip+fp, "0") != ""
	return neg, ip, fp
}

// ---------------------------------------------------------------------------
// Dates

var weekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// WeekdayName returns the lower-case French name of d ("lundi"), or "" if d
// is out of range.
func WeekdayName(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return ""
	}
	return weekdays[d]
}

// MonthName returns the lower-case French name of m ("janvier"), or "" if m
// is out of range.
func MonthName(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return months[m-1]
}

// LongDate formats t as "jeudi 25 septembre 2025"; the first day of a month
// is written with raised letters ("mercredi 1ᵉʳ octobre 2025", see First). The date is read in t's
// own location.
func LongDate(t time.Time) string {
	return WeekdayName(t.Weekday()) + " " + ShortDate(t)
}

// First is « 1er » as French typography writes it, with the letters raised
// (U+1D49 U+02B3, which the embedded Lato draws): « 1ᵉʳ octobre ».
const First = "1\u1d49\u02b3"

// ShortDate formats t as "25 septembre 2025" or "1ᵉʳ octobre 2025" (see First).
func ShortDate(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = First
	}
	return day + " " + MonthName(t.Month()) + " " + strconv.Itoa(t.Year())
}

// NumericDate formats t as "25/09/2025".
func NumericDate(t time.Time) string {
	return t.Format("02/01/2006")
}

// foldedMonths holds the month names without accents, for ParseMonth.
var foldedMonths = func() (f [12]string) {
	for i, m := range months {
		f[i] = Fold(m)
	}
	return f
}()

// ParseMonth recognises a French month name, ignoring case, accents, spaces
// and a final dot: "Septembre", "fevrier", "févr.", "sept", "AOÛT". An
// abbreviation must have at least three letters and match one month only
// ("jui" is refused: juin or juillet?).
func ParseMonth(s string) (time.Month, bool) {
	k := Fold(strings.ToLower(strings.TrimSpace(s)))
	k = strings.TrimSpace(strings.TrimSuffix(k, "."))
	if len(k) < 3 {
		return 0, false
	}
	var found time.Month
	for i, name := range foldedMonths {
		if name == k {
			return time.Month(i + 1), true
		}
		if strings.HasPrefix(name, k) {
			if found != 0 {
				return 0, false
			}
			found = time.Month(i + 1)
		}
	}
	return found, found != 0
}

// ---------------------------------------------------------------------------
// Names

// foldPairs pairs Latin letters with diacritics (Latin-1 and Latin
// Extended-A) with their ASCII form.
var foldPairs = [...][2]string{
	{"ÀÁÂÃÄÅĀĂĄ", "A"}, {"àáâãäåāăą", "a"}, {"ÇĆĈĊČ", "C"}, {"çćĉċč", "c"},
	{"ÐĎĐ", "D"}, {"ðďđ", "d"}, {"ÈÉÊËĒĔĖĘĚ", "E"}, {"èéêëēĕėęě", "e"},
	{"ĜĞĠĢ", "G"}, {"ĝğġģ", "g"}, {"ĤĦ", "H"}, {"ĥħ", "h"},
	{"ÌÍÎÏĨĪĬĮİ", "I"}, {"ìíîïĩīĭįı", "i"}, {"Ĵ", "J"}, {"ĵ", "j"},
	{"Ķ", "K"}, {"ķĸ", "k"}, {"ĹĻĽĿŁ", "L"}, {"ĺļľŀł", "l"},
	{"ÑŃŅŇŊ", "N"}, {"ñńņňŉŋ", "n"}, {"ÒÓÔÕÖØŌŎŐ", "O"}, {"òóôõöøōŏő", "o"},
	{"ŔŖŘ", "R"}, {"ŕŗř", "r"}, {"ŚŜŞŠ", "S"}, {"śŝşšſ", "s"},
	{"ŢŤŦ", "T"}, {"ţťŧ", "t"}, {"ÙÚÛÜŨŪŬŮŰŲ", "U"}, {"ùúûüũūŭůűų", "u"},
	{"Ŵ", "W"}, {"ŵ", "w"}, {"ÝŶŸ", "Y"}, {"ýÿŷ", "y"}, {"ŹŻŽ", "Z"}, {"źżž", "z"},
	{"Æ", "AE"}, {"æ", "ae"}, {"Œ", "OE"}, {"œ", "oe"}, {"Ĳ", "IJ"}, {"ĳ", "ij"},
	{"Þ", "TH"}, {"þ", "th"}, {"ß", "ss"},
}

// Latin-1's letters and Latin Extended-A, where every rune Fold changes is.
const foldLo, foldHi = 0xc0, 0x180

// folds holds the ASCII form of each rune from foldLo to foldHi, or "".
var folds = func() (f [foldHi - foldLo]string) {
	for _, p := range foldPairs {
		for _, r := range p[0] {
			if r < foldLo || r >= foldHi {
				panic("french: fold pair out of range")
			}
			f[r-foldLo] = p[1]
		}
	}
	return f
}()

// FoldRune is the ASCII form Fold gives r (« Œ » gives « OE »), or "" when
// Fold leaves r as it is.
func FoldRune(r rune) string { return folded(r) }

// folded returns the ASCII form of r, or "" if Fold leaves it as it is.
func folded(r rune) string {
	if r >= foldLo && r < foldHi {
		return folds[r-foldLo]
	}
	return ""
}

// Fold replaces Latin letters with diacritics by their ASCII form
// ("Œuvre à Noël" gives "OEuvre a Noel"), invalid UTF-8 by U+FFFD, and
// leaves other runes alone. A string with nothing to replace is returned as
// it is.
func Fold(s string) string {
	i := 0
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if folded(r) != "" || r == utf8.RuneError && n == 1 {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if a := folded(r); a != "" {
			b.WriteString(a)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Slug makes an ASCII slug safe in file names: accents are stripped (œ gives
// oe, æ ae, ß ss), anything else than [A-Za-z0-9] becomes "-", runs of "-"
// are collapsed and trimmed. The result is at most 60 bytes long, cut at a
// "-" when one is in the second half; an empty result gives "sans-nom".
// "Communauté d'agglomération du Val-d'Oise" gives
// "Communaute-d-agglomeration-du-Val-d-Oise".
func Slug(s string) string {
	const limit = 60
	var b strings.Builder
	dash := false
	for _, r := range Fold(s) {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	out := b.String()
	if len(out) > limit {
		cut := out[:limit]
		if out[limit] != '-' {
			if i := strings.LastIndexByte(cut, '-'); i >= limit/2 {
				cut = cut[:i]
			}
		}
		out = strings.TrimRight(cut, "-")
	}
	if out == "" {
		return "sans-nom"
	}
	return out
}

// Capitalize upper-cases the first letter of s, keeping accents: "état"
// gives "État", "« état »" gives "« État »". Leading spaces and punctuation
// are skipped; s is returned unchanged if it starts with a digit ("2e tour").
func Capitalize(s string) string {
	for i, r := range s {
		if unicode.IsDigit(r) {
			return s
		}
		if unicode.IsLetter(r) {
			return s[:i] + string(unicode.ToTitle(r)) + s[i+utf8.RuneLen(r):]
		}
	}
	return s
}

// ---------------------------------------------------------------------------
// Typography

// Typo applies French typographic rules to free text typed by users:
//
//   - a straight apostrophe between letters becomes ’ ("l’État");
//   - "double quotes" become « guillemets », and the inner spaces of
//     guillemets become NBSP (added if missing: «x» gives « x »);
//     English quotes “ ” are left alone: French uses them inside « »;
//   - a NBSP goes before ":" and a NNBSP before ";", "!" and "?" (or a group
//     such as "?!"): an existing space is replaced, a missing one is added
//     after a word ("Attention!" gives "Attention !"), but not between
//     digits (14:30, 1:2); a NNBSP already before ":" is kept;
//   - "..." becomes "…" and " - " between spaces becomes " – ";
//   - a number typed with ordinary spaces between its groups of three
//     digits gets NNBSP there (« 184 300 habitants » never breaks inside the
//     number), and a NBSP goes between a number and €, % (« 12 500€ » gives
//     « 12 500 € »);
//   - hours are spaced: « 19h », « 19h30 » give « 19 h », « 19 h 30 »;
//   - ordinals get raised letters: « 1er », « 1re », « 2e », « 3ème » give
//     « 1ᵉʳ », « 1ʳᵉ », « 2ᵉ », « 3ᵉ »;
//   - runs of spaces collapse into one (a no-break one if the run had one)
//     and spaces at both ends of lines are dropped; line breaks are kept.
//
// Words that hold a URL, an e-mail address ("://", "@" or "www.") or a file
// name (« lettre_d'appui.pdf ») are left untouched, as are letters and digits ("oe" is not made "œ"). Typo is
// idempotent, never panics and replaces invalid UTF-8 with U+FFFD.
func Typo(s string) string {
	if plain(s) {
		return s
	}
	t := typoBufs.Get().(*typoBuf)
	t.out = t.out[:0]
	depth := 0 // open guillemets, carried over lines until a blank line
	start := 0
	for i := 0; i <= len(s); {
		r, n := rune(0), 0
		if i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			if !isBreak(r) {
				i += n
				continue
			}
		}
		t.line(s[start:i], &depth)
		if i == len(s) {
			break
		}
		t.out = utf8.AppendRune(t.out, r)
		i += n
		if r == '\r' && i < len(s) && s[i] == '\n' {
			i++
			t.out = append(t.out, '\n')
		}
		start = i
	}
	out := s
	if string(t.out) != s { // text already typeset comes out as it came in
		out = string(t.out)
	}
	if cap(t.out) <= maxKeptBuf {
		typoBufs.Put(t)
	}
	return out
}

// plain reports text Typo leaves as it is for want of anything to change:
// one line of valid UTF-8 without spaces at its ends, whose spaces are
// single ASCII ones, with none of the runes a pass looks for (see has…),
// nor « ». Half the texts of a dossier are such (names, titles).
func plain(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < ' ', isDigit(rune(c)):
				return false
			case c == ' ' && s[i+1] == ' ':
				return false
			}
			switch c {
			case '.', ':', '@', ';', '!', '?', '\'', '"', '-':
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		// Other scripts' digits too: units binds « ٣ € » as « 3 € ».
		if r == utf8.RuneError && n == 1 || unicode.IsSpace(r) || isBreak(r) || r == '«' || r == '»' || unicode.IsDigit(r) {
			return false
		}
		i += n
	}
	return true
}

// typoBuf holds what Typo works in, kept between calls: a dossier's texts
// went through seven passes that each made a new slice (issue 15).
type typoBuf struct {
	a, b []glyph // the line, and the spare its passes write into
	word []byte  // a word looked at by protect, lower-cased
	out  []byte  // the text typeset
}

// maxKeptBuf is the length of text past which Typo's buffers are left to
// the collector instead of being kept for the next call.
const maxKeptBuf = 64 << 10

var typoBufs = sync.Pool{New: func() any { return new(typoBuf) }}

// glyph is a rune of the line being typeset.
type glyph struct {
	r    rune
	keep bool // part of a URL or an e-mail address: never changed
}

// What a line holds, which decides the passes that may change it: a pass
// whose runes are absent would give the line back as it is.
const (
	hasMaybeAddress = 1 << iota // ":", "@" or ".": protect
	hasDot                      // ellipses
	hasApostrophe               // apostrophes
	hasQuote                    // '"', "«" or "»": quotes, guillemets
	hasMark                     // ":;!?": punctuation
	hasHyphen                   // dashes
	hasDigit                    // numbers, units, hours, ordinals
)

// line typesets one line (without its line break) into t.out. The passes
// that lengthen or shorten the line append the new one to their first
// argument, which they return; the others change the line in place.
func (t *typoBuf) line(line string, depth *int) {
	cs, has := collapse(t.a[:0], line)
	if len(cs) == 0 {
		t.a = cs
		*depth = 0 // a blank line ends any quotation left open
		return
	}
	spare := t.b[:0]
	// pass runs a pass that writes a new line into spare.
	pass := func(f func(dst, cs []glyph) []glyph) {
		cs, spare = f(spare, cs), cs[:0]
	}
	if has&hasMaybeAddress != 0 {
		t.word = protect(cs, t.word)
	}
	if has&hasDot != 0 {
		pass(ellipses)
	}
	if has&hasApostrophe != 0 {
		apostrophes(cs)
	}
	if has&hasQuote != 0 {
		quotes(cs, depth)
		pass(guillemets)
	}
	if has&hasMark != 0 {
		pass(punctuation)
	}
	if has&hasHyphen != 0 {
		dashes(cs)
	}
	if has&hasDigit != 0 {
		pass(numbers)
		units(cs)
		pass(hours)
		pass(ordinals)
	}
	for _, c := range cs {
		t.out = utf8.AppendRune(t.out, c.r)
	}
	t.a, t.b = cs[:0], spare
}

func isBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// isHSpace reports a horizontal space (a line break is not one).
func isHSpace(r rune) bool { return unicode.IsSpace(r) && !isBreak(r) }

func isNoBreak(r rune) bool { return r == nbsp || r == nnbsp || r == '\u2007' }

// collapse turns runs of spaces into one space, trims both ends, and keeps a
// no-break space if the run had one. It appends the glyphs of line to cs
// and says what they hold (has… bits).
func collapse(cs []glyph, line string) ([]glyph, int) {
	has := 0
	for _, r := range line {
		switch r {
		case '.':
			has |= hasDot | hasMaybeAddress
		case ':':
			has |= hasMark | hasMaybeAddress
		case '@':
			has |= hasMaybeAddress
		case ';', '!', '?':
			has |= hasMark
		case '\'':
			has |= hasApostrophe
		case '"', '«', '»':
			has |= hasQuote
		case '-':
			has |= hasHyphen
		default:
			if isDigit(r) || r >= utf8.RuneSelf && unicode.IsDigit(r) {
				has |= hasDigit // units binds other scripts' digits too
			}
		}
		if isHSpace(r) {
			if !isNoBreak(r) {
				r = ' '
			}
			n := len(cs)
			if n == 0 {
				continue
			}
			if isHSpace(cs[n-1].r) {
				if cs[n-1].r == ' ' {
					cs[n-1].r = r
				}
				continue
			}
		}
		cs = append(cs, glyph{r: r})
	}
	if n := len(cs); n > 0 && isHSpace(cs[n-1].r) {
		cs = cs[:n-1]
	}
	return cs, has
}

// isLeading and isTrailing report punctuation that may surround an address
// without being part of it. Both hold every quote and bracket, so that what
// Typo makes of them stays outside the address when Typo runs again.
func isLeading(r rune) bool {
	switch r {
	case '"', '\'', '«', '»', '“', '”', '‘', '’', '(', ')', '[', ']', '{', '}', '<', '>':
		return true
	}
	return false
}

func isTrailing(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', '…':
		return true
	}
	return isLeading(r)
}

// isMarkRune is one of the marks that take a no-break space before them.
func isMarkRune(r rune) bool { return r == ':' || r == ';' || r == '!' || r == '?' }

// protect marks the words that hold a URL or an e-mail address, minus the
// punctuation around them. It lower-cases a word into w, which it returns
// for the next call.
func protect(cs []glyph, w []byte) []byte {
	for i := 0; i < len(cs); {
		if isHSpace(cs[i].r) {
			i++
			continue
		}
		j := i
		for j < len(cs) && !isHSpace(cs[j].r) {
			j++
		}
		a, z := i, j
		for a < z && isLeading(cs[a].r) {
			a++
		}
		for z > a && isTrailing(cs[z-1].r) {
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
		w = w[:0] // as strings.ToLower would write the word
		for _, c := range cs[a:z] {
			w = utf8.AppendRune(w, unicode.ToLower(c.r))
		}
		// "Contains", not "starts with": a word typeset once must not gain
		// protection the second time (idempotence), e.g. x«www.a gives x« www.a.
		if bytes.Contains(w, []byte("://")) || bytes.IndexByte(w, '@') >= 0 ||
			bytes.Contains(w, []byte("www.")) || isFileName(w) {
			for k := a; k < z; k++ {
				cs[k].keep = true
			}
		}
		i = j
	}
	return w
}

// fileExts are the extensions that make a word a file name, whose
// characters Typo keeps.
var fileExts = []string{".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".xls", ".ods", ".odt", ".doc", ".docx", ".csv", ".txt", ".zip", ".eml", ".json"}

// isFileName reports whether a lower-case word ends like a file name.
func isFileName(w []byte) bool {
	for _, e := range fileExts {
		if len(w) > len(e) && string(w[len(w)-len(e):]) == e {
			return true
		}
	}
	return false
}

// ellipses replaces "..." (exactly three dots) by "…".
func ellipses(out, cs []glyph) []glyph {
	for i := 0; i < len(cs); i++ {
		j := i
		for j < len(cs) && cs[j].r == '.' && !cs[j].keep {
			j++
		}
		switch {
		case j == i:
			out = append(out, cs[i])
		case j-i == 3 && (i == 0 || cs[i-1].r != '.') && (j == len(cs) || cs[j].r != '.'):
			out = append(out, glyph{r: '…'})
			i = j - 1
		default:
			out = append(out, cs[i:j]...)
			i = j - 1
		}
	}
	return out
}

// apostrophes curls a straight apostrophe between two letters.
func apostrophes(cs []glyph) {
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
func quotes(cs []glyph, depth *int) {
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
			left := i == 0 || opens(cs[i-1].r) && cs[i-1].r != '«'
			right := i+1 == len(cs) || isHSpace(cs[i+1].r)
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
func opens(r rune) bool {
	return isHSpace(r) || unicode.In(r, unicode.Ps, unicode.Pi, unicode.Pd)
}

// guillemets puts a NBSP on the inner side of « and », replacing a space.
func guillemets(out, cs []glyph) []glyph {
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		switch {
		case c.keep:
		case c.r == '»':
			if n := len(out); n > 0 && isHSpace(out[n-1].r) {
				out[n-1].r = nbsp
			} else if n > 0 {
				out = append(out, glyph{r: nbsp})
			}
		case c.r == '«' && i+1 < len(cs):
			out = append(out, c, glyph{r: nbsp})
			if isHSpace(cs[i+1].r) {
				i++ // replaced by the NBSP
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// punctuation puts the right no-break space before ":", ";", "!" and "?".
func punctuation(out, cs []glyph) []glyph {
	isMark := func(c glyph) bool { return !c.keep && isMarkRune(c.r) }
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
			case isHSpace(p.r):
				if sp == nnbsp || p.r != nnbsp {
					out[n-1].r = sp
				}
			case endsWord(p) && (j == len(cs) || mayFollow(cs[j].r)):
				out = append(out, glyph{r: sp})
			}
		}
		out = append(out, cs[i:j]...)
		i = j - 1
	}
	return out
}

// endsWord reports whether c may end a word that takes a space before
// ":;!?". It looks at the rune only, whether protected or not.
func endsWord(c glyph) bool {
	return unicode.IsLetter(c.r) || unicode.IsDigit(c.r) || unicode.IsMark(c.r) ||
		strings.ContainsRune(".)]}»’”…%€°", c.r)
}

// mayFollow reports whether r may follow ":;!?" that takes an added space:
// a space or closing punctuation, not a letter or digit (14:30, a:b).
func mayFollow(r rune) bool {
	return isHSpace(r) || unicode.In(r, unicode.Pe, unicode.Pf) || strings.ContainsRune(`".,'…`, r)
}

// units binds a unit to its number: « 12 500 € », « 40 % » typed with an
// ordinary space get a no-break space, so the sign never starts a line.
func units(cs []glyph) {
	for i := 1; i+1 < len(cs); i++ {
		if cs[i].r == ' ' && !cs[i].keep && unicode.IsDigit(cs[i-1].r) && strings.ContainsRune("€%", cs[i+1].r) {
			cs[i].r = nbsp
		}
	}
}

// isDigit is an ASCII digit: other scripts' digits are left alone.
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isWordRune is a letter or a digit: what a number, an hour or an ordinal
// must not touch on either side.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// digitRun returns where the run of ASCII digits ending before i starts.
func digitRun(cs []glyph, i int) int {
	j := i
	for j > 0 && isDigit(cs[j-1].r) && !cs[j-1].keep {
		j--
	}
	return j
}

// numbers groups the digits of a number typed with ordinary spaces: a
// space between a group of one to three digits that starts the number
// and exactly three digits that end a group becomes NNBSP (« 1 800 »,
// « 184 300 », « 1 184 300 »); a year list (« 2024 2025 ») is not a
// number and is left alone. A number glued to € or % gets its NBSP.
func numbers(out, cs []glyph) []glyph {
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		if !c.keep && (c.r == ' ' || c.r == nnbsp || c.r == nbsp) && i > 0 && isDigit(cs[i-1].r) && !cs[i-1].keep {
			from := digitRun(cs, i)
			lead := i - from
			grouped := from > 0 && cs[from-1].r == nnbsp && from >= 2 && isDigit(cs[from-2].r)
			starts := from == 0 || !(isWordRune(cs[from-1].r) || strings.ContainsRune(",.", cs[from-1].r))
			next := i + 1
			for next < len(cs) && next-i-1 < 4 && isDigit(cs[next].r) && !cs[next].keep {
				next++
			}
			three := next-i-1 == 3 && (next == len(cs) || !isWordRune(cs[next].r) && cs[next].r != ',' || cs[next].r == ',' && next+1 < len(cs) && isDigit(cs[next+1].r))
			if three && lead >= 1 && lead <= 3 && (starts || grouped) && c.r == ' ' {
				c.r = nnbsp
				cs[i].r = nnbsp // the next group sees this one
			}
		}
		if !c.keep && (c.r == '€' || c.r == '%') && i > 0 && isDigit(cs[i-1].r) && !cs[i-1].keep {
			out = append(out, glyph{r: nbsp})
		}
		out = append(out, c)
	}
	return out
}

// hours spaces an hour typed « 19h » or « 19h30 » (also « 9H », « 19h00 »):
// « 19 h », « 19 h 30 », with no-break spaces. Only hours 0 to 24 and
// minutes 00 to 59, between non-letters.
func hours(out, cs []glyph) []glyph {
	for i := 0; i < len(cs); i++ {
		h := i
		for h < len(cs) && h-i < 3 && isDigit(cs[h].r) && !cs[h].keep {
			h++
		}
		n := h - i
		ok := n >= 1 && n <= 2 && h < len(cs) && (cs[h].r == 'h' || cs[h].r == 'H') && !cs[h].keep &&
			(i == 0 || !isWordRune(cs[i-1].r) && cs[i-1].r != ',' && cs[i-1].r != '.')
		if !ok {
			out = append(out, cs[i])
			continue
		}
		hh := 0
		for _, c := range cs[i:h] {
			hh = hh*10 + int(c.r-'0')
		}
		m := h + 1
		for m < len(cs) && m-h-1 < 3 && isDigit(cs[m].r) && !cs[m].keep {
			m++
		}
		mins := m - h - 1
		end := m
		if mins != 0 && mins != 2 || mins == 2 && cs[h+1].r > '5' || hh > 24 ||
			end < len(cs) && isWordRune(cs[end].r) {
			out = append(out, cs[i])
			continue
		}
		out = append(out, cs[i:h]...)
		out = append(out, glyph{r: nbsp}, glyph{r: 'h'})
		if mins == 2 {
			out = append(out, glyph{r: nbsp}, cs[h+1], cs[h+2])
		}
		i = end - 1
	}
	return out
}

// Raised letters of ordinals (modifier letters the embedded font draws).
const (
	supE = '\u1d49' // ᵉ
	supR = '\u02b3' // ʳ
)

// ordinals raises the letters of « 1er », « 1re », « 2e », « 2ème », « 2eme »
// after a number that starts a word, when a non-letter follows.
func ordinals(out, cs []glyph) []glyph {
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		out = append(out, c)
		if !isDigit(c.r) || c.keep || i+1 >= len(cs) || cs[i+1].keep {
			continue
		}
		from := digitRun(cs, i+1)
		if from > 0 && (isWordRune(cs[from-1].r) || strings.ContainsRune(",.", cs[from-1].r)) {
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
		first := c.r == '1' && i == from
		switch w := rest[:word]; {
		case first && runesAre(w, "er"):
			out = append(out, glyph{r: supE}, glyph{r: supR})
		case first && runesAre(w, "re"):
			out = append(out, glyph{r: supR}, glyph{r: supE})
		case !first && (runesAre(w, "e") || runesAre(w, "ème") || runesAre(w, "eme")):
			out = append(out, glyph{r: supE})
		default:
			continue
		}
		i += word
	}
	return out
}

// runesAre reports whether the runes of cs are those of s.
func runesAre(cs []glyph, s string) bool {
	i := 0
	for _, r := range s {
		if i == len(cs) || cs[i].r != r {
			return false
		}
		i++
	}
	return i == len(cs)
}

// dashes turns a hyphen between two spaces into an en dash.
func dashes(cs []glyph) {
	for i := 1; i+1 < len(cs); i++ {
		if cs[i].r == '-' && !cs[i].keep && isHSpace(cs[i-1].r) && isHSpace(cs[i+1].r) {
			cs[i].r = '–'
		}
	}
}

// Plural writes a count with its noun, agreed: « aucune initiative »,
// « 1 lieu », « 3 lieux », « 1 800 lieux ».
func Plural(n int, zero, one, many string) string {
	if n == 0 {
		return zero
	}
	if n == 1 {
		return "1 " + one
	}
	return Number(int64(n)) + " " + many
}

// Spaced puts the French no-break spaces in text the user reads: before « : ;
// ! ? », inside « guillemets ».
func Spaced(s string) string {
	return frenchSpacer.Replace(s)
}

var frenchSpacer = strings.NewReplacer(" :", NBSP+":", " ;", NNBSP+";", " !", NNBSP+"!", " ?", NNBSP+"?", "« ", "«"+NBSP, " »", NBSP+"»")
