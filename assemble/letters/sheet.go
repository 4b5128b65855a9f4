package letters

import (
	"fmt"
	"math"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Page geometry shared by every prepared letter page, in PDF points.
//
// Design choice: every letter page is fitted onto an A4 sheet (portrait or
// landscape, following the page as it is displayed) instead of keeping its
// own size. Committees print the dossier double-sided on A4; a US Letter,
// A3, US Legal or 33-inch-tall page printed "as is" is cropped or shrunk by
// the printer driver anyway, and a mixed-size PDF is awkward to read on
// screen. The page is drawn as a Form XObject scaled by at most 1 (small
// pages such as A5 keep their natural size, centred) above a reserved band
// at the bottom of the sheet: the footer « page X / N » is printed in that
// band, so it can never cover the letter's content. For an A4 letter the
// price is a 4.8 % reduction.
//
// pdfcpu's resize and N-up were considered (v0.15 source read, not just
// docs). Resize rewrites the page content in place and transforms the
// annotations' Rect and QuadPoints (not InkList), but it keeps the
// annotations themselves — widgets, links and their actions — which we
// must remove anyway, and it knows no footer band. N-up wraps pages into
// Form XObjects but carries no annotation over (nup.go never looks at
// /Annots), so filled-in form values would vanish. We therefore build the
// Form XObject ourselves and flatten the annotations' appearances into the
// sheet (see flattenAnnots).
const (
	a4Short = 595.276
	a4Long  = 841.89
	// The footer band at the bottom of each letter page holds the page
	// number where the dossier's own pages have it (12 mm above the edge,
	// clear of the printers' unprintable margin, 24 mm from the sides)
	// and, above it, the print bundle's running foot (17 mm).
	bandHeight     = 56.0 // ≈ 19.8 mm
	footerSize     = 8.0  // footer font size
	footerBaseline = 34.0 // ≈ 12 mm
	footerSide     = 68.03
	sideMargin     = 28.35
)

// paperFor returns the A4 sheet size, landscape when the displayed content is wider than tall.
func paperFor(w, h float64) (float64, float64) {
	if w > h {
		return a4Long, a4Short
	}
	return a4Short, a4Long
}

// placement fits a w×h box into the area of a sheet above the footer band,
// scaled by at most maxScale, centred; it returns the scale and origin.
func placement(w, h, sw, sh, margin, maxScale float64) (s, x, y float64) {
	aw, ah := sw-2*margin, sh-bandHeight-2*margin
	s = min(aw/w, ah/h, maxScale)
	x = (sw - w*s) / 2
	y = bandHeight + margin + (ah-h*s)/2
	return s, x, y
}

// rotation returns the matrix taking the page's visible box b (llx lly urx ury)
// to an upright box with origin (0,0), honouring /Rotate (clockwise degrees),
// and the upright width and height.
func rotation(b [4]float64, rot int) (m [6]float64, w, h float64) {
	llx, lly, urx, ury := b[0], b[1], b[2], b[3]
	w, h = urx-llx, ury-lly
	switch ((rot % 360) + 360) % 360 {
	case 90:
		return [6]float64{0, -1, 1, 0, -lly, urx}, h, w
	case 180:
		return [6]float64{-1, 0, 0, -1, urx, ury}, w, h
	case 270:
		return [6]float64{0, 1, -1, 0, ury, -llx}, h, w
	}
	return [6]float64{1, 0, 0, 1, -llx, -lly}, w, h
}

func transformBox(b [4]float64, m [6]float64) [4]float64 {
	r := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range [][2]float64{{b[0], b[1]}, {b[0], b[3]}, {b[2], b[1]}, {b[2], b[3]}} {
		x := m[0]*p[0] + m[2]*p[1] + m[4]
		y := m[1]*p[0] + m[3]*p[1] + m[5]
		r = [4]float64{min(r[0], x), min(r[1], y), max(r[2], x), max(r[3], y)}
	}
	return r
}

// nums writes numbers for a content stream, space-separated: at most four
// decimals, without trailing zeros (1.5, 0, -12.25).
func nums(v ...float64) string {
	b := make([]byte, 0, 10*len(v))
	for i, f := range v {
		if i > 0 {
			b = append(b, ' ')
		}
		start := len(b)
		b = strconv.AppendFloat(b, f, 'f', 4, 64) // as fmt's %.4f
		for len(b) > start && b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		for len(b) > start && b[len(b)-1] == '.' {
			b = b[:len(b)-1]
		}
		if s := b[start:]; len(s) == 0 || string(s) == "-0" {
			b = append(b[:start], '0')
		}
	}
	return string(b)
}

func matrix(m [6]float64) string { return nums(m[:]...) }

// addSheet appends a page of size w×h with resources res and content to ctx's page tree root.
func addSheet(ctx *model.Context, w, h float64, res types.Dict, content []byte) error {
	cs, err := flateStream(types.Dict{}, content)
	if err != nil {
		return err
	}
	csRef, err := ctx.IndRefForNewObject(*cs)
	if err != nil {
		return err
	}
	_, err = appendPage(ctx, types.NewNumberArray(0, 0, w, h), res, *csRef)
	return err
}

// appendPage appends a page to the root node of ctx's page tree. Pages are
// appended directly under the root, so they inherit nothing: every page
// we add carries its own MediaBox and Resources.
func appendPage(ctx *model.Context, mediaBox types.Array, res types.Dict, contents types.Object) (*types.IndirectRef, error) {
	root, err := ctx.Pages()
	if err != nil {
		return nil, err
	}
	pages, err := ctx.DereferenceDict(*root)
	if err != nil || pages == nil {
		return nil, fmt.Errorf("arbre des pages : %v", err)
	}
	pd := types.Dict{
		"Type":      types.Name("Page"),
		"Parent":    *root,
		"MediaBox":  mediaBox,
		"Resources": res,
		"Contents":  contents,
		"Rotate":    types.Integer(0),
	}
	ref, err := ctx.IndRefForNewObject(pd)
	if err != nil {
		return nil, err
	}
	kids, _ := deref(ctx.XRefTable, pages["Kids"]).(types.Array)
	pages["Kids"] = append(kids, *ref)
	count, _ := num(ctx.XRefTable, pages["Count"])
	pages["Count"] = types.Integer(int(count) + 1)
	ctx.PageCount++
	return ref, nil
}
