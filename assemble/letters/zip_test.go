package letters

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"
)

// TestUnzipForgetsEarlierStreams: a pooled decompressor reads a stream as
// a new one would, whatever streams it read before (a letter's contents
// must not be decoded differently after another letter's, in a batch or
// by serve).
func TestUnzipForgetsEarlierStreams(t *testing.T) {
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write(bytes.Repeat([]byte("q 1 0 0 1 0 0 cm /P <</MCID 0>> BDC BT /F1 12 Tf (bonjour) Tj ET EMC Q\n"), 40))
	zw.Close()
	valid := b.Bytes()
	streams := [][]byte{
		valid,
		valid[:len(valid)/2],
		[]byte("8\x11$\x00$$"),    // corrupt: leaves a Huffman table behind
		[]byte("8\x11$0\x00\x00"), // corrupt, read as cut short with that table
		[]byte("x\x9c\xff\xff"),
	}
	read := func(zr io.Reader) string {
		got, err := io.ReadAll(zr)
		return fmt.Sprintf("%q %v", got, err)
	}
	want := make([]string, len(streams))
	for i, s := range streams {
		zr, err := zlib.NewReader(bytes.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		want[i] = read(zr)
	}
	// Rounds: the pooled decompressor is reused after streams of every
	// kind, several times.
	for range 20 {
		for i, prev := range streams {
			for j, cur := range streams {
				zr, release, err := unzip(bytes.NewReader(prev))
				if err != nil {
					t.Fatal(err)
				}
				read(zr)
				release()
				zr, release, err = unzip(bytes.NewReader(cur))
				if err != nil {
					t.Fatal(err)
				}
				if got := read(zr); got != want[j] {
					t.Fatalf("stream %d read after stream %d: %s, alone: %s", j, i, got, want[j])
				}
				release()
			}
		}
	}
}

// stdInflate is what inflate must give: the standard library's decoding
// of raw, at most limit+1 bytes of it, by a new decompressor.
func stdInflate(raw []byte, limit int64) (string, int64, string) {
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return "", 0, err.Error()
	}
	var b bytes.Buffer
	n, err := b.ReadFrom(io.LimitReader(zr, limit+1))
	return b.String(), n, fmt.Sprint(err)
}

// checkInflate compares inflate, into a buffer and counting, with
// stdInflate.
func checkInflate(t *testing.T, raw []byte, limit int64) {
	t.Helper()
	want, wantN, wantErr := stdInflate(raw, limit)
	var b bytes.Buffer
	b.WriteString("before")
	n, err := inflate(&b, raw, limit)
	if got := b.String(); got != "before"+want || n != wantN || fmt.Sprint(err) != wantErr {
		t.Fatalf("inflate(%q, %d) = %q, %d, %v; the standard library: %q, %d, %v", raw, limit, got[min(len(got), 6):], n, err, want, wantN, wantErr)
	}
	if n, err := inflate(nil, raw, limit); n != wantN || fmt.Sprint(err) != wantErr {
		t.Fatalf("inflate(nil, %q, %d) = %d, %v; the standard library: %d, %v", raw, limit, n, err, wantN, wantErr)
	}
}

// inflateSeeds are zlib streams whole, cut, corrupt, with a bad checksum
// or header, and the corrupt streams that left klauspost's decompressor
// in another state (TestUnzipForgetsEarlierStreams).
func inflateSeeds() [][]byte {
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write(bytes.Repeat([]byte("q 1 0 0 1 0 0 cm /P <</MCID 0>> BDC BT /F1 12 Tf (bonjour) Tj ET EMC Q\n"), 400))
	zw.Close()
	valid := b.Bytes()
	badSum := bytes.Clone(valid)
	badSum[len(badSum)-1] ^= 1
	flipped := bytes.Clone(valid)
	flipped[len(flipped)/3] ^= 0x40
	return [][]byte{
		valid, valid[:len(valid)/2], valid[:len(valid)-2], badSum, flipped,
		[]byte("8\x11$\x00$$"), []byte("8\x11$0\x00\x00"), []byte("x\x9c\xff\xff"),
		[]byte("x\x9c"), []byte("x"), nil, []byte("not zlib at all"),
	}
}

// TestInflateAsStdlib: inflate gives the standard library's bytes, count
// and error for every stream, at every limit, whatever it read before.
func TestInflateAsStdlib(t *testing.T) {
	seeds := inflateSeeds()
	for range 10 { // rounds: pooled decompressors reused after every kind of stream
		for _, prev := range seeds {
			for _, raw := range seeds {
				for _, limit := range []int64{0, 1, 100, 27999, 28000, 1 << 20} {
					inflate(nil, prev, 1<<20)
					checkInflate(t, raw, limit)
				}
			}
		}
	}
}

