package letters

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Bundle writes one PDF made of the pages of other PDFs, appended one
// document at a time and written out at once: only the document being
// copied is in memory, so that a print bundle of 400 dossiers takes the
// memory of one. Each document's objects are renumbered and written as they
// are reached from its pages, those that are not streams packed 200 at a
// time into compressed object streams (as the dossier's are, see writeDoc:
// the structure tree's thousands of small objects would otherwise make a
// quarter of the file); the page tree, the outline, the information
// dictionary (never packed) and the cross-reference stream come last, in
// Close. Objects are numbered in a fixed order (keys sorted), so the same
// documents give the same bytes.
//
// The documents are copied as they are (they are our own dossiers), not
// through the sanitising copier. A Bundle never panics: a panic
// inside pdfcpu becomes an error, after which every call fails.
//
// A Bundle is tagged (PDF/UA) when its documents are: AppendPart carries
// a document's structure tree under a Part element (titled, say, by the
// candidate), its /P the Part and its /Pg renumbered by the copy of the
// pages (copied in the same call); every /StructParents and
// /StructParent of the document is offset by the parent-tree keys used so
// far, and the document's parent tree is written at once as a leaf of the
// bundle's, under the offset keys. Only the Parts' and the leaves' object
// numbers are kept until Close, which writes the Document element, the
// StructTreeRoot, the parent tree's root, and in the catalog MarkInfo,
// Lang, ViewerPreferences DisplayDocTitle and the XMP metadata, which
// claims PDF/UA-1 (see SetAccess). A document without a tree (a page left
// blank) must have only artifacts. The running foot is a pagination
// artifact.
type Bundle struct {
	w       *bufio.Writer
	sum     hash.Hash
	n       int64   // bytes written
	offsets []int64 // by object number; [0] unused; see packedAt
	stm     bundleStm
	err     error
	kids    []int // the page objects, in order
	pages   int   // object number of the page tree's root
	feet    *BundleDoc
	// The structure: the Document element (0: none yet), the Parts in
	// order, the leaves of the parent tree (object number and the keys
	// they span), the next free key.
	doc     int
	parts   []int
	leaves  []ptLeaf
	nextKey int
	lang    string
	claim   bool
	// unclaimed: a document appended is not PDF/UA-1 (a dossier that
	// does not claim it, marked content without its tree).
	unclaimed bool
}

// bundleStm is the object stream being filled, and its number (0: none
// yet).
type bundleStm struct {
	objStm
	num int
}

// packedAt is what Bundle.offsets holds for an object packed into object
// stream stm at index i: a negative value below -1 (-1 is an object
// reserved and not written yet), so that a bundle of many dossiers keeps
// a word an object, as for those written plain. unpacked undoes it.
func packedAt(stm, i int) int64 { return -2 - (int64(stm)<<8 | int64(i)) }

func unpacked(off int64) (stm, i int, ok bool) {
	if off > -2 {
		return 0, 0, false
	}
	v := -(off + 2)
	return int(v >> 8), int(v & 0xff), true
}

// ptLeaf is a leaf of the parent tree: its object, its first and last key.
type ptLeaf struct{ num, lo, hi int }

// SetAccess sets the language of a tagged bundle (fr-FR), and whether
// its metadata claims PDF/UA-1: only for documents the checker passes.
// The claim is dropped when a document carried does not claim it, or
// when a document with a tree is appended without it.
func (b *Bundle) SetAccess(lang string, claim bool) { b.lang, b.claim = lang, claim }

// SetFeet makes page n of feet the running foot of page n of the bundle,
// drawn over it: pages appended from then on carry it. feet must have a
// page for every page of the bundle.
func (b *Bundle) SetFeet(feet *BundleDoc) { b.feet = feet }

