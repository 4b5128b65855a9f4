package render

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"necdossier/assemble/internal/testkit"
)

// TestLogoAsIs: which logos are handed to fpdf as they are (the pixels
// registerLogo would give it anyway) and which go through Go's decoders.
func TestLogoAsIs(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for i := range img.Pix {
		img.Pix[i] = uint8(i / 512)
	}
	enc := func(f func(*bytes.Buffer) error) []byte {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	rgba := enc(func(b *bytes.Buffer) error { return png.Encode(b, img) })
	big := enc(func(b *bytes.Buffer) error { return png.Encode(b, image.NewGray(image.Rect(0, 0, logoSide+1, 2))) })
	jpg := enc(func(b *bytes.Buffer) error { return jpeg.Encode(b, img, nil) })
	pal := image.NewPaletted(img.Bounds(), color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{255, 0, 0, 255}})
	trns := enc(func(b *bytes.Buffer) error { return png.Encode(b, pal) }) // a tRNS chunk
	cases := map[string]struct {
		data []byte
		typ  string
	}{
		"rgba png":        {rgba, "PNG"},
		"jpeg":            {jpg, "JPG"},
		"too wide":        {big, ""},
		"tRNS":            {trns, ""},
		"truncated":       {rgba[:len(rgba)-30], ""},
		"not an image":    {[]byte("logo"), ""},
		"jpeg, truncated": {jpg[:len(jpg)/2], ""},
	}
	dir := filepath.Join(testkit.CorpusDir(t), "images")
	for _, name := range []string{"rgba_16bit_interlaced_pngsuite.png", "rgba_interlaced_adam7.png", "rgb_16bit.png", "cmyk_photoshop_adobe_app14.jpg", "exif_orientation_6.jpg", "progressive_300dpi_big_icc.jpg"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		cases[name] = struct {
			data []byte
			typ  string
		}{data, ""}
	}
	for name, tc := range cases {
		if typ, ok := logoAsIs(tc.data); typ != tc.typ || ok != (tc.typ != "") {
			t.Errorf("%s: logoAsIs = %q, %v; want %q", name, typ, ok, tc.typ)
		}
	}
	// Handed as it is, the logo is drawn.
	c := richDossier()
	opt := richDossierOptions(c)
	opt.Logo = rgba
	pdf, _ := renderPDF(t, c, opt)
	if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
		t.Error("logo not embedded")
	}
}

// pngChunks splits a PNG into its chunks (type and data), or fails.
func pngChunks(t testing.TB, data []byte) (kinds []string, datas [][]byte) {
	for p := 8; p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		kinds = append(kinds, string(data[p+4:p+8]))
		datas = append(datas, data[p+8:p+8+n])
		p += 12 + n
	}
	if len(kinds) == 0 || kinds[len(kinds)-1] != "IEND" {
		t.Fatal("not a PNG made whole")
	}
	return kinds, datas
}

// pngCRCAt is the offset of chunk i's CRC in a PNG.
func pngCRCAt(data []byte, i int) int {
	p := 8
	for ; i > 0; i-- {
		p += 12 + int(binary.BigEndian.Uint32(data[p:]))
	}
	return p + 8 + int(binary.BigEndian.Uint32(data[p:]))
}

// pngJoin makes a PNG of chunks, each with its CRC.
func pngJoin(kinds []string, datas [][]byte) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	for i, k := range kinds {
		b = binary.BigEndian.AppendUint32(b, uint32(len(datas[i])))
		start := len(b)
		b = append(append(b, k...), datas[i]...)
		b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	return b
}

