package workbook

import (
	"fmt"
	"io"
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Write writes the workbook for call, filled with c; a nil or zero
// c gives the blank template that `init` writes. The sheets come in the
// call's order, after the « Mode d'emploi »; every input cell has its
// format, a dropdown for closed choices and an input message with an
// example; the budget and staff totals are formulas the user sees (the
// reader never reads them back).
func Write(w io.Writer, call *model.Call, c *model.Candidature) error {
	if call == nil {
		return fmt.Errorf("classeur : appel manquant")
	}
	if c != nil && reflect.ValueOf(*c).IsZero() {
		c = nil
	}
	f := excelize.NewFile()
	defer f.Close()
	wr := &writer{f: f, call: call, c: c}
	if err := wr.write(); err != nil {
		return fmt.Errorf("classeur : %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("classeur : %w", err)
	}
	return nil
}

// writer carries the state of one workbook.Write call.
type writer struct {
	f      *excelize.File
	call   *model.Call
	c      *model.Candidature
	st     styles
	lists  int // columns used in the hidden « Listes » sheet
	listAt map[string]string
}

// styles are the cell styles of the workbook, by role.
type styles struct {
	title, intro, blockTitle, header, label, help, guideHead, guideText int
	totalLabel                                                          int
	input, total                                                        map[kind]int
}

// Colours: a dark blue header, pale yellow input cells (the convention of
// administrative forms: yellow is where you type).
const (
	colourHeader = "1F3864"
	colourInput  = "FFF9E1"
	colourLabel  = "EDF1F7"
	colourBorder = "B4BCC8"
)

// Number formats of input cells. Excel and LibreOffice show them with the
// user's locale separators; the currency sign is written out.
var numFmt = map[kind]string{
	kInt:     "#,##0",
	kYear:    "0",
	kMoney:   `#,##0.00\ "€"`,
	kDecimal: "0.0#",
	kDate:    "dd/mm/yyyy",
}

func (wr *writer) write() error {
	if err := wr.makeStyles(); err != nil {
		return err
	}
	if err := wr.f.SetSheetName("Sheet1", SheetGuide); err != nil {
		return err
	}
	if err := wr.guide(); err != nil {
		return err
	}
	for _, s := range orderedSheets(wr.call) {
		if _, err := wr.f.NewSheet(s.Name); err != nil {
			return err
		}
		if err := wr.sheet(s); err != nil {
			return fmt.Errorf("feuille « %s » : %w", s.Name, err)
		}
	}
	if wr.lists > 0 {
		if err := wr.f.SetSheetVisible(SheetLists, false); err != nil {
			return err
		}
	}
	wr.f.SetActiveSheet(0)
	// No cached values are written: spreadsheet programs compute the
	// totals when they open the file.
	full := true
	return wr.f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &full})
}

// orderedSheets returns the data sheets in the order of the call's sections,
// then any sheet of the schema the call does not name.
func orderedSheets(call *model.Call) []sheetSpec {
	var out []sheetSpec
	seen := map[string]bool{}
	for _, sec := range call.Sections {
		for _, name := range sec.Sheets {
			if s, ok := SheetByName(name); ok && !seen[name] {
				out = append(out, s)
				seen[name] = true
			}
		}
	}
	for _, s := range Schema {
		if !seen[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

// sectionOf returns the call's section number (1-based) and title for a sheet.
func sectionOf(call *model.Call, sheet string) (int, string) {
	for i, sec := range call.Sections {
		for _, name := range sec.Sheets {
			if name == sheet {
				return i + 1, sec.Title
			}
		}
	}
	return 0, ""
}

func (wr *writer) makeStyles() error {
	f := wr.f
	border := []excelize.Border{
		{Type: "left", Color: colourBorder, Style: 1}, {Type: "right", Color: colourBorder, Style: 1},
		{Type: "top", Color: colourBorder, Style: 1}, {Type: "bottom", Color: colourBorder, Style: 1},
	}
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	wr.st.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 15, Color: colourHeader}})
	wr.st.intro = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "404040"}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	wr.st.blockTitle = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: colourHeader}})
	wr.st.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourHeader}}, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	wr.st.label = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourLabel}}, Border: border, Alignment: top})
	wr.st.help = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959", Size: 9}, Alignment: top})
	wr.st.guideHead = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: colourHeader}, Alignment: top})
	wr.st.guideText = mk(&excelize.Style{Alignment: top})
	wr.st.totalLabel = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourLabel}}, Border: border})
	wr.st.input = map[kind]int{}
	wr.st.total = map[kind]int{}
	for k := kText; k <= kURL; k++ {
		s := &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourInput}}, Border: border, Alignment: top, Protection: &excelize.Protection{Locked: false}}
		if nf, ok := numFmt[k]; ok {
			s.CustomNumFmt = &nf
		} else {
			// Text format keeps what is typed as typed: « 06000 » stays a
			// postcode and « 02 99 12 34 56 » a phone number.
			s.NumFmt = 49
		}
		wr.st.input[k] = mk(s)
		if nf, ok := numFmt[k]; ok {
			wr.st.total[k] = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, CustomNumFmt: &nf})
		}
	}
	return err
}

