package letters

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"necdossier/assemble/internal/testkit"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// TestBundle appends two documents and a page used twice, and checks the
// pages, the outline, the reader's verdict and that the same documents
// give the same bytes.
func TestBundle(t *testing.T) {
	three, one := smallDossier(t, 3), smallDossier(t, 1)
	write := func() []byte {
		var out bytes.Buffer
		b := NewBundle(&out)
		blank, err := b.Open(bytes.NewReader(one))
		if err != nil {
			t.Fatal(err)
		}
		var outline []Bookmark
		for i, title := range []string{"Première – Saint-Étienne", "Seconde (2)"} {
			doc, err := b.Open(bytes.NewReader(three))
			if err != nil {
				t.Fatal(err)
			}
			first, n, err := doc.Append()
			if err != nil || n != 3 || first != 1+4*i {
				t.Fatalf("document %d: first page %d, %d pages, %v; want %d, 3", i, first, n, err, 1+4*i)
			}
			outline = append(outline, Bookmark{Title: title, Page: first})
			if first, n, err := blank.Append(); err != nil || n != 1 || first != 4+4*i {
				t.Fatalf("blank page %d: first page %d, %d pages, %v", i, first, n, err)
			}
		}
		if err := b.Close(outline, "Recueil", time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	data := write()
	if !bytes.Equal(data, write()) {
		t.Error("the same documents gave different bytes")
	}
	n, err := api.PageCount(bytes.NewReader(data), nil)
	if err != nil || n != 8 {
		t.Fatalf("%d pages (%v), want 8", n, err)
	}
	bms, err := api.Bookmarks(bytes.NewReader(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(bms) != 2 || bms[0].Title != "Première – Saint-Étienne" || bms[0].PageFrom != 1 || bms[1].PageFrom != 5 {
		t.Errorf("bookmarks %+v, want « Première – Saint-Étienne » at page 1 and « Seconde (2) » at page 5", bms)
	}
	path := filepath.Join(t.TempDir(), "bundle.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(testkit.NeedTool(t, "qpdf"), "--check", path).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}

// TestBundleErrors: what is not a PDF is an error, a bookmark outside the
// bundle too, and after an error every call fails.
func TestBundleErrors(t *testing.T) {
	b := NewBundle(io.Discard)
	if _, err := b.Open(bytes.NewReader([]byte("pas un PDF"))); err == nil {
		t.Error("Open accepted a file that is not a PDF")
	}
	doc, err := b.Open(bytes.NewReader(smallDossier(t, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := doc.Append(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close([]Bookmark{{Title: "x", Page: 2}}, "", time.Time{}); err == nil {
		t.Error("Close accepted a bookmark to page 2 of 1")
	}
	b.err = io.ErrShortWrite
	if _, _, err := doc.Append(); err == nil {
		t.Error("Append after a write error succeeded")
	}
}

// TestBundleMemoryBounded appends the same 1-page document with a 3 MB
// image 60 times: the memory kept after 60 is that of after 10, within
// much less than one document. (A bundle keeps 8 bytes per object written,
// for the cross-reference table, and nothing of the documents.)
func TestBundleMemoryBounded(t *testing.T) {
	doc := heavyPDF(t)
	b := NewBundle(io.Discard)
	live := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	var after10 int64
	for i := range 60 {
		d, err := b.Open(bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.Append(); err != nil {
			t.Fatal(err)
		}
		if i == 9 {
			after10 = live()
		}
	}
	grown := live() - after10
	if grown > int64(len(doc))/4 {
		t.Errorf("memory kept grew by %d bytes over 50 documents of %d bytes: the bundle keeps the documents", grown, len(doc))
	}
	if err := b.Close(nil, "", time.Time{}); err != nil {
		t.Fatal(err)
	}
}

// heavyPDF is a 1-page PDF holding an incompressible 1000×1000 image.
func heavyPDF(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1000, 1000))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range 1000 {
		for x := range 1000 {
			img.Set(x, y, color.RGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255})
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.RegisterImageOptionsReader("noise", fpdf.ImageOptions{ImageType: "PNG"}, &pngData)
	pdf.ImageOptions("noise", 10, 10, 190, 190, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		t.Fatal(err)
	}
	if out.Len() < 2<<20 {
		t.Fatalf("heavy PDF of %d bytes only", out.Len())
	}
	return out.Bytes()
}

// TestBundleTagged: two tagged documents carried by AppendPart give a
// bundle the checker passes (each one's keys offset: MCIDs, and a link
// annotation's StructParent), which claims PDF/UA-1 only when every
// document carried does and none was appended without its tree.
func TestBundleTagged(t *testing.T) {
	claiming := uaPDF(uaBase, uaContent, uaXMP)
	silent := uaPDF(uaBase, uaContent, strings.Replace(uaXMP, "<pdfuaid:part>1</pdfuaid:part>", "", 1))
	bundle := func(docs [][]byte, carry bool) []byte {
		var out bytes.Buffer
		b := NewBundle(&out)
		b.SetAccess("fr-FR", true)
		for i, d := range docs {
			doc, err := b.Open(bytes.NewReader(d))
			if err != nil {
				t.Fatal(err)
			}
			if carry {
				_, _, err = doc.AppendPart(fmt.Sprintf("Partie %d", i+1))
			} else {
				_, _, err = doc.Append()
			}
			if err != nil {
				t.Fatal(err)
			}
			if carry {
				if _, _, err := doc.AppendPart("encore"); err == nil {
					t.Error("a tree carried twice")
				}
			}
		}
		if err := b.Close(nil, "Essai", time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	data := bundle([][]byte{claiming, claiming}, true)
	findings, err := CheckUA(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Error(f)
	}
	if !bytes.Contains(data, []byte("<pdfuaid:part>1</pdfuaid:part>")) || !strings.Contains(objectsText(t, data), "/StructParent 3") {
		t.Error("two claiming documents: no claim, or the second link's key not offset")
	}
	for name, data := range map[string][]byte{
		"a document that does not claim": bundle([][]byte{claiming, silent}, true),
		"a tree left behind":             bundle([][]byte{claiming}, false),
	} {
		if bytes.Contains(data, []byte("pdfuaid")) {
			t.Errorf("%s: the bundle claims PDF/UA-1", name)
		}
	}
}

// TestPackedAt: where an object sits in an object stream survives its
// packing into the bundle's offsets, for any stream and every index an
// object stream has; a reserved object (-1) and a plain one are not packed.
func TestPackedAt(t *testing.T) {
	if objStmMax > 256 {
		t.Fatalf("objStmMax %d: packedAt keeps 8 bits for the index", objStmMax)
	}
	for _, stm := range []int{1, 2, 255, 256, 12345, 1 << 40} {
		for _, i := range []int{0, 1, objStmMax - 1} {
			if s, j, ok := unpacked(packedAt(stm, i)); !ok || s != stm || j != i {
				t.Errorf("packedAt(%d, %d) → %d, %d, %v", stm, i, s, j, ok)
			}
		}
	}
	for _, off := range []int64{-1, 0, 15, 1 << 40} {
		if _, _, ok := unpacked(off); ok {
			t.Errorf("offset %d taken for a packed object", off)
		}
	}
}
