package letters

// Finishing the pages fpdf wrote (the dossier, the comparison, the print
// bundle's front pages, the annexes' cover): fpdf writes a sound PDF but
// has no setting for a few things the documents need, so its bytes are
// patched here, where every PDF the program writes is finished.

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// Finish completes a PDF as fpdf writes it, where fpdf has no setting:
//   - the catalog gets /ViewerPreferences << /DisplayDocTitle true >>
//     (viewers show the title, not the file name);
//   - the embedded fonts, which fpdf does subset, get subset names (a
//     six-letter tag, then the PostScript name) instead of fpdf's keys;
//   - the version is at least 1.4, for /Lang and DisplayDocTitle;
//   - the dates say they are UTC (+00'00);
//   - outline items with children count them (fpdf writes /Count 0);
//   - link annotations become indirect objects (fpdf writes them inline);
//   - the page contents are compressed here, with a pooled compressor:
//     fpdf allocates a new one (about a megabyte) for every page.
//
// levels is the level of each outline item, in the order fpdf wrote them
// (render.Layout.Levels); with nil, the counts are left as fpdf wrote them.
//
// The cross-reference table is rebuilt from fpdf's own offsets, shifted by
// the edits made before each object. A file not laid out as fpdf lays it
// out is an error, never a crash.
func Finish(pdf []byte, levels []int) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("structure PDF inattendue (erreur interne : %v)", p)
		}
	}()
	f, err := locate(pdf)
	if err != nil {
		return nil, err
	}
	edits := []edit{f.showTitle()}
	edits = append(edits, f.version()...)
	edits = append(edits, f.utcDates()...)
	counts, err := f.outlineCounts(levels)
	if err != nil {
		return nil, err
	}
	edits = append(edits, counts...)
	contents, err := f.compressContents()
	if err != nil {
		return nil, err
	}
	edits = append(edits, contents...)
	edits = append(edits, f.subsetFontNames()...)
	refs, annots, err := f.indirectAnnots()
	if err != nil {
		return nil, err
	}
	edits = append(edits, refs...)
	return f.rebuild(edits, annots)
}

// fpdfFile is a PDF as fpdf writes it, with the places Finish works from.
type fpdfFile struct {
	pdf     []byte
	catalog int   // where "/Type /Catalog" ends, in the catalog
	xref    int   // the "\nxref\n" that starts the cross-reference table
	sx      int   // the "startxref\n" after it
	offsets []int // each object's offset, from the table, object 0 first
}

// edit replaces bytes [at, at+n) of the file by b.
type edit struct {
	at, n int
	b     []byte
}

// unexpected is the error for a file not laid out as fpdf lays it out.
func unexpected(what string) error { return fmt.Errorf("structure PDF inattendue (%s)", what) }

// locate finds the catalog, the cross-reference table and the objects'
// offsets.
func locate(pdf []byte) (*fpdfFile, error) {
	const catalog = "/Type /Catalog"
	at := bytes.LastIndex(pdf, []byte(catalog))
	xref := bytes.LastIndex(pdf, []byte("\nxref\n"))
	sx := bytes.LastIndex(pdf, []byte("startxref\n"))
	if at < 0 || xref < at || sx < xref {
		return nil, unexpected("catalogue")
	}
	f := &fpdfFile{pdf: pdf, catalog: at + len(catalog), xref: xref, sx: sx}
	// Object offsets, from the table: "0000012345 00000 n \n", object 0 first.
	for l := range bytes.SplitAfterSeq(pdf[xref+len("\nxref\n"):sx], []byte("\n")) {
		if len(l) == 20 && l[10] == ' ' && l[16] == ' ' {
			off, err := strconv.Atoi(string(l[:10]))
			if err != nil {
				return nil, unexpected("xref")
			}
			f.offsets = append(f.offsets, off)
		}
	}
	return f, nil
}

// showTitle has viewers show the document's title, not its file name.
func (f *fpdfFile) showTitle() edit {
	return edit{f.catalog, 0, []byte("\n/ViewerPreferences << /DisplayDocTitle true >>")}
}

