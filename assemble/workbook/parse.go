package workbook

import (
	"necdossier/assemble/french"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Text parsers. Each takes what a person typed in a text cell.

// IsSpace reports whether r is a space: Unicode's, and the invisible ones
// that pasted text carries (zero-width space, byte-order mark, word joiner).
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u2060'
}

// cleanLine trims a one-line text and collapses its runs of spaces, the
// no-break ones included. Most texts have nothing to trim: they are
// returned as they are.
func cleanLine(s string) string {
	if isClean(s) {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, IsSpace), " ")
}

// isClean reports whether cleanLine(s) is s: no space but single ' '
// between words.
func isClean(s string) bool {
	prevSpace := true // at the start, a space is one too many
	for _, r := range s {
		if r < utf8.RuneSelf && r > ' ' {
			prevSpace = false
			continue
		}
		if r == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		if IsSpace(r) {
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// cleanText trims a long text line by line, keeping its paragraphs.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = cleanLine(l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// compact removes every kind of space.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// parseNumber reads a decimal number written the French or the English way:
// « 12 500,50 », « 12.500,00 », « 12,500.50 », « 12500 ». A lone comma is
// decimal; a lone dot followed by exactly three digits groups thousands
// (« 12.500 »). It returns the sign, the integer digits and the decimals.
func parseNumber(s string) (neg bool, ip, fp string, ok bool) {
	s = compact(s)
	s = strings.TrimPrefix(s, "+")
	if rest, cut := strings.CutPrefix(s, "-"); cut {
		neg, s = true, rest
	} else if rest, cut := strings.CutPrefix(s, "−"); cut {
		neg, s = true, rest
	}
	if s == "" {
		return false, "", "", false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' && r != '\'' {
			return false, "", "", false
		}
	}
	s = strings.ReplaceAll(s, "'", "") // Swiss thousands
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	dec := byte(0)
	switch {
	case dots > 0 && commas > 0:
		dec = s[max(strings.LastIndex(s, "."), strings.LastIndex(s, ","))]
		if (dec == '.' && dots > 1) || (dec == ',' && commas > 1) {
			return false, "", "", false
		}
	case commas == 1:
		dec = ','
	case dots == 1:
		i := strings.Index(s, ".")
		if !(len(s)-i-1 == 3 && i > 0 && strings.Trim(s[:i], "0") != "") {
			dec = '.'
		}
	}
	ip, fp = s, ""
	if dec != 0 {
		i := strings.LastIndexByte(s, dec)
		ip, fp = s[:i], s[i+1:]
		if strings.ContainsAny(fp, ".,") {
			return false, "", "", false
		}
	}
	// What remains in ip are thousands separators: groups of three.
	if strings.ContainsAny(ip, ".,") {
		groups := strings.FieldsFunc(ip, func(r rune) bool { return r == '.' || r == ',' })
		if len(groups) != strings.Count(ip, ".")+strings.Count(ip, ",")+1 {
			return false, "", "", false
		}
		for i, g := range groups {
			if (i > 0 && len(g) != 3) || (i == 0 && (len(g) == 0 || len(g) > 3)) {
				return false, "", "", false
			}
		}
		ip = strings.Join(groups, "")
	}
	if ip == "" {
		ip = "0"
	}
	if len(ip) > 15 || (dec != 0 && fp == "" && ip == "") {
		return false, "", "", false
	}
	return neg, ip, fp, true
}

// parseAmount reads an amount in euros, as cents: « 12 500 € », « 12.500,00 »,
// « 12500 euros », « 12 500,50 », « 12 k€ ». Decimals beyond the cent are
// rounded.
func parseAmount(s string) (int64, bool) {
	s = strings.ToLower(compact(s))
	thousand := false
	// « 46 800 € TTC », « 46 800 €. », « 12 500 EUR HT » : the unit, the
	// tax word and a closing dot, in any order, until none is left.
	for trimmed := true; trimmed; {
		trimmed = false
		for _, suf := range []string{".", "€", "euros", "euro", "eur", "ttc", "ht"} {
			if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
				s, trimmed = t, true
			}
		}
	}
	s = strings.TrimPrefix(s, "€")
	if t, ok := strings.CutSuffix(s, "k"); ok {
		s, thousand = t, true
	}
	neg, ip, fp, ok := parseNumber(s)
	if !ok {
		return 0, false
	}
	if thousand {
		fp += "000"
		ip, fp = ip+fp[:3], fp[3:]
	}
	fp += "000"
	n, err := strconv.ParseInt(ip+fp[:2], 10, 64)
	if err != nil {
		return 0, false
	}
	if fp[2] >= '5' {
		n++
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseInt reads a whole number, « 2 400 », « 2.400 », « 2400 places »: a unit
// word after the number is allowed, the label says what is counted.
func parseInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsLetter)
	if i > 0 {
		s = s[:i]
	}
	neg, ip, fp, ok := parseNumber(s)
	if !ok || strings.Trim(fp, "0") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(signed(neg, ip), 10, 64)
	return n, err == nil
}

// numberCellInt reads a number cell's raw value as a whole number.
func numberCellInt(raw string) (int64, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || x != float64(int64(x)) || x > 1e15 || x < -1e15 {
		return 0, false
	}
	return int64(x), true
}

// parseDecimal reads a number with decimals, « 0,5 », « 1.5 », « 2 ».
func parseDecimal(s string) (float64, bool) {
	neg, ip, fp, ok := parseNumber(s)
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(signed(neg, ip+"."+fp+"0"), 64)
	return x, err == nil
}

// signed is number with its sign, as strconv reads it.
func signed(neg bool, number string) string {
	if neg {
		return "-" + number
	}
	return number
}

// parseYesNo reads oui/non the ways people write it: « oui », « x », « ✓ »,
// « VRAI », TRUE, 1; « non », « - », FALSE, 0.
func parseYesNo(s string) (bool, bool) {
	switch normalizeWord(s) {
	case "oui", "o", "yes", "y", "x", "vrai", "true", "1", "✓", "✔", "☑", "✅", "ok":
		return true, true
	case "non", "n", "no", "faux", "false", "0", "-", "✗", "✘", "☐", "❌":
		return false, true
	}
	return false, false
}

func normalizeWord(s string) string {
	return french.Fold(strings.ToLower(compact(s)))
}

// parseDate reads a date typed as text: « 25/09/2025 », « 25/9/25 »,
// « 25-09-2025 », « 25.09.2025 », « 2025-09-25 » (with a time part, as the
// ISO cells of t="d" hold), « 25 septembre 2025 », « jeudi 1er octobre 2025 », « 1ᵉʳ octobre 2025 ».
func parseDate(s string) (time.Time, bool) {
	s = cleanLine(strings.ToLower(s))
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil && (len(s) == 10 || s[10] == 't' || s[10] == ' ') {
			return civil(t.Year(), int(t.Month()), t.Day())
		}
	}
	// Numeric day, month, year.
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(parts) == 3 && AllDigits(parts[0]) && AllDigits(parts[1]) && AllDigits(parts[2]) {
		d, _ := strconv.Atoi(parts[0])
		m, _ := strconv.Atoi(parts[1])
		y, _ := strconv.Atoi(parts[2])
		if len(parts[2]) == 2 {
			y += 2000
		} else if len(parts[2]) != 4 {
			return time.Time{}, false
		}
		return civil(y, m, d)
	}
	// Words: [weekday] day month year.
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	if len(words) == 4 {
		words = words[1:] // the weekday, whatever it says
	}
	if len(words) != 3 {
		return time.Time{}, false
	}
	// « 1er », « 1ᵉʳ » (as the dossier writes it), « 2e ».
	day := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(words[0], "ᵉʳ"), "er"), "e")
	d, err := strconv.Atoi(day)
	if err != nil {
		return time.Time{}, false
	}
	m, ok := french.ParseMonth(words[1])
	if !ok || len(words[2]) != 4 || !AllDigits(words[2]) {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(words[2])
	return civil(y, int(m), d)
}

