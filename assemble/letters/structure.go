package letters

// The structure tree of the final document (PDF/UA): pdfcpu drops a
// file's tree when merging, so it is written here, once the letters are
// in: the dossier's tree as render built it, then one section per letter
// whose pages are figures.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"necdossier/assemble/tagged"
)

// Accessibility is what makes the final document tagged (PDF/UA-1).
type Accessibility struct {
	Tree  *tagged.Elem // the dossier's structure (render.Layout.Tree); nil: the document is not tagged
	Title string       // the document's title, for the XMP metadata
	Lang  string       // its language, "fr-FR"
	// Letter names letter i (0-based) in the tree; Page says what page p
	// of n of letter i shows (a Figure's alternative text).
	Letter func(i int) string
	Page   func(i, p, n int) string
	// Claim declares PDF/UA-1 in the metadata: only for a document the
	// checker passes (see Problems).
	Claim bool
}

// Problem says why a letter keeps the dossier from being accessible
// (PDF/UA-1), and what to ask its author for; "" when nothing does.
func (l *Letter) Problem() string { return l.uaProblem }

// letterFigure is the marked content that makes a letter page one figure.
const letterFigure = "/Figure <</MCID 0>> BDC\n"

// writeStructure adds the structure tree, the parent tree, the pages'
// StructParents and Tabs, the annotations' StructParent and Contents, and
// the catalog's MarkInfo and metadata. letterPages[i] are the pages of
// letter i, 1-based in the document.
func writeStructure(ctx *model.Context, a *Accessibility, refs []types.IndirectRef, letterPages [][]int) error {
	x := ctx.XRefTable
	doc := *a.Tree
	doc.Kids = append([]tagged.Kid(nil), a.Tree.Kids...)
	for i, pages := range letterPages {
		sect := doc.Add("Sect")
		if a.Letter != nil {
			sect.Title = a.Letter(i)
		}
		for p, pg := range pages {
			fig := sect.Add("Figure")
			fig.Alt = fmt.Sprintf("Page %d / %d", p+1, len(pages))
			if a.Page != nil {
				fig.Alt = a.Page(i, p+1, len(pages))
			}
			fig.Kids = append(fig.Kids, tagged.Kid{Page: pg, MCID: 0})
		}
	}
	rootRef, err := ctx.IndRefForNewObject(types.Dict{"Type": types.Name("StructTreeRoot")})
	if err != nil {
		return err
	}
	root, _ := deref(x, *rootRef).(types.Dict)
	mcParents := map[int][]types.Object{} // page → element of each MCID
	var annotKeys []types.Object          // key, element, key, element…
	next := len(refs)
	var write func(e *tagged.Elem, parent types.IndirectRef, depth int) (types.IndirectRef, error)
	write = func(e *tagged.Elem, parent types.IndirectRef, depth int) (types.IndirectRef, error) {
		if depth > 64 {
			return types.IndirectRef{}, fmt.Errorf("arbre de structure trop profond")
		}
		// Compact (the tree is most of what tagging adds to the file): no
		// optional /Type, and marked content as bare MCIDs under the
		// element's /Pg when it is all on one page.
		d := &structElem{role: types.Name(e.Role), parent: parent}
		onePage := 0
		for _, k := range e.Kids {
			if k.Elem == nil && k.Annot == 0 {
				if onePage == 0 {
					onePage = k.Page
				} else if onePage != k.Page {
					onePage = -1
				}
			}
		}
		if onePage > 0 && onePage <= len(refs) {
			d.page = &refs[onePage-1]
		}
		ref, err := ctx.IndRefForNewObject(d)
		if err != nil {
			return types.IndirectRef{}, err
		}
		if e.Alt != "" {
			d.alt = utf16Text(e.Alt)
		}
		if e.Title != "" {
			d.title = utf16Text(e.Title)
		}
		if e.Scope != "" {
			d.attrs = types.Dict{"O": types.Name("Table"), "Scope": types.Name(e.Scope)}
		}
		kids := make(types.Array, 0, len(e.Kids))
		for _, k := range e.Kids {
			switch {
			case k.Elem != nil:
				kr, err := write(k.Elem, *ref, depth+1)
				if err != nil {
					return types.IndirectRef{}, err
				}
				kids = append(kids, kr)
			case k.Page < 1 || k.Page > len(refs):
				return types.IndirectRef{}, fmt.Errorf("structure : page %d hors du document", k.Page)
			case k.Annot > 0:
				annot, ok := annotAt(x, refs[k.Page-1], k.Annot)
				if !ok { // a link left out (the annexes in a file of their own)
					continue
				}
				ad, _ := deref(x, annot).(types.Dict)
				ad["StructParent"] = types.Integer(next)
				if k.Contents != "" {
					ad["Contents"] = utf16Text(k.Contents)
				}
				annotKeys = append(annotKeys, types.Integer(next), *ref)
				next++
				kids = append(kids, types.Dict{"Type": types.Name("OBJR"), "Pg": refs[k.Page-1], "Obj": annot})
			default:
				ps := mcParents[k.Page]
				for len(ps) <= k.MCID {
					ps = append(ps, nil)
				}
				ps[k.MCID] = *ref
				mcParents[k.Page] = ps
				if onePage > 0 {
					kids = append(kids, types.Integer(k.MCID))
				} else {
					kids = append(kids, types.Dict{"Type": types.Name("MCR"), "Pg": refs[k.Page-1], "MCID": types.Integer(k.MCID)})
				}
			}
		}
		switch len(kids) {
		case 0:
		case 1:
			d.kids = kids[0]
		default:
			d.kids = kids
		}
		return *ref, nil
	}
	docRef, err := write(&doc, *rootRef, 0)
	if err != nil {
		return err
	}
	var nums types.Array
	pages := make([]int, 0, len(mcParents))
	for p := range mcParents {
		pages = append(pages, p)
	}
	sort.Ints(pages)
	for _, p := range pages {
		arr := types.Array{}
		for mcid, e := range mcParents[p] {
			if e == nil {
				return fmt.Errorf("structure : page %d, MCID %d sans élément", p, mcid)
			}
			arr = append(arr, e)
		}
		ar, err := ctx.IndRefForNewObject(arr)
		if err != nil {
			return err
		}
		nums = append(nums, types.Integer(p-1), *ar)
		pd, _ := deref(x, refs[p-1]).(types.Dict)
		pd["StructParents"] = types.Integer(p - 1)
	}
	nums = append(nums, annotKeys...)
	ptRef, err := ctx.IndRefForNewObject(types.Dict{"Nums": nums})
	if err != nil {
		return err
	}
	root["K"] = docRef
	root["ParentTree"] = *ptRef
	root["ParentTreeNextKey"] = types.Integer(next)
	for _, r := range refs {
		if pd, ok := deref(x, r).(types.Dict); ok {
			pd["Tabs"] = types.Name("S")
		}
	}
	cat, err := ctx.Catalog()
	if err != nil {
		return err
	}
	cat["StructTreeRoot"] = *rootRef
	cat["MarkInfo"] = types.Dict{"Marked": types.Boolean(true)}
	if a.Lang != "" {
		cat["Lang"] = types.StringLiteral(a.Lang)
	}
	vp, _ := deref(x, cat["ViewerPreferences"]).(types.Dict)
	if vp == nil {
		vp = types.Dict{}
		cat["ViewerPreferences"] = vp
	}
	vp["DisplayDocTitle"] = types.Boolean(true)
	xmp := xmpPacket(a.Title, a.Lang, a.Claim)
	md := types.StreamDict{Dict: types.Dict{"Type": types.Name("Metadata"), "Subtype": types.Name("XML")}, Content: xmp}
	if err := md.Encode(); err != nil {
		return err
	}
	mdRef, err := ctx.IndRefForNewObject(md)
	if err != nil {
		return err
	}
	cat["Metadata"] = *mdRef
	return nil
}

