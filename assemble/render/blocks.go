package render

import (
	"necdossier/assemble/french"
	"necdossier/assemble/model"
	"strings"
)

// The dossier is a sequence of semantic blocks — heading, paragraph, list,
// table, figure, key-value list — built from the model by one builder per
// section of the call (sections.go, front.go). The layout engine turns
// each block into fragments (frags.go) and places them on pages
// (paginate.go); nothing here draws. Keeping the blocks semantic is what
// will let a later version tag the PDF (PDF/UA): each block becomes one
// structure element.

// docBlock is a unit of the dossier that the layout engine can place.
type docBlock interface {
	frags(r *renderer) []*frag
}

// docHeading is a heading: level 1 for a section, 2 for a subsection,
// 3 for an item inside a subsection.
type docHeading struct {
	level  int
	number string // "3" or "3.2", "" when unnumbered
	text   string
	help   string // what the call asks, shown in italics under a section heading
	anchor string // target of the table of contents; "" when not listed
	mark   string // a place pagination records without listing it
}

// title is the heading as listed in the contents and the outline.
func (h docHeading) title() string {
	if h.number == "" {
		return h.text
	}
	// A number never ends a line apart from its title.
	if !strings.Contains(h.number, ".") {
		return h.number + "." + french.NBSP + h.text
	}
	return h.number + french.NBSP + h.text
}

// docPara is a paragraph; line breaks inside it are kept.
type docPara struct {
	text     string // "" reads « Non renseigné »
	st       textStyle
	gap      float64
	withPrev bool // kept on the page of the block before it
}

// docList is a bulleted list.
type docList struct {
	items []string
}

// docPair is a key and its value; an empty value reads « Non renseigné »,
// unless the field is optional: then the pair adds no line.
type docPair struct {
	key, value string
	optional   bool
}

// docKeyValues is a key-value list: labels on the left, values on the right.
type docKeyValues struct {
	pairs []docPair
}

// docColumn is a table column: its title, its share of the width, and whether
// its cells are numbers (right-aligned).
type docColumn struct {
	title string
	share float64
	right bool
}

// docRowKind tells a row's role in a table.
type docRowKind int

const (
	rowBody     docRowKind = iota
	rowGroup               // a category and its subtotal
	rowTotal               // a total
	rowEmphasis            // a plain row in bold (the balance)
)

// docRow is a row: its cells, its kind, and optionally where it links.
type docRow struct {
	cells  []string
	kind   docRowKind
	status model.Status // drawn as a coloured mark in the table's status column
	annex  int          // 1-based annex the row stands for: it links to the annex, whose pages fill the last cell
	span   bool         // the first cell runs over the empty cells up to the last column
	indent bool         // the first cell is indented (a line under its category)
}

// docTable is a table with a header row repeated on each page it spans.
type docTable struct {
	cols      []docColumn
	rows      []docRow
	statusCol int // column drawn with a status mark; -1 for none
}

// docFigure is a chart drawn as vectors, with its text alternative.
type docFigure struct {
	title string
	alt   string
	chart docChart
}

// docTiles is a row of key figures: a value in large type over its label.
// It is a key-value list whose values are meant to be seen at a glance.
type docTiles struct {
	items []docPair // key: label, value: the figure
}

// docNote is a framed list of remarks (the points to confirm).
type docNote struct {
	title string
	items []string
}

// docContentsEntry is a line of the table of contents.
type docContentsEntry struct {
	level  int // 1 or 2
	title  string
	anchor string // dossier heading, or "" for an annex
	annex  int    // annex index when anchor is ""
}

// docContents is the table of contents; page numbers are read when
// drawing, once pagination has placed every heading. An entry's height does
// not depend on its number (drawn in a fixed column at the right), so one
// pagination is exact, however many pages the contents take: no second
// pass, no reserved pages.
type docContents struct {
	entries []docContentsEntry
}

// docCover is the cover page.
type docCover struct {
	organiser, title, subtitle string
	nom, kind                  string
	date                       string
	contact                    []string
	deadline                   string
	logo                       bool
}

// docFingerprint is the place, in reading order, of the fingerprint of
// the inputs, which the footer of the synthesis page prints: it adds no
// fragment.
type docFingerprint struct{}

func (docFingerprint) frags(r *renderer) []*frag {
	r.tags.fpElem = r.tags.doc.Add("P")
	return nil
}

// docPageBreak starts a new page.
type docPageBreak struct{}

// asTyped returns s cleaned but not through Typo: URLs, e-mail addresses
// and file names must keep their exact characters.
func asTyped(s string) string { return strings.TrimSpace(safeText(s)) }

// orEmpty returns user text cleaned and through Typo, or "" when it is
// blank, which blocks show as « Non renseigné ».
func orEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return french.Typo(safeText(strings.TrimSpace(s)))
}

// paragraphBlocks splits a long text into paragraphs at blank lines.
//
// Lines starting with a dash or a bullet, as people type lists in a
// spreadsheet cell, become a list.
func paragraphBlocks(s string) []docBlock {
	s = strings.TrimSpace(safeText(s))
	if s == "" {
		return []docBlock{docPara{st: stBody}}
	}
	var out []docBlock
	for _, p := range splitParagraphs(s) {
		var text []string
		var list docList
		flush := func() {
			if len(text) > 0 {
				out = append(out, docPara{text: french.Typo(strings.Join(text, "\n")), st: stBody, gap: 2.6})
				text = nil
			}
			if len(list.items) > 0 {
				out = append(out, list)
				list = docList{}
			}
		}
		for line := range strings.SplitSeq(p, "\n") {
			if item, ok := listItem(line); ok {
				if len(text) > 0 {
					flush()
				}
				list.items = append(list.items, french.Typo(item))
				continue
			}
			if len(list.items) > 0 {
				flush()
			}
			text = append(text, line)
		}
		flush()
	}
	return out
}

// listItem reports whether line is a list item (« - », « – », « • » or
// « * » then a space) and returns its text.
func listItem(line string) (string, bool) {
	t := strings.TrimLeft(line, " ")
	for _, m := range []string{"- ", "– ", "— ", "• ", "* ", "· "} {
		if rest, ok := strings.CutPrefix(t, m); ok && strings.TrimSpace(rest) != "" {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// splitParagraphs cuts at one or more blank lines, keeping single line breaks.
func splitParagraphs(s string) []string {
	var out []string
	var cur []string
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				out = append(out, strings.Join(cur, "\n"))
				cur = nil
			}
			continue
		}
		cur = append(cur, strings.TrimRight(line, " "))
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, "\n"))
	}
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func nonEmpty(s string) string {
	if s == "" {
		return emptyText
	}
	return s
}
