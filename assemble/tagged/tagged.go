// Package tagged describes the logical structure of a tagged PDF (PDF/UA):
// a tree of structure elements whose leaves are marked-content sequences
// on pages and annotations. render builds the tree of the pages it draws;
// letters writes it, with the letters' pages, into the final file. It is a
// leaf: it imports nothing of the project.
package tagged

// Elem is a structure element.
type Elem struct {
	Role  string // a standard structure type: Document, Sect, H1…H6, P, L, LI, Lbl, LBody, Table, THead, TBody, TR, TH, TD, Figure, TOC, TOCI, Link
	Alt   string // alternative text (a Figure's)
	Scope string // a TH's scope: Column or Row
	Title string // /T: a title for navigation (an annex's name)
	Kids  []Kid
}

// Kid is a child of an element: another element, a marked-content
// sequence (MCID on Page) or an annotation (the Annot-th, 1-based, of
// Page's /Annots array).
type Kid struct {
	Elem     *Elem
	Page     int // 1-based page of the final document
	MCID     int
	Annot    int    // > 0 for an annotation
	Contents string // an annotation's description (/Contents)
}

// Add appends a new element of role to e and returns it.
func (e *Elem) Add(role string) *Elem {
	k := &Elem{Role: role}
	e.Kids = append(e.Kids, Kid{Elem: k})
	return k
}

// Walk calls f on e and every element under it, in document order.
func (e *Elem) Walk(f func(*Elem)) {
	f(e)
	for _, k := range e.Kids {
		if k.Elem != nil {
			k.Elem.Walk(f)
		}
	}
}
