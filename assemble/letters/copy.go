package letters

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// copier deep-copies objects from one cross-reference table into another,
// keeping shared objects shared (memo) and refusing everything active.
//
// It is the security boundary of the package: only what it returns reaches
// the dossier. It drops dictionary keys that carry actions, scripts,
// navigation or document structure (A, AA, JS, OpenAction, Annots, Parent,
// P, Names, EmbeddedFiles, outlines links, …), external stream data (F),
// and whole dictionaries that are actions or file specifications. Page
// resources, fonts, images, form XObjects, patterns and shadings never need
// these keys, so the visible content is unaffected.
type copier struct {
	src, dst *model.XRefTable
	memo     map[int]types.Object // the IndirectRef in dst of each object copied, by its number in src
	dropped  int                  // active dictionaries removed
	// prepared: src is a prepared letter, whose streams Read already
	// bounded (tooBig), repaired (repairFlate) and neutralised; they are
	// copied as they are. Only prepared.copier sets it.
	prepared bool
	// spare are key slices given back by walkKeys' callers, for the
	// next dictionary.
	spare [][]string
}

// Which keys of a dictionary walkKeys leaves out.
const (
	keepAll    = iota // a name map (nameMapKey): its keys are data
	dropActive        // droppedKey
	dropStream        // droppedKey and streamKey
)

// walkKeys puts into d, as they are, the values of v that copying leaves
// as they are (numbers, names, strings, booleans: objIn returns them
// unchanged, creates no object and fails on none), and returns the keys
// of the other values, in order, to be copied by the caller and given
// back with doneKeys. Keys dropped by mode are left out.
func (c *copier) walkKeys(v, d types.Dict, depth, mode int) []string {
	var ks []string
	if n := len(c.spare); n > 0 {
		ks, c.spare = c.spare[n-1][:0], c.spare[:n-1]
	}
	// Too deep, objIn fails on any value: every key goes to the caller.
	plainOK := depth+1 <= maxCopyDepth
	for k, e := range v {
		if mode != keepAll && (droppedKey(k) || mode == dropStream && streamKey(k)) {
			continue
		}
		if plainOK && plain(e) {
			d[k] = e
			continue
		}
		ks = append(ks, k)
	}
	// In key order: objects are numbered as they are copied, and the same
	// letter must give the same bytes (reproducible builds).
	slices.Sort(ks)
	return ks
}

// plain says whether o is a value objIn returns as it is.
func plain(o types.Object) bool {
	switch o.(type) {
	case types.Integer, types.Float, types.Name, types.StringLiteral, types.HexLiteral, types.Boolean:
		return true
	}
	return false
}

func (c *copier) doneKeys(ks []string) { c.spare = append(c.spare, ks) }

// newCopier returns the sanitising copier for an untrusted src (a letter
// as received).
func newCopier(src, dst *model.XRefTable) *copier {
	return &copier{src: src, dst: dst, memo: map[int]types.Object{}}
}

// copier returns the copier from the prepared letter p into dst: it still
// drops every active key and dictionary, as a second line, but does not
// decompress streams again to bound, repair or neutralise them, which
// Read did when it made p. A prepared value is only ever made by Read
// (Letter.finish), from what the sanitising copier and our own drawing
// produced, so no letter as received reaches this path.
func (p *prepared) copier(dst *model.XRefTable) *copier {
	return &copier{src: p.ctx.XRefTable, dst: dst, memo: map[int]types.Object{}, prepared: true}
}

// droppedKey says whether a dictionary key is never copied.
func droppedKey(k string) bool {
	switch k {
	case "A", "AA", "JS", "OpenAction", "Annots",
		"Parent", "P", "Names", "EmbeddedFiles", "EF",
		"Outlines", "Dests", "AcroForm", "Kids",
		"First", "Last", "Next", "Prev", "Threads",
		"B", "StructTreeRoot", "PieceInfo", "OPI",
		"FFilter", "FDecodeParms", "URI", "Launch":
		return true
	}
	return false
}

// activeType says whether a dictionary of this Type is dropped whole.
func activeType(t types.Name) bool {
	switch t {
	case "Action", "Filespec", "EmbeddedFile", "Annot",
		"Page", "Pages", "Catalog", "Sig", "Outlines":
		return true
	}
	return false
}

// actionName says whether a dictionary with this S is an action, dropped whole.
func actionName(s types.Name) bool {
	switch s {
	case "JavaScript", "Launch", "URI", "SubmitForm", "ImportData",
		"ResetForm", "GoToR", "GoToE", "Rendition", "Sound",
		"Movie", "Hide", "Named", "SetOCGState", "Trans",
		"GoTo3DView", "RichMediaExecute", "Thread", "GoTo":
		return true
	}
	return false
}

