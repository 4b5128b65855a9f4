package letters

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// minPPI is the lowest resolution at which an image is printed: smaller
// images are printed smaller rather than enlarged to the page.
const minPPI = 96

// jpegQuality is used when a scan or photo is re-encoded.
const jpegQuality = 85

// jpegInfo is what the JPEG markers tell before decoding.
type jpegInfo struct {
	orientation int // EXIF orientation, 1 when absent
	components  int
	adobe       bool // Adobe APP14 present (CMYK stored inverted)
	metaBytes   int  // bytes of APPn/COM segments (EXIF, ICC, XMP, thumbnails)
}

// parseJPEG walks the marker segments up to the first scan.
func parseJPEG(data []byte) jpegInfo {
	info := jpegInfo{orientation: 1}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return info
		}
		m := data[i+1]
		if m == 0xff {
			i++
			continue
		}
		if m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01 {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return info
		}
		seg := data[i+4 : i+2+n]
		switch {
		case m == 0xda: // start of scan
			return info
		case m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			if len(seg) >= 6 {
				info.components = int(seg[5])
			}
		case m == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			info.metaBytes += n
			if o := exifOrientation(seg[6:]); o >= 1 && o <= 8 {
				info.orientation = o
			}
		case m == 0xee && bytes.HasPrefix(seg, []byte("Adobe")):
			info.adobe = true
			info.metaBytes += n
		case (m >= 0xe0 && m <= 0xef) || m == 0xfe:
			info.metaBytes += n
		}
		i += 2 + n
	}
	return info
}

// exifOrientation reads tag 0x0112 of IFD0 from a TIFF-structured EXIF block.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0
	}
	n := int(bo.Uint16(t[off:]))
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			return int(bo.Uint16(t[e+8:]))
		}
	}
	return 0
}

// raster is an 8-bit image already composited on white: 1 channel (gray) or 3 (RGB).
type raster struct {
	w, h, nc int
	pix      []byte
}

// flatten converts any decoded image to a raster over a white background.
// Transparent pixels become white: a letter is read on white paper.
func flatten(img image.Image) raster {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.Gray:
		r := raster{w, h, 1, make([]byte, w*h)}
		for y := range h {
			copy(r.pix[y*w:(y+1)*w], m.Pix[y*m.Stride:])
		}
		return r
	case *image.Paletted:
		gray := true
		lut := make([][3]byte, 256)
		for i, c := range m.Palette {
			lut[i] = white(c)
			gray = gray && lut[i][0] == lut[i][1] && lut[i][1] == lut[i][2]
		}
		nc := 3
		if gray {
			nc = 1
		}
		r := raster{w, h, nc, make([]byte, w*h*nc)}
		for y := range h {
			row := m.Pix[y*m.Stride : y*m.Stride+w]
			for x, p := range row {
				copy(r.pix[(y*w+x)*nc:], lut[p][:nc])
			}
		}
		return r
	}
	r := raster{w, h, 3, make([]byte, w*h*3)}
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var c [3]byte
			switch m := img.(type) {
			case *image.YCbCr:
				yc := m.YCbCrAt(x, y)
				c[0], c[1], c[2] = color.YCbCrToRGB(yc.Y, yc.Cb, yc.Cr)
			case *image.CMYK:
				cc := m.CMYKAt(x, y)
				c[0], c[1], c[2] = color.CMYKToRGB(cc.C, cc.M, cc.Y, cc.K)
			case *image.NRGBA:
				o := m.PixOffset(x, y)
				p := m.Pix[o : o+4]
				a := uint32(p[3])
				for k := range 3 {
					c[k] = byte((uint32(p[k])*a + 255*(255-a) + 127) / 255)
				}
			default:
				c = white(img.At(x, y))
			}
			copy(r.pix[i:], c[:])
			i += 3
		}
	}
	if r.isGray() {
		g := make([]byte, w*h)
		for k := range g {
			g[k] = r.pix[3*k]
		}
		return raster{w, h, 1, g}
	}
	return r
}

// white composites c (alpha-premultiplied by the color interface) over white.
func white(c color.Color) [3]byte {
	r, g, b, a := c.RGBA()
	bg := 0xffff - a
	return [3]byte{byte((r + bg) >> 8), byte((g + bg) >> 8), byte((b + bg) >> 8)}
}

