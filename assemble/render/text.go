package render

// Text: selecting a style, measuring, drawing, and cutting text to fit
// (wrapping, breaking long words, shortening with an ellipsis).

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"

	"necdossier/fonts"
)

// fontData returns the bytes of font file name in fsys, which the caller
// must not modify. Those of fonts.FS are its own (fonts.Data), shared by
// every document: fpdf only reads them, and keeps their parsed form for
// the process (third_party/fpdf/README.md). A copy per document cost more
// than adding the font from its parsed form, and a first copy 2 MB in a
// cold build (issue 15).
func fontData(fsys fs.FS, name string) ([]byte, error) {
	if fsys == fonts.FS {
		if b, ok := fonts.Data(name); ok {
			prepareFont(name, b)
			return b, nil
		}
	}
	return fs.ReadFile(fsys, name)
}

// preparedFonts holds, by file name, a sync.Once for each font of fonts.FS
// given its parsed form.
var preparedFonts sync.Map

// prepareFont hands fpdf, once per process, the parsed form of font file
// name of fonts.FS, whose bytes are data (fonts.Prepared): fpdf then does
// not parse the font (issue 15: 3 to 5 ms of a cold build for the three
// fonts of a dossier). A parsed form that does not match its font (made
// from another file) is left out, and the font parsed: prepared_test.go
// checks that they match.
func prepareFont(name string, data []byte) {
	once, _ := preparedFonts.LoadOrStore(name, new(sync.Once))
	once.(*sync.Once).Do(func() {
		if p, ok := fonts.Prepared(name); ok {
			_ = fpdf.RegisterPreparedUTF8Font(data, p)
		}
	})
}

// setFont selects style st (font, size and text colour).
func (r *renderer) setFont(st textStyle) {
	if r.curOK && r.cur == st {
		return
	}
	r.pdf.SetFont(family, st.font, st.size)
	r.pdf.SetTextColor(st.color.r, st.color.g, st.color.b)
	r.cur, r.curOK = st, true
}

func (r *renderer) fill(c rgbColor)   { r.pdf.SetFillColor(c.r, c.g, c.b) }
func (r *renderer) stroke(c rgbColor) { r.pdf.SetDrawColor(c.r, c.g, c.b) }

// width is the width of s in style st, in mm.
func (r *renderer) width(s string, st textStyle) float64 {
	r.setFont(st)
	return r.pdf.GetStringWidth(s)
}

// text draws s with its baseline at y, aligned 'L', 'R' or 'C' in [x, x+w].
func (r *renderer) text(s string, st textStyle, x, y, w float64, align byte) {
	if s == "" {
		return
	}
	r.setFont(st)
	// A trailing space (a line broken at a space, see wrapSpaced) is
	// drawn for text extraction but takes no room.
	trimmed := strings.TrimRight(s, " ")
	sw := r.pdf.GetStringWidth(trimmed)
	if r.keepDrawn {
		r.drawn = append(r.drawn, trimmed)
	}
	if sw > w+0.05 || x < marginL-0.05 || x+w > pageW-marginR+0.05 {
		r.overflows = append(r.overflows, overflow{page: r.pdf.PageNo(), text: s, width: sw, room: w})
	}
	switch align {
	case 'R':
		x += w - sw
	case 'C':
		x += (w - sw) / 2
	}
	r.mark(r.tags.el, func() { r.pdf.Text(x, y, s) })
}

// baseline is where text of style st sits in a line starting at y.
func baseline(st textStyle, y float64) float64 {
	return y + st.lead/2 + st.size*0.352778*0.35
}

