package assemble

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
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
	front := frontPages(len(done))
	entries := make([]bundleEntry, len(done))
	next := front + 1
	for i, o := range done {
		name := o.Candidate.Name
		if o.Row != nil && o.Row.Candidat != "" {
			name = o.Row.Candidat
		}
		entries[i] = bundleEntry{Name: name, Pages: o.Pages, Start: next}
		next += o.Pages + o.Pages%2
	}

	var frontPDF, blank bytes.Buffer
	if err := renderBundleFront(&frontPDF, opt.Call, entries, front, opt.Fonts, opt.Now); err != nil {
		return "", fmt.Errorf("%s : %w", path, err)
	}
	if err := renderBlankPage(&blank, opt.Fonts, opt.Now); err != nil {
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
		bms = append(bms, pdfcpu.Bookmark{Title: bundleName(i, entries[i].Name), PageFrom: entries[i].Start})
	}
	err := writeAtomic(path, false, func(w io.Writer) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("fusion : erreur interne : %v", p)
			}
		}()
		var merged bytes.Buffer
		if err := api.MergeRaw(parts, &merged, false, pdfConf()); err != nil {
			return fmt.Errorf("fusion : %w", err)
		}
		return api.AddBookmarks(bytes.NewReader(merged.Bytes()), w, bms, true, pdfConf())
	})
	if err != nil {
		return "", err
	}
	return path, nil
}

// pdfDates and pdfID find what pdfcpu stamps on every file it writes: the
// time of writing as CreationDate and ModDate, and a file identifier
// hashed from that time.
var (
	pdfDates = regexp.MustCompile(`/(CreationDate|ModDate)\s*\(D:[0-9]{14}[-+Z][0-9']*\)`)
	pdfID    = regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]`)
)

// pinDates makes a PDF written by pdfcpu reproducible: its dates become t
// (the build's date, SOURCE_DATE_EPOCH when set) and its identifier a
// digest of its content. Every replacement has the same length as what it
// replaces, so the cross-reference offsets stay right; a date whose
// length would change is left as it is.
func pinDates(pdf []byte, t time.Time) []byte {
	out := pdfDates.ReplaceAllFunc(pdf, func(m []byte) []byte {
		key := m[:bytes.IndexByte(m, '(')]
		repl := append(append([]byte{}, key...), "("+types.DateString(t.UTC())+")"...)
		if len(repl) != len(m) {
			return m
		}
		return repl
	})
	loc := pdfID.FindSubmatchIndex(out)
	if loc == nil {
		return out
	}
	blank := bytes.Clone(out)
	for _, i := range []int{2, 4} {
		copy(blank[loc[i]:loc[i+1]], bytes.Repeat([]byte("0"), 32))
	}
	sum := sha256.Sum256(blank)
	id := strings.ToUpper(hex.EncodeToString(sum[:16]))
	for _, i := range []int{2, 4} {
		copy(out[loc[i]:loc[i+1]], id)
	}
	return out
}