func FuzzInflateAsStdlib(f *testing.F) {
	for _, s := range inflateSeeds() {
		f.Add(s, int64(1<<20))
		f.Add(s, int64(50))
	}
	f.Fuzz(func(t *testing.T, raw []byte, limit int64) {
		if limit < 0 || limit > 1<<22 {
			return
		}
		checkInflate(t, raw, limit)
	})
}

// TestRepairFlate: a zlib stream that stops after a sync flush is given a
// proper end, with the same content; any other stream is left as it is.
func TestRepairFlate(t *testing.T) {
	content := bytes.Repeat([]byte("0 0 m 10 10 l S\n"), 100)
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write(content)
	zw.Flush() // ends with the sync marker 00 00 FF FF, no final block
	flushed := bytes.Clone(b.Bytes())
	zw.Close()
	whole := b.Bytes()

	repaired := repairFlate(flushed)
	zr, err := zlib.NewReader(bytes.NewReader(repaired))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("repaired stream reads %d bytes, %v; want the %d bytes of the content", len(got), err, len(content))
	}
	for _, raw := range [][]byte{whole, []byte("garbage\x00\x00\xff\xff")} {
		if r := repairFlate(raw); !bytes.Equal(r, raw) {
			t.Errorf("repairFlate(%q) = %q, want it unchanged", raw, r)
		}
	}
}

// TestZipperSharedAcrossGoroutines: a compressor put back by one goroutine
// is the one the next goroutine gets, whichever processor each ran on (a
// sync.Pool often made a second one, a megabyte of fresh pages), and it
// writes the same bytes as a new one.
func TestZipperSharedAcrossGoroutines(t *testing.T) {
	zippers.mu.Lock()
	zippers.free = nil // what other tests left, some in use at once
	zippers.mu.Unlock()
	data := bytes.Repeat([]byte("BT /F1 12 Tf 72 712 Td (page 1) Tj ET\n"), 200)
	want, err := zlibBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		got := make(chan []byte)
		go func() {
			b, _ := zlibBytes([]byte(fmt.Sprint(i)), data)
			got <- b
		}()
		<-got
		b, _ := zlibBytes(data)
		if !bytes.Equal(b, want) {
			t.Fatalf("round %d: a reused compressor wrote other bytes", i)
		}
	}
	zippers.mu.Lock()
	n := len(zippers.free)
	zippers.mu.Unlock()
	if n != 1 {
		t.Errorf("%d compressors kept after one at a time was used, want 1", n)
	}
}

// TestFreeListsHoldNoStream: a compressor or decompressor kept in a free
// list holds on to none of the bytes it wrote or read: unlike a
// sync.Pool, a free list is never emptied, so what its values point to
// (a letter's image stream read by inflate, a chain's decoded buffer read
// by unzip, the stream zlibBytes wrote) would stay in memory for the life
// of the process (necdossier serve, a batch).
func TestFreeListsHoldNoStream(t *testing.T) {
	data := bytes.Repeat([]byte("BT /F1 12 Tf 72 712 Td (page 1) Tj ET\n"), 1<<14)
	zipped := func() []byte {
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		return bytes.Clone(b.Bytes())
	}
	cases := []struct {
		name string
		use  func() []byte // returns the bytes that must not be kept
	}{
		{"zlibBytes", func() []byte {
			z, err := zlibBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			return z
		}},
		{"inflate", func() []byte {
			raw := zipped()
			if n, err := inflate(nil, raw, 1<<30); err != nil || n != int64(len(data)) {
				t.Fatalf("inflate: %d, %v", n, err)
			}
			return raw
		}},
		{"inflateTo", func() []byte {
			raw := zipped()
			if err := inflateTo(io.Discard, raw, 1<<30); err != nil {
				t.Fatal(err)
			}
			return raw
		}},
		{"unzip", func() []byte {
			raw := zipped()
			zr, release, err := unzip(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, zr); err != nil {
				t.Fatal(err)
			}
			release()
			return raw
		}},
	}
	for _, c := range cases {
		freed := make(chan struct{})
		func() {
			b := c.use()
			runtime.AddCleanup(&b[0], func(ch chan struct{}) { close(ch) }, freed)
		}()
		ok := false
		for range 20 {
			runtime.GC()
			select {
			case <-freed:
				ok = true
			case <-time.After(10 * time.Millisecond):
			}
			if ok {
				break
			}
		}
		if !ok {
			t.Errorf("%s: the stream is still held once done with (by a free list)", c.name)
		}
	}
}