// version makes the file PDF 1.4, for /Lang and DisplayDocTitle: fpdf
// writes 1.3 unless a feature of its own needs more.
func (f *fpdfFile) version() []edit {
	if bytes.HasPrefix(f.pdf, []byte("%PDF-1.3")) {
		return []edit{{0, len("%PDF-1.3"), []byte("%PDF-1.4")}}
	}
	return nil
}

// utcDates gives the dates their zone: fpdf writes them without one, and
// the render stage hands them to fpdf in UTC.
func (f *fpdfFile) utcDates() []edit {
	var edits []edit
	for _, key := range []string{"/CreationDate (D:", "/ModDate (D:"} {
		if k := bytes.Index(f.pdf[:f.xref], []byte(key)); k >= 0 {
			end := k + len(key) + len("20060102150405")
			if end < f.xref && f.pdf[end] == ')' {
				edits = append(edits, edit{end, 0, []byte("+00'00")})
			}
		}
	}
	return edits
}

// outlineCounts sets the outline's counts. fpdf writes /Count 0 in every
// outline item; an item with children must count its visible descendants
// (all of them: items are open). Items are written in outline order,
// levels[i] is item i's level. Without levels (nil), the counts are left
// as fpdf wrote them.
func (f *fpdfFile) outlineCounts(levels []int) ([]edit, error) {
	pdf, xref := f.pdf, f.xref
	var edits []edit
	const zero = "/Count 0>>\nendobj"
	item := 0
	for i := 0; levels != nil; {
		k := bytes.Index(pdf[i:xref], []byte(zero))
		if k < 0 {
			break
		}
		i += k
		if item >= len(levels) {
			return nil, unexpected("signets")
		}
		n := 0
		for j := item + 1; j < len(levels) && levels[j] > levels[item]; j++ {
			n++
		}
		if n > 0 {
			edits = append(edits, edit{i, len("/Count 0"), []byte("/Count " + strconv.Itoa(n))})
		}
		item++
		i += len(zero)
	}
	if levels != nil && item != len(levels) {
		return nil, unexpected("signets")
	}
	if root := bytes.Index(pdf[:xref], []byte("<</Type /Outlines ")); root >= 0 && len(levels) > 0 {
		at := root + len("<</Type /Outlines ")
		edits = append(edits, edit{at, 0, []byte("/Count " + strconv.Itoa(len(levels)) + " ")})
	}
	return edits, nil
}

// compressContents compresses each page's contents, which fpdf was told
// to leave uncompressed (zipTo).
func (f *fpdfFile) compressContents() ([]edit, error) {
	pdf, xref, offsets := f.pdf, f.xref, f.offsets
	var edits []edit
	for i := 0; ; {
		k := bytes.Index(pdf[i:xref], []byte("/Contents "))
		if k < 0 {
			break
		}
		i += k + len("/Contents ")
		end := bytes.IndexByte(pdf[i:xref], ' ')
		obj, err := strconv.Atoi(string(pdf[i : i+max(end, 0)]))
		if end < 0 || err != nil || obj <= 0 || obj >= len(offsets) {
			return nil, unexpected("contenu de page")
		}
		// "N 0 obj\n<</Length L>>\nstream\n" + L bytes.
		o := offsets[obj]
		head := bytes.Index(pdf[o:min(o+64, xref)], []byte("<</Length "))
		if head < 0 {
			return nil, unexpected("contenu de page")
		}
		head += o
		lenEnd := bytes.Index(pdf[head:min(head+32, xref)], []byte(">>\nstream\n"))
		if lenEnd < 0 {
			return nil, unexpected("contenu de page")
		}
		n, err := strconv.Atoi(string(pdf[head+len("<</Length ") : head+lenEnd]))
		data := head + lenEnd + len(">>\nstream\n")
		if err != nil || data+n > xref {
			return nil, unexpected("contenu de page")
		}
		var z bytes.Buffer
		z.Grow(n/3 + 64)
		z.WriteString("<</Filter /FlateDecode /Length ")
		z.WriteString("0000000000>>\nstream\n") // length patched below, fixed width
		start := z.Len()
		if err := zipTo(&z, pdf[data:data+n]); err != nil {
			return nil, err
		}
		b := z.Bytes()
		lenAt := len("<</Filter /FlateDecode /Length ")
		copy(b[lenAt:lenAt+10], fmt.Sprintf("%010d", z.Len()-start))
		edits = append(edits, edit{head, data + n - head, b})
	}
	return edits, nil
}

