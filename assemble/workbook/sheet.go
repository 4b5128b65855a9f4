package workbook

import (
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
	sheet string // the name in the workbook
	cells map[[2]int]cell
	rows  []int         // row numbers holding a cell, ascending
	cols  map[int][]int // columns holding a cell, by row, ascending
	norms map[[2]int]string
	wide  bool // content beyond maxRow or maxCol was ignored
}

func (g *grid) at(col, row int) cell { return g.cells[[2]int{col, row}] }

// norm returns the normalised text of a cell, for matching labels; cells
// too long to be a label are not normalised.
func (g *grid) norm(col, row int) string {
	k := [2]int{col, row}
	if n, ok := g.norms[k]; ok {
		return n
	}
	c, ok := g.cells[k]
	n := ""
	if ok && c.typ == 's' && len(c.raw) < 200 {
		n = Normalize(c.raw)
	}
	g.norms[k] = n
	return n
}

// isLabel reports whether cell (col, row) holds label.
func (g *grid) isLabel(col, row int, label string) bool {
	n := g.norm(col, row)
	return n != "" && slices.Contains(labelKeys(label), n)
}

// startsWithLabel reports whether cell (col, row) holds label followed by
// more words: « Montant en euros » for « Montant (€) ». It is the second
// choice, after an exact match.
func (g *grid) startsWithLabel(col, row int, label string) bool {
	n := g.norm(col, row)
	for _, k := range labelKeys(label) {
		if k != "" && strings.HasPrefix(n, k+" ") {
			return true
		}
	}
	return false
}

// scanSheet reads a worksheet part into a grid, stopping at the limits.
func (p *pkg) scanSheet(s sheetRef, budget *int) (*grid, error) {
	g := &grid{sheet: s.name, cells: map[[2]int]cell{}, cols: map[int][]int{}, norms: map[[2]int]string{}}
	rc, err := p.open(s.part)
	if err != nil {
		return nil, failSheet(p.name, s.name, ErrCorrupt, "feuille illisible (détail technique : %v) ; enregistrez le classeur de nouveau depuis votre tableur", err)
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, maxUnzipped))
	sc := &sheetScanner{p: p, sheet: s.name, g: g, budget: budget, seen: map[int]bool{}}
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
			err = sc.start(t)
		case xml.EndElement:
			err = sc.end(t)
		case xml.CharData:
			sc.charData(t)
		}
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(g.rows)
	for _, cs := range g.cols {
		slices.Sort(cs)
	}
	return g, nil
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
	rph            int
	text           strings.Builder
	seen           map[int]bool // rows already in g.rows
}

// start handles an opening tag.
func (sc *sheetScanner) start(t xml.StartElement) error {
	switch t.Name.Local {
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
	case "rPh":
		sc.rph++
	case "t":
		sc.inT = sc.inIS && sc.rph == 0
	}
	return nil
}

// startRow moves to the next row, or to the one its r attribute names.
func (sc *sheetScanner) startRow(t xml.StartElement) error {
	sc.row++
	sc.col = 0
	if v := attr(t, "r"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > excelize.TotalRows {
			return failSheet(sc.p.name, sc.sheet, ErrCorrupt, "numéro de ligne invalide « %s »", Clip(v, 20))
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
func (sc *sheetScanner) startCell(t xml.StartElement) error {
	sc.inC = true
	sc.cur = cell{typ: 'n'}
	sc.text.Reset()
	sc.col++
	if ref := attr(t, "r"); ref != "" {
		c, r, err := excelize.CellNameToCoordinates(ref)
		if err != nil {
			return failSheet(sc.p.name, sc.sheet, ErrCorrupt, "référence de cellule invalide « %s »", Clip(ref, 20))
		}
		sc.col, sc.row = c, r
	}
	if sc.col > maxCol || sc.row > maxRow {
		sc.p.calcSafe = false
	}
	switch attr(t, "t") {
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
func (sc *sheetScanner) end(t xml.EndElement) error {
	switch t.Name.Local {
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
		i, err := strconv.Atoi(strings.TrimSpace(sc.text.String()))
		if err != nil || i < 0 || i >= len(sc.p.sst) {
			cur.raw = ""
		} else {
			cur.raw = sc.p.sst[i]
		}
	} else {
		cur.raw = sc.text.String()
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
	g.cells[[2]int{sc.col, sc.row}] = *cur
	g.cols[sc.row] = append(g.cols[sc.row], sc.col)
	if !sc.seen[sc.row] {
		sc.seen[sc.row] = true
		g.rows = append(g.rows, sc.row)
	}
	return nil
}

// charData keeps the text of a value or of an inline string, and the
// formula, up to a length that cannot be evaluated anyway.
func (sc *sheetScanner) charData(t xml.CharData) {
	switch {
	case sc.inV, sc.inT:
		sc.text.Write(t)
	case sc.inF:
		if len(sc.cur.formula) < maxFormulaSize+1 {
			sc.cur.formula += string(t)
		}
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
