package letters

import (
	"reflect"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

func testCopier(t *testing.T) *copier {
	t.Helper()
	src, err := pdfcpu.CreateContextWithXRefTable(PdfConf(), types.PaperSize["A4"])
	if err != nil {
		t.Fatal(err)
	}
	dst, err := pdfcpu.CreateContextWithXRefTable(PdfConf(), types.PaperSize["A4"])
	if err != nil {
		t.Fatal(err)
	}
	return newCopier(src.XRefTable, dst.XRefTable)
}

// TestCopierKeys: plain values are copied as they are, active and
// structural keys dropped, but for a name map's keys, which are data.
func TestCopierKeys(t *testing.T) {
	c := testCopier(t)
	in := types.Dict{
		"Type": types.Name("XObject"), "W": types.Integer(3), "X": types.Float(1.5),
		"S": types.StringLiteral("s"), "H": types.HexLiteral("00"), "B0": types.Boolean(true),
		"A": types.Dict{"S": types.Name("URI")}, "P": types.Integer(1), "Kids": types.Array{},
		"Font":  types.Dict{"A": types.Integer(7), "P": types.Name("x")},
		"Array": types.Array{types.Integer(1), types.Dict{"N": types.Name("n"), "JS": types.Integer(0)}},
		"N":     nil,
	}
	got, err := c.obj(in, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := types.Dict{
		"Type": types.Name("XObject"), "W": types.Integer(3), "X": types.Float(1.5),
		"S": types.StringLiteral("s"), "H": types.HexLiteral("00"), "B0": types.Boolean(true),
		"Font":  types.Dict{"A": types.Integer(7), "P": types.Name("x")},
		"Array": types.Array{types.Integer(1), nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("copied\n%v\nwant\n%v", got, want)
	}
	if c.dropped != 1 { // the dictionary with JS (the action goes with its key A)
		t.Errorf("dropped = %d, want 1", c.dropped)
	}
}

// TestCopierDepth: a value nested deeper than maxCopyDepth is refused,
// a plain one as well as any other.
func TestCopierDepth(t *testing.T) {
	nest := func(n int, leaf types.Object) types.Object {
		o := leaf
		for range n {
			o = types.Dict{"K": o}
		}
		return o
	}
	for _, leaf := range []types.Object{types.Integer(1), types.Name("n"), types.Array{}} {
		if _, err := testCopier(t).obj(nest(maxCopyDepth, leaf), 0); err != nil {
			t.Errorf("%v at depth %d: %v", leaf, maxCopyDepth, err)
		}
		if _, err := testCopier(t).obj(nest(maxCopyDepth+1, leaf), 0); err == nil {
			t.Errorf("%v at depth %d copied, want an error", leaf, maxCopyDepth+1)
		}
	}
}
