package render

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
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