// footOf writes page n of the feet document as a form, and returns its
// object number (0 without feet).
func (b *Bundle) footOf(n int) (int, error) {
	f := b.feet
	if f == nil {
		return 0, nil
	}
	if n > f.x.PageCount {
		return 0, fmt.Errorf("pied de page %d : le document des pieds n’a que %d pages", n, f.x.PageCount)
	}
	d, _, _, err := f.x.PageDict(n, false)
	if err != nil {
		return 0, fmt.Errorf("pied de page %d illisible : %v", n, err)
	}
	sd, ok := f.deref(d["Contents"]).(types.StreamDict)
	if !ok {
		return 0, fmt.Errorf("pied de page %d : contenu inattendu", n)
	}
	res := d["Resources"]
	if res == nil {
		res = f.inherited(d, "Resources")
	}
	form := types.Dict{"Type": types.Name("XObject"), "Subtype": types.Name("Form"),
		"BBox": d["MediaBox"], "Length": types.Integer(len(sd.Raw))}
	if form["BBox"] == nil {
		form["BBox"] = f.inherited(d, "MediaBox")
	}
	if flt, ok := sd.Dict["Filter"]; ok {
		form["Filter"] = flt
	}
	form["Resources"] = res
	nd := f.conv(form).(types.Dict)
	num := b.reserve()
	b.object(num, nd.PDFString(), sd.Raw)
	f.flush()
	return num, nil
}