// testPNGs are PNGs of each kind logoAsIs hands fpdf as they are: RGB,
// RGBA, grey, palettes of 1, 4 and 8 bits, and one whose pixels take
// several IDAT chunks.
func testPNGs(t testing.TB) map[string][]byte {
	enc := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	r := image.Rect(0, 0, 37, 11)
	rgb, rgba, gray := image.NewNRGBA(r), image.NewNRGBA(r), image.NewGray(r)
	for i := range rgb.Pix {
		rgb.Pix[i] = uint8(i * 7)
		if i%4 == 3 {
			rgb.Pix[i] = 255
		}
		rgba.Pix[i] = uint8(i * 13)
	}
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 5)
	}
	pal := func(n int) *image.Paletted {
		var p color.Palette
		for i := range n {
			p = append(p, color.NRGBA{uint8(i), uint8(255 - i), uint8(i * 3), 255})
		}
		img := image.NewPaletted(r, p)
		for i := range img.Pix {
			img.Pix[i] = uint8(i % n)
		}
		return img
	}
	noise := image.NewNRGBA(image.Rect(0, 0, logoSide, 200))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(i*i>>3) ^ uint8(i>>5)
	}
	return map[string][]byte{
		"rgb": enc(rgb), "rgba": enc(rgba), "gray": enc(gray),
		"palette 1 bit": enc(pal(2)), "palette 4 bits": enc(pal(16)), "palette 8 bits": enc(pal(200)),
		"several IDAT": enc(noise),
	}
}

// TestPNGReadable: pngReadable accepts what Go's decoder reads and refuses
// what it refuses, but for two cases where it is stricter (data past the
// pixels' zlib stream, an IDAT chunk after other chunks), which
// registerLogo then re-encodes.
func TestPNGReadable(t *testing.T) {
	for name, data := range testPNGs(t) {
		kinds, datas := pngChunks(t, data)
		idat := slices.Index(kinds, "IDAT")
		if name == "several IDAT" && kinds[idat+1] != "IDAT" {
			t.Fatal("one IDAT chunk only")
		}
		edit := func(f func(kinds []string, datas [][]byte) ([]string, [][]byte)) []byte {
			k, d := f(slices.Clone(kinds), slices.Clone(datas))
			return pngJoin(k, d)
		}
		recompress := func(f func(pix []byte) []byte) []byte {
			return edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				var pix []byte
				for i := range k {
					if k[i] == "IDAT" {
						pix = append(pix, d[i]...)
					}
				}
				zr, err := zlib.NewReader(bytes.NewReader(pix))
				if err != nil {
					t.Fatal(err)
				}
				raw, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				var z bytes.Buffer
				zw := zlib.NewWriter(&z)
				zw.Write(f(raw))
				zw.Close()
				last := slices.Index(k, "IEND")
				k = append(slices.DeleteFunc(k[:last:last], func(s string) bool { return s == "IDAT" }), "IDAT", "IEND")
				d = append(d[:idat:idat], z.Bytes(), nil)
				return k, d
			})
		}
		badCRC := slices.Clone(data)
		badCRC[pngCRCAt(badCRC, idat)] ^= 1
		flipped := edit(func(k []string, d [][]byte) ([]string, [][]byte) {
			d[idat] = slices.Clone(d[idat])
			d[idat][len(d[idat])/2] ^= 0x10
			return k, d
		})
		cases := []struct {
			name     string
			data     []byte
			stricter bool // refused though Go reads it
		}{
			{"as encoded", data, false},
			{"IDAT split, an empty one amid", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				z := d[idat]
				k = slices.Insert(k, idat+1, "IDAT", "IDAT")
				d = slices.Insert(d, idat, z[:len(z)/3], []byte{})
				d[idat+2] = z[len(z)/3:]
				return k, d
			}), false},
			{"empty IDAT after", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				return slices.Insert(k, len(k)-1, "IDAT"), slices.Insert(d, len(d)-1, []byte{})
			}), false},
			{"tEXt before and after the pixels", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				k = slices.Insert(k, len(k)-1, "tEXt")
				d = slices.Insert(d, len(d)-1, []byte("Comment\x00apres"))
				return slices.Insert(k, 1, "tEXt"), slices.Insert(d, 1, []byte("Comment\x00avant"))
			}), false},
			{"same pixels, compressed again", recompress(func(p []byte) []byte { return p }), false},
			{"IDAT CRC wrong", badCRC, false},
			{"IDAT byte flipped", flipped, false},
			{"bad filter type", recompress(func(p []byte) []byte { p[0] = 5; return p }), false},
			{"a byte short", recompress(func(p []byte) []byte { return p[:len(p)-1] }), false},
			{"a row short", recompress(func(p []byte) []byte { return p[:len(p)*9/10] }), false},
			{"a byte more", recompress(func(p []byte) []byte { return append(p, 0) }), false},
			{"no IDAT", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				return slices.Delete(k, idat, len(k)-1), slices.Delete(d, idat, len(d)-1)
			}), false},
			{"no IEND", data[:len(data)-12], false},
			{"IEND not empty", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				d[len(d)-1] = []byte{0}
				return k, d
			}), false},
			{"PLTE after the pixels", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				return slices.Insert(k, len(k)-1, "PLTE"), slices.Insert(d, len(d)-1, []byte{1, 2, 3})
			}), false},
			{"grey PLTE (or a second one)", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				return slices.Insert(k, 1, "PLTE"), slices.Insert(d, 1, []byte{1, 2, 3})
			}), false},
			{"PLTE twice (RGB)", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				return slices.Insert(k, 1, "PLTE", "PLTE"), slices.Insert(d, 1, []byte{1, 2, 3}, []byte{1, 2, 3})
			}), false},
			{"PLTE of 257 colours", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				return slices.Insert(k, 1, "PLTE"), slices.Insert(d, 1, make([]byte, 3*257))
			}), false},
			{"IHDR twice", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				return slices.Insert(k, idat, "IHDR"), slices.Insert(d, idat, d[0])
			}), false},
			{"tEXt CRC wrong", func() []byte {
				b := edit(func(k []string, d [][]byte) ([]string, [][]byte) {
					return slices.Insert(k, 1, "tEXt"), slices.Insert(d, 1, []byte("Comment\x00avant"))
				})
				b[pngCRCAt(b, 1)] ^= 1
				return b
			}(), false},
			{"bytes past the zlib stream", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				last := slices.Index(k, "IEND") - 1 // the last IDAT chunk
				d[last] = append(slices.Clone(d[last]), 0, 0, 0)
				return k, d
			}), true},
			{"IDAT after a tEXt after the pixels", edit(func(k []string, d [][]byte) ([]string, [][]byte) {
				k = slices.Insert(k, len(k)-1, "tEXt", "IDAT")
				d = slices.Insert(d, len(d)-1, []byte("Comment\x00apres"), []byte{})
				return k, d
			}), true},
		}
		for _, tc := range cases {
			_, goErr := png.Decode(bytes.NewReader(tc.data))
			want := goErr == nil && !tc.stricter
			if tc.stricter && goErr != nil {
				t.Errorf("%s, %s: Go's decoder refuses it (%v): the case tests nothing", name, tc.name, goErr)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(tc.data))
			got := err == nil && pngAsIs(tc.data) && pngReadable(tc.data, cfg.Width, cfg.Height)
			if got != want {
				t.Errorf("%s, %s: pngReadable = %v, want %v (Go's decoder: %v)", name, tc.name, got, want, goErr)
			}
		}
	}
}

