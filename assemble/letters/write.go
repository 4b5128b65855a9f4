package letters

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// objStmMax is the number of objects packed into one object stream: the
// structure tree's many small dictionaries compress far better together,
// and a reader decompresses some tens of kilobytes to reach one of them.
const objStmMax = 200

// writeDoc writes the finished document ctx to w, once, in one pass:
//
//   - the objects reachable from the catalog and the information
//     dictionary, in the order of their numbers (same document, same
//     bytes), each serialised by pdfcpu (PDFString, streams with their
//     raw bytes); the others are free entries;
//   - the objects that may be (PDF 1.5, 7.5.7), packed objStmMax at a
//     time into Flate-compressed object streams; streams, objects of a
//     generation other than 0 and the information dictionary are written
//     as they are, the latter so that its seal stays patchable in place;
//   - a cross-reference stream, whose dictionary carries the file
//     identifier /ID in the form pdfID reads;
//   - dates (CreationDate, ModDate) set to date, none when it is zero;
//   - the identifier and, when the information dictionary holds its
//     placeholder (MergePlan.Seal), the seal, both from one SHA-256 of the
//     final bytes with both blank (see sealed and CheckSeal).
func writeDoc(w io.Writer, ctx *model.Context, date time.Time, seal bool) (err error) {
	if err := prepareInfo(ctx, date); err != nil {
		return err
	}
	if err := ctx.BindNameTrees(); err != nil {
		return err
	}
	cat, err := ctx.Catalog()
	if err != nil {
		return err
	}
	delete(cat, "Version") // the header says it
	nums, err := reachable(ctx)
	if err != nil {
		return err
	}
	dw := docWriter{ctx: ctx, info: int(ctx.Info.ObjectNumber), buf: new(bytes.Buffer)}
	if bb, ok := w.(*bytes.Buffer); ok {
		// Written in place: the file is not copied once more (and
		// nothing is left of it on error).
		dw.buf, dw.base = bb, bb.Len()
		defer func() {
			if err != nil {
				bb.Truncate(dw.base)
			}
		}()
	}
	last := 0
	if len(nums) > 0 {
		last = nums[len(nums)-1]
	}
	dw.next = last + 1 // the object streams' numbers, then the xref stream's
	dw.entries = make([]xrefEntry, last+1)
	dw.buf.Grow(estimateSize(ctx, nums))
	version := "1.7"
	if ctx.XRefTable.PDF20() {
		version = "2.0"
	}
	dw.buf.WriteString("%PDF-" + version + "\n%\xe2\xe3\xcf\xd3\n")
	for _, n := range nums {
		if n == dw.info {
			continue
		}
		if err := dw.object(n); err != nil {
			return fmt.Errorf("objet %d : %w", n, err)
		}
	}
	if err := dw.flushObjStm(); err != nil {
		return err
	}
	// The information dictionary last, just before the cross-reference
	// stream: nothing a letter brings comes after it, so its seal is the
	// last one before startxref (see sealPlaces).
	if err := dw.object(dw.info); err != nil {
		return fmt.Errorf("objet %d : %w", dw.info, err)
	}
	if err := dw.xref(); err != nil {
		return err
	}
	out := dw.buf.Bytes()[dw.base:]
	stamp(out, seal)
	if dw.buf != w {
		_, err = w.Write(out)
	}
	return err
}

// prepareInfo makes sure the document has an information dictionary and
// sets its dates, as pdfcpu's writer does (with the build's date in place
// of the time of writing), and its producer: necdossier, with the two
// libraries that wrote its pages and put them together.
func prepareInfo(ctx *model.Context, date time.Time) error {
	d, err := infoDict(ctx)
	if err != nil {
		return err
	}
	if date.IsZero() {
		delete(d, "CreationDate")
		delete(d, "ModDate")
	} else {
		s := types.StringLiteral(types.DateString(date.UTC()))
		d["CreationDate"], d["ModDate"] = s, s
	}
	d["Producer"] = types.StringLiteral("necdossier (fpdf, pdfcpu " + model.VersionStr + ")")
	return nil
}

// reachable returns, sorted, the numbers of the objects reachable from
// the catalog and the information dictionary. A stream's /Length is not
// followed: writeDoc writes it direct.
func reachable(ctx *model.Context) ([]int, error) {
	seen := make(map[int]bool, len(ctx.Table))
	var stack []int
	push := func(r types.IndirectRef) {
		n := r.ObjectNumber.Value()
		if e, ok := ctx.Table[n]; ok && e != nil && !e.Free && n > 0 && !seen[n] {
			seen[n] = true
			stack = append(stack, n)
		}
	}
	var walk func(o types.Object, depth int) error
	walk = func(o types.Object, depth int) error {
		if depth > 256 {
			return fmt.Errorf("objets imbriqués trop profondément")
		}
		switch v := o.(type) {
		case types.IndirectRef:
			push(v)
		case types.Dict:
			for _, e := range v {
				if err := walk(e, depth+1); err != nil {
					return err
				}
			}
		case types.Array:
			for _, e := range v {
				if err := walk(e, depth+1); err != nil {
					return err
				}
			}
		case types.StreamDict:
			for k, e := range v.Dict {
				if k != "Length" {
					if err := walk(e, depth+1); err != nil {
						return err
					}
				}
			}
		case *structElem:
			for _, e := range []types.Object{v.parent, v.kids, v.attrs} {
				if err := walk(e, depth+1); err != nil {
					return err
				}
			}
			if v.page != nil {
				push(*v.page)
			}
		}
		return nil
	}
	push(*ctx.Root)
	push(*ctx.Info)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		o, err := objectOf(ctx, n)
		if err != nil {
			return nil, err
		}
		if err := walk(o, 0); err != nil {
			return nil, err
		}
	}
	nums := make([]int, 0, len(seen))
	for n := range seen {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	return nums, nil
}