// subsetFontNames names the embedded fonts as the subsets they are
// (subsetNames) in place of fpdf's keys.
func (f *fpdfFile) subsetFontNames() []edit {
	pdf, xref := f.pdf, f.xref
	var edits []edit
	for _, key := range []string{"/BaseFont /", "/FontName /"} {
		for i := 0; ; {
			k := bytes.Index(pdf[i:xref], []byte(key))
			if k < 0 {
				break
			}
			start := i + k + len(key)
			end := start
			for end < xref && (pdf[end] >= 'a' && pdf[end] <= 'z' || pdf[end] >= 'A' && pdf[end] <= 'Z' || pdf[end] >= '0' && pdf[end] <= '9') {
				end++
			}
			if name, ok := subsetNames[string(pdf[start:end])]; ok {
				edits = append(edits, edit{start, end - start, []byte(name)})
			}
			i = end
		}
	}
	return edits
}

// indirectAnnots makes the link annotations indirect objects: fpdf writes
// them inline in the page's /Annots array; the standard wants indirect
// objects (and a tagged PDF will need them). They become new objects,
// numbered after the last one: it returns the edits that put references
// in the arrays, and the annotations' dictionaries, in the order of their
// numbers.
func (f *fpdfFile) indirectAnnots() ([]edit, [][]byte, error) {
	pdf, xref := f.pdf, f.xref
	size := len(f.offsets)
	var edits []edit
	var annots [][]byte
	for i := 0; ; {
		k := bytes.Index(pdf[i:xref], []byte("/Annots ["))
		if k < 0 {
			break
		}
		start := i + k + len("/Annots [")
		dicts, end, err := inlineDicts(pdf[:xref], start)
		if err != nil {
			return nil, nil, unexpected("annotations")
		}
		var refs []byte
		for _, d := range dicts {
			if len(refs) > 0 {
				refs = append(refs, ' ')
			}
			refs = fmt.Appendf(refs, "%d 0 R", size+len(annots))
			annots = append(annots, d)
		}
		edits = append(edits, edit{start, end - start, refs})
		i = end
	}
	return edits, annots, nil
}

// rebuild writes the file with the edits made and the annotations added
// as objects after the last one, then its cross-reference table.
func (f *fpdfFile) rebuild(edits []edit, annots [][]byte) ([]byte, error) {
	pdf, xref := f.pdf, f.xref
	size := len(f.offsets)
	slices.SortFunc(edits, func(a, b edit) int { return a.at - b.at })
	grown := len(pdf)
	for _, e := range edits {
		grown += len(e.b) - e.n
	}
	for _, a := range annots {
		grown += len(a) + 32 + 20 // "\nN 0 obj\n", "\nendobj", its cross-reference entry
	}
	out := make([]byte, 0, grown+64)
	prev := 0
	for _, e := range edits {
		out = append(out, pdf[prev:e.at]...)
		out = append(out, e.b...)
		prev = e.at + e.n
	}
	out = append(out, pdf[prev:xref]...)
	added := make([]int, len(annots))
	for i, a := range annots {
		out = append(out, '\n')
		added[i] = len(out)
		out = fmt.Appendf(out, "%d 0 obj\n", size+i)
		out = append(out, a...)
		out = append(out, "\nendobj"...)
	}
	return f.appendXref(out, edits, added)
}

