package letters

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"testing"
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
	// sync.Pool may drop what it is given (always under -race, at times):
	// rounds enough for the pooled decompressor to be reused.
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