// structElem is a structure element as writeStructure makes it: the
// entries of its dictionary, which PDFString writes as pdfcpu's
// Dict.PDFString writes them (same bytes, TestStructElemAsDict), without a
// map for each of the thousand elements of a dossier and the dozen small
// strings pdfcpu makes to write one: its values are still written by
// pdfcpu (names, text strings, attributes, the kids that are
// dictionaries); PDFString only puts them together.
type structElem struct {
	role   types.Name         // S
	parent types.IndirectRef  // P
	page   *types.IndirectRef // Pg, when all its marked content is on one page
	alt    types.Object       // Alt, nil when none
	title  types.Object       // T, nil when none
	attrs  types.Dict         // A, nil when none
	kids   types.Object       // K: nil, one kid, or an Array of them
}

// dict is e as pdfcpu's dictionary.
func (e *structElem) dict() types.Dict {
	d := types.Dict{"S": e.role, "P": e.parent}
	if e.page != nil {
		d["Pg"] = *e.page
	}
	if e.alt != nil {
		d["Alt"] = e.alt
	}
	if e.title != nil {
		d["T"] = e.title
	}
	if e.kids != nil {
		d["K"] = e.kids
	}
	if e.attrs != nil {
		d["A"] = e.attrs
	}
	return d
}

func (e *structElem) String() string { return e.dict().String() }