// NewBundle starts a bundle written to w.
func NewBundle(w io.Writer) *Bundle {
	b := &Bundle{w: bufio.NewWriterSize(w, 1<<20), sum: sha256.New(), offsets: []int64{0}}
	b.write([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"))
	b.pages = b.reserve()
	return b
}

// recoverTo turns a panic into *err and makes it the bundle's error. It
// is deferred by every exported method.
func (b *Bundle) recoverTo(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("erreur interne : %v", p)
		b.err = *err
	}
}

func (b *Bundle) write(p []byte) {
	if b.err != nil {
		return
	}
	b.sum.Write(p)
	n, err := b.w.Write(p)
	b.n += int64(n)
	b.err = err
}

// stream writes a small uncompressed content stream, and returns its number.
func (b *Bundle) stream(data string) int {
	num := b.reserve()
	b.object(num, fmt.Sprintf("<</Length %d>>", len(data)), []byte(data))
	return num
}

// reserve returns a new object number, to be written later.
func (b *Bundle) reserve() int {
	b.offsets = append(b.offsets, -1)
	return len(b.offsets) - 1
}

// object writes object num: body, and the raw bytes of a stream if any.
// object writes object num: packed into an object stream (compressed, as
// the final dossier's are, see writeDoc), or as it is when it is a stream.
func (b *Bundle) object(num int, body string, stream []byte) {
	if stream != nil {
		b.plain(num, body, stream)
		return
	}
	st := &b.stm
	if st.num == 0 {
		st.num = b.reserve()
	}
	b.offsets[num] = packedAt(st.num, st.add(num, body))
	if len(st.nums) == objStmMax {
		b.flushStm()
	}
}

// flushStm writes the object stream being filled, if any.
func (b *Bundle) flushStm() {
	st := &b.stm
	if len(st.nums) == 0 {
		return
	}
	first, raw, err := st.encode()
	if err != nil {
		b.err = err
		return
	}
	b.plain(st.num, fmt.Sprintf("<</Filter/FlateDecode/First %d/Length %d/N %d/Type/ObjStm>>", first, len(raw), len(st.nums)), raw)
	st.num = 0
	st.reset()
}

// plain writes object num as it is, at the current offset.
func (b *Bundle) plain(num int, body string, stream []byte) {
	b.offsets[num] = b.n
	b.write(fmt.Appendf(nil, "%d 0 obj\n%s", num, body))
	if stream != nil {
		b.write([]byte("\nstream\n"))
		b.write(stream)
		b.write([]byte("\nendstream"))
	}
	b.write([]byte("\nendobj\n"))
}

// BundleDoc is a document read for a Bundle, whose pages Append copies
// into it. Kept for several copies of the same document (a blank page),
// it writes the shared objects (fonts) once and new pages each time.
type BundleDoc struct {
	b     *Bundle
	x     *model.XRefTable
	nums  map[int]int // source object → bundle object, pages excepted
	pages map[int]int // source page → bundle page, for the current copy
	queue []int
	// keyOff offsets the parent-tree keys when the document's tree is
	// carried; without a tree (-1) they are dropped.
	keyOff   int
	treeDone bool
}

// Open reads the PDF in r, to be appended to b by the returned document's
// Append. r must stay readable until the last Append.
func (b *Bundle) Open(r io.ReadSeeker) (doc *BundleDoc, err error) {
	defer b.recoverTo(&err)
	if b.err != nil {
		return nil, b.err
	}
	ctx, err := api.ReadContext(r, PdfConf())
	if err != nil {
		return nil, err
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, err
	}
	return &BundleDoc{b: b, x: ctx.XRefTable, nums: map[int]int{}, keyOff: -1}, nil
}

// Append appends every page of the document to the bundle, and returns
// the number in the bundle (from 1) of the first page appended, and the
// count. The document's structure tree, if any, is not carried.
func (c *BundleDoc) Append() (first, count int, err error) {
	defer c.b.recoverTo(&err)
	return c.append(false, "")
}

// AppendPart appends every page of the document like Append, and carries
// its structure tree, if any, under a Part element titled title: once
// per document.
func (c *BundleDoc) AppendPart(title string) (first, count int, err error) {
	defer c.b.recoverTo(&err)
	return c.append(true, title)
}

func (c *BundleDoc) append(carry bool, title string) (first, count int, err error) {
	if c.b.err != nil {
		return 0, 0, c.b.err
	}
	x := c.x
	c.pages = map[int]int{}
	var root types.Dict
	part := 0
	c.keyOff = -1
	if cat, err := x.Catalog(); err == nil {
		_, hasTree := cat["StructTreeRoot"]
		if hasTree != carry || (carry && !claimsUA(c, cat)) {
			c.b.unclaimed = true
		}
	}
	if carry {
		if c.treeDone {
			return 0, 0, fmt.Errorf("arbre de structure déjà recopié")
		}
		if cat, err := x.Catalog(); err == nil {
			if r, ok := cat["StructTreeRoot"].(types.IndirectRef); ok {
				if root, _ = c.deref(r).(types.Dict); root != nil {
					// The Part takes the root's place: the top elements'
					// /P become the Part.
					if c.b.doc == 0 {
						c.b.doc = c.b.reserve()
					}
					part = c.b.reserve()
					c.nums[r.ObjectNumber.Value()] = part
					c.keyOff = c.b.nextKey
					c.treeDone = true
				}
			}
		}
	}
	type page struct {
		d   types.Dict
		old int
	}
	var src []page
	for i := 1; i <= x.PageCount; i++ {
		d, ref, _, err := x.PageDict(i, false)
		if err != nil || ref == nil {
			return 0, 0, fmt.Errorf("page %d illisible : %v", i, err)
		}
		old := ref.ObjectNumber.Value()
		c.pages[old] = c.b.reserve()
		src = append(src, page{d, old})
	}
	first = len(c.b.kids) + 1
	for _, p := range src {
		foot, err := c.b.footOf(len(c.b.kids) + 1)
		if err != nil {
			return 0, 0, err
		}
		d := types.Dict{}
		for k, v := range p.d {
			if k != "Parent" {
				d[k] = v
			}
		}
		for _, k := range []string{"Resources", "MediaBox", "CropBox", "Rotate"} {
			if _, ok := d[k]; !ok {
				if v := c.inherited(p.d, k); v != nil {
					d[k] = v
				}
			}
		}
		if foot != 0 {
			// The resources inline, so that the foot's form joins them.
			res, _ := c.deref(d["Resources"]).(types.Dict)
			if res == nil {
				res = types.Dict{}
			}
			res = res.Clone().(types.Dict)
			if xo, ok := c.deref(res["XObject"]).(types.Dict); ok {
				res["XObject"] = xo.Clone()
			} else {
				res["XObject"] = types.Dict{}
			}
			d["Resources"] = res
		}
		nd := c.conv(d).(types.Dict)
		nd["Parent"] = *types.NewIndirectRef(c.b.pages, 0)
		if foot != 0 {
			nd["Resources"].(types.Dict)["XObject"].(types.Dict)["NecPied"] = *types.NewIndirectRef(foot, 0)
			contents := types.Array{*types.NewIndirectRef(c.b.stream("q\n"), 0)}
			switch v := nd["Contents"].(type) {
			case types.Array:
				contents = append(contents, v...)
			case nil:
			default:
				contents = append(contents, v)
			}
			nd["Contents"] = append(contents, *types.NewIndirectRef(c.b.stream("\nQ q /Artifact <</Type /Pagination /Subtype /Footer>> BDC /NecPied Do EMC Q\n"), 0))
		}
		c.b.object(c.pages[p.old], nd.PDFString(), nil)
		c.b.kids = append(c.b.kids, c.pages[p.old])
		c.flush()
	}
	if len(src) == 0 {
		return 0, 0, fmt.Errorf("aucune page")
	}
	if part != 0 {
		if err := c.tree(root, part, title); err != nil {
			return 0, 0, err
		}
	}
	return first, len(src), c.b.err
}

// claimsUA says whether the document's metadata claims PDF/UA.
func claimsUA(c *BundleDoc, cat types.Dict) bool {
	md, ok := c.deref(cat["Metadata"]).(types.StreamDict)
	if !ok || md.Decode() != nil {
		return false
	}
	return bytes.Contains(md.Content, []byte("pdfuaid:part"))
}

// tree writes the document's structure under the Part part (its /Pg
// renumbered while the pages of this copy are known), and its parent tree
// as a leaf of the bundle's, under keys offset by c.keyOff.
func (c *BundleDoc) tree(root types.Dict, part int, title string) error {
	var s strings.Builder
	s.WriteString("<<")
	if k, ok := root["K"]; ok {
		s.WriteString("/K " + c.conv(k).PDFString())
	}
	fmt.Fprintf(&s, "/P %d 0 R/S/Part", c.b.doc)
	if title != "" {
		s.WriteString("/T" + hexText(title))
	}
	s.WriteString(">>")
	c.b.object(part, s.String(), nil)
	type pair struct {
		key int
		val types.Object
	}
	var pairs []pair
	var walk func(o types.Object, depth int) error
	walk = func(o types.Object, depth int) error {
		d, _ := c.deref(o).(types.Dict)
		if d == nil {
			return nil
		}
		if depth > 32 {
			return fmt.Errorf("arbre des parents trop profond")
		}
		nums, _ := c.deref(d["Nums"]).(types.Array)
		for i := 0; i+1 < len(nums); i += 2 {
			k, ok := c.deref(nums[i]).(types.Integer)
			if !ok || k < 0 {
				return fmt.Errorf("arbre des parents : clé %v", nums[i])
			}
			pairs = append(pairs, pair{int(k), nums[i+1]})
		}
		kids, _ := c.deref(d["Kids"]).(types.Array)
		for _, k := range kids {
			if err := walk(k, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root["ParentTree"], 0); err != nil {
		return err
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return a.key - b.key })
	next := 0
	if n, ok := c.deref(root["ParentTreeNextKey"]).(types.Integer); ok {
		next = int(n)
	}
	if len(pairs) > 0 {
		next = max(next, pairs[len(pairs)-1].key+1)
		var nums strings.Builder
		for i, p := range pairs {
			if i > 0 {
				nums.WriteString(" ")
			}
			fmt.Fprintf(&nums, "%d %s", p.key+c.keyOff, c.conv(p.val).PDFString())
		}
		lo, hi := pairs[0].key+c.keyOff, pairs[len(pairs)-1].key+c.keyOff
		leaf := c.b.reserve()
		c.b.object(leaf, fmt.Sprintf("<</Limits[%d %d]/Nums[%s]>>", lo, hi, nums.String()), nil)
		c.b.leaves = append(c.b.leaves, ptLeaf{leaf, lo, hi})
	}
	c.b.nextKey = c.keyOff + next
	c.b.parts = append(c.b.parts, part)
	c.flush()
	return nil
}

func (c *BundleDoc) deref(o types.Object) types.Object {
	if r, ok := o.(types.IndirectRef); ok {
		// Dereference decodes an object read from an object stream.
		d, err := c.x.Dereference(r)
		if err != nil {
			return nil
		}
		return d
	}
	return o
}

func (c *BundleDoc) inherited(d types.Dict, key string) types.Object {
	for range 32 {
		p, ok := c.deref(d["Parent"]).(types.Dict)
		if !ok {
			return nil
		}
		if v, ok := p[key]; ok && v != nil {
			return v
		}
		d = p
	}
	return nil
}

// ref renumbers a reference, queueing the object for writing when first met.
func (c *BundleDoc) ref(r types.IndirectRef) types.IndirectRef {
	old := r.ObjectNumber.Value()
	if n, ok := c.pages[old]; ok {
		return *types.NewIndirectRef(n, 0)
	}
	if n, ok := c.nums[old]; ok {
		return *types.NewIndirectRef(n, 0)
	}
	if d, ok := c.deref(r).(types.Dict); ok {
		if t := d.Type(); t != nil && (*t == "Pages" || *t == "Page") {
			// Another node of the source's page tree (a page's parent, a
			// page not copied): the bundle's tree.
			return *types.NewIndirectRef(c.b.pages, 0)
		}
	}
	n := c.b.reserve()
	c.nums[old] = n
	c.queue = append(c.queue, old)
	return *types.NewIndirectRef(n, 0)
}

// conv copies o with its references renumbered, dictionaries in key order.
func (c *BundleDoc) conv(o types.Object) types.Object {
	switch v := o.(type) {
	case types.IndirectRef:
		return c.ref(v)
	case types.Dict:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		d := make(types.Dict, len(v))
		for _, k := range keys {
			if k == "StructParents" || k == "StructParent" {
				// A parent-tree key: offset when the tree is carried,
				// dropped otherwise.
				if n, ok := c.deref(v[k]).(types.Integer); ok && c.keyOff >= 0 {
					d[k] = types.Integer(int(n) + c.keyOff)
				}
				continue
			}
			d[k] = c.conv(v[k])
		}
		return d
	case types.Array:
		a := make(types.Array, len(v))
		for i, e := range v {
			a[i] = c.conv(e)
		}
		return a
	}
	return o
}

// flush writes the queued objects, and those they reach.
func (c *BundleDoc) flush() {
	for len(c.queue) > 0 {
		old := c.queue[0]
		c.queue = c.queue[1:]
		num := c.nums[old]
		o := c.deref(*types.NewIndirectRef(old, 0))
		switch v := o.(type) {
		case nil:
			c.b.object(num, "null", nil)
		case types.StreamDict:
			d := c.conv(v.Dict).(types.Dict)
			d["Length"] = types.Integer(len(v.Raw))
			c.b.object(num, d.PDFString(), v.Raw)
		case types.Dict, types.Array:
			c.b.object(num, c.conv(v).PDFString(), nil)
		default:
			c.b.object(num, o.PDFString(), nil)
		}
	}
}

// Close writes the page tree, the outline (one entry per bookmark, at
// the page given, nested as given), the catalog, the
// information dictionary (title, and created as the creation and
// modification dates) and the cross-reference table, then flushes. It does
// not close the underlying writer.
func (b *Bundle) Close(outline []Bookmark, title string, created time.Time) (err error) {
	defer b.recoverTo(&err)
	if b.err != nil {
		return b.err
	}
	var check func([]Bookmark) error
	check = func(bms []Bookmark) error {
		for _, bm := range bms {
			if bm.Page < 1 || bm.Page > len(b.kids) {
				return fmt.Errorf("signet « %s » vers la page %d : hors du recueil (%d pages)", bm.Title, bm.Page, len(b.kids))
			}
			if err := check(bm.Kids); err != nil {
				return err
			}
		}
		return nil
	}
	if err := check(outline); err != nil {
		return err
	}
	kids := make([]string, len(b.kids))
	for i, k := range b.kids {
		kids[i] = fmt.Sprintf("%d 0 R", k)
	}
	b.object(b.pages, fmt.Sprintf("<</Count %d/Kids[%s]/Type/Pages>>", len(b.kids), strings.Join(kids, " ")), nil)
	outlines := b.reserve()
	first, last, n := b.outline(outline, outlines, true)
	if n > 0 {
		b.object(outlines, fmt.Sprintf("<</Count %d/First %d 0 R/Last %d 0 R/Type/Outlines>>", n, first, last), nil)
	} else {
		b.object(outlines, "<</Count 0/Type/Outlines>>", nil)
	}
	var tags string
	if b.doc != 0 {
		tags, err = b.structure(title)
		if err != nil {
			return err
		}
	}
	catalog := b.reserve()
	b.object(catalog, fmt.Sprintf("<<%s/Outlines %d 0 R/PageMode/UseOutlines/Pages %d 0 R/Type/Catalog>>", tags, outlines, b.pages), nil)
	info := b.reserve()
	date := created.UTC().Format("D:20060102150405Z")
	b.plain(info, fmt.Sprintf("<</CreationDate(%s)/ModDate(%s)/Producer(necdossier)/Title%s>>", date, date, hexText(title)), nil)
	b.flushStm()
	return b.xref(info, catalog)
}

// xref writes the cross-reference stream (the file's identifier a digest
// of all that precedes it), startxref and %%EOF, then flushes.
func (b *Bundle) xref(info, catalog int) error {
	id := hex.EncodeToString(b.sum.Sum(nil)[:16])
	num := b.reserve()
	start := b.n
	entries := make([]xrefEntry, len(b.offsets))
	entries[0] = xrefEntry{f3: 65535} // head of the free list
	entries[num] = xrefEntry{kind: 1, f2: start}
	for n := 1; n < num; n++ {
		off := b.offsets[n]
		if stm, i, ok := unpacked(off); ok {
			entries[n] = xrefEntry{kind: 2, f2: int64(stm), f3: int64(i)}
		} else if off >= 0 {
			entries[n] = xrefEntry{kind: 1, f2: off}
		} else {
			return fmt.Errorf("objet %d jamais écrit", n)
		}
	}
	rows, w2, w3 := xrefRows(entries)
	raw, err := zlibBytes(rows)
	if err != nil {
		return err
	}
	b.plain(num, fmt.Sprintf("<</Filter/FlateDecode/ID[<%s><%s>]/Info %d 0 R/Length %d/Root %d 0 R/Size %d/Type/XRef/W[1 %d %d]>>",
		id, id, info, len(raw), catalog, len(entries), w2, w3), raw)
	b.write(fmt.Appendf(nil, "startxref\n%d\n%%%%EOF\n", start))
	if b.err != nil {
		return b.err
	}
	return b.w.Flush()
}

// structure writes the Document element over the Parts, the parent
// tree's root over its leaves, the StructTreeRoot and the XMP metadata,
// and returns the catalog's entries that make the bundle tagged.
func (b *Bundle) structure(title string) (string, error) {
	root := b.reserve()
	kids := make([]string, len(b.parts))
	for i, p := range b.parts {
		kids[i] = fmt.Sprintf("%d 0 R", p)
	}
	b.object(b.doc, fmt.Sprintf("<</K[%s]/P %d 0 R/S/Document>>", strings.Join(kids, " "), root), nil)
	pt := b.reserve()
	if len(b.leaves) > 0 {
		leaves := make([]string, len(b.leaves))
		for i, l := range b.leaves {
			leaves[i] = fmt.Sprintf("%d 0 R", l.num)
		}
		b.object(pt, fmt.Sprintf("<</Kids[%s]>>", strings.Join(leaves, " ")), nil)
	} else {
		b.object(pt, "<</Nums[]>>", nil)
	}
	b.object(root, fmt.Sprintf("<</K %d 0 R/ParentTree %d 0 R/ParentTreeNextKey %d/Type/StructTreeRoot>>", b.doc, pt, b.nextKey), nil)
	xmp := xmpPacket(title, b.lang, b.claim && !b.unclaimed)
	md := b.reserve()
	b.object(md, fmt.Sprintf("<</Length %d/Subtype/XML/Type/Metadata>>", len(xmp)), xmp)
	var s strings.Builder
	if b.lang != "" {
		s.WriteString("/Lang" + types.StringLiteral(b.lang).PDFString())
	}
	fmt.Fprintf(&s, "/MarkInfo<</Marked true>>/Metadata %d 0 R/StructTreeRoot %d 0 R/ViewerPreferences<</DisplayDocTitle true>>", md, root)
	return s.String(), b.err
}

// outline writes the bookmarks bms under parent, and returns the first
// and last items' numbers and the count of visible items. The top level is
// open; the entries under a candidate are closed (negative count), so
// that the outline reads as a list of candidates.
func (b *Bundle) outline(bms []Bookmark, parent int, open bool) (first, last, visible int) {
	items := make([]int, len(bms))
	for i := range bms {
		items[i] = b.reserve()
	}
	for i, bm := range bms {
		var s strings.Builder
		fmt.Fprintf(&s, "<</Dest[%d 0 R/Fit]/Parent %d 0 R/Title%s", b.kids[bm.Page-1], parent, hexText(bm.Title))
		if i > 0 {
			fmt.Fprintf(&s, "/Prev %d 0 R", items[i-1])
		}
		if i+1 < len(items) {
			fmt.Fprintf(&s, "/Next %d 0 R", items[i+1])
		}
		if len(bm.Kids) > 0 {
			f, l, n := b.outline(bm.Kids, items[i], false)
			fmt.Fprintf(&s, "/First %d 0 R/Last %d 0 R/Count %d", f, l, -n)
		}
		s.WriteString(">>")
		b.object(items[i], s.String(), nil)
	}
	if len(items) == 0 {
		return 0, 0, 0
	}
	return items[0], items[len(items)-1], len(items)
}

// hexText is s as a PDF text string: UTF-16BE with its byte-order mark, in
// upper-case hexadecimal (utf16Text, used by Merge, writes lower case).
func hexText(s string) string {
	var h strings.Builder
	h.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&h, "%04X", u)
	}
	h.WriteString(">")
	return h.String()
}