// guide writes the « Mode d'emploi » sheet from the call.
func (wr *writer) guide() error {
	f, call, sh := wr.f, wr.call, SheetGuide
	row := 1
	var err error
	put := func(a, b string, sa, sb int) {
		if err != nil {
			return
		}
		// Labels are bold: fewer characters per line.
		if h := max(textHeight(a, guideWidthA*0.8, 11), textHeight(b, guideWidthB, 11)); h > 20 {
			if err = f.SetRowHeight(sh, row, h); err != nil {
				return
			}
		}
		if a != "" {
			err = f.SetCellStr(sh, cellName(1, row), a)
			if err == nil {
				err = f.SetCellStyle(sh, cellName(1, row), cellName(1, row), sa)
			}
		}
		if b != "" && err == nil {
			err = f.SetCellStr(sh, cellName(2, row), b)
			if err == nil {
				err = f.SetCellStyle(sh, cellName(2, row), cellName(2, row), sb)
			}
		}
		row++
	}
	title := call.Title
	if call.Subtitle != "" {
		title += " — " + call.Subtitle
	}
	put(title, "", wr.st.title, 0)
	put(french.Spaced("Ce classeur est votre formulaire de candidature. Remplissez les feuilles l’une après l’autre : l’outil necdossier en fait le dossier PDF à envoyer, lettres de soutien comprises."), "", wr.st.intro, 0)
	if err == nil {
		err = f.MergeCell(sh, "A2", "B2")
	}
	row++
	put("Date limite", french.LongDate(call.Deadline.Time)+" (dossier complet)", wr.st.label, wr.st.guideText)
	to := call.Recipient.Email
	if call.Recipient.Name != "" {
		to = call.Recipient.Name + " — " + to
	}
	put("Envoyer à", to, wr.st.label, wr.st.guideText)
	if call.Organiser != "" {
		put("Organisateur", call.Organiser, wr.st.label, wr.st.guideText)
	}
	row++
	put("Ce que demande l’appel", "", wr.st.guideHead, 0)
	for i, sec := range call.Sections {
		put(fmt.Sprintf("%d. %s", i+1, sec.Title), french.Spaced(sec.Help), wr.st.label, wr.st.guideText)
	}
	row++
	put("Les feuilles à remplir", "", wr.st.guideHead, 0)
	for _, s := range orderedSheets(call) {
		put(s.Name, french.Spaced(s.intro), wr.st.label, wr.st.guideText)
	}
	row++
	put("Comment remplir", "", wr.st.guideHead, 0)
	for _, line := range []string{
		"Les cellules à remplir ont un fond jaune pâle. Quand vous en sélectionnez une, un message dit ce qui est attendu, avec un exemple ; les choix fermés sont des listes déroulantes.",
		"Écrivez les montants en euros (12\u202f500 ou 12\u202f500,50), les dates au format JJ/MM/AAAA, et Oui ou Non pour les questions fermées.",
		"Besoin de plus de lignes dans un tableau ? Écrivez sous la dernière ligne préparée, ou insérez des lignes à l’intérieur du tableau.",
		"Ne renommez pas les feuilles ; ne modifiez pas les titres des colonnes ni les libellés de la colonne A : l’outil s’en sert pour retrouver vos réponses.",
		"Les totaux du budget et des moyens humains sont calculés par le tableur pour vous guider ; necdossier refait lui-même tous les calculs.",
		"Annexes : placez chaque lettre de soutien ou document (PDF, JPEG ou PNG) dans le même dossier que ce classeur, et écrivez le nom exact du fichier dans la feuille « Annexes ».",
		"Charte : la collectivité s’engage à respecter " + call.Charter + " (feuille « Collectivité »).",
	} {
		put("", french.Spaced(line), 0, wr.st.guideText)
	}
	row++
	put("Vérifier, puis produire le dossier", "", wr.st.guideHead, 0)
	put("necdossier check "+call.WorkbookName, "Liste tout ce qui manque ou pose problème, avec la feuille et la cellule à corriger.", wr.st.label, wr.st.guideText)
	put("necdossier build "+call.WorkbookName, french.Spaced("Produit le dossier PDF à envoyer : "+call.FilePrefix+"-<collectivité>.pdf."), wr.st.label, wr.st.guideText)
	if err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "A", "A", guideWidthA); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "B", "B", guideWidthB); err != nil {
		return err
	}
	return wr.printLayout(sh)
}

