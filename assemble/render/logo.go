package render

// The logo on the cover: read with Go's decoders, turned upright, reduced.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	_ "image/jpeg" // logos may be JPEG
	"image/png"
	"io"

	"codeberg.org/go-pdf/fpdf"
)

// registerLogo prepares the logo for the cover and returns its name, or ""
// to draw the cover without it: a logo that cannot be read is left out
// rather than a reason to refuse the dossier.
//
// The image is decoded with Go's decoders, turned upright (EXIF
// orientation), reduced to what the cover needs, and handed to fpdf as an
// 8-bit PNG: fpdf reads neither 16-bit nor interlaced PNGs, ignores EXIF
// orientation and would embed a 300 dpi scan whole. A logo that needs none
// of this (logoAsIs) is handed to fpdf as it is: the same pixels, without
// reducing, re-encoding and parsing them again.
func (r *renderer) registerLogo(data []byte) string {
	if typ, ok := logoAsIs(data); ok {
		r.pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
		if !r.pdf.Err() {
			return "logo"
		}
		r.pdf.ClearError()
	}
	img, ok := decodeLogo(data)
	if !ok {
		return ""
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return ""
	}
	r.pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	if r.pdf.Err() {
		r.pdf.ClearError()
		return ""
	}
	return "logo"
}

// logoAsIs reports whether fpdf can embed data as it is, with the pixels
// registerLogo would give it, and under which image type: a PNG of at most
// 8 bits per sample, not interlaced, without a tRNS chunk (fpdf would keep
// only one fully transparent colour), or a baseline or progressive JPEG in
// YCbCr or grey (fpdf does not invert Adobe CMYK) without EXIF rotation, of
// at most a byte per pixel; at
// most logoSide pixels on its longest side, so that it would not be
// reduced. Go's decoders must read it all the same (a logo they refuse is
// left out either way): a JPEG is decoded whole, a PNG checked by
// pngReadable, which reads what Go's decoder reads without making the
// image.
func logoAsIs(data []byte) (string, bool) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || max(cfg.Width, cfg.Height) > logoSide {
		return "", false
	}
	var typ string
	switch format {
	case "png":
		if !pngAsIs(data) || !pngReadable(data, cfg.Width, cfg.Height) {
			return "", false
		}
		return "PNG", true
	case "jpeg":
		// fpdf embeds the whole file, metadata included (an ICC profile,
		// a thumbnail): past a byte per pixel, the PNG made of it is
		// likely smaller.
		if (cfg.ColorModel != color.YCbCrModel && cfg.ColorModel != color.GrayModel) || logoOrientation(data) != 1 ||
			len(data) > cfg.Width*cfg.Height {
			return "", false
		}
		typ = "JPG"
	default:
		return "", false
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return "", false
	}
	return typ, true
}

// pngAsIs reports whether fpdf reads the PNG data as Go does: bit depth at
// most 8 (exactly 8 with alpha or in RGB), no interlacing, no tRNS chunk.
func pngAsIs(data []byte) bool {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(data) < len(sig)+8+13 || string(data[:len(sig)]) != sig || string(data[12:16]) != "IHDR" {
		return false
	}
	depth, ct, interlace := data[24], data[25], data[28]
	switch {
	case interlace != 0 || depth > 8:
		return false
	case (ct == 2 || ct == 4 || ct == 6) && depth != 8:
		return false
	case ct != 0 && ct != 2 && ct != 3 && ct != 4 && ct != 6:
		return false
	}
	for p := len(sig); p+8 <= len(data); {
		n := int(data[p])<<24 | int(data[p+1])<<16 | int(data[p+2])<<8 | int(data[p+3])
		switch string(data[p+4 : p+8]) {
		case "tRNS":
			return false
		case "IEND":
			return true
		}
		if n < 0 || n > len(data)-p-12 {
			return false
		}
		p += 12 + n
	}
	return false
}

// pngReadable reports whether Go's PNG decoder reads data, a PNG that
// pngAsIs and image.DecodeConfig have accepted (of w×h pixels, at most 8
// bits per sample, not interlaced, without tRNS), checking what it checks
// without making the image (a 520×160 logo was 330 kB of pixels and about
// a millisecond of a cold build, for nothing: fpdf embeds the PNG's data as
// it is). The chunks: each one's CRC, IHDR first, PLTE right after it (and
// only where Go takes one), the image data before IEND, and IEND empty.
// The image data (the IDAT chunks, which fpdf puts end to end): one zlib
// stream, its checksum right, that gives exactly the rows of the image,
// each with a filter type Go knows. It is a little stricter than Go, never
// looser (FuzzPNGReadable): the stream must end with the first run of IDAT
// chunks, and no IDAT chunk may follow other chunks (Go ignores both; fpdf
// would embed them). What it refuses is re-encoded by registerLogo.
func pngReadable(data []byte, w, h int) bool {
	depth, ct := int(data[24]), data[25]
	samples := [7]int{1, 0, 3, 1, 2, 0, 4}[ct] // pngAsIs took ct among 0, 2, 3, 4 and 6
	const (
		start = iota
		seenIHDR
		seenPLTE
		inIDAT // the first run of IDAT chunks
		afterIDAT
	)
	stage := start
	var idat [][]byte
	for p := 8; ; {
		if p+12 > len(data) {
			return false
		}
		n := int(binary.BigEndian.Uint32(data[p:]))
		if n > len(data)-p-12 {
			return false
		}
		kind, chunk := string(data[p+4:p+8]), data[p+8:p+8+n]
		if crc32.ChecksumIEEE(data[p+4:p+8+n]) != binary.BigEndian.Uint32(data[p+8+n:]) {
			return false
		}
		p += 12 + n
		if stage == inIDAT && kind != "IDAT" {
			stage = afterIDAT
		}
		switch kind {
		case "IHDR":
			if stage != start {
				return false
			}
			stage = seenIHDR
		case "PLTE":
			if stage != seenIHDR || n == 0 || n%3 != 0 || n/3 > 1<<depth || (ct != 2 && ct != 3 && ct != 6) {
				return false
			}
			stage = seenPLTE
		case "IDAT":
			if stage == start || stage == afterIDAT || (stage == seenIHDR && ct == 3) {
				return false
			}
			stage = inIDAT
			idat = append(idat, chunk)
		case "IEND":
			return stage == afterIDAT && n == 0 && pngPixelsRead(idat, (w*samples*depth+7)/8, h)
		}
	}
}