const maxCopyDepth = 64

func (c *copier) active(d types.Dict) bool {
	if t, ok := deref(c.src, d["Type"]).(types.Name); ok && activeType(t) {
		return true
	}
	if s, ok := deref(c.src, d["S"]).(types.Name); ok && actionName(s) {
		return true
	}
	_, js := d["JS"]
	return js
}

// nameMapKey says whether the key's value is a dictionary of names chosen
// by the producer (resource names, glyph names): their keys are data, not
// PDF keywords, and are never dropped (a font may well be called /A or /P).
func nameMapKey(k string) bool {
	switch k {
	case "Font", "XObject", "ExtGState", "ColorSpace", "Pattern",
		"Shading", "Properties", "CharProcs", "Colorants":
		return true
	}
	return false
}

func (c *copier) obj(o types.Object, depth int) (types.Object, error) {
	return c.objIn(o, depth, false)
}

// objIn copies o; nameMap tells that o is a name-keyed dictionary (see nameMapKey).
func (c *copier) objIn(o types.Object, depth int, nameMap bool) (types.Object, error) {
	if depth > maxCopyDepth {
		return nil, errors.New("objets imbriqués trop profondément")
	}
	switch v := o.(type) {
	case types.IndirectRef:
		nr := int(v.ObjectNumber)
		if r, ok := c.memo[nr]; ok {
			return r, nil
		}
		so, err := c.src.Dereference(o) // o, not v: no new interface value
		if err != nil {
			return nil, err
		}
		if so == nil {
			return nil, nil
		}
		if d, ok := so.(types.Dict); ok && c.active(d) {
			c.dropped++
			return nil, nil
		}
		ref, err := c.dst.IndRefForNewObject(nil)
		if err != nil {
			return nil, err
		}
		var r types.Object = *ref // one interface value, returned on every later reference
		c.memo[nr] = r
		co, err := c.objIn(so, depth+1, nameMap)
		if err != nil {
			return nil, err
		}
		if co == nil {
			co = types.Dict{}
		}
		c.dst.Table[int(ref.ObjectNumber)].Object = co
		return r, nil
	case types.Dict:
		if nameMap {
			return c.nameMap(v, depth)
		}
		if c.active(v) {
			c.dropped++
			return nil, nil
		}
		return c.dict(v, depth)
	case types.Array:
		a := make(types.Array, 0, len(v))
		plainOK := depth+1 <= maxCopyDepth // as in walkKeys
		for _, e := range v {
			if plainOK && plain(e) {
				a = append(a, e)
				continue
			}
			ce, err := c.obj(e, depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, ce)
		}
		return a, nil
	case types.StreamDict:
		if c.active(v.Dict) {
			c.dropped++
			return nil, nil
		}
		nd, err := c.dictWithout(v.Dict, depth, dropStream)
		if err != nil {
			return nil, err
		}
		sd, err := c.stream(nd, &v)
		if err != nil {
			return nil, err
		}
		return *sd, nil
	case types.LazyObjectStreamObject:
		return nil, errors.New("objet non résolu")
	}
	return o, nil
}

func (c *copier) nameMap(v types.Dict, depth int) (types.Dict, error) {
	d := make(types.Dict, len(v))
	keys := c.walkKeys(v, d, depth, keepAll)
	defer c.doneKeys(keys)
	for _, k := range keys {
		ce, err := c.obj(v[k], depth+1)
		if err != nil {
			return nil, err
		}
		if ce != nil {
			d[k] = ce
		}
	}
	return d, nil
}

func (c *copier) dict(v types.Dict, depth int) (types.Dict, error) {
	return c.dictWithout(v, depth, dropActive)
}

// dictWithout is dict, leaving out the keys mode drops (see walkKeys).
func (c *copier) dictWithout(v types.Dict, depth, mode int) (types.Dict, error) {
	d := make(types.Dict, len(v))
	keys := c.walkKeys(v, d, depth, mode)
	defer c.doneKeys(keys)
	for _, k := range keys {
		ce, err := c.objIn(v[k], depth+1, nameMapKey(k))
		if err != nil {
			return nil, err
		}
		if ce != nil {
			d[k] = ce
		}
	}
	return d, nil
}

// stream builds, in dst, a stream whose dictionary is d (already in dst's
// numbering) plus the filters of src, sharing src's still-encoded bytes
// (they are never modified). When src is nil the stream is empty.
func (c *copier) stream(d types.Dict, src *types.StreamDict) (*types.StreamDict, error) {
	return c.streamOf(d, src, false)
}