// missingDay recognises a numeric date whose day does not exist in its
// month (« 31/09/2025 »): it returns the month and its number of days.
func missingDay(s string) (time.Month, int, bool) {
	parts := strings.FieldsFunc(cleanLine(s), func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(parts) != 3 || !AllDigits(parts[0]) || !AllDigits(parts[1]) || !AllDigits(parts[2]) || len(parts[2]) > 4 || len(parts[0]) > 2 {
		return 0, 0, false
	}
	d, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	y, _ := strconv.Atoi(parts[2])
	if len(parts[2]) == 2 {
		y += 2000
	}
	if m < 1 || m > 12 || d < 29 || d > 31 || y < 1900 || y > 2200 {
		return 0, 0, false
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Month(m), days, d > days
}

// AllDigits reports whether s is a non-empty run of the digits 0 to 9.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// civil builds a date, refusing days that do not exist (31/02).
func civil(y, m, d int) (time.Time, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// serialDate converts a date cell's serial number, in the workbook's date
// system (1900 or 1904), to a civil date; the time of day is dropped.
func serialDate(raw string, date1904 bool) (time.Time, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || x < 1 || x > 2958465 {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(x, date1904)
	if err != nil {
		return time.Time{}, false
	}
	return civil(t.Year(), int(t.Month()), t.Day())
}

// matchChoice finds s among choices, ignoring case, accents and spaces; a
// budget category is also recognised by its account number alone (« 74 »).
func matchChoice(s string, choices []string) (string, bool) {
	n := Normalize(s)
	norms := choiceNorms()
	for _, c := range choices {
		cn, ok := norms[c]
		if !ok {
			cn = Normalize(c)
		}
		if cn == n {
			return c, true
		}
	}
	if len(n) >= 2 && AllDigits(n[:2]) && (len(n) == 2 || n[2] == ' ') {
		for _, c := range choices {
			if strings.HasPrefix(c, n[:2]+" ") {
				return c, true
			}
		}
	}
	return "", false
}

// choiceNorms is Normalize of each choice of the schema, made on the first
// use.
var choiceNorms = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, s := range Schema {
		for _, b := range s.Blocks {
			for _, f := range b.Fields {
				for _, c := range f.choices {
					m[c] = Normalize(c)
				}
			}
		}
	}
	return m
})