// Column widths of the guide.
const (
	guideWidthA = 42
	guideWidthB = 100
)

// textHeight estimates the height in points of a wrapped text in a column
// of width characters, at size points: spreadsheet programs do not grow
// rows to fit a file's text by themselves.
func textHeight(s string, width float64, size float64) float64 {
	if s == "" {
		return 0
	}
	perLine := width * 1.15 * 11 / size
	lines := 0
	for _, para := range strings.Split(s, "\n") {
		n := utf8.RuneCountInString(para)
		lines += max(1, int(float64(n)/perLine)+1)
	}
	return float64(lines)*size*1.35 + 4
}

// printLayout prints a sheet landscape on A4, as wide as the page: the
// workbook is also read on paper.
func (wr *writer) printLayout(sheet string) error {
	a4, land, one, free, fit := 9, "landscape", 1, 0, true
	if err := wr.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &land, FitToWidth: &one, FitToHeight: &free}); err != nil {
		return err
	}
	return wr.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
}

// sheet writes a data sheet: title, intro, then its blocks.
func (wr *writer) sheet(s sheetSpec) error {
	f := wr.f
	n, sec := sectionOf(wr.call, s.Name)
	title := s.Name
	if n > 0 {
		title = fmt.Sprintf("%d. %s — %s", n, sec, s.Name)
	}
	if err := wr.text(s.Name, 1, titleRow, title, wr.st.title); err != nil {
		return err
	}
	if err := wr.text(s.Name, 1, introRow, french.Spaced(s.intro), wr.st.intro); err != nil {
		return err
	}
	width := 0
	for _, b := range s.Blocks {
		w := len(b.Fields)
		if b.Kind == FormKind {
			w = 3
		}
		if len(b.total) > 0 {
			w += 3
		}
		width = max(width, w)
	}
	if err := f.MergeCell(s.Name, cellName(1, introRow), cellName(max(width, 3), introRow)); err != nil {
		return err
	}
	if err := f.SetRowHeight(s.Name, introRow, 48); err != nil {
		return err
	}
	counts := make([]int, len(s.Blocks))
	if wr.c != nil {
		for i, b := range s.Blocks {
			if b.Kind == tableKind {
				counts[i] = ModelOf(wr.c, b).Len()
			}
		}
	}
	lay := s.layout(counts)
	widths := map[int]float64{}
	onlyForms := true
	for i, b := range s.Blocks {
		if b.Title != "" {
			if err := wr.text(s.Name, 1, lay[i].titleRow, b.Title, wr.st.blockTitle); err != nil {
				return err
			}
		}
		var err error
		if b.Kind == FormKind {
			err = wr.form(s, b, lay[i], widths)
		} else {
			onlyForms = false
			err = wr.table(s, b, lay[i], widths)
		}
		if err != nil {
			return err
		}
	}
	if onlyForms {
		widths[3] = 60 // the help column
	}
	for col, w := range widths {
		if err := f.SetColWidth(s.Name, colName(col), colName(col), w); err != nil {
			return err
		}
	}
	// Frozen panes: a sheet holding one table keeps its header in view;
	// the others keep the title.
	ySplit := introRow
	if len(s.Blocks) == 1 && s.Blocks[0].Kind == tableKind {
		ySplit = lay[0].headerRow
	}
	if err := f.SetPanes(s.Name, &excelize.Panes{Freeze: true, YSplit: ySplit, TopLeftCell: cellName(1, ySplit+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return wr.printLayout(s.Name)
}

func (wr *writer) text(sheet string, col, row int, s string, style int) error {
	cell := cellName(col, row)
	if err := wr.f.SetCellStr(sheet, cell, s); err != nil {
		return err
	}
	return wr.f.SetCellStyle(sheet, cell, cell, style)
}

// form writes a form block: label in A, value in B, help in C.
func (wr *writer) form(s sheetSpec, b SheetBlock, l blockLayout, widths map[int]float64) error {
	f := wr.f
	var rec reflect.Value
	if wr.c != nil {
		rec = ModelOf(wr.c, b)
	}
	long := false
	for i, fd := range b.Fields {
		row := l.firstRow + i
		label := fd.Label
		if fd.Required {
			label += " *"
		}
		if err := wr.text(s.Name, 1, row, label, wr.st.label); err != nil {
			return err
		}
		cell := cellName(2, row)
		if err := f.SetCellStyle(s.Name, cell, cell, wr.st.input[fd.Kind]); err != nil {
			return err
		}
		if rec.IsValid() {
			if err := wr.value(s.Name, cell, fd, rec.FieldByName(fd.Key)); err != nil {
				return err
			}
		}
		if err := wr.text(s.Name, 3, row, french.Spaced(helpText(fd)), wr.st.help); err != nil {
			return err
		}
		if len(s.Blocks) > 1 {
			// Above a table, column C is a narrow table column: the help
			// spreads over four of them.
			if err := f.MergeCell(s.Name, cellName(3, row), cellName(6, row)); err != nil {
				return err
			}
		}
		if err := wr.validation(s.Name, cell, fd); err != nil {
			return err
		}
		h := max(30, textHeight(french.Spaced(helpText(fd)), 60, 9), textHeight(label, 36*0.8, 11))
		if fd.Kind == kLongText {
			long = true
			h = max(h, 90)
			if rec.IsValid() {
				h = max(h, min(400, textHeight(rec.FieldByName(fd.Key).String(), 90, 11)))
			}
		}
		if err := f.SetRowHeight(s.Name, row, h); err != nil {
			return err
		}
	}
	widths[1] = max(widths[1], 36)
	w := 40.0
	if long {
		w = 90
		if len(s.Blocks) > 1 {
			w = 50 // column B is also a table's column
		}
	}
	widths[2] = max(widths[2], w)
	return nil
}

// table writes a table block: header row, prepared rows, records, totals.
func (wr *writer) table(s sheetSpec, b SheetBlock, l blockLayout, widths map[int]float64) error {
	f := wr.f
	for i, fd := range b.Fields {
		col := i + 1
		label := fd.Label
		if fd.Required {
			label += " *"
		}
		if err := wr.text(s.Name, col, l.headerRow, label, wr.st.header); err != nil {
			return err
		}
		widths[col] = max(widths[col], fd.width)
		// The format and the dropdown reach below the prepared rows, for
		// users who add records, unless another block follows.
		last := l.lastRow
		if b.name == s.Blocks[len(s.Blocks)-1].name {
			last += extraRows
		}
		if err := f.SetCellStyle(s.Name, cellName(col, l.firstRow), cellName(col, l.lastRow), wr.st.input[fd.Kind]); err != nil {
			return err
		}
		if err := wr.validation(s.Name, cellName(col, l.firstRow)+":"+cellName(col, last), fd); err != nil {
			return err
		}
	}
	h := 30.0
	for _, fd := range b.Fields {
		h = max(h, textHeight(fd.Label+" *", fd.width*0.8, 11))
	}
	if err := f.SetRowHeight(s.Name, l.headerRow, h); err != nil {
		return err
	}
	if wr.c != nil {
		recs := ModelOf(wr.c, b)
		for r := 0; r < recs.Len(); r++ {
			for i, fd := range b.Fields {
				if err := wr.value(s.Name, cellName(i+1, l.firstRow+r), fd, recs.Index(r).FieldByName(fd.Key)); err != nil {
					return err
				}
			}
		}
	}
	// The totals panel sits right of the table, so that the table can grow.
	col := len(b.Fields) + 2
	lastData := l.lastRow + extraRows
	for i, t := range b.total {
		row := l.headerRow + i
		if err := wr.text(s.Name, col, row, t.label, wr.st.totalLabel); err != nil {
			return err
		}
		formula := t.formula
		for j, fd := range b.Fields {
			formula = strings.ReplaceAll(formula, "{col:"+fd.Key+"}", colName(j+1))
		}
		for j := range b.total {
			formula = strings.ReplaceAll(formula, "{total:"+strconv.Itoa(j)+"}", cellName(col+1, l.headerRow+j))
		}
		formula = strings.ReplaceAll(formula, "{first}", strconv.Itoa(l.firstRow))
		formula = strings.ReplaceAll(formula, "{last}", strconv.Itoa(lastData))
		cell := cellName(col+1, row)
		if err := f.SetCellFormula(s.Name, cell, formula); err != nil {
			return err
		}
		if err := f.SetCellStyle(s.Name, cell, cell, wr.st.total[t.format]); err != nil {
			return err
		}
	}
	if len(b.total) > 0 {
		widths[col] = max(widths[col], 46)
		widths[col+1] = max(widths[col+1], 16)
	}
	return nil
}

// value writes one model value in its cell; zero values stay blank, so that
// reading gives them back.
func (wr *writer) value(sheet, cell string, fd field, v reflect.Value) error {
	f := wr.f
	switch fd.Kind {
	case kInt, kYear:
		if n := v.Int(); n != 0 {
			return f.SetCellInt(sheet, cell, n)
		}
	case kMoney:
		if n := v.Int(); n != 0 {
			return f.SetCellFloat(sheet, cell, float64(n)/100, 2, 64)
		}
	case kDecimal:
		if x := v.Float(); x != 0 {
			return f.SetCellFloat(sheet, cell, x, -1, 64)
		}
	case kDate:
		if t := v.Interface().(time.Time); !t.IsZero() {
			// A date cell, not text: the serial in the 1900 system, shown
			// with the cell's dd/mm/yyyy format.
			serial := float64(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
			return f.SetCellFloat(sheet, cell, serial, -1, 64)
		}
	case KYesNo:
		if v.Bool() {
			return f.SetCellStr(sheet, cell, "Oui")
		}
		return f.SetCellStr(sheet, cell, "Non")
	default:
		if s := v.String(); s != "" {
			return f.SetCellStr(sheet, cell, s)
		}
	}
	return nil
}

// helpText is a field's input message: what is expected, with an example,
// and whether the answer is required.
func helpText(fd field) string {
	s := ExampleText(fd)
	if fd.Required {
		s += " Obligatoire."
	}
	return s
}

// ExampleText is what is expected, with an example.
func ExampleText(fd field) string {
	s := fd.help
	if fd.example != "" {
		s += " Exemple : " + fd.example
		if !strings.HasSuffix(fd.example, "…") {
			s += "."
		}
	}
	return s
}

// validation attaches the input message and, for closed choices and
// numbers, the dropdown or the range to sqref. Range checks only warn: the
// reader is tolerant and says itself what it cannot read.
func (wr *writer) validation(sheet, sqref string, fd field) error {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(sqref)
	title := []rune(fd.Label)
	if len(title) > 32 { // Excel's limit
		title = append(title[:31], '…')
	}
	dv.SetInput(string(title), Clip(french.Spaced(helpText(fd)), 255))
	var err error
	switch fd.Kind {
	case kChoice, KYesNo:
		if err = dv.SetDropList(fd.choices); err != nil {
			// Too long for an inline list: the list goes to the hidden
			// sheet and the dropdown refers to it by a defined name.
			var name string
			if name, err = wr.list(fd); err != nil {
				return err
			}
			dv.SetSqrefDropList(name)
		}
	case kInt:
		err = dv.SetRange(0, 2147483647, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
	case kYear:
		err = dv.SetRange(1990, 2100, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
	case kMoney, kDecimal:
		err = dv.SetRange(0, 1e12, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
	case kDate:
		// 1 January 2020 to 31 December 2099, as serials of the 1900 system.
		err = dv.SetRange(43831, 73050, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween)
	case kLongText:
		err = dv.SetRange(0, maxLongText, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
	case kText:
		err = dv.SetRange(0, maxShortText, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
	}
	if err != nil {
		return err
	}
	if dv.Type != "" {
		dv.SetError(excelize.DataValidationErrorStyleWarning, "Valeur inattendue", Clip(french.Spaced(helpText(fd)), 255))
	}
	return wr.f.AddDataValidation(sheet, dv)
}

// list writes fd's choices in the hidden « Listes » sheet and returns the
// defined name that refers to them.
func (wr *writer) list(fd field) (string, error) {
	key := strings.Join(fd.choices, "\x00")
	if name, ok := wr.listAt[key]; ok {
		return name, nil
	}
	if wr.lists == 0 {
		if _, err := wr.f.NewSheet(SheetLists); err != nil {
			return "", err
		}
		wr.listAt = map[string]string{}
	}
	wr.lists++
	col := colName(wr.lists)
	for i, c := range fd.choices {
		if err := wr.f.SetCellStr(SheetLists, col+strconv.Itoa(i+1), c); err != nil {
			return "", err
		}
	}
	name := "liste_" + fd.Key
	ref := fmt.Sprintf("'%s'!$%s$1:$%s$%d", SheetLists, col, col, len(fd.choices))
	if err := wr.f.SetDefinedName(&excelize.DefinedName{Name: name, RefersTo: ref}); err != nil {
		return "", err
	}
	wr.listAt[key] = name
	return name, nil
}

// Clip cuts s to n UTF-16 units (Excel's unit for its limits), with an ellipsis.
func Clip(s string, n int) string {
	units := 0
	for i, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if units+w > n-1 {
			return s[:i] + "…"
		}
		units += w
	}
	return s
}