// streamOf is stream; checked says that the caller has already bounded
// src (tooBig) and found nothing to neutralise in its content, so that
// neither is done again.
func (c *copier) streamOf(d types.Dict, src *types.StreamDict, checked bool) (*types.StreamDict, error) {
	var raw []byte
	var pipeline []types.PDFFilter
	// A form's own marked content would clash with the dossier's tags:
	// its content is decoded (and bounded) to neutralise it.
	st, _ := d["Subtype"].(types.Name)
	form := src != nil && st == "Form" && !c.prepared && !checked
	var content []byte
	if src != nil {
		raw = src.Raw
		if !c.prepared {
			if form {
				bounded, release, err := boundedContent(c.src, src)
				if err != nil {
					return nil, err
				}
				// Only a neutralised copy outlives the decoded bytes.
				if n, ok := neutralise(bounded); ok {
					content = n
				}
				release()
			} else if !checked && tooBig(c.src, src.Dict, src.Raw, src.FilterPipeline) {
				return nil, errBomb
			}
			if src.HasSoleFilterNamed("FlateDecode") && src.Dict["DecodeParms"] == nil {
				raw = repairFlate(raw)
			}
		}
		for _, k := range []string{"Filter", "DecodeParms"} {
			if f, ok := src.Dict[k]; ok {
				cf, err := c.obj(f, 1)
				if err != nil {
					return nil, err
				}
				if cf != nil {
					d[k] = cf
				}
			}
		}
		for _, f := range src.FilterPipeline {
			nf := types.PDFFilter{Name: f.Name}
			if f.DecodeParms != nil {
				dp, err := c.dict(f.DecodeParms, 1)
				if err != nil {
					return nil, err
				}
				nf.DecodeParms = dp
			}
			pipeline = append(pipeline, nf)
		}
	}
	if content != nil {
		delete(d, "Filter")
		delete(d, "DecodeParms")
		return flateStream(d, content)
	}
	n := int64(len(raw))
	d["Length"] = types.Integer(n)
	return &types.StreamDict{Dict: d, Raw: raw, StreamLength: &n, FilterPipeline: pipeline}, nil
}

var bombReason = fmt.Sprintf("contenu anormal : un flux se décompresse en plus de %d Mo (une lecture du dossier pourrait ne jamais finir) ; réenregistrez la lettre en PDF (Imprimer → Enregistrer au format PDF) ou demandez un nouvel exemplaire", MaxStreamBytes>>20)

// errBomb is a stream that decompresses beyond the bounds: the letter is
// refused rather than passed on to make readers hang.
var errBomb = errors.New("stream too large once decompressed")

// tooBig reports whether a stream decompresses to more than it may:
// MaxStreamBytes, or for an image what its pixels need (8 bytes a pixel at
// most, 16-bit CMYK), plus a margin. Every filter of the pipeline counts
// (Flate, LZW, RunLength, ASCII85, ASCIIHex, in any chain), up to the
// image codecs (DCT, JPX, JBIG2, CCITT), whose output is the image's. The
// last general filter decompresses into nothing, stopping past the bound;
// the ones before it into a buffer of at most the bound.
func tooBig(x *model.XRefTable, d types.Dict, raw []byte, pipeline []types.PDFFilter) bool {
	limit := streamLimit(x, d)
	var general []types.PDFFilter
	for _, f := range pipeline {
		if imageCodecs[f.Name] {
			break
		}
		general = append(general, f)
	}
	// Deflate expands at most 1032 times (a 258-byte match in one or two
	// bits): a Flate stream too short to reach the limit needs no
	// decompressing.
	if len(general) == 1 && general[0].Name == "FlateDecode" && int64(len(raw)) <= limit/maxDeflateRatio {
		return false
	}
	if len(general) == 1 && general[0].Name == "FlateDecode" {
		// A predictor (DecodeParms) only shrinks what inflates: the
		// inflated size bounds the stream's.
		n, _ := inflate(nil, raw, limit)
		return n > limit
	}
	var r io.Reader = bytes.NewReader(raw)
	for i, f := range general {
		dec, release, err := decoder(f, r, limit+1)
		if errors.Is(err, filter.ErrDecodeLimitExceeded) {
			return true
		}
		if err != nil {
			return false // not ours to judge: readers will find it broken, not big
		}
		if i == len(general)-1 {
			n, _ := io.Copy(io.Discard, io.LimitReader(dec, limit+1))
			release()
			return n > limit
		}
		var b bytes.Buffer
		n, _ := io.Copy(&b, io.LimitReader(dec, limit+1))
		release()
		if n > limit {
			return true
		}
		r = &b
	}
	return false
}

