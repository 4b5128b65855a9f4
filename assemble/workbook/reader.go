package workbook

import (
	"fmt"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// reader carries the state of one workbook.Read call.
type reader struct {
	pkg      *pkg
	name     string
	findings []model.Finding
	c        *model.Candidature
}

func (rd *reader) add(sev model.Severity, sheet, cell, msg, hint string) {
	if sev == model.Erreur && cell == "" && rd.c != nil {
		if rd.c.Unreadable == nil {
			rd.c.Unreadable = map[string]bool{}
		}
		rd.c.Unreadable[sheet] = true
	}
	rd.findings = append(rd.findings, model.Finding{Severity: sev, Sheet: sheet, Cell: cell, Message: french.Spaced(msg), Hint: french.Spaced(hint)})
}

func (rd *reader) read() (*model.Candidature, error) {
	p := rd.pkg
	defer func() {
		if p.xl != nil {
			p.xl.Close()
		}
	}()
	// Match each sheet of the schema with a sheet of the workbook, by
	// name, ignoring case, accents and spaces.
	found := map[string]sheetRef{}
	for _, s := range Schema {
		for _, ws := range p.sheets {
			if sameSheet(ws.name, s.Name) {
				found[s.Name] = ws
				break
			}
		}
	}
	var present []string
	for _, ws := range p.sheets {
		present = append(present, "« "+ws.name+" »")
	}
	// Another form saved as .xlsx (it may share a sheet name, « Budget »
	// say) is one sentence, not a finding per missing sheet: without the
	// sheet « Collectivité » and with fewer than half the sheets, it is not
	// ours.
	if _, ok := found[SheetCollectivite]; !ok && 2*len(found) < len(Schema) {
		var expected []string
		for _, s := range Schema {
			expected = append(expected, "« "+s.Name+" »")
		}
		return nil, fail(rd.name, ErrNotOurForm,
			"feuille « %s » introuvable ; feuilles présentes : %s ; feuilles attendues : %s ; partez du classeur créé par « necdossier init »",
			SheetCollectivite, strings.Join(present, ", "), strings.Join(expected, ", "))
	}
	rd.c = &model.Candidature{}
	budget := maxCells
	for _, s := range Schema {
		ws, ok := found[s.Name]
		if !ok {
			rd.add(model.Erreur, s.Name, "", "feuille « "+s.Name+" » introuvable ; feuilles présentes : "+strings.Join(present, ", "),
				"ne renommez pas et ne supprimez pas les feuilles du formulaire ; rendez-lui son nom ou recopiez-la depuis un classeur neuf, créé par « necdossier init »")
			continue
		}
		if ws.part == "" || p.files[strings.ToLower(ws.part)] == nil {
			return nil, failSheet(rd.name, ws.name, ErrCorrupt, "le contenu de la feuille manque dans le fichier ; ouvrez-le dans votre tableur et enregistrez-le de nouveau")
		}
		g, err := p.scanSheet(ws, &budget)
		if err != nil {
			return nil, err
		}
		if g.wide {
			rd.add(model.Avertissement, s.Name, "", fmt.Sprintf("du contenu au-delà de la colonne %s ou de la ligne %d a été ignoré", colName(maxCol), maxRow),
				"placez vos réponses dans les tableaux du formulaire")
		}
		rd.sheet(s, g)
	}
	return rd.c, nil
}

// sameSheet reports whether the workbook's sheet name is the schema's, by
// its normalised form; Apple Numbers exports a sheet as « Sheet - Table »,
// which is recognised too.
func sameSheet(name, want string) bool {
	n, w := Normalize(name), Normalize(want)
	if n == w {
		return true
	}
	before, _, ok := strings.Cut(name, " - ")
	return ok && Normalize(before) == w
}

// Normalize folds a label for matching: lower case, no accents, letters and
// digits only, single spaces; « Montant (€) * » gives « montant ». It is
// french.Fold(strings.ToLower(s)) without its combining marks (macOS writes
// « é » as e + U+0301), its words joined by single spaces; lowering and
// folding go a rune at a time (french.FoldRune).
func Normalize(s string) string {
	var stack [128]byte
	b, space := stack[:0], false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b, space = normalizeRune(b, space, rune(c))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		r = unicode.ToLower(r)
		if a := french.FoldRune(r); a != "" {
			for _, q := range []byte(a) {
				b, space = normalizeRune(b, space, rune(q))
			}
			continue
		}
		b, space = normalizeRune(b, space, r)
	}
	if string(b) == s {
		return s // already normal: « oui », « 2025 »
	}
	return string(b)
}