func (r raster) isGray() bool {
	if r.nc == 1 {
		return true
	}
	for k := 0; k+2 < len(r.pix); k += 3 {
		if r.pix[k] != r.pix[k+1] || r.pix[k+1] != r.pix[k+2] {
			return false
		}
	}
	return true
}

func (r raster) isBilevel() bool {
	if r.nc != 1 {
		return false
	}
	for _, p := range r.pix {
		if p != 0 && p != 255 {
			return false
		}
	}
	return true
}

// span lists, for one output sample, the source samples it covers and their weights.
type span struct {
	first int
	w     []float32
}

// boxSpans computes area-average weights to resample n source samples into m (m < n).
func boxSpans(n, m int) []span {
	spans := make([]span, m)
	scale := float64(n) / float64(m)
	for i := range m {
		a, b := float64(i)*scale, float64(i+1)*scale
		first := int(a)
		last := min(int(math.Ceil(b)), n)
		sp := span{first: first, w: make([]float32, last-first)}
		for j := first; j < last; j++ {
			cover := min(b, float64(j+1)) - max(a, float64(j))
			sp.w[j-first] = float32(cover / scale)
		}
		spans[i] = sp
	}
	return spans
}

// downsample resamples r to w×h by area averaging (a box filter), which is
// the right filter for large reductions of scans: every source pixel
// contributes, so thin strokes fade to gray instead of disappearing.
// golang.org/x/image/draw was considered; its kernels are slower on these
// sizes and we only ever reduce, so 40 lines of box filter do better.
func (r raster) downsample(w, h int) raster {
	nc := r.nc
	xs, ys := boxSpans(r.w, w), boxSpans(r.h, h)
	tmp := make([]float32, r.h*w*nc)
	for y := range r.h {
		row := r.pix[y*r.w*nc : (y+1)*r.w*nc]
		for x, sp := range xs {
			for c := range nc {
				var acc float32
				for k, wt := range sp.w {
					acc += wt * float32(row[(sp.first+k)*nc+c])
				}
				tmp[(y*w+x)*nc+c] = acc
			}
		}
	}
	out := raster{w, h, nc, make([]byte, w*h*nc)}
	acc := make([]float32, w*nc)
	for y, sp := range ys {
		clear(acc)
		for k, wt := range sp.w {
			src := tmp[(sp.first+k)*w*nc : (sp.first+k+1)*w*nc]
			for i, v := range src {
				acc[i] += wt * v
			}
		}
		for i, v := range acc {
			out.pix[y*w*nc+i] = byte(min(255, max(0, v+0.5)))
		}
	}
	return out
}

// threshold turns a gray raster back into pure black and white.
func (r raster) threshold() raster {
	for i, p := range r.pix {
		if p < 128 {
			r.pix[i] = 0
		} else {
			r.pix[i] = 255
		}
	}
	return r
}