// objectOf returns object n, decoded if it was read from an object stream.
func objectOf(ctx *model.Context, n int) (types.Object, error) {
	e := ctx.Table[n]
	if _, lazy := e.Object.(types.LazyObjectStreamObject); lazy {
		return ctx.Dereference(*types.NewIndirectRef(n, 0))
	}
	return e.Object, nil
}

// estimateSize is about the size of the file: the streams' bytes, and
// some for the rest, so that the buffer grows once.
func estimateSize(ctx *model.Context, nums []int) int {
	size := 4096 + 64*len(nums)
	for _, n := range nums {
		if sd, ok := ctx.Table[n].Object.(types.StreamDict); ok {
			size += len(sd.Raw) + 256
		}
	}
	return size + size/16
}

// xrefEntry is one row of the cross-reference stream: type 1 (offset,
// generation), type 2 (object stream, index), type 0 free.
type xrefEntry struct {
	kind   byte
	f2, f3 int64
}

type docWriter struct {
	ctx     *model.Context
	buf     *bytes.Buffer
	base    int         // where the file starts in buf
	entries []xrefEntry // by object number
	info    int
	next    int // the next new object number
	// The object stream being filled: its objects' numbers and offsets,
	// and their text.
	stm objStm
}

// offset is where the next object starts in the file.
func (dw *docWriter) offset() int64 { return int64(dw.buf.Len() - dw.base) }

// object writes object n, or adds it to the current object stream.
func (dw *docWriter) object(n int) error {
	o, err := objectOf(dw.ctx, n)
	if err != nil {
		return err
	}
	gen := 0
	if g := dw.ctx.Table[n].Generation; g != nil {
		gen = *g
	}
	switch v := o.(type) {
	case types.StreamDict:
		return dw.stream(n, gen, v)
	case types.ObjectStreamDict:
		return dw.stream(n, gen, v.StreamDict)
	case types.XRefStreamDict:
		return dw.stream(n, gen, v.StreamDict)
	}
	s, err := pdfString(o)
	if err != nil {
		return err
	}
	if gen != 0 || n == dw.info {
		dw.entries[n] = xrefEntry{kind: 1, f2: dw.offset(), f3: int64(gen)}
		fmt.Fprintf(dw.buf, "%d %d obj\n%s\nendobj\n", n, gen, s)
		return nil
	}
	dw.entries[n] = xrefEntry{kind: 2, f2: int64(dw.next), f3: int64(dw.stm.add(n, s))}
	if len(dw.stm.nums) == objStmMax {
		return dw.flushObjStm()
	}
	return nil
}

// pdfString is pdfcpu's serialisation of a non-stream object.
func pdfString(o types.Object) (string, error) {
	switch v := o.(type) {
	case nil:
		return "null", nil
	case types.Dict, types.Array, types.Integer, types.Float, types.Boolean,
		types.Name, types.StringLiteral, types.HexLiteral, types.IndirectRef, *structElem:
		return v.PDFString(), nil
	}
	return "", fmt.Errorf("type d’objet inattendu %T", o)
}

// stream writes a stream object with its raw (encoded) bytes; one that
// has only its decoded content is encoded first, by pdfcpu.
func (dw *docWriter) stream(n, gen int, sd types.StreamDict) error {
	raw := sd.Raw
	if raw == nil && sd.Content != nil {
		enc := sd
		enc.Dict = cloneDict(sd.Dict)
		if err := enc.Encode(); err != nil {
			return err
		}
		raw, sd = enc.Raw, enc
	}
	d := sd.Dict
	if l, ok := d["Length"].(types.Integer); !ok || int(l) != len(raw) {
		d = cloneDict(d)
		d["Length"] = types.Integer(len(raw))
	}
	dw.entries[n] = xrefEntry{kind: 1, f2: dw.offset(), f3: int64(gen)}
	fmt.Fprintf(dw.buf, "%d %d obj\n%s\nstream\n", n, gen, d.PDFString())
	dw.buf.Write(raw)
	dw.buf.WriteString("\nendstream\nendobj\n")
	return nil
}

func cloneDict(d types.Dict) types.Dict {
	c := make(types.Dict, len(d)+1)
	for k, v := range d {
		c[k] = v
	}
	return c
}