// streamLimit is how many bytes the stream whose dictionary is d may
// decompress to (see tooBig).
func streamLimit(x *model.XRefTable, d types.Dict) int64 {
	limit := int64(MaxStreamBytes)
	if t, _ := deref(x, d["Subtype"]).(types.Name); t == "Image" {
		w, _ := num(x, d["Width"])
		h, _ := num(x, d["Height"])
		if need := w*h*8 + (1 << 20); need > float64(limit) {
			limit = int64(min(need, maxImageStreamBytes))
		}
	}
	return limit
}

// boundedContent decodes a content stream (a page's or a form's) to look
// at its operators: errBomb when it decompresses beyond its bound (as
// tooBig), nil content when it cannot be decoded (as pdfcpu's Decode, whose
// result it is otherwise). A sole Flate filter without parameters, the
// usual case, is inflated once for both, into a pooled buffer that
// release gives back (the content is not to be used after it); other
// filters are bounded by tooBig, then decoded by pdfcpu.
func boundedContent(x *model.XRefTable, sd *types.StreamDict) (_ []byte, release func(), _ error) {
	if len(sd.FilterPipeline) != 1 || sd.FilterPipeline[0].Name != "FlateDecode" || sd.FilterPipeline[0].DecodeParms != nil || sd.Content != nil {
		if tooBig(x, sd.Dict, sd.Raw, sd.FilterPipeline) {
			return nil, nil, errBomb
		}
		c := *sd
		if c.Decode() != nil {
			return nil, func() {}, nil
		}
		return c.Content, func() {}, nil
	}
	limit := streamLimit(x, sd.Dict)
	b := contentBufs.Get().(*bytes.Buffer)
	b.Reset()
	release = func() {
		if b.Cap() <= maxPooledContent {
			contentBufs.Put(b)
		}
	}
	b.Grow(int(min(int64(4*len(sd.Raw)+bytes.MinRead), limit+1)))
	n, err := inflate(b, sd.Raw, limit)
	if n > limit {
		release()
		return nil, nil, errBomb
	}
	// Like pdfcpu, a stream cut short gives what it holds; a corrupt one, nothing.
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		release()
		return nil, func() {}, nil
	}
	return b.Bytes(), release, nil
}

// contentBufs hold the decoded contents boundedContent looks at, which
// are garbage once looked at: one buffer serves page after page.
var contentBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledContent is the largest buffer kept for the next content.
const maxPooledContent = 4 << 20

// imageCodecs are the filters that end a stream as an image's pixels.
var imageCodecs = map[string]bool{"DCTDecode": true, "JPXDecode": true, "JBIG2Decode": true, "CCITTFaxDecode": true}

// decoder reads what r decodes to through filter f, at least max bytes of
// it when there are that many: Flate as a stream, the others through
// pdfcpu's filters. Release is to be called once done reading.
func decoder(f types.PDFFilter, r io.Reader, max int64) (_ io.Reader, release func(), _ error) {
	if f.Name == "FlateDecode" {
		// A predictor (DecodeParms) only shrinks what inflates: the
		// inflated size bounds the stream's.
		return unzip(r)
	}
	parms := map[string]int{}
	for k, v := range f.DecodeParms {
		switch v := v.(type) {
		case types.Integer:
			parms[k] = v.Value()
		case types.Boolean:
			if v.Value() {
				parms[k] = 1
			} else {
				parms[k] = 0
			}
		}
	}
	fl, err := filter.NewFilter(f.Name, parms)
	if err != nil {
		return nil, nil, err
	}
	out, err := fl.DecodeLength(r, max)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, nil, err
	}
	return out, func() {}, nil
}

// maxDeflateRatio bounds how many bytes one compressed byte of a zlib stream
// gives (the 2-byte header and 4-byte checksum only make it less).
const maxDeflateRatio = 1032

// repairFlate re-encodes a zlib stream that stops after a sync flush
// (…00 00 FF FF, no final block), as some Acrobat versions write appearance
// streams. Readers decode them, but poppler reports a syntax error for each;
// the repaired stream has the same content and a proper end.
func repairFlate(raw []byte) []byte {
	if !bytes.HasSuffix(bytes.TrimRight(raw, "\r\n"), []byte{0, 0, 0xff, 0xff}) {
		return raw
	}
	var content bytes.Buffer
	if _, err := inflate(&content, raw, 64<<20-1); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return raw
	}
	z, err := zlibBytes(content.Bytes())
	if err != nil {
		return raw
	}
	return z
}

// streamKey says whether the key of a stream's dictionary is set by
// stream from the source stream itself; F, FFilter and FDecodeParms
// (external data) are never copied.
func streamKey(k string) bool {
	switch k {
	case "Length", "Filter", "DecodeParms", "DL", "F":
		return true
	}
	return false
}
