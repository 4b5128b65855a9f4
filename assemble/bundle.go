package assemble

import (
	"bytes"
	"fmt"
	"io"
	"necdossier/assemble/letters"
	"necdossier/assemble/render"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// bundlePart is one part of the print bundle: its pages and where they
// come from.
type bundlePart struct {
	entry   render.BundleEntry
	o       *Outcome // nil for the comparison
	pdf     []byte   // the comparison, or the page of a candidate not built
	outline []letters.Bookmark
	wide    []bool // by page, whether it is wider than tall (a dossier's landscape letters)
}

// writePrintBundle writes impression.pdf, for the selection committee's
// double-sided printing: a cover and an index, the comparison, then every
// candidacy in the comparison's order — its dossier, or a page saying why
// it has none. Each part starts on a right-hand (odd) page, with pages
// reading « Page laissée blanche intentionnellement » where padding is
// needed. Every page carries a running foot with its candidate and its
// page in the bundle, the numbers the index gives; the outline nests each
// dossier's own under its candidate.
func writePrintBundle(opt BatchOptions, outcomes []Outcome, comparison []byte, comparisonPages int) (string, error) {
	path := filepath.Join(opt.OutDir, "impression.pdf")
	sorted := sortedOutcomes(outcomes)
	parts := []bundlePart{{entry: render.BundleEntry{Name: "Comparaison des candidatures", Pages: comparisonPages}, pdf: comparison}}
	for i := range sorted {
		var err error
		o := &sorted[i]
		e := render.BundleEntry{Name: o.Row.Name(), Folder: o.Candidate.Name, State: o.Row.Etat.String(), Pages: o.Pages}
		p := bundlePart{entry: e, o: o, outline: o.Outline}
		if o.Err != nil || o.Output == "" {
			page, err := taggedSheet(func(w io.Writer) (*render.Layout, error) {
				return render.NotBuilt(w, o.Row.Name(), o.Candidate.Name, o.Row.Motif, opt.Fonts, opt.Now)
			}, opt.Now)
			if err != nil {
				return "", fmt.Errorf("%s : %w", path, err)
			}
			p.pdf, p.entry.Pages, p.outline = page, 1, nil
		} else if p.wide, err = pageWidths(o.Output); err != nil {
			return "", err
		}
		parts = append(parts, p)
	}
	entries := make([]render.BundleEntry, len(parts))
	for i, p := range parts {
		entries[i] = p.entry
	}
	front, err := render.FrontPagesFor(entries, opt.Fonts)
	if err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	next := front + 1
	for i := range parts {
		parts[i].entry.Start = next
		entries[i].Start = next
		next += parts[i].entry.Pages + parts[i].entry.Pages%2
	}
	total := next - 1
	frontPDF, err := taggedSheet(func(w io.Writer) (*render.Layout, error) {
		return render.BundleFront(w, opt.Call, entries, front, total, opt.Fonts, opt.Now)
	}, opt.Now)
	if err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	blankPDF, err := finished(func(w io.Writer) error { return render.BlankPage(w, opt.Fonts, opt.Now) })
	if err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	feetPDF, err := finished(func(w io.Writer) error {
		return render.BundleFeet(w, bundleFeet(parts, front, total), opt.Fonts, opt.Now)
	})
	if err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	// The dossiers are copied one at a time from their files into the
	// bundle as it is written: memory does not grow with the candidates.
	err = writeAtomic(path, false, func(w io.Writer) error {
		b := letters.NewBundle(w)
		b.SetAccess("fr-FR", true)
		feet, err := b.Open(bytes.NewReader(feetPDF))
		if err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		b.SetFeet(feet)
		fc, err := b.Open(bytes.NewReader(frontPDF))
		if err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		if _, n, err := fc.AppendPart("Couverture et sommaire"); err != nil || n != front {
			return fmt.Errorf("fusion : couverture et sommaire : %d pages au lieu de %d (%v)", n, front, err)
		}
		blank, err := b.Open(bytes.NewReader(blankPDF))
		if err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		outline := []letters.Bookmark{{Title: "Couverture et sommaire", Page: 1}}
		num := 0
		for _, p := range parts {
			title := p.entry.Name
			if p.o != nil {
				num++
				title = render.BundleName(num-1, p.entry.Name)
				if p.o.Err != nil {
					title += " — dossier non produit"
				}
			}
			first, err := appendPart(b, p, title)
			if err != nil {
				return err
			}
			outline = append(outline, letters.Bookmark{Title: title, Page: first, Kids: shifted(p.outline, first-1)})
			if p.entry.Pages%2 == 1 {
				if _, _, err := blank.Append(); err != nil {
					return fmt.Errorf("fusion : %w", err)
				}
			}
		}
		return b.Close(outline, "Dossiers de candidature – "+opt.Call.Title, opt.Now)
	})
	if err != nil {
		return "", err
	}
	return path, nil
}

// bundleFeet are the running feet of every page of the bundle: one line,
// « 1. Métropole de Belrive » on the left, « liasse p. 25 / 94 — » on the
// right, before the page's own number (« page 3 / 21 ») — but above it on a
// dossier's synthesis, whose foot line holds its fingerprint.
func bundleFeet(parts []bundlePart, front, total int) []render.Foot {
	feet := make([]render.Foot, 0, total)
	page := func(f render.Foot) {
		liasse := "liasse p. " + strconv.Itoa(len(feet)+1) + " / " + strconv.Itoa(total)
		f.Right = strings.TrimPrefix(f.Right+" — "+liasse, " — ")
		feet = append(feet, f)
	}
	for range front {
		page(render.Foot{Left: "Couverture et sommaire"})
	}
	for i, p := range parts {
		of := func(n int) string { return "p. " + strconv.Itoa(n) + " / " + strconv.Itoa(p.entry.Pages) }
		own := func(n int) string { return "page " + strconv.Itoa(n) + " / " + strconv.Itoa(p.entry.Pages) }
		for n := 1; n <= p.entry.Pages; n++ {
			switch {
			case p.o == nil: // the comparison: its title is on the left of its own foot
				page(render.Foot{Own: render.ComparisonOwnFoot(n), OwnRight: render.OwnRightDossier, Landscape: true})
			case p.o.Err != nil:
				page(render.Foot{Left: strconv.Itoa(i) + ". " + p.entry.Name + " — dossier non produit"})
			default:
				f := render.Foot{Left: strconv.Itoa(i) + ". " + p.entry.Name, Own: own(n), OwnRight: render.OwnRightDossier}
				if n > p.o.OwnPages {
					f.OwnRight = render.OwnRightLetter
				}
				f.Landscape = n <= len(p.wide) && p.wide[n-1]
				if n == synthesisPage(p.o.Outline) {
					f.Above, f.Right = true, of(n)
				}
				page(f)
			}
		}
		if p.entry.Pages%2 == 1 {
			page(render.Foot{Left: p.entry.Name + " — page blanche"})
		}
	}
	return feet
}

// pageWidths says, page by page, whether the dossier at path is wider
// than tall: a letter put on an A4 landscape sheet.
func pageWidths(path string) ([]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s : %w", path, ioError(err))
	}
	defer f.Close()
	wide, err := letters.Wide(f)
	if err != nil {
		return nil, fmt.Errorf("%s : illisible (%v)", path, err)
	}
	return wide, nil
}

