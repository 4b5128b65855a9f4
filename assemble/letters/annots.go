package letters

import (
	"fmt"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Annotation flags (PDF 32000-1, 12.5.3).
const (
	annotHidden = 1 << 1
	annotNoView = 1 << 5
)

// flattenAnnots draws the normal appearance of each visible annotation into sb
// (content of the sheet, in the page's coordinate space) and registers the
// appearance streams in res's XObject dictionary. Algorithm of PDF 32000-1
// 12.5.5: the form's BBox, transformed by its Matrix, is mapped onto the
// annotation's Rect. Highlight and ink annotations saved without an
// appearance (fpdf2 writes them so; viewers draw them from their geometry)
// are drawn from their geometry too, see drawMarkup.
func (l *Letter) flattenAnnots(x *model.XRefTable, cp *copier, annots types.Object, res types.Dict, sb *strings.Builder, st *flattenStats) error {
	xobjs := res["XObject"].(types.Dict)
	arr, _ := deref(x, annots).(types.Array)
	for k, a := range arr {
		ad, ok := deref(x, a).(types.Dict)
		if !ok {
			continue
		}
		sub, _ := deref(x, ad["Subtype"]).(types.Name)
		if _, ok := ad["A"]; ok {
			st.actions++
		}
		if _, ok := ad["AA"]; ok {
			st.actions++
		}
		switch sub {
		case "Popup", "Link":
			continue
		case "FileAttachment":
			st.attachments++
		case "Widget":
			st.widgets++
		}
		flags, _ := num(x, ad["F"])
		if int(flags)&(annotHidden|annotNoView) != 0 {
			continue
		}
		ap, _ := deref(x, ad["AP"]).(types.Dict)
		n := deref(x, ap["N"])
		if d, ok := n.(types.Dict); ok {
			as, _ := deref(x, ad["AS"]).(types.Name)
			n = deref(x, d[string(as)])
		}
		if _, ok := n.(types.StreamDict); !ok {
			if sub == "Widget" && fieldValue(x, ad) && fieldType(x, ad) != "Sig" {
				st.missingAP++
			}
			drawMarkup(x, ad, sub, res, sb)
			continue
		}
		apRef := ap["N"]
		if d, ok := deref(x, apRef).(types.Dict); ok {
			as, _ := deref(x, ad["AS"]).(types.Name)
			apRef = d[string(as)]
		}
		sd := n.(types.StreamDict)
		rect, ok := rectOf(x, ad["Rect"])
		if !ok {
			continue
		}
		bbox, ok := rectOf(x, sd.Dict["BBox"])
		if !ok {
			continue
		}
		m := [6]float64{1, 0, 0, 1, 0, 0}
		if ma, _ := deref(x, sd.Dict["Matrix"]).(types.Array); len(ma) == 6 {
			for j := range 6 {
				m[j], _ = num(x, ma[j])
			}
		}
		tb := transformBox(bbox, m)
		bw, bh := tb[2]-tb[0], tb[3]-tb[1]
		if bw < 1e-6 || bh < 1e-6 || rect[2]-rect[0] < 1e-6 || rect[3]-rect[1] < 1e-6 {
			continue
		}
		ax := (rect[2] - rect[0]) / bw
		ay := (rect[3] - rect[1]) / bh
		copied, err := cp.obj(apRef, 0)
		if err != nil {
			return err
		}
		if copied == nil {
			continue
		}
		key := fmt.Sprintf("A%d", k)
		xobjs[key] = copied
		fmt.Fprintf(sb, "q %s cm /%s Do Q\n", matrix([6]float64{ax, 0, 0, ay, rect[0] - tb[0]*ax, rect[1] - tb[1]*ay}), key)
	}
	return nil
}

// drawMarkup draws a Highlight (filled quadrilaterals, multiplied onto the
// page like a highlighter) or an Ink annotation (stroked paths) that has no
// appearance stream, from its QuadPoints or InkList and its colour /C.
func drawMarkup(x *model.XRefTable, ad types.Dict, sub types.Name, res types.Dict, sb *strings.Builder) {
	var fill, stroke string
	if c, _ := deref(x, ad["C"]).(types.Array); len(c) > 0 {
		v := make([]float64, 0, len(c))
		for _, e := range c {
			f, _ := num(x, e)
			v = append(v, min(1, max(0, f)))
		}
		switch len(v) {
		case 1:
			fill, stroke = nums(v...)+" g", nums(v...)+" G"
		case 3:
			fill, stroke = nums(v...)+" rg", nums(v...)+" RG"
		case 4:
			fill, stroke = nums(v...)+" k", nums(v...)+" K"
		}
	}
	if fill == "" {
		return // no colour: the annotation is transparent
	}
	floats := func(o types.Object) []float64 {
		a, _ := deref(x, o).(types.Array)
		v := make([]float64, 0, len(a))
		for _, e := range a {
			if f, ok := num(x, e); ok {
				v = append(v, f)
			}
		}
		return v
	}
	switch sub {
	case "Highlight":
		q := floats(ad["QuadPoints"])
		if len(q) < 8 {
			return
		}
		gs, _ := res["ExtGState"].(types.Dict)
		if gs == nil {
			gs = types.Dict{}
			res["ExtGState"] = gs
		}
		gs["HL"] = types.Dict{"Type": types.Name("ExtGState"), "BM": types.Name("Multiply")}
		fmt.Fprintf(sb, "q /HL gs %s\n", fill)
		for i := 0; i+8 <= len(q); i += 8 {
			// Points are upper-left, upper-right, lower-left, lower-right.
			fmt.Fprintf(sb, "%s m %s l %s l %s l h f\n", nums(q[i], q[i+1]), nums(q[i+2], q[i+3]), nums(q[i+6], q[i+7]), nums(q[i+4], q[i+5]))
		}
		sb.WriteString("Q\n")
	case "Ink":
		w := 1.0
		if bs, ok := deref(x, ad["BS"]).(types.Dict); ok {
			if f, ok := num(x, bs["W"]); ok {
				w = f
			}
		}
		paths, _ := deref(x, ad["InkList"]).(types.Array)
		fmt.Fprintf(sb, "q %s w 1 J 1 j %s\n", nums(w), stroke)
		for _, p := range paths {
			pts := floats(p)
			for i := 0; i+2 <= len(pts); i += 2 {
				op := "l"
				if i == 0 {
					op = "m"
				}
				fmt.Fprintf(sb, "%s %s ", nums(pts[i], pts[i+1]), op)
			}
			if len(pts) >= 2 {
				sb.WriteString("S\n")
			}
		}
		sb.WriteString("Q\n")
	}
}

// fieldType returns the field type of a widget, inherited from its parents.
func fieldType(x *model.XRefTable, d types.Dict) types.Name {
	for range 16 {
		if ft, ok := deref(x, d["FT"]).(types.Name); ok {
			return ft
		}
		p, ok := deref(x, d["Parent"]).(types.Dict)
		if !ok {
			return ""
		}
		d = p
	}
	return ""
}

// fieldValue tells whether a widget's field (or a parent) has a value.
func fieldValue(x *model.XRefTable, d types.Dict) bool {
	for range 16 {
		if d["V"] != nil {
			return true
		}
		p, ok := deref(x, d["Parent"]).(types.Dict)
		if !ok {
			return false
		}
		d = p
	}
	return false
}