// safeText makes text safe to draw: line ends normalised, tabs as spaces,
// control characters dropped, and characters outside the Basic Multilingual
// Plane (which fpdf's UTF-8 fonts cannot index) replaced by a question mark.
func safeText(s string) string {
	ok := true
	for _, c := range s {
		if c == '\r' || c == '\t' || (c < 0x20 && c != '\n') || c > 0xFFFF || c == 0x7F || c == utf8.RuneError {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '\r':
			b.WriteByte('\n')
		case c == '\t':
			b.WriteByte(' ')
		case c == '\n':
			b.WriteByte('\n')
		case c < 0x20 || c == 0x7F:
		case c > 0xFFFF || c == utf8.RuneError:
			b.WriteByte('?')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// wrap breaks s into lines no wider than w in style st. Hard line breaks
// are kept; lines break at ordinary spaces only (no-break spaces hold);
// a word wider than w (a URL, an e-mail address) is cut, after a slash,
// hyphen, dot or similar when possible.
func (r *renderer) wrap(s string, st textStyle, w float64) []string {
	return r.wrapEnds(s, st, w, false)
}

// wrapSpaced is wrap with a space kept at the end of each line broken at
// a space: text extracted from the tags (one marked-content sequence a
// line) keeps its words apart.
func (r *renderer) wrapSpaced(s string, st textStyle, w float64) []string {
	return r.wrapEnds(s, st, w, true)
}

func (r *renderer) wrapEnds(s string, st textStyle, w float64, spaced bool) []string {
	r.setFont(st)
	var lines []string
	space := r.pdf.GetStringWidth(" ")
	for hard := range strings.SplitSeq(s, "\n") {
		hard = strings.TrimRight(hard, " ")
		if hard == "" {
			lines = append(lines, "")
			continue
		}
		var line strings.Builder
		lw := 0.0
		for word := range strings.SplitSeq(hard, " ") {
			if word == "" {
				continue
			}
			ww := r.pdf.GetStringWidth(word)
			if line.Len() > 0 && lw+space+ww <= w {
				line.WriteByte(' ')
				line.WriteString(word)
				lw += space + ww
				continue
			}
			if line.Len() > 0 {
				if spaced {
					line.WriteByte(' ')
				}
				lines = append(lines, line.String())
				line.Reset()
			}
			if ww > w {
				pieces := r.breakWord(word, w)
				lines = append(lines, pieces[:len(pieces)-1]...)
				word = pieces[len(pieces)-1]
				ww = r.pdf.GetStringWidth(word)
			}
			line.WriteString(word)
			lw = ww
		}
		if line.Len() > 0 {
			lines = append(lines, line.String())
		}
	}
	return lines
}

// breakWord cuts a word wider than w into pieces that fit, with the
// current font. It prefers to cut after a URL or word separator when that
// keeps at least half of the piece.
func (r *renderer) breakWord(word string, w float64) []string {
	var pieces []string
	for word != "" {
		acc, cut, sep := 0.0, 0, 0
		for i, c := range word {
			cw := r.pdf.GetStringWidth(string(c))
			if acc+cw > w && i > 0 {
				break
			}
			acc += cw
			cut = i + utf8.RuneLen(c)
			// After a URL or word separator, or at a no-break space: a
			// figure and its unit that do not fit together part there.
			if strings.ContainsRune("/-_.?&=#:@,;\u00a0\u202f", c) || unicode.IsSpace(c) {
				sep = cut
			}
		}
		if cut < len(word) && sep > cut/2 {
			cut = sep
		}
		if cut == 0 { // a single glyph wider than w: give it its own line
			_, n := utf8.DecodeRuneInString(word)
			cut = n
		}
		pieces = append(pieces, word[:cut])
		word = word[cut:]
	}
	return pieces
}

// fitLine shortens s with an ellipsis so that it fits in w: the rule is
// visible (« … ») and the cut falls between words, never inside one,
// unless the first word alone is too wide. Widths add up glyph by glyph
// (fpdf does not kern), so one pass finds the cut.
func (r *renderer) fitLine(s string, st textStyle, w float64) string {
	if r.width(s, st) <= w {
		return s
	}
	room := w - r.pdf.GetStringWidth("…")
	acc, cut, word := 0.0, 0, 0
	for i, c := range s {
		acc += r.pdf.GetStringWidth(string(c))
		if acc > room {
			if c == ' ' {
				word = i
			}
			break
		}
		if c == ' ' {
			word = i
		}
		cut = i + utf8.RuneLen(c)
	}
	if word > 0 {
		cut = word
	}
	return strings.TrimRight(s[:cut], " ,;:·–—(") + "…"
}

// capLines keeps at most n lines, the last one ending with an ellipsis
// when some were dropped: for the few places that cannot run onto the next
// page (headings, the cover, a figure's labels).
func (r *renderer) capLines(lines []string, n int, st textStyle, w float64) []string {
	if len(lines) <= n {
		return lines
	}
	out := slices.Clone(lines[:n])
	out[n-1] = r.fitLine(out[n-1]+" "+lines[n], st, w)
	return out
}