// packBits packs a bilevel gray raster at 1 bit per pixel (1 = white), rows padded to bytes.
func (r raster) packBits() []byte {
	stride := (r.w + 7) / 8
	out := make([]byte, stride*r.h)
	for y := range r.h {
		for x := range r.w {
			if r.pix[y*r.w+x] != 0 {
				out[y*stride+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	return out
}

func (r raster) image() image.Image {
	if r.nc == 1 {
		return &image.Gray{Pix: r.pix, Stride: r.w, Rect: image.Rect(0, 0, r.w, r.h)}
	}
	rgba := image.NewRGBA(image.Rect(0, 0, r.w, r.h))
	for i := range r.w * r.h {
		copy(rgba.Pix[4*i:], r.pix[3*i:3*i+3])
		rgba.Pix[4*i+3] = 255
	}
	return rgba
}

// prepareImage places a JPEG or PNG scan on an A4 sheet (portrait or
// landscape following the upright image), fitted inside 10 mm margins and
// above the footer band, and stores it as the prepared letter.
//
// Size policy: the image is printed at most at dpi pixels per inch (200 by
// default; 300 minimum for black-and-white scans, whose strokes need it);
// larger scans are reduced with an area-average filter. Colour images are
// re-encoded as JPEG, grey ones as JPEG when they came from a JPEG
// (photographs) and Flate otherwise (lossless, better for text), pure black
// and white ones as 1-bit Flate. A JPEG that needs none of this (upright, RGB
// or grey, not oversized, little metadata) is embedded unchanged.
func (l *Letter) prepareImage(data []byte, dpi, maxPixels int) error {
	kindFR := map[string]string{"jpeg": "JPEG", "png": "PNG"}[l.Kind]
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return refuse(l.Name, ErrLetterImage, err, fmt.Sprintf("image %s endommagée ou illisible : demandez un nouvel exemplaire", kindFR))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return refuse(l.Name, ErrLetterImage, nil,
			fmt.Sprintf("image trop grande (%d × %d pixels) : demandez une version réduite ou un PDF", cfg.Width, cfg.Height))
	}
	info := jpegInfo{orientation: 1}
	if l.Kind == "jpeg" {
		info = parseJPEG(data)
		// A colour or grey JPEG that print does not need reduced is embedded
		// as it is, without even being decoded: most scans and exports.
		// A file cut short (no end-of-image marker) goes the decoding way,
		// which refuses it.
		complete := bytes.LastIndex(data, []byte{0xFF, 0xD9}) > len(data)/2
		if complete && (info.components == 1 || info.components == 3) && info.metaBytes < 64<<10 {
			g := fitImage(cfg.Width, cfg.Height, info.orientation, dpi)
			if !g.reduce(cfg.Width) {
				l.warnIfSmall(g)
				cs := types.Name("DeviceRGB")
				if info.components == 1 {
					cs = "DeviceGray"
				}
				return l.imagePage(dctStream(types.Dict{
					"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
					"Width": types.Integer(cfg.Width), "Height": types.Integer(cfg.Height),
					"BitsPerComponent": types.Integer(8), "ColorSpace": cs,
				}, data), info.orientation, g)
			}
		}
	}
	var img image.Image
	if l.Kind == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return refuse(l.Name, ErrLetterImage, err, fmt.Sprintf("image %s endommagée ou illisible : demandez un nouvel exemplaire", kindFR))
	}
	r := flatten(img)
	bilevel := r.isBilevel()

	// EXIF orientation is applied by the placement matrix, not by moving
	// pixels: the JPEG can then often be embedded unchanged.
	o := info.orientation
	limit := dpi
	if bilevel {
		limit = max(dpi, 300)
	}
	g := fitImage(r.w, r.h, o, limit)
	l.warnIfSmall(g)
	resampled := false
	if g.reduce(r.w) {
		th := max(1, int(math.Round(float64(r.h)*float64(g.tw)/float64(r.w))))
		r = r.downsample(g.tw, th)
		resampled = true
		if bilevel {
			r = r.threshold()
		}
	}

	imgDict := types.Dict{
		"Type":             types.Name("XObject"),
		"Subtype":          types.Name("Image"),
		"Width":            types.Integer(r.w),
		"Height":           types.Integer(r.h),
		"BitsPerComponent": types.Integer(8),
		"ColorSpace":       types.Name("DeviceRGB"),
	}
	if r.nc == 1 {
		imgDict["ColorSpace"] = types.Name("DeviceGray")
	}
	var sd *types.StreamDict
	switch {
	case l.Kind == "jpeg" && !resampled && (info.components == 1 || info.components == 3) &&
		(info.components == 1) == (r.nc == 1) && info.metaBytes < 64<<10:
		sd = dctStream(imgDict, data)
	case bilevel:
		imgDict["BitsPerComponent"] = types.Integer(1)
		sd, err = flateStream(imgDict, r.packBits())
	case r.nc == 1 && l.Kind == "png":
		sd, err = flateStream(imgDict, r.pix)
	default:
		var buf bytes.Buffer
		if err = jpeg.Encode(&buf, r.image(), &jpeg.Options{Quality: jpegQuality}); err == nil {
			sd = dctStream(imgDict, buf.Bytes())
		}
	}
	if err != nil {
		return err
	}
	return l.imagePage(sd, o, g)
}

// imageFit is where an image lands on its A4 sheet, in points, and the
// width in pixels its stored rows need at the print resolution.
type imageFit struct {
	uw, uh       float64 // upright size in pixels
	sw, sh       float64 // the sheet
	x, y, dw, dh float64 // the image's box on the sheet
	small        bool    // printed at minPPI: not enlarged further
	tw           int     // stored width needed at the resolution asked
}

// fitImage places an image of w×h stored pixels, EXIF orientation o, on
// its sheet, and says how many pixels wide it needs to be at dpi.
func fitImage(w, h, o, dpi int) imageFit {
	var g imageFit
	g.uw, g.uh = float64(w), float64(h)
	if o >= 5 {
		g.uw, g.uh = g.uh, g.uw
	}
	// Small images are not blown up beyond minPPI: a 128-pixel photo
	// printed over a whole A4 page would only show blocks.
	g.sw, g.sh = paperFor(g.uw, g.uh)
	s, x, y := placement(g.uw, g.uh, g.sw, g.sh, sideMargin, 72.0/minPPI)
	g.x, g.y, g.dw, g.dh = x, y, g.uw*s, g.uh*s
	g.small = s >= 72.0/minPPI-1e-9 && max(g.uw, g.uh) < 1000
	storedW := g.dw // printed length of the stored image's rows
	if o >= 5 {
		storedW = g.dh
	}
	g.tw = int(math.Ceil(storedW / 72 * float64(dpi)))
	return g
}

// reduce reports whether an image w pixels wide has more than print needs.
func (g imageFit) reduce(w int) bool { return float64(w) > 1.05*float64(g.tw) }

func (l *Letter) warnIfSmall(g imageFit) {
	if g.small {
		l.warn("image de petite taille (%.0f × %.0f pixels), imprimée en petit : demandez si possible un scan à 200 ppp ou une photo plus nette", g.uw, g.uh)
	}
}

// imagePage makes the letter a single A4 page showing the image sd.
func (l *Letter) imagePage(sd *types.StreamDict, o int, g imageFit) error {
	dst, err := pdfcpu.CreateContextWithXRefTable(PdfConf(), types.PaperSize["A4"])
	if err != nil {
		return err
	}
	ref, err := dst.IndRefForNewObject(*sd)
	if err != nil {
		return err
	}
	content := fmt.Sprintf("q %s cm /Im Do Q\n", matrix(exifMatrix(o, g.dw, g.dh, g.x, g.y)))
	if err := addSheet(dst, g.sw, g.sh, types.Dict{"XObject": types.Dict{"Im": *ref}}, []byte(content)); err != nil {
		return err
	}
	l.Pages = 1
	return l.finish(dst)
}

// exifMatrix maps the image's unit square onto the dw×dh rectangle at
// (x, y) so that an image stored with EXIF orientation o appears upright.
func exifMatrix(o int, dw, dh, x, y float64) [6]float64 {
	switch o {
	case 2: // mirrored horizontally
		return [6]float64{-dw, 0, 0, dh, x + dw, y}
	case 3: // rotated 180°
		return [6]float64{-dw, 0, 0, -dh, x + dw, y + dh}
	case 4: // mirrored vertically
		return [6]float64{dw, 0, 0, -dh, x, y + dh}
	case 5: // transposed
		return [6]float64{0, -dh, -dw, 0, x + dw, y + dh}
	case 6: // to be turned 90° clockwise
		return [6]float64{0, -dh, dw, 0, x, y + dh}
	case 7: // transversed
		return [6]float64{0, dh, dw, 0, x, y}
	case 8: // to be turned 90° counter-clockwise
		return [6]float64{0, dh, -dw, 0, x + dw, y}
	}
	return [6]float64{dw, 0, 0, dh, x, y}
}

func dctStream(d types.Dict, jpg []byte) *types.StreamDict {
	d["Filter"] = types.Name("DCTDecode")
	n := int64(len(jpg))
	d["Length"] = types.Integer(n)
	return &types.StreamDict{Dict: d, Raw: jpg, StreamLength: &n, FilterPipeline: []types.PDFFilter{{Name: "DCTDecode"}}}
}
