package letters

import (
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// TestStructElemAsDict: a structure element is written as pdfcpu writes
// the same dictionary, whatever entries and kids it has (the kids'
// separators included: pdfcpu puts a space before an integer or a
// reference that is not first, none before a dictionary), and so is its
// clone. (That writeDoc reaches every element is checked by the samples'
// builds, whose trees CheckUA walks.)
func TestStructElemAsDict(t *testing.T) {
	ref := func(n int) types.IndirectRef { return *types.NewIndirectRef(n, 0) }
	pg := ref(7)
	objr := types.Dict{"Type": types.Name("OBJR"), "Pg": pg, "Obj": ref(40)}
	mcr := types.Dict{"Type": types.Name("MCR"), "Pg": ref(8), "MCID": types.Integer(3)}
	kids := []types.Object{
		nil,
		ref(12),
		types.Integer(0),
		objr,
		types.Array{types.Integer(0), types.Integer(1), types.Integer(12)},
		types.Array{ref(12), ref(13), objr, types.Integer(4), mcr, ref(99)},
		types.Array{objr, types.Integer(2)},
		types.Array{mcr, mcr},
	}
	var elems []*structElem
	for i, k := range kids {
		e := &structElem{role: "P", parent: ref(3), kids: k}
		if i%2 == 0 {
			e.page = &pg
		}
		elems = append(elems, e)
	}
	elems = append(elems,
		&structElem{role: "TH", parent: ref(3), attrs: types.Dict{"O": types.Name("Table"), "Scope": types.Name("Column")}, kids: types.Integer(5)},
		&structElem{role: "Figure", parent: ref(1234567), page: &pg, alt: utf16Text("Page 1 / 2 « été »"), kids: types.Integer(0)},
		&structElem{role: "Sect", parent: ref(2), title: utf16Text("Lettre de la Région (annexe 3)"), kids: types.Array{ref(5), ref(6)}},
		&structElem{role: "Nom avec#espace", parent: ref(2), alt: types.StringLiteral("texte (simple)"), title: types.StringLiteral("t")},
	)
	for i, e := range elems {
		want := e.dict().PDFString()
		if got := e.PDFString(); got != want {
			t.Errorf("%d: PDFString\n got %s\nwant %s", i, got, want)
		}
		if got := e.Clone().PDFString(); got != want {
			t.Errorf("%d: clone writes %s, want %s", i, got, want)
		}
	}
}
