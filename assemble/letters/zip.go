package letters

import (
	"bytes"
	stdzlib "compress/zlib"
	"errors"
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
// Level 3 compresses in about three quarters of level 6's time for about
// 1 % more bytes (BenchmarkFinish, warm); level 1 writes 0.2 to 1.8 % more
// bytes than level 3 (the corpus build and the samples), but its match
// table is 128 KB where level 3's is 512 KB, touched all over by even a
// small stream: in a build's fresh process, that is about 200 page faults
// fewer, 2 to 3 % of a sample build's CPU (paired cold runs).
const zipLevel = 1

// zippers are the compressors not in use.
var zippers freeList[*zlib.Writer]

// zipTo appends to b the zlib stream of the parts, one after the other.
func zipTo(b *bytes.Buffer, parts ...[]byte) error {
	zw, ok := zippers.get()
	if ok {
		zw.Reset(b)
	} else {
		zw, _ = zlib.NewWriterLevel(b, zipLevel)
	}
	defer func() {
		zw.Reset(nil) // lets go of b (see freeList)
		zippers.put(zw)
	}()
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

// unzippers are decompressors of the standard library, as pdfcpu's Flate
// filter uses: for the streams of a filter chain, and for every stream
// inflate does not read cleanly. klauspost's keep a Huffman table from
// the streams read before (a corrupt stream is then read differently
// after another one), and give fewer of a cut stream's bytes than pdfcpu.
var unzippers freeList[io.ReadCloser]

// unzip returns a decompressor reading r, and a release to call once done
// with it.
func unzip(r io.Reader) (io.Reader, func(), error) {
	if zr, ok := unzippers.get(); ok {
		if err := zr.(stdzlib.Resetter).Reset(r, nil); err != nil {
			keepUnzipper(&unzippers, zr)
			return nil, nil, err
		}
		return zr, func() { keepUnzipper(&unzippers, zr) }, nil
	}
	zr, err := stdzlib.NewReader(r)
	if err != nil {
		return nil, nil, err
	}
	return zr, func() { keepUnzipper(&unzippers, zr) }, nil
}

// emptyZlib is the zlib stream of nothing.
var emptyZlib = []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}

// keepUnzipper puts the decompressor zr back in l, reset to the empty
// stream first, so that it lets go of the stream it read (see freeList).
func keepUnzipper(l *freeList[io.ReadCloser], zr io.ReadCloser) {
	if zr.(stdzlib.Resetter).Reset(bytes.NewReader(emptyZlib), nil) == nil {
		l.put(zr)
	}
}

// fastUnzippers are klauspost's decompressors, about twice as fast as the
// standard library's on the corpus's streams. One goes back to the pool
// only after a stream it read to its end, checksum verified: one that met
// an error or was stopped midway is dropped, so that no state of a broken
// stream reaches the next.
var fastUnzippers freeList[io.ReadCloser]

// inflate decodes the zlib stream raw, up to limit+1 bytes, into dst (or
// only counts them when dst is nil), and returns how many it wrote and the
// error the standard library's decompressor gives: the same bytes, count
// and error as unzip's, faster. A stream read whole without error decodes
// to the same bytes whichever decompressor reads it (Deflate has one
// decoding); anything else (a corrupt or cut stream, a bad checksum or
// header, the limit reached) is decoded again by the standard library,
// which tells what pdfcpu's Flate filter would, as unzip does.
func inflate(dst *bytes.Buffer, raw []byte, limit int64) (int64, error) {
	start := 0
	if dst != nil {
		start = dst.Len()
	}
	var zr io.ReadCloser
	if p, ok := fastUnzippers.get(); ok && p.(zlib.Resetter).Reset(bytes.NewReader(raw), nil) == nil {
		zr = p
	} else if p, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
		zr = p
	}
	if zr != nil {
		n, err := copyBounded(dst, zr, limit)
		if err == nil && n <= limit {
			keepUnzipper(&fastUnzippers, zr)
			return n, nil
		}
		if n > limit && err == nil {
			// Past the limit on what decoded cleanly so far: the
			// standard library decodes those bytes alike.
			return n, nil
		}
		if dst != nil {
			dst.Truncate(start)
		}
	}
	zr2, release, err := unzip(bytes.NewReader(raw))
	if err != nil {
		return 0, err
	}
	defer release()
	return copyBounded(dst, zr2, limit)
}

// inflateTo decodes the zlib stream raw, up to limit bytes, to w: an error
// for a stream that is not whole and clean, or longer than limit. For our
// own streams (render's), where there is nothing to salvage or to read as
// pdfcpu would.
func inflateTo(w io.Writer, raw []byte, limit int64) error {
	zr, ok := fastUnzippers.get()
	if !ok || zr.(zlib.Resetter).Reset(bytes.NewReader(raw), nil) != nil {
		var err error
		if zr, err = zlib.NewReader(bytes.NewReader(raw)); err != nil {
			return err
		}
	}
	var buf [4096]byte
	n, err := io.CopyBuffer(w, io.LimitReader(zr, limit+1), buf[:])
	if err != nil {
		return err
	}
	if n > limit {
		return errors.New("flux trop long")
	}
	keepUnzipper(&fastUnzippers, zr)
	return nil
}

// copyBounded copies at most limit+1 bytes of r to dst (or counts them
// when dst is nil).
func copyBounded(dst *bytes.Buffer, r io.Reader, limit int64) (int64, error) {
	lr := io.LimitReader(r, limit+1)
	if dst == nil {
		return io.Copy(io.Discard, lr)
	}
	return dst.ReadFrom(lr)
}

// freeList keeps values for reuse by the whole process. A sync.Pool keeps
// what a goroutine puts back in a slot of the processor it ran on, which a
// goroutine running on another processor does not look into, and drops
// everything at each collection: the letters are prepared each in a
// goroutine of its own, so that a sample build made two compressors (a
// megabyte of fresh pages each) where one at a time was in use, and the
// corpus build some forty decompressors. A freeList keeps at most maxFree
// values and, unlike a sync.Pool, never lets them go: a value is put back
// holding on to nothing it wrote or read (a reader, a buffer), which would
// otherwise stay in memory as long as the process (serve, a batch).
type freeList[T any] struct {
	mu   sync.Mutex
	free []T
}

// maxFree bounds what a freeList keeps: about as many as the builds of a
// batch or a server use at once.
const maxFree = 8

// get returns a value put back, if any.
func (f *freeList[T]) get() (v T, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.free); n > 0 {
		v, f.free = f.free[n-1], f.free[:n-1]
		return v, true
	}
	return v, false
}

// put keeps v for a later get.
func (f *freeList[T]) put(v T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.free) < maxFree {
		f.free = append(f.free, v)
	}
}