// FuzzPNGReadable: a PNG that pngReadable accepts, Go's decoder reads.
// Each input is also tried with its chunks' CRCs made right, so that the
// fuzzer gets past them.
func FuzzPNGReadable(f *testing.F) {
	for _, data := range testPNGs(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fixed := slices.Clone(data)
		for p := 8; p+12 <= len(fixed); {
			n := int(binary.BigEndian.Uint32(fixed[p:]))
			if n > len(fixed)-p-12 {
				break
			}
			binary.BigEndian.PutUint32(fixed[p+8+n:], crc32.ChecksumIEEE(fixed[p+4:p+8+n]))
			p += 12 + n
		}
		for _, data := range [][]byte{data, fixed} {
			cfg, err := png.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width*cfg.Height > 1<<20 || !pngAsIs(data) || !pngReadable(data, cfg.Width, cfg.Height) {
				continue
			}
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Fatalf("pngReadable accepts what Go's decoder refuses: %v", err)
			}
		}
	})
}

// BenchmarkLogoAsIs: the Belrive sample's logo (520×160, RGB), handed to
// fpdf as it is.
func BenchmarkLogoAsIs(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "samples", "belrive", "logo-belrive.png"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := logoAsIs(data); !ok {
			b.Fatal("logo refused")
		}
	}
}
