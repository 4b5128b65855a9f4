package workbook

import (
	"fmt"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// value reads the cell (col, row) as field f into v. It reports false when
// the cell held something it could not read (a finding says what).
func (rd *reader) value(sheet string, g *grid, col, row int, f field, v reflect.Value) bool {
	cl := g.at(col, row)
	at := cellName(col, row)
	if cl.hasF {
		var ok bool
		if cl, ok = rd.calc(sheet, g, at, cl); !ok {
			return false
		}
	}
	if cl.typ == 'e' || isErrorValue(cl.raw) {
		rd.add(model.Erreur, sheet, at, fmt.Sprintf("la cellule contient l’erreur « %s » du tableur", strings.TrimSpace(cl.raw)),
			"corrigez la formule ou saisissez directement la valeur")
		return false
	}
	if strings.TrimFunc(cl.raw, IsSpace) == "" {
		return true
	}
	a := answerOf(sheet, at, f, cl)
	switch f.Kind {
	case kText, kEmail, kPhone, kFile, kURL:
		rd.readLine(a, v)
	case kLongText:
		rd.readLongText(a, v)
	case kPostcode:
		readPostcode(a, v)
	case kChoice:
		rd.readChoice(a, v)
	case KYesNo:
		return rd.readYesNo(a, v)
	case kInt, kYear:
		return rd.readInt(a, v)
	case kMoney:
		return rd.readMoney(a, v)
	case kDecimal:
		return rd.readDecimal(a, v)
	case kDate:
		return rd.readDate(a, v)
	}
	return true
}

// answer is a non-empty input cell, its formula already calculated, to be
// read as field f.
type answer struct {
	sheet, at string
	f         field
	typ       byte   // as cell.typ
	raw       string // the cell's value, as text where text is expected
}

// answerOf gives the answer in cl: a TRUE/FALSE cell means something for a
// yes/no answer only, elsewhere it is the text the spreadsheet shows; a
// number cell is said as numberText says it.
func answerOf(sheet, at string, f field, cl cell) answer {
	a := answer{sheet: sheet, at: at, f: f, typ: cl.typ, raw: cl.raw}
	switch cl.typ {
	case 'b':
		if f.Kind != KYesNo {
			a.typ, a.raw = 's', map[bool]string{true: "VRAI", false: "FAUX"}[cl.raw == "1"]
		}
	case 'n':
		a.raw = numberText(cl.raw, f)
	}
	return a
}

// unexpected reports that a holds something else than what was expected
// (what), with the field's example as the hint. It returns false: the
// cell is unread.
func (rd *reader) unexpected(a answer, what string) bool {
	hint := "corrigez la valeur"
	if a.f.example != "" {
		hint = "exemple : " + a.f.example
	}
	rd.add(model.Erreur, a.sheet, a.at, fmt.Sprintf("%s, trouvé « %s »", what, Clip(strings.TrimFunc(a.raw, IsSpace), 60)), hint)
	return false
}

// readLine reads a one-line text: a name, an e-mail address, a phone
// number, a file name or a web address.
func (rd *reader) readLine(a answer, v reflect.Value) {
	s := cleanLine(a.raw)
	if a.f.Kind == kFile {
		// Windows users write sub\folder\file.pdf: the model holds
		// slash-separated paths, as fs.FS wants them.
		s = strings.TrimPrefix(strings.ReplaceAll(s, `\`, "/"), "./")
	}
	if n := utf8.RuneCountInString(s); n > maxShortText {
		rd.add(model.Erreur, a.sheet, a.at, fmt.Sprintf("texte trop long : %s caractères, %d au plus", french.Number(int64(n)), maxShortText), "raccourcissez-le ; les longs développements vont dans les champs de texte libre")
	}
	v.SetString(s)
}

// readLongText reads paragraphs.
func (rd *reader) readLongText(a answer, v reflect.Value) {
	s := cleanText(a.raw)
	if n := utf8.RuneCountInString(s); n > maxLongText {
		rd.add(model.Erreur, a.sheet, a.at, fmt.Sprintf("texte trop long : %s caractères, %s au plus", french.Number(int64(n)), french.Number(maxLongText)), "raccourcissez-le")
	}
	v.SetString(s)
}

// readPostcode reads a postcode, giving back the leading zero a number
// cell lost.
func readPostcode(a answer, v reflect.Value) {
	s := cleanLine(a.raw)
	if a.typ == 'n' {
		if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 100000 {
			s = fmt.Sprintf("%05d", n)
		}
	}
	v.SetString(s)
}

// readChoice reads one of the field's choices. Another answer is kept as
// typed, with a finding.
func (rd *reader) readChoice(a answer, v reflect.Value) {
	s := cleanLine(a.raw)
	if c, ok := matchChoice(s, a.f.choices); ok {
		v.SetString(c)
		return
	}
	sev := model.Avertissement
	if a.f.Key == "Categorie" || a.f.Key == "Statut" {
		sev = model.Erreur // the budget's arithmetic depends on them
	}
	rd.add(sev, a.sheet, a.at, fmt.Sprintf("choix attendu parmi la liste (%s), trouvé « %s »", strings.Join(a.f.choices, ", "), Clip(s, 60)),
		"choisissez une valeur dans la liste déroulante")
	v.SetString(s)
}

// readYesNo reads oui or non.
func (rd *reader) readYesNo(a answer, v reflect.Value) bool {
	b, ok := parseYesNo(a.raw)
	if !ok {
		// « en cours de réservation » is an answer, not a mistake to
		// stop on: read as « non », said so, and no hint towards a
		// « Oui » that may be untrue.
		rd.add(model.Avertissement, a.sheet, a.at, fmt.Sprintf("réponse attendue (oui ou non), trouvé « %s » : le dossier la lit comme « non »", Clip(cleanLine(a.raw), 60)),
			"répondez Oui seulement si c’est acquis ; sinon, répondez Non et précisez la situation dans un commentaire")
		return false
	}
	v.SetBool(b)
	return true
}

// readInt reads a whole number, or a year.
func (rd *reader) readInt(a answer, v reflect.Value) bool {
	n, ok := rd.intOf(a)
	if !ok {
		if a.f.Kind == kYear {
			return rd.unexpected(a, "année attendue (AAAA)")
		}
		return rd.unexpected(a, "nombre entier attendu")
	}
	v.SetInt(n)
	return true
}

// intOf is the whole number in a number cell or typed as text; a date
// cell where a year is asked gives its year.
func (rd *reader) intOf(a answer) (int64, bool) {
	if a.typ != 'n' {
		return parseInt(a.raw)
	}
	n, ok := numberCellInt(a.raw)
	if a.f.Kind == kYear && ok && n > 3000 {
		// A date typed where the year was asked: its year.
		var t time.Time
		if t, ok = serialDate(a.raw, rd.pkg.date1904); ok {
			n = int64(t.Year())
		}
	}
	return n, ok
}

// readMoney reads an amount in euros, as cents.
func (rd *reader) readMoney(a answer, v reflect.Value) bool {
	n, ok := moneyOf(a)
	if !ok {
		return rd.unexpected(a, "montant attendu (nombre)")
	}
	v.SetInt(n)
	return true
}

// moneyOf is the amount, in cents, in a number cell or typed as text.
func moneyOf(a answer) (int64, bool) {
	if a.typ != 'n' {
		return parseAmount(a.raw)
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(a.raw), 64)
	if err != nil {
		return 0, false
	}
	return french.Cents(x)
}

// readDecimal reads a number with decimals; a percentage where ETP are
// asked is said in ETP.
func (rd *reader) readDecimal(a answer, v reflect.Value) bool {
	x, ok := decimalOf(a)
	if !ok {
		if p, isPct := strings.CutSuffix(strings.TrimFunc(a.raw, IsSpace), "%"); isPct {
			if y, ok := parseDecimal(p); ok && a.f.Key == "ETP" {
				rd.add(model.Erreur, a.sheet, a.at, fmt.Sprintf("nombre d’ETP attendu, trouvé « %s »", Clip(cleanLine(a.raw), 60)),
					"écrivez "+french.DecimalTrim(y/100, 2)+" : 1 ETP est un temps plein, 0,5 un mi-temps")
				return false
			}
		}
		return rd.unexpected(a, "nombre attendu")
	}
	v.SetFloat(x)
	return true
}

// decimalOf is the number in a number cell or typed as text.
func decimalOf(a answer) (float64, bool) {
	if a.typ != 'n' {
		return parseDecimal(a.raw)
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(a.raw), 64)
	return x, err == nil
}

// readDate reads a date cell or a date typed as text; a day that does not
// exist is said so, and a weekday typed with the date is checked.
func (rd *reader) readDate(a answer, v reflect.Value) bool {
	t, ok := rd.dateOf(a)
	if !ok {
		if m, days, bad := missingDay(a.raw); bad {
			rd.add(model.Erreur, a.sheet, a.at, fmt.Sprintf("date inexistante « %s » : %s n’a que %d jours", Clip(cleanLine(a.raw), 60), french.MonthName(m), days), "corrigez le jour ou le mois")
			return false
		}
		return rd.unexpected(a, "date attendue (JJ/MM/AAAA)")
	}
	if a.typ != 'n' {
		if w := typedWeekday(a.raw); w >= 0 && w != t.Weekday() {
			rd.add(model.Avertissement, a.sheet, a.at, fmt.Sprintf("« %s » : le %s est un %s", Clip(cleanLine(a.raw), 60), french.ShortDate(t), french.WeekdayName(t.Weekday())),
				"vérifiez le jour de la semaine ou la date ; le dossier retient le "+french.LongDate(t))
		}
	}
	v.Set(reflect.ValueOf(t))
	return true
}

// dateOf is the date of a date cell (a serial number) or typed as text.
func (rd *reader) dateOf(a answer) (time.Time, bool) {
	if a.typ == 'n' {
		return serialDate(a.raw, rd.pkg.date1904)
	}
	return parseDate(a.raw)
}

// typedWeekday is the weekday a date typed in words starts with
// (« mercredi 2 octobre 2025 »), or -1.
func typedWeekday(s string) time.Weekday {
	first, _, _ := strings.Cut(cleanLine(strings.ToLower(s)), " ")
	first = strings.TrimSuffix(first, ",")
	for d := time.Sunday; d <= time.Saturday; d++ {
		if first == french.WeekdayName(d) {
			return d
		}
	}
	return -1
}

// numberText is what a number cell says when a text is expected: its
// shortest decimal form (« 2020 », not « 2020.0 »), a phone number's lost
// leading zero given back, a time of day (Excel stores « 9:30 » as
// 0.395833…) written the French way, « 9 h 30 ».
func numberText(raw string, f field) string {
	x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil {
		return raw
	}
	switch f.Kind {
	case kText:
		if f.Key == "Heure" && x > 0 && x < 1 {
			m := int(x*24*60 + 0.5)
			if m%60 == 0 {
				return fmt.Sprintf("%d h", m/60)
			}
			return fmt.Sprintf("%d h %02d", m/60, m%60)
		}
	case kPhone:
		if x >= 1e8 && x < 1e9 && x == float64(int64(x)) {
			return fmt.Sprintf("0%d", int64(x))
		}
	case kMoney, kInt, kYear, kDecimal, kDate:
		return raw
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// calc evaluates a formula typed in an input cell: the cached value the
// spreadsheet program stored is not trusted.
func (rd *reader) calc(sheet string, g *grid, at string, cl cell) (cell, bool) {
	if !rd.pkg.calcSafe || len(cl.formula) > maxFormulaSize {
		rd.add(model.Erreur, sheet, at, "formule impossible à vérifier dans une cellule de saisie", "saisissez directement la valeur")
		return cl, false
	}
	xl, err := rd.pkg.excelize()
	if err != nil {
		rd.add(model.Erreur, sheet, at, fmt.Sprintf("formule « =%s » impossible à calculer : le classeur ne s’ouvre pas pour le calcul (détail technique : %v)", Clip(cl.formula, 60), err), "saisissez directement la valeur")
		return cl, false
	}
	v, err := calcCell(xl, g.sheet, at)
	if err != nil || isErrorValue(v) {
		rd.add(model.Erreur, sheet, at, fmt.Sprintf("formule « =%s » impossible à calculer", Clip(cl.formula, 60)), "saisissez directement la valeur")
		return cl, false
	}
	out := cell{raw: v, typ: 's'}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		out.typ = 'n'
	}
	return out, true
}

// calcCell evaluates a cell's formula with excelize; its panics on
// malformed formulas are errors.
func calcCell(xl *excelize.File, sheet, cell string) (v string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return xl.CalcCellValue(sheet, cell, excelize.Options{RawCellValue: true})
}

var errorValues = []string{"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}

func isErrorValue(s string) bool {
	// Each starts with #, which upper case leaves alone; ToUpper shortens
	// a text by half at most (ı gives I): longer texts are not errors.
	t := strings.TrimSpace(s)
	if len(t) == 0 || t[0] != '#' || len(t) > 64 {
		return false
	}
	return slices.Contains(errorValues, strings.ToUpper(t))
}
