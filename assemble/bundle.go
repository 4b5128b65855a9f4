package assemble

import (
	"bytes"
	"fmt"
	"io"
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
		return render.RenderBundleFront(w, opt.Call, entries, front, opt.Fonts, opt.Now)
	})
	if err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	blankPDF, err := finished(func(w io.Writer) error { return render.RenderBlankPage(w, opt.Fonts, opt.Now) })
	if err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	// The dossiers are copied one at a time from their files into the
	// bundle as it is written: memory does not grow with the candidates.
	err = writeAtomic(path, false, func(w io.Writer) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("fusion : erreur interne : %v", p)
			}
		}()
		b := newBundleWriter(w)
		fc, err := b.reader(bytes.NewReader(frontPDF))
		if err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		if _, n, err := fc.copyPages(); err != nil || n != front {
			return fmt.Errorf("fusion : couverture et sommaire : %d pages au lieu de %d (%v)", n, front, err)
		}
		blank, err := b.reader(bytes.NewReader(blankPDF))
		if err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		titles := make([]string, len(done))
		targets := make([]int, len(done))
		for i, o := range done {
			first, err := copyDossier(b, o)
			if err != nil {
				return err
			}
			titles[i], targets[i] = render.BundleName(i, entries[i].Name), first
			if o.Pages%2 == 1 {
				if _, _, err := blank.copyPages(); err != nil {
					return fmt.Errorf("fusion : %w", err)
				}
			}
		}
		return b.finish(titles, targets, "Dossiers de candidature – "+opt.Call.Title, opt.Now)
	})
	if err != nil {
		return "", err
	}
	return path, nil
}

// copyDossier appends the dossier of o to the bundle, and returns its
// first page: the bookmark's target. The dossier must have the pages its
// build reported, on which the index's page numbers rest.
func copyDossier(b *bundleWriter, o Outcome) (int, error) {
	f, err := os.Open(o.Output)
	if err != nil {
		return 0, fmt.Errorf("%s : %w", o.Output, ioError(err))
	}
	defer f.Close()
	c, err := b.reader(f)
	if err != nil {
		return 0, fmt.Errorf("%s : illisible (%v)", o.Output, err)
	}
	first, n, err := c.copyPages()
	if err != nil {
		return 0, fmt.Errorf("%s : %w", o.Output, err)
	}
	if n != o.Pages {
		return 0, fmt.Errorf("%s : %d pages au lieu de %d : le dossier a changé pendant le lot ; relancez", o.Output, n, o.Pages)
	}
	return first, nil
}