// synthesisPage is the page of a dossier's synthesis, from its outline (0
// when it has none).
func synthesisPage(outline []letters.Bookmark) int {
	for _, b := range outline {
		if b.Title == "Synthèse" {
			return b.Page
		}
	}
	return 0
}

// shifted returns the bookmarks moved by offset pages.
func shifted(bms []letters.Bookmark, offset int) []letters.Bookmark {
	out := make([]letters.Bookmark, len(bms))
	for i, b := range bms {
		out[i] = letters.Bookmark{Title: b.Title, Page: b.Page + offset, Kids: shifted(b.Kids, offset)}
	}
	return out
}

// appendPart appends a part to the bundle, its structure under a Part
// element titled title, and returns its first page: the bookmark's
// target. A dossier must have the pages its build reported, on which the
// index's page numbers rest.
func appendPart(b *letters.Bundle, p bundlePart, title string) (int, error) {
	if p.pdf != nil {
		doc, err := b.Open(bytes.NewReader(p.pdf))
		if err != nil {
			return 0, fmt.Errorf("fusion : %w", err)
		}
		first, n, err := doc.AppendPart(title)
		if err == nil && n != p.entry.Pages {
			err = fmt.Errorf("%d pages au lieu de %d", n, p.entry.Pages)
		}
		if err != nil {
			return 0, fmt.Errorf("fusion : %s : %w", p.entry.Name, err)
		}
		return first, nil
	}
	return appendDossier(b, *p.o, title)
}

// appendDossier appends the dossier of o to the bundle, and returns its
// first page.
func appendDossier(b *letters.Bundle, o Outcome, title string) (int, error) {
	f, err := os.Open(o.Output)
	if err != nil {
		return 0, fmt.Errorf("%s : %w", o.Output, ioError(err))
	}
	defer f.Close()
	doc, err := b.Open(f)
	if err != nil {
		return 0, fmt.Errorf("%s : illisible (%v)", o.Output, err)
	}
	first, n, err := doc.AppendPart(title)
	if err != nil {
		return 0, fmt.Errorf("%s : %w", o.Output, err)
	}
	if n != o.Pages {
		return 0, fmt.Errorf("%s : %d pages au lieu de %d : le dossier a changé pendant le lot ; relancez", o.Output, n, o.Pages)
	}
	return first, nil
}