func (e *structElem) Clone() types.Object {
	c := *e
	if e.attrs != nil {
		c.attrs = e.attrs.Clone().(types.Dict)
	}
	if e.kids != nil {
		c.kids = e.kids.Clone()
	}
	return &c
}

// PDFString is e.dict().PDFString(): the keys in their order (A, Alt, K,
// P, Pg, S, T), a space before a value only where pdfcpu puts one (an
// integer, a reference).
func (e *structElem) PDFString() string {
	b := make([]byte, 0, 96)
	b = append(b, "<<"...)
	if e.attrs != nil {
		b = append(append(b, "/A"...), e.attrs.PDFString()...)
	}
	if e.alt != nil {
		b = append(append(b, "/Alt"...), e.alt.PDFString()...)
	}
	if e.kids != nil {
		b = append(b, "/K"...)
		if a, ok := e.kids.(types.Array); ok {
			b = append(b, '[')
			for i, k := range a {
				b = appendKid(b, k, i > 0)
			}
			b = append(b, ']')
		} else {
			b = appendKid(b, e.kids, true)
		}
	}
	b = appendRef(append(b, "/P "...), e.parent)
	if e.page != nil {
		b = appendRef(append(b, "/Pg "...), *e.page)
	}
	b = append(append(b, "/S"...), e.role.PDFString()...)
	if e.title != nil {
		b = append(append(b, "/T"...), e.title.PDFString()...)
	}
	return string(append(b, ">>"...))
}

// appendKid appends a kid of a structure element, after a space when sep
// is set and pdfcpu writes one before it (a reference, an integer).
func appendKid(b []byte, k types.Object, sep bool) []byte {
	switch k := k.(type) {
	case types.IndirectRef:
		if sep {
			b = append(b, ' ')
		}
		return appendRef(b, k)
	case types.Integer:
		if sep {
			b = append(b, ' ')
		}
		return strconv.AppendInt(b, int64(k), 10)
	}
	return append(b, k.PDFString()...)
}

func appendRef(b []byte, r types.IndirectRef) []byte {
	b = strconv.AppendInt(b, int64(r.ObjectNumber), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(r.GenerationNumber), 10)
	return append(b, " R"...)
}

// annotAt returns the n-th (1-based) annotation of a page, false when
// there is none.
func annotAt(x *model.XRefTable, page types.IndirectRef, n int) (types.IndirectRef, bool) {
	pd, _ := deref(x, page).(types.Dict)
	arr, _ := deref(x, pd["Annots"]).(types.Array)
	if n > len(arr) {
		return types.IndirectRef{}, false
	}
	ref, ok := arr[n-1].(types.IndirectRef)
	return ref, ok
}

// xmpPacket is the document's XMP metadata: title, language, and the
// PDF/UA-1 identification when claimed.
func xmpPacket(title, lang string, claim bool) []byte {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	var b strings.Builder
	b.WriteString(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc.Replace(title) + `</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>` + esc.Replace(lang) + `</rdf:li></rdf:Bag></dc:language>
<dc:format>application/pdf</dc:format>
</rdf:Description>
`)
	if claim {
		b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
`)
	}
	b.WriteString("</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>")
	return []byte(b.String())
}
