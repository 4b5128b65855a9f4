package workbook

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// cell is a cell as stored: its raw value and type.
type cell struct {
	raw     string
	typ     byte // 'n' number, 's' text, 'b' boolean, 'e' error, 'd' ISO date
	formula string
	hasF    bool
}

func (c cell) empty() bool { return strings.TrimFunc(c.raw, IsSpace) == "" && !c.hasF }

// grid is the content of one sheet, sparse.
type grid struct {
	sheet  string          // the name in the workbook
	index  map[int32]int32 // where a cell is in cells, by gridKey
	cells  []cell
	rows   []int         // row numbers holding a cell, ascending
	cols   map[int][]int // columns holding a cell, by row, ascending
	norms  []string      // the cells' normalised text, by index
	normed []bool        // which norms are made
	wide   bool          // content beyond maxRow or maxCol was ignored
}

// gridKey is where cell (col, row) is in grid.index; ok is false for
// cells that cannot be in a grid, beyond maxCol or maxRow.
func gridKey(col, row int) (k int32, ok bool) {
	if col < 0 || col > maxCol || row < 0 || row > maxRow {
		return 0, false
	}
	return int32(row*(maxCol+1) + col), true
}

func (g *grid) find(col, row int) (int32, bool) {
	k, ok := gridKey(col, row)
	if !ok {
		return 0, false
	}
	i, ok := g.index[k]
	return i, ok
}

func (g *grid) at(col, row int) cell {
	if i, ok := g.find(col, row); ok {
		return g.cells[i]
	}
	return cell{}
}

// put stores a cell, in place of the one at the same place if any.
func (g *grid) put(col, row int, c cell) {
	k, _ := gridKey(col, row)
	if i, ok := g.index[k]; ok {
		g.cells[i] = c
		return
	}
	g.index[k] = int32(len(g.cells))
	g.cells = append(g.cells, c)
}

// norm returns the normalised text of a cell, for matching labels; cells
// too long to be a label are not normalised. Each cell is normalised once.
func (g *grid) norm(col, row int) string {
	i, ok := g.find(col, row)
	if !ok {
		return ""
	}
	if g.norms == nil {
		g.norms, g.normed = make([]string, len(g.cells)), make([]bool, len(g.cells))
	}
	if g.normed[i] {
		return g.norms[i]
	}
	if c := g.cells[i]; c.typ == 's' && len(c.raw) < 200 {
		g.norms[i] = Normalize(c.raw)
	}
	g.normed[i] = true
	return g.norms[i]
}

// isLabel reports whether cell (col, row) holds label.
func (g *grid) isLabel(col, row int, label string) bool {
	return g.isLabelKeys(col, row, labelKeys(label))
}

// isLabelKeys is isLabel for the label's keys.
func (g *grid) isLabelKeys(col, row int, keys []string) bool {
	n := g.norm(col, row)
	return n != "" && slices.Contains(keys, n)
}

// startsWithLabel reports whether cell (col, row) holds label followed by
// more words: « Montant en euros » for « Montant (€) ». It is the second
// choice, after an exact match.
func (g *grid) startsWithLabel(col, row int, label string) bool {
	return g.startsWithKeys(col, row, labelKeys(label))
}

// startsWithKeys is startsWithLabel for the label's keys.
func (g *grid) startsWithKeys(col, row int, keys []string) bool {
	n := g.norm(col, row)
	for _, k := range keys {
		if k != "" && len(n) > len(k) && n[len(k)] == ' ' && strings.HasPrefix(n, k) {
			return true
		}
	}
	return false
}

// scanSheet reads a worksheet part into a grid, stopping at the limits:
// with xmlScan from the part's bytes, or with encoding/xml where xmlScan
// is unsure (see xmlscan.go).
func (p *pkg) scanSheet(s sheetRef, budget *int) (*grid, error) {
	if b, err := p.readInto(s.part, p.scratch); err == nil {
		p.scratch = b
		budget0, calcSafe0 := *budget, p.calcSafe
		if g, sure, err := p.scanSheetBytes(s, b, budget); sure {
			return g, err
		}
		*budget, p.calcSafe = budget0, calcSafe0
	}
	return p.scanSheetXML(s, budget)
}