// flushObjStm writes the object stream being filled, if any, under the
// next new number.
func (dw *docWriter) flushObjStm() error {
	if len(dw.stm.nums) == 0 {
		return nil
	}
	first, raw, err := dw.stm.encode()
	if err != nil {
		return err
	}
	osd := types.StreamDict{Dict: types.Dict{
		"Type":   types.Name("ObjStm"),
		"Filter": types.Name(filter.Flate),
		"N":      types.Integer(len(dw.stm.nums)),
		"First":  types.Integer(first),
	}, Raw: raw}
	num := dw.next
	dw.next++
	dw.entries = append(dw.entries, xrefEntry{})
	if err := dw.stream(num, 0, osd); err != nil {
		return err
	}
	dw.stm.reset()
	return nil
}

// objStm is an object stream being filled: the objects' numbers, where
// each starts in body, and body, their serialisations one a line.
type objStm struct {
	nums, offs []int
	body       []byte
}

// add appends object n, serialised as s, and returns its index.
func (o *objStm) add(n int, s string) int {
	o.nums = append(o.nums, n)
	o.offs = append(o.offs, len(o.body))
	o.body = append(append(o.body, s...), '\n')
	return len(o.nums) - 1
}

// encode returns the stream's compressed bytes and /First, the length of
// its head (the pairs of numbers and offsets) before the objects.
func (o *objStm) encode() (first int, raw []byte, err error) {
	var head []byte
	for i, n := range o.nums {
		if i > 0 {
			head = append(head, ' ')
		}
		head = strconv.AppendInt(head, int64(n), 10)
		head = append(head, ' ')
		head = strconv.AppendInt(head, int64(o.offs[i]), 10)
	}
	head = append(head, '\n')
	raw, err = zlibBytes(head, o.body)
	return len(head), raw, err
}

// reset empties the stream, keeping its memory.
func (o *objStm) reset() { o.nums, o.offs, o.body = o.nums[:0], o.offs[:0], o.body[:0] }

// idBlank is the identifier written first, replaced by stamp.
var idBlank = types.NewHexLiteral(make([]byte, 16))

// xref writes the cross-reference stream, startxref and %%EOF.
func (dw *docWriter) xref() error {
	num := dw.next
	dw.entries = append(dw.entries, xrefEntry{})
	start := dw.offset()
	dw.entries[num] = xrefEntry{kind: 1, f2: start}
	dw.entries[0] = xrefEntry{f3: 65535} // head of the free list
	size := len(dw.entries)
	rows, w2, w3 := xrefRows(dw.entries)
	sd := types.StreamDict{Dict: types.Dict{
		"Type":   types.Name("XRef"),
		"Size":   types.Integer(size),
		"W":      types.NewIntegerArray(1, w2, w3),
		"Root":   *dw.ctx.Root,
		"Info":   *dw.ctx.Info,
		"ID":     types.Array{idBlank, idBlank},
		"Filter": types.Name(filter.Flate),
	}}
	var err error
	if sd.Raw, err = zlibBytes(rows); err != nil {
		return err
	}
	if err := dw.stream(num, 0, sd); err != nil {
		return err
	}
	fmt.Fprintf(dw.buf, "startxref\n%d\n%%%%EOF\n", start)
	return nil
}

// xrefRows are the rows of a cross-reference stream, one an entry, and
// the widths of their second and third fields (/W [1 w2 w3]): as narrow
// as the largest value allows.
func xrefRows(entries []xrefEntry) (rows []byte, w2, w3 int) {
	var max2, max3 int64
	for _, e := range entries {
		max2, max3 = max(max2, e.f2), max(max3, e.f3)
	}
	w2, w3 = byteWidth(max2), byteWidth(max3)
	rows = make([]byte, 0, len(entries)*(1+w2+w3))
	for _, e := range entries {
		rows = append(rows, e.kind)
		rows = appendBE(rows, e.f2, w2)
		rows = appendBE(rows, e.f3, w3)
	}
	return rows, w2, w3
}

func byteWidth(v int64) int {
	n := 1
	for v > 0xff {
		v >>= 8
		n++
	}
	return n
}

func appendBE(b []byte, v int64, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// stamp writes into pdf, in place, its identifier and, when seal is set,
// its seal: the identifier is the first 16 bytes of the SHA-256 of the
// file with both blank (in upper-case hexadecimal, twice), the seal the
// whole of it. They are where sealPlaces finds them, as CheckSeal does.
func stamp(pdf []byte, seal bool) {
	id, sl := sealPlaces(pdf)
	if !seal {
		sl = nil
	}
	blankPlaces(pdf, id, sl)
	sum := sha256.Sum256(pdf)
	if id != nil {
		hexID := strings.ToUpper(hex.EncodeToString(sum[:16]))
		for _, i := range []int{2, 4} {
			copy(pdf[id[i]:id[i+1]], hexID)
		}
	}
	if sl != nil {
		copy(pdf[sl[2]:sl[3]], hex.EncodeToString(sum[:]))
	}
}
