package assemble

import (
	"bytes"
	"fmt"
	"io"
	"necdossier/assemble/letters"
	"necdossier/assemble/render"
	"os"
	"path/filepath"
)

// writePrintBundle writes impression.pdf: every dossier made by the batch
// in one file for the selection committee's double-sided printing. A cover
// and an index come first; each dossier starts on a right-hand (odd) page,
// with pages reading « Page laissée blanche intentionnellement » where
// padding is needed; the outline has a bookmark per candidate.
func writePrintBundle(opt BatchOptions, outcomes []Outcome) (string, error) {
	var done []Outcome
	for _, o := range outcomes {
		if o.Err == nil && o.Output != "" {
			done = append(done, o)
		}
	}
	path := filepath.Join(opt.OutDir, "impression.pdf")
	if len(done) == 0 {
		return "", fmt.Errorf("%s : aucun dossier à imprimer", path)
	}
	front := render.FrontPages(len(done))
	entries := make([]render.BundleEntry, len(done))
	next := front + 1
	for i, o := range done {
		name := o.Candidate.Name
		if o.Row != nil && o.Row.Candidat != "" {
			name = o.Row.Candidat
		}
		entries[i] = render.BundleEntry{Name: name, Pages: o.Pages, Start: next}
		next += o.Pages + o.Pages%2
	}

	frontPDF, err := finished(func(w io.Writer) error {
		return render.BundleFront(w, opt.Call, entries, front, opt.Fonts, opt.Now)
	})
	if err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	blankPDF, err := finished(func(w io.Writer) error { return render.BlankPage(w, opt.Fonts, opt.Now) })
	if err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	// The dossiers are copied one at a time from their files into the
	// bundle as it is written: memory does not grow with the candidates.
	err = writeAtomic(path, false, func(w io.Writer) error {
		b := letters.NewBundle(w)
		fc, err := b.Open(bytes.NewReader(frontPDF))
		if err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		if _, n, err := fc.Append(); err != nil || n != front {
			return fmt.Errorf("fusion : couverture et sommaire : %d pages au lieu de %d (%v)", n, front, err)
		}
		blank, err := b.Open(bytes.NewReader(blankPDF))
		if err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		outline := make([]letters.Bookmark, len(done))
		for i, o := range done {
			first, err := appendDossier(b, o)
			if err != nil {
				return err
			}
			outline[i] = letters.Bookmark{Title: render.BundleName(i, entries[i].Name), Page: first}
			if o.Pages%2 == 1 {
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

// appendDossier appends the dossier of o to the bundle, and returns its
// first page: the bookmark's target. The dossier must have the pages its
// build reported, on which the index's page numbers rest.
func appendDossier(b *letters.Bundle, o Outcome) (int, error) {
	f, err := os.Open(o.Output)
	if err != nil {
		return 0, fmt.Errorf("%s : %w", o.Output, ioError(err))
	}
	defer f.Close()
	doc, err := b.Open(f)
	if err != nil {
		return 0, fmt.Errorf("%s : illisible (%v)", o.Output, err)
	}
	first, n, err := doc.Append()
	if err != nil {
		return 0, fmt.Errorf("%s : %w", o.Output, err)
	}
	if n != o.Pages {
		return 0, fmt.Errorf("%s : %d pages au lieu de %d : le dossier a changé pendant le lot ; relancez", o.Output, n, o.Pages)
	}
	return first, nil
}