// appendXref appends to out fpdf's cross-reference table with each object's
// offset shifted by the edits made before it, the objects added at offsets
// added, then the trailer and startxref.
func (f *fpdfFile) appendXref(out []byte, edits []edit, added []int) ([]byte, error) {
	pdf, xref, sx := f.pdf, f.xref, f.sx
	size := len(f.offsets)
	moved := func(off int) int {
		shift := 0
		for _, e := range edits {
			if e.at < off {
				shift += len(e.b) - e.n
			}
		}
		return off + shift
	}
	total := strconv.Itoa(size + len(added))
	xrefAt := len(out) + 1 // after the "\n" that precedes "xref"
	for l := range bytes.SplitAfterSeq(pdf[xref:sx], []byte("\n")) {
		switch {
		case len(l) == 20 && l[10] == ' ' && l[16] == ' ' && l[17] == 'n':
			if off, err := strconv.Atoi(string(l[:10])); err == nil {
				out = fmt.Appendf(out, "%010d", moved(off))
				l = l[10:]
			}
		case string(l) == "0 "+strconv.Itoa(size)+"\n":
			l = []byte("0 " + total + "\n")
		case string(l) == "/Size "+strconv.Itoa(size)+"\n":
			l = []byte("/Size " + total + "\n")
		case string(l) == "trailer\n":
			for _, off := range added {
				out = fmt.Appendf(out, "%010d 00000 n \n", off)
			}
		}
		out = append(out, l...)
	}
	rest := pdf[sx+len("startxref\n"):]
	end := bytes.IndexByte(rest, '\n')
	if end < 0 {
		return nil, unexpected("startxref")
	}
	if _, err := strconv.Atoi(string(rest[:end])); err != nil {
		return nil, unexpected("startxref")
	}
	out = append(out, "startxref\n"...)
	out = strconv.AppendInt(out, int64(xrefAt), 10)
	out = append(out, rest[end:]...)
	return out, nil
}

// inlineDicts reads the dictionaries written one after the other from
// pdf[start:] up to the closing bracket of their array, and returns them and
// where the bracket is. Strings (in parentheses) may hold any byte.
func inlineDicts(pdf []byte, start int) ([][]byte, int, error) {
	var out [][]byte
	i := start
	for {
		for i < len(pdf) && (pdf[i] == ' ' || pdf[i] == '\n' || pdf[i] == '\r') {
			i++
		}
		if i >= len(pdf) {
			return nil, 0, errors.New("tableau non fermé")
		}
		if pdf[i] == ']' {
			return out, i, nil
		}
		if !bytes.HasPrefix(pdf[i:], []byte("<<")) {
			return nil, 0, errors.New("dictionnaire attendu")
		}
		from, depth := i, 0
		for i < len(pdf) {
			switch {
			case bytes.HasPrefix(pdf[i:], []byte("<<")):
				depth++
				i += 2
			case bytes.HasPrefix(pdf[i:], []byte(">>")):
				depth--
				i += 2
			case pdf[i] == '(':
				for n := 0; i < len(pdf); i++ {
					if pdf[i] == '\\' {
						i++
						continue
					}
					if pdf[i] == '(' {
						n++
					} else if pdf[i] == ')' {
						if n--; n == 0 {
							break
						}
					}
				}
				i++
			default:
				i++
			}
			if depth == 0 {
				break
			}
		}
		if depth != 0 {
			return nil, 0, errors.New("dictionnaire non fermé")
		}
		out = append(out, pdf[from:i])
	}
}

// subsetNames maps fpdf's font keys to subset font names. The tags are
// fixed (the subset is a function of the text anyway), which keeps the
// output reproducible.
var subsetNames = map[string]string{
	"utf8lato":   "NECAAA+Lato-Regular",
	"utf8latoB":  "NECAAB+Lato-Bold",
	"utf8latoI":  "NECAAC+Lato-Italic",
	"utf8latoBI": "NECAAD+Lato-BoldItalic",
}