// Wide says, page by page, whether a document's pages are wider than
// tall (their media box, turned by /Rotate): the bundle lays out a wide
// page's running foot for A4 landscape. It reads the document as Open
// does, and keeps nothing.
func Wide(r io.ReadSeeker) (wide []bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			wide, err = nil, fmt.Errorf("erreur interne : %v", p)
		}
	}()
	ctx, err := api.ReadContext(r, PdfConf())
	if err != nil {
		return nil, err
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, err
	}
	c := &BundleDoc{x: ctx.XRefTable}
	for i := 1; i <= ctx.PageCount; i++ {
		d, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			return nil, fmt.Errorf("page %d illisible : %v", i, err)
		}
		get := func(k string) types.Object {
			if v, ok := d[k]; ok && v != nil {
				return c.deref(v)
			}
			return c.deref(c.inherited(d, k))
		}
		var box [4]float64
		if a, ok := get("MediaBox").(types.Array); ok && len(a) == 4 {
			for j, v := range a {
				switch n := c.deref(v).(type) {
				case types.Integer:
					box[j] = float64(n)
				case types.Float:
					box[j] = float64(n)
				}
			}
		}
		w, h := box[2]-box[0], box[3]-box[1]
		if w < 0 {
			w = -w
		}
		if h < 0 {
			h = -h
		}
		if rot, ok := get("Rotate").(types.Integer); ok && (int(rot)%180+180)%180 == 90 {
			w, h = h, w
		}
		wide = append(wide, w > h)
	}
	return wide, nil
}
