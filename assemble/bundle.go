package assemble

import (
	"bytes"
	"fmt"
	"io"
	"necdossier/assemble/letters"
	"necdossier/assemble/render"
	"os"
	"path/filepath"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
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

	var frontPDF, blank bytes.Buffer
	if err := render.RenderBundleFront(&frontPDF, opt.Call, entries, front, opt.Fonts, opt.Now); err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	if err := render.RenderBlankPage(&blank, opt.Fonts, opt.Now); err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	parts := []io.ReadSeeker{bytes.NewReader(frontPDF.Bytes())}
	var bms []pdfcpu.Bookmark
	for i, o := range done {
		data, err := os.ReadFile(o.Output)
		if err != nil {
			return "", fmt.Errorf("%s : %w", o.Output, err)
		}
		parts = append(parts, bytes.NewReader(data))
		if o.Pages%2 == 1 {
			parts = append(parts, bytes.NewReader(blank.Bytes()))
		}
		bms = append(bms, pdfcpu.Bookmark{Title: render.BundleName(i, entries[i].Name), PageFrom: entries[i].Start})
	}
	err := writeAtomic(path, false, func(w io.Writer) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("fusion : erreur interne : %v", p)
			}
		}()
		var merged, marked bytes.Buffer
		if err := api.MergeRaw(parts, &merged, false, letters.PdfConf()); err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		conf := letters.PdfConf()
		conf.WriteObjectStream, conf.WriteXRefStream = false, false // for canonicalPDF
		if err := api.AddBookmarks(bytes.NewReader(merged.Bytes()), &marked, bms, true, conf); err != nil {
			return fmt.Errorf("signets : %w", err)
		}
		out, err := letters.CanonicalPDF(marked.Bytes())
		if err != nil {
			return err
		}
		_, err = w.Write(letters.PinDates(out, opt.Now))
		return err
	})
	if err != nil {
		return "", err
	}
	return path, nil
}