func (p *pkg) newSheetScanner(s sheetRef, budget *int) *sheetScanner {
	g := &grid{sheet: s.name, index: map[int32]int32{}, cols: map[int][]int{}}
	return &sheetScanner{p: p, sheet: s.name, g: g, budget: budget}
}

// scanSheetBytes is scanSheet with xmlScan; sure is false when xmlScan
// leaves the part to encoding/xml. Until then, the tokens read are
// encoding/xml's, so an error said about them is the same.
func (p *pkg) scanSheetBytes(s sheetRef, b []byte, budget *int) (g *grid, sure bool, err error) {
	sc := p.newSheetScanner(s, budget)
	// Cells are written <c r="A1"…>, mostly: room for them all, within
	// the cells still allowed (a part could be nothing but "<c ").
	sc.g.cells = make([]cell, 0, min(bytes.Count(b, []byte("<c ")), max(*budget, 0))+1)
	x := &p.xs
	x.reset(b)
	for {
		switch x.next() {
		case xmlUnsure:
			return nil, false, nil
		case xmlEOF:
			return sc.done(), true, nil
		case xmlStart:
			err = sc.start(&x.tag)
		case xmlEnd:
			err = sc.end(x.end)
		case xmlText:
			sc.charData(x.text)
		}
		if err != nil {
			return nil, true, err
		}
	}
}

// scanSheetXML is scanSheet with encoding/xml, streaming the part.
func (p *pkg) scanSheetXML(s sheetRef, budget *int) (*grid, error) {
	rc, err := p.open(s.part)
	if err != nil {
		return nil, failSheet(p.name, s.name, ErrCorrupt, "feuille illisible (détail technique : %v) ; enregistrez le classeur de nouveau depuis votre tableur", err)
	}
	defer rc.Close()
	return p.scanSheetReader(s, rc, budget)
}

// scanSheetReader is scanSheetXML on the part's stream.
func (p *pkg) scanSheetReader(s sheetRef, r io.Reader, budget *int) (*grid, error) {
	d := xml.NewDecoder(io.LimitReader(r, maxUnzipped))
	sc := p.newSheetScanner(s, budget)
	var tag xmlTag
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, failSheet(p.name, s.name, ErrCorrupt, "XML de la feuille illisible (%v)", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			err = sc.start(tagOf(t, &tag))
		case xml.EndElement:
			err = sc.end([]byte(t.Name.Local))
		case xml.CharData:
			sc.charData(t)
		}
		if err != nil {
			return nil, err
		}
	}
	return sc.done(), nil
}

// tagOf gives encoding/xml's start element as xmlScan's, in tag.
func tagOf(t xml.StartElement, tag *xmlTag) *xmlTag {
	tag.local = []byte(t.Name.Local)
	tag.attrs = tag.attrs[:0]
	for _, a := range t.Attr {
		tag.attrs = append(tag.attrs, xmlAttr{[]byte(a.Name.Local), []byte(a.Value)})
	}
	return tag
}

// done sorts the grid's rows and columns, once the sheet is read.
func (sc *sheetScanner) done() *grid {
	g := sc.g
	slices.Sort(g.rows)
	for _, cs := range g.cols {
		slices.Sort(cs)
	}
	return g
}

// sheetScanner is where scanSheet is in a worksheet's XML: the current row,
// cell and element, and the grid filled so far.
type sheetScanner struct {
	p      *pkg
	sheet  string
	g      *grid
	budget *int // cells still allowed, over the whole workbook

	row, col       int
	cur            cell
	inC, inV, inIS bool
	inF            bool
	inT            bool
	inline         bool // the cell's text is an inline string's (<is>)
	rph            int
	text           []byte
}

// start handles an opening tag.
func (sc *sheetScanner) start(t *xmlTag) error {
	switch string(t.local) {
	case "row":
		return sc.startRow(t)
	case "c":
		return sc.startCell(t)
	case "v":
		sc.inV = sc.inC
	case "f":
		sc.inF = sc.inC
		if sc.inC {
			sc.cur.hasF = true
		}
	case "is":
		sc.inIS = sc.inC
		sc.inline = sc.inC
	case "rPh":
		sc.rph++
	case "t":
		sc.inT = sc.inIS && sc.rph == 0
	}
	return nil
}

