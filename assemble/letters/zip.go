package letters

import (
	"bytes"
	stdzlib "compress/zlib"
	"io"
	"sync"

	"github.com/klauspost/compress/zlib"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// The letters stage compresses (page contents, neutralised forms, images'
// pixels, object streams, the cross-reference stream) and decompresses
// (contents looked at, streams measured) through this file only: one pool
// of compressors and one of decompressors. A compressor holds about a
// megabyte of tables; one made for every stream, or one pool for each
// place that compresses, costs a cold process more in fresh pages than the
// compressing itself.

// zipLevel is the compression level of every stream the stage writes.
// Measured on a rendered dossier's page contents (BenchmarkFinish) and
// the samples: level 3 compresses in about three quarters of level 6's
// time for about 1 % more bytes, which leaves the dossiers within 0.5 %
// of their size with compress/zlib (level 1 for page contents, 6 for the
// rest); level 1 saves little more time for 2 % more bytes.
const zipLevel = 3

var zippers = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zipLevel)
	return w
}}

// zipTo appends to b the zlib stream of the parts, one after the other.
func zipTo(b *bytes.Buffer, parts ...[]byte) error {
	zw := zippers.Get().(*zlib.Writer)
	defer zippers.Put(zw)
	zw.Reset(b)
	for _, p := range parts {
		if _, err := zw.Write(p); err != nil {
			return err
		}
	}
	return zw.Close()
}

// zlibBytes is the zlib stream of the parts, one after the other: the raw
// bytes of a Flate stream whose content they are.
func zlibBytes(parts ...[]byte) ([]byte, error) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	var b bytes.Buffer
	b.Grow(n/3 + 64)
	if err := zipTo(&b, parts...); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// flateStream returns a stream with dictionary d and content, Flate-encoded
// unless it is tiny: footers and sheet contents are a few hundred bytes,
// where compressing gains too little to be worth a filter. Its fields are
// those pdfcpu's Encode sets (Raw, StreamLength, Length, the pipeline).
func flateStream(d types.Dict, content []byte) (*types.StreamDict, error) {
	sd := types.StreamDict{Dict: d, Content: content, Raw: content}
	if len(content) > 1024 {
		raw, err := zlibBytes(content)
		if err != nil {
			return nil, err
		}
		sd.Raw = raw
		sd.FilterPipeline = []types.PDFFilter{{Name: "FlateDecode"}}
		sd.Dict["Filter"] = types.Name("FlateDecode")
	}
	n := int64(len(sd.Raw))
	sd.StreamLength = &n
	sd.Dict["Length"] = types.Integer(n)
	return &sd, nil
}

// unzippers are the stage's decompressors, reset onto each stream. They
// are the standard library's, as pdfcpu's Flate filter: klauspost's
// keep a Huffman table from the streams read before (a corrupt stream is
// then read differently after another one), and give fewer of a cut
// stream's bytes than pdfcpu does.
var unzippers sync.Pool

// unzip returns a decompressor reading r, and a release to call once done
// with it.
func unzip(r io.Reader) (io.Reader, func(), error) {
	if zr, ok := unzippers.Get().(io.ReadCloser); ok {
		if err := zr.(stdzlib.Resetter).Reset(r, nil); err != nil {
			unzippers.Put(zr)
			return nil, nil, err
		}
		return zr, func() { unzippers.Put(zr) }, nil
	}
	zr, err := stdzlib.NewReader(r)
	if err != nil {
		return nil, nil, err
	}
	return zr, func() { unzippers.Put(zr) }, nil
}