// pngPixelsRead reports whether the zlib stream idat, put end to end, gives
// exactly h rows of 1+rowLen bytes, each starting with a filter type from
// 0 to 4, and ends there.
func pngPixelsRead(idat [][]byte, rowLen, h int) bool {
	stream := idat[0]
	if len(idat) > 1 {
		stream = bytes.Join(idat, nil)
	}
	// A bytes.Reader is an io.ByteReader: the zlib reader reads no further
	// than the stream's end (no bufio), so what is left after it is extra.
	src := bytes.NewReader(stream)
	zr, err := zlib.NewReader(src)
	if err != nil {
		return false
	}
	row := make([]byte, 1+rowLen)
	for range h {
		if _, err := io.ReadFull(zr, row); err != nil || row[0] > 4 {
			return false
		}
	}
	_, err = io.ReadFull(zr, row[:1]) // io.EOF once the checksum is read and right
	return err == io.EOF && src.Len() == 0
}

// Logo limits: what is read at all, and the largest side kept (50 mm at
// 300 dpi).
const (
	logoMaxPixels = 25_000_000
	logoSide      = 600
)

// decodeLogo reads a PNG or JPEG logo, upright and at most logoSide pixels
// on its longest side.
func decodeLogo(data []byte) (image.Image, bool) {
	if len(data) == 0 {
		return nil, false
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > logoMaxPixels {
		return nil, false
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	orient := 1
	if format == "jpeg" {
		orient = logoOrientation(data)
	}
	return shrinkLogo(src, orient, logoSide), true
}

// shrinkLogo returns src turned by EXIF orientation o (1 to 8) and scaled down
// by averaging so that its longest side is at most side pixels.
func shrinkLogo(src image.Image, o, side int) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if o >= 5 { // orientations 5 to 8 swap width and height
		w, h = h, w
	}
	scale := max(1, (max(w, h)+side-1)/side)
	dw, dh := max(1, w/scale), max(1, h/scale)
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var rs, gs, bs, as, n uint32
			for yy := y * scale; yy < min((y+1)*scale, h); yy++ {
				for xx := x * scale; xx < min((x+1)*scale, w); xx++ {
					sx, sy := orientedPixel(xx, yy, w, h, o)
					c := color.NRGBAModel.Convert(src.At(b.Min.X+sx, b.Min.Y+sy)).(color.NRGBA)
					rs += uint32(c.R)
					gs += uint32(c.G)
					bs += uint32(c.B)
					as += uint32(c.A)
					n++
				}
			}
			if n > 0 {
				dst.SetNRGBA(x, y, color.NRGBA{uint8(rs / n), uint8(gs / n), uint8(bs / n), uint8(as / n)})
			}
		}
	}
	return dst
}

// orientedPixel maps (x, y) of the upright image, of size w×h, to the stored
// image under EXIF orientation o.
func orientedPixel(x, y, w, h, o int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return y, w - 1 - x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return h - 1 - y, x
	}
	return x, y
}

// logoOrientation returns the EXIF orientation of a JPEG (1 when absent
// or unreadable).
func logoOrientation(jpg []byte) int {
	p := 2
	for p+4 <= len(jpg) && jpg[p] == 0xFF {
		marker := jpg[p+1]
		n := int(jpg[p+2])<<8 | int(jpg[p+3])
		if marker == 0xDA || n < 2 || p+2+n > len(jpg) {
			break
		}
		chartSeg := jpg[p+4 : p+2+n]
		if marker == 0xE1 && len(chartSeg) > 14 && string(chartSeg[:6]) == "Exif\x00\x00" {
			return logoTIFFOrientation(chartSeg[6:])
		}
		p += 2 + n
	}
	return 1
}

func logoTIFFOrientation(t []byte) int {
	var u16 func([]byte) int
	var u32 func([]byte) int
	switch string(t[:2]) {
	case "II":
		u16 = func(b []byte) int { return int(b[0]) | int(b[1])<<8 }
		u32 = func(b []byte) int { return u16(b) | u16(b[2:])<<16 }
	case "MM":
		u16 = func(b []byte) int { return int(b[0])<<8 | int(b[1]) }
		u32 = func(b []byte) int { return u16(b)<<16 | u16(b[2:]) }
	default:
		return 1
	}
	ifd := u32(t[4:])
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	n := u16(t[ifd:])
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			break
		}
		if u16(t[e:]) == 0x0112 {
			if o := u16(t[e+8:]); o >= 1 && o <= 8 {
				return o
			}
		}
	}
	return 1
}