// startRow moves to the next row, or to the one its r attribute names.
func (sc *sheetScanner) startRow(t *xmlTag) error {
	sc.row++
	sc.col = 0
	if v := t.attr("r"); len(v) > 0 {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 || n > excelize.TotalRows {
			return failSheet(sc.p.name, sc.sheet, ErrCorrupt, "numéro de ligne invalide « %s »", Clip(string(v), 20))
		}
		sc.row = n
	}
	if sc.row > maxRow {
		sc.p.calcSafe = false
	}
	return nil
}

// startCell starts a cell: the next column, or the one its r attribute
// names, and its type.
func (sc *sheetScanner) startCell(t *xmlTag) error {
	sc.inC = true
	sc.cur = cell{typ: 'n'}
	sc.text = sc.text[:0]
	sc.inline = false
	sc.col++
	if ref := t.attr("r"); len(ref) > 0 {
		c, r, err := cellCoordinates(ref)
		if err != nil {
			return failSheet(sc.p.name, sc.sheet, ErrCorrupt, "référence de cellule invalide « %s »", Clip(string(ref), 20))
		}
		sc.col, sc.row = c, r
	}
	if sc.col > maxCol || sc.row > maxRow {
		sc.p.calcSafe = false
	}
	switch string(t.attr("t")) {
	case "s":
		sc.cur.typ = 'S' // index into the shared strings
	case "str", "inlineStr":
		sc.cur.typ = 's'
	case "b":
		sc.cur.typ = 'b'
	case "e":
		sc.cur.typ = 'e'
	case "d":
		sc.cur.typ = 'd'
	}
	return nil
}

// end handles a closing tag.
func (sc *sheetScanner) end(local []byte) error {
	switch string(local) {
	case "c":
		return sc.endCell()
	case "v":
		sc.inV = false
	case "f":
		sc.inF = false
	case "is":
		sc.inIS = false
	case "rPh":
		sc.rph--
	case "t":
		sc.inT = false
	}
	return nil
}

// endCell puts the cell just read in the grid, unless it is empty or
// beyond the limits.
func (sc *sheetScanner) endCell() error {
	sc.inC = false
	cur, g := &sc.cur, sc.g
	if cur.typ == 'S' {
		cur.typ = 's'
		i, err := strconv.Atoi(string(bytes.TrimSpace(sc.text)))
		if err != nil || i < 0 || i >= len(sc.p.sst) {
			cur.raw = ""
		} else {
			cur.raw = sc.p.sst[i]
		}
	} else if sc.inline {
		cur.raw = xstring(sc.text)
	} else {
		cur.raw = string(sc.text)
	}
	if cur.empty() {
		return nil
	}
	if sc.col > maxCol || sc.row > maxRow {
		g.wide = true
		return nil
	}
	*sc.budget--
	if *sc.budget < 0 {
		return failSheet(sc.p.name, sc.sheet, ErrTooLarge, "plus de %d cellules remplies", maxCells)
	}
	g.put(sc.col, sc.row, *cur)
	cs, seen := g.cols[sc.row]
	if !seen {
		g.rows = append(g.rows, sc.row)
	}
	g.cols[sc.row] = append(cs, sc.col)
	return nil
}

// charData keeps the text of a value or of an inline string, and the
// formula, up to a length that cannot be evaluated anyway.
func (sc *sheetScanner) charData(t []byte) {
	switch {
	case sc.inV, sc.inT:
		sc.text = append(sc.text, t...)
	case sc.inF:
		if len(sc.cur.formula) < maxFormulaSize+1 {
			sc.cur.formula += string(t)
		}
	}
}

// cellCoordinates reads a cell reference, « B12 », as excelize does.
func cellCoordinates(ref []byte) (col, row int, err error) {
	return excelize.CellNameToCoordinates(string(ref))
}