// normalizeRune appends r to b if it is kept, a letter or a digit, after a
// space if one is due (space) and b is not empty; it returns b and whether
// a space is due.
func normalizeRune(b []byte, space bool, r rune) ([]byte, bool) {
	var keep bool
	if r < utf8.RuneSelf {
		keep = 'a' <= r && r <= 'z' || '0' <= r && r <= '9'
	} else {
		if unicode.Is(unicode.Mn, r) {
			return b, space // a decomposed accent
		}
		keep = unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	if !keep {
		return b, true
	}
	if space && len(b) > 0 {
		b = append(b, ' ')
	}
	return utf8.AppendRune(b, r), false
}

// labelKeys are the normalised forms a label is recognised by: as written,
// and without its parenthesised part (« Logo (fichier) » is also « Logo »).
func labelKeys(label string) []string {
	if k, ok := schemaLabels[label]; ok {
		return k
	}
	return makeLabelKeys(label)
}

// schemaLabels caches the keys of the schema's labels and titles.
var schemaLabels = func() map[string][]string {
	m := map[string][]string{}
	for _, s := range Schema {
		for _, b := range s.Blocks {
			m[b.Title] = makeLabelKeys(b.Title)
			for _, f := range b.Fields {
				m[f.Label] = makeLabelKeys(f.Label)
			}
		}
	}
	return m
}()

func makeLabelKeys(label string) []string {
	keys := []string{Normalize(label)}
	if i := strings.Index(label, "("); i > 0 {
		keys = append(keys, Normalize(label[:i]))
	}
	return keys
}

// sheet reads the blocks of one sheet.
func (rd *reader) sheet(s sheetSpec, g *grid) {
	// Tables first: their header rows bound the other blocks.
	headers := make([]int, len(s.Blocks))
	cols := make([]map[string]int, len(s.Blocks))
	used := map[int]bool{}
	for i, b := range s.Blocks {
		if b.Kind == tableKind {
			headers[i], cols[i] = rd.findHeader(s, b, g, used)
			used[headers[i]] = true
		}
	}
	for i, b := range s.Blocks {
		if b.Kind == FormKind {
			rd.form(s, b, g)
			continue
		}
		if headers[i] == 0 {
			continue
		}
		// The table ends at the next block's header or title below it.
		end := maxRow + 1
		for j, ob := range s.Blocks {
			if j == i {
				continue
			}
			if headers[j] > headers[i] && headers[j] < end {
				end = headers[j]
			}
			if ob.Title != "" {
				keys := labelKeys(ob.Title)
				for _, r := range g.rows {
					if r > headers[i] && r < end && g.isLabelKeys(1, r, keys) {
						end = r
					}
				}
			}
			if ob.Kind == FormKind {
				for _, f := range ob.Fields {
					keys := labelKeys(f.Label)
					for _, r := range g.rows {
						if r > headers[i] && r < end && g.isLabelKeys(1, r, keys) {
							end = r
						}
					}
				}
			}
		}
		rd.table(s, b, g, headers[i], end, cols[i])
	}
}

// findHeader finds the header row of table b: the row matching most of its
// column labels. It returns the row (0 when not found) and the column of
// each field found.
func (rd *reader) findHeader(s sheetSpec, b SheetBlock, g *grid, used map[int]bool) (int, map[string]int) {
	best, bestN := 0, 0
	var bestCols map[string]int
	// The keys of the fields' labels, and for each field the column
	// found in the row being tried (0: none); a block's keys are unique
	// (TestSchemaKeysUnique).
	keys := make([][]string, len(b.Fields))
	for fi, f := range b.Fields {
		keys[fi] = labelKeys(f.Label)
	}
	found := make([]int, len(b.Fields))
	for _, r := range g.rows {
		if used[r] {
			continue
		}
		rowCols := g.cols[r]
		if len(rowCols) < 2 {
			continue
		}
		clear(found)
		n := 0
		for fi := range b.Fields {
			for _, c := range rowCols {
				if g.isLabelKeys(c, r, keys[fi]) {
					found[fi] = c
					n++
					break
				}
			}
		}
		for fi := range b.Fields {
			if found[fi] != 0 {
				continue
			}
			for _, c := range rowCols {
				if !slices.Contains(found, c) && g.startsWithKeys(c, r, keys[fi]) {
					found[fi] = c
					n++
					break
				}
			}
		}
		if n > bestN {
			best, bestN = r, n
			bestCols = make(map[string]int, n)
			for fi, f := range b.Fields {
				if found[fi] != 0 {
					bestCols[f.Key] = found[fi]
				}
			}
		}
	}
	need := (len(b.Fields) + 1) / 2
	if bestN < max(need, 1) {
		name := b.Title
		if name == "" {
			name = s.Name
		}
		var labels []string
		for _, f := range b.Fields {
			labels = append(labels, f.Label)
		}
		rd.add(model.Erreur, s.Name, "", fmt.Sprintf("tableau « %s » introuvable : aucune ligne d’en-tête « %s »", name, strings.Join(labels, " | ")),
			"rétablissez la ligne d’en-tête du tableau telle que dans un classeur neuf, créé par « necdossier init »")
		return 0, nil
	}
	for _, f := range b.Fields {
		if _, ok := bestCols[f.Key]; !ok {
			sev := model.Avertissement
			if f.Required {
				sev = model.Erreur
			}
			rd.add(sev, s.Name, cellName(1, best), fmt.Sprintf("colonne « %s » introuvable dans l’en-tête du tableau (ligne %d)", f.Label, best),
				"rétablissez le titre de la colonne tel que dans le classeur neuf")
		}
	}
	return best, bestCols
}

// form reads a form block: each label, wherever it is, and the value at its right.
func (rd *reader) form(s sheetSpec, b SheetBlock, g *grid) {
	rec := ModelOf(rd.c, b)
	ref := model.Ref{Sheet: s.Name, Cells: map[string]string{}}
	for _, f := range b.Fields {
		col, row := 0, 0
	search:
		for _, r := range g.rows {
			for c := 1; c <= 3; c++ {
				if g.isLabel(c, r, f.Label) {
					col, row = c, r
					break search
				}
			}
		}
		if row == 0 {
			// A label with words added (« Population totale »), in column
			// A only: further right, answers could start like a label.
			for _, r := range g.rows {
				if g.startsWithLabel(1, r, f.Label) {
					col, row = 1, r
					break
				}
			}
		}
		if row == 0 {
			sev := model.Avertissement
			if f.Required {
				sev = model.Erreur
			}
			rd.add(sev, s.Name, "", fmt.Sprintf("libellé « %s » introuvable", f.Label),
				"rétablissez ce libellé en colonne A, tel que dans le classeur neuf, et sa réponse à sa droite")
			continue
		}
		ref.Cells[f.Key] = cellName(col+1, row)
		if !rd.value(s.Name, g, col+1, row, f, rec.FieldByName(f.Key)) {
			ref.MarkUnread(f.Key)
		}
		markTyped(&ref, f, g.at(col+1, row))
	}
	rec.FieldByName("At").Set(reflect.ValueOf(ref))
}

// table reads the records of a table between its header and end.
func (rd *reader) table(s sheetSpec, b SheetBlock, g *grid, header, end int, cols map[string]int) {
	slice := ModelOf(rd.c, b)
	for _, r := range g.rows {
		if r <= header || r >= end {
			continue
		}
		blank := true
		for _, c := range cols {
			if !g.at(c, r).empty() {
				blank = false
				break
			}
		}
		if blank {
			continue // blank rows inside a table are allowed
		}
		rec := reflect.New(slice.Type().Elem()).Elem()
		ref := model.Ref{Sheet: s.Name, Row: r, Cells: map[string]string{}}
		for _, f := range b.Fields {
			c, ok := cols[f.Key]
			if !ok {
				continue
			}
			ref.Cells[f.Key] = cellName(c, r)
			if !rd.value(s.Name, g, c, r, f, rec.FieldByName(f.Key)) {
				ref.MarkUnread(f.Key)
			}
			markTyped(&ref, f, g.at(c, r))
		}
		rec.FieldByName("At").Set(reflect.ValueOf(ref))
		if l, ok := rec.Addr().Interface().(*model.LigneBudget); ok {
			l.Sens = model.SensOf(l.Compte())
		}
		slice.Set(reflect.Append(slice, rec))
	}
}

// markTyped records in ref that f's cell was filled in, and whether a
// number was typed there as text, which the sheet's formulas ignore.
func markTyped(ref *model.Ref, f field, cl cell) {
	if cl.empty() {
		return
	}
	numeric := f.Kind == kMoney || f.Kind == kDecimal || f.Kind == kInt
	ref.MarkTyped(f.Key, numeric && cl.typ == 's' && !cl.hasF)
}

// Totalled reports whether the sheet's own total formulas sum field key:
// a number typed as text there is left out of the sheet's totals.
func Totalled(sheet, key string) bool {
	s, ok := SheetByName(sheet)
	if !ok {
		return false
	}
	for _, b := range s.Blocks {
		for _, t := range b.total {
			if strings.Contains(t.formula, "{col:"+key+"}") {
				return true
			}
		}
	}
	return false
}
