package workbook

import (
	"encoding/xml"
	"fmt"
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
		return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrCorrupt, fmt.Sprintf("feuille illisible (détail technique : %v) ; enregistrez le classeur de nouveau depuis votre tableur", err)}}
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, maxUnzipped))
	var (
		row, col       int
		cur            cell
		inC, inV, inIS bool
		inF            bool
		inT            bool
		rph            int
		text           strings.Builder
		seen           = map[int]bool{}
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrCorrupt, fmt.Sprintf("XML de la feuille illisible (%v)", err)}}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row++
				col = 0
				if v := attr(t, "r"); v != "" {
					n, err := strconv.Atoi(v)
					if err != nil || n < 1 || n > excelize.TotalRows {
						return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrCorrupt, fmt.Sprintf("numéro de ligne invalide « %s »", Clip(v, 20))}}
					}
					row = n
				}
				if row > maxRow {
					p.calcSafe = false
				}
			case "c":
				inC = true
				cur = cell{typ: 'n'}
				text.Reset()
				col++
				if ref := attr(t, "r"); ref != "" {
					c, r, err := excelize.CellNameToCoordinates(ref)
					if err != nil {
						return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrCorrupt, fmt.Sprintf("référence de cellule invalide « %s »", Clip(ref, 20))}}
					}
					col, row = c, r
				}
				if col > maxCol || row > maxRow {
					p.calcSafe = false
				}
				switch attr(t, "t") {
				case "s":
					cur.typ = 'S' // index into the shared strings
				case "str", "inlineStr":
					cur.typ = 's'
				case "b":
					cur.typ = 'b'
				case "e":
					cur.typ = 'e'
				case "d":
					cur.typ = 'd'
				}
			case "v":
				inV = inC
			case "f":
				inF = inC
				if inC {
					cur.hasF = true
				}
			case "is":
				inIS = inC
			case "rPh":
				rph++
			case "t":
				inT = inIS && rph == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "c":
				inC = false
				if cur.typ == 'S' {
					cur.typ = 's'
					i, err := strconv.Atoi(strings.TrimSpace(text.String()))
					if err != nil || i < 0 || i >= len(p.sst) {
						cur.raw = ""
					} else {
						cur.raw = p.sst[i]
					}
				} else {
					cur.raw = text.String()
				}
				if cur.empty() {
					continue
				}
				if col > maxCol || row > maxRow {
					g.wide = true
					continue
				}
				*budget--
				if *budget < 0 {
					return nil, &WorkbookError{Name: p.name, Sheet: s.name, Err: &detailError{ErrTooLarge, fmt.Sprintf("plus de %d cellules remplies", maxCells)}}
				}
				g.cells[[2]int{col, row}] = cur
				g.cols[row] = append(g.cols[row], col)
				if !seen[row] {
					seen[row] = true
					g.rows = append(g.rows, row)
				}
			case "v":
				inV = false
			case "f":
				inF = false
			case "is":
				inIS = false
			case "rPh":
				rph--
			case "t":
				inT = false
			}
		case xml.CharData:
			switch {
			case inV, inT:
				text.Write(t)
			case inF:
				if len(cur.formula) < maxFormulaSize+1 {
					cur.formula += string(t)
				}
			}
		}
	}
	slices.Sort(g.rows)
	for _, cs := range g.cols {
		slices.Sort(cs)
	}
	return g, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
