package assemble

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"necdossier/assemble/french"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/render"
	"necdossier/assemble/workbook"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Candidate is one candidate found in a batch folder: a workbook, and the
// folder its annexes must stay inside.
type Candidate struct {
	Name     string // the folder's name, or the workbook's name without extension
	Workbook string // path of the workbook
	// Output is the dossier's file name in the output folder, unique in the
	// batch; Note says why it is not the plain slug of Name ("" when it is).
	Output  string
	Note    string
	flat    bool  // a workbook lying directly in the batch folder: only its neighbours are read
	problem error // why the folder cannot be built, found while listing
}

// FindCandidates lists the candidates of dir: each sub-folder holding one
// workbook (.xlsx) is a candidate, and so is each workbook lying directly
// in dir. Hidden files and folders, and Office's lock files (~$…), are
// skipped. Symbolic links are never followed.
func FindCandidates(dir string, skip ...string) ([]Candidate, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("dossier des candidatures %s : %w", dir, unwrapPath(err))
	}
	var list []Candidate
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
			continue
		}
		path := filepath.Join(dir, name)
		if sameAsAny(path, skip) {
			continue // the output folder, when it lies inside the candidates'
		}
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			// Never followed, and never in silence: a link to a folder or a
			// workbook is a failed candidate saying so.
			st, err := os.Stat(path)
			if err != nil || !(st.IsDir() || strings.EqualFold(filepath.Ext(name), ".xlsx")) {
				continue
			}
			cname := name
			if !st.IsDir() {
				cname = strings.TrimSuffix(name, filepath.Ext(name))
			}
			list = append(list, Candidate{Name: cname, Workbook: path,
				problem: errors.New("lien symbolique, non suivi : placez le dossier ou le classeur lui-même dans le dossier des candidatures")})
		case e.Type().IsRegular() && strings.EqualFold(filepath.Ext(name), ".xlsx"):
			list = append(list, Candidate{Name: strings.TrimSuffix(name, filepath.Ext(name)), Workbook: path, flat: true})
		case e.Type().IsRegular() && otherWorkbook(name) != "":
			list = append(list, Candidate{Name: strings.TrimSuffix(name, filepath.Ext(name)), Workbook: path,
				problem: errors.New(otherWorkbook(name))})
		case e.IsDir():
			wb, err := folderWorkbook(path)
			if errors.Is(err, errNoWorkbook) {
				// Listed all the same: nothing received is lost.
				list = append(list, Candidate{Name: name, Workbook: path, problem: noWorkbook(path)})
				continue
			}
			if err != nil {
				// Reported as a failed candidate, with its reason.
				list = append(list, Candidate{Name: name, Workbook: path,
					problem: fmt.Errorf("le dossier doit contenir exactement un classeur .xlsx ; il en contient %v", err)})
				continue
			}
			list = append(list, Candidate{Name: name, Workbook: wb})
		}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("dossier des candidatures %s : aucun classeur .xlsx, ni dossier de candidat qui en contienne un", dir)
	}
	nameOutputs(list)
	return list, nil
}

// reserved are the names of the files a batch writes besides the dossiers
// (comparaison.pdf/.xlsx/.csv, impression.pdf, manifests): no candidate may
// take them.
var reserved = []string{"comparaison", "impression", "manifeste", "manifest"}

// nameOutputs gives each candidate its dossier's file name: the slug of its
// name, or, when that is reserved or already taken by a candidate listed
// before (« Ville A » and « Ville_A » are both Ville-A), the slug with a
// visible suffix -2, -3…, and a note saying so. The list comes sorted by
// name, so the same folder gives the same names from run to run.
func nameOutputs(list []Candidate) {
	taken := map[string]string{}
	for _, r := range reserved {
		taken[r] = ""
	}
	for i := range list {
		c := &list[i]
		base := french.Slug(c.Name)
		name := base
		for n := 2; ; n++ {
			if _, ok := taken[strings.ToLower(name)]; !ok {
				break
			}
			name = fmt.Sprintf("%s-%d", base, n)
		}
		if name != base {
			if by, ok := taken[strings.ToLower(base)]; ok && by != "" {
				c.Note = fmt.Sprintf("nom de sortie %s.pdf déjà pris par « %s » : dossier écrit sous %s.pdf", base, Printable(by), name)
			} else {
				c.Note = fmt.Sprintf("nom de sortie %s.pdf réservé au lot : dossier écrit sous %s.pdf", base, name)
			}
		}
		taken[strings.ToLower(name)] = c.Name
		c.Output = name + ".pdf"
	}
}

// folderWorkbook finds the single workbook of a candidate's folder.
func folderWorkbook(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range entries {
		n := e.Name()
		// A link counts, so that buildCandidate refuses it by name rather
		// than the folder being passed over in silence.
		file := e.Type().IsRegular() || e.Type()&fs.ModeSymlink != 0
		if file && strings.EqualFold(filepath.Ext(n), ".xlsx") && !strings.HasPrefix(n, "~$") && !strings.HasPrefix(n, ".") {
			found = append(found, filepath.Join(dir, n))
		}
	}
	switch len(found) {
	case 0:
		return "", errNoWorkbook
	case 1:
		return found[0], nil
	}
	names := make([]string, len(found))
	for i, f := range found {
		names[i] = filepath.Base(f)
	}
	return "", fmt.Errorf("%d classeurs : %s", len(found), strings.Join(names, ", "))
}

var errNoWorkbook = errors.New("aucun classeur")

// otherWorkbook says what to do with a workbook in another format than
// .xlsx, and "" for any other file.
func otherWorkbook(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".ods":
		return "classeur au format OpenDocument (.ods) : à réenregistrer au format Excel (.xlsx) avec LibreOffice (Fichier › Enregistrer sous)"
	case ".xls":
		return "classeur Excel ancien (.xls) : à réenregistrer au format .xlsx"
	case ".numbers":
		return "classeur Numbers : à exporter au format Excel (.xlsx)"
	}
	return ""
}

// noWorkbook says why a candidate's folder without an .xlsx workbook
// gives no dossier, naming what it holds instead.
func noWorkbook(dir string) error {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") || strings.HasPrefix(n, "~$") {
			continue
		}
		if msg := otherWorkbook(n); msg != "" {
			return fmt.Errorf("« %s » : %s", Printable(n), msg)
		}
		names = append(names, Printable(n))
	}
	switch {
	case len(names) == 0:
		return errors.New("dossier vide : aucun classeur .xlsx reçu")
	case len(names) > 4:
		names = append(names[:4], "…")
	}
	return fmt.Errorf("aucun classeur .xlsx dans le dossier (il contient : %s)", strings.Join(names, ", "))
}

// sameAsAny reports whether path is the same file or folder as one of others.
func sameAsAny(path string, others []string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, o := range others {
		if ost, err := os.Stat(o); err == nil && os.SameFile(st, ost) {
			return true
		}
	}
	return false
}

// BatchOptions says how to run a batch.
type BatchOptions struct {
	Dir      string // the folder of candidates
	OutDir   string // where the dossiers and the comparison go
	Jobs     int    // candidates in flight at once (0 → number of CPUs)
	Call     *model.Call
	Fonts    fs.FS
	Now      time.Time
	Print    bool     // also write impression.pdf, every dossier for double-sided printing
	Progress Progress // nil → silent
	// Received is when the candidacies were received, written in each
	// regenerated dossier (zero: each workbook's modification time).
	Received time.Time
	// Notes is a previous comparaison.xlsx whose reviewers' notes, scores
	// and weights are carried into the new comparison ("" → none).
	Notes string

	weights map[string]float64 // read from Notes
}

// BatchResult is what a batch did.
type BatchResult struct {
	Outcomes []Outcome // one per candidate, in the candidates' order
	Files    []string  // the comparison and print files written
}

// Failed counts the candidates whose dossier could not be made.
func (r *BatchResult) Failed() int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Err != nil {
			n++
		}
	}
	return n
}

// Progress is told of each candidate as it starts and ends.
type Progress interface {
	Start(total int)
	Done(o Outcome, finished, total int)
}

// Outcome is what became of one candidate.
type Outcome struct {
	Candidate Candidate
	Output    string // the dossier written, "" on failure
	Manifest  string // its manifest
	Pages     int
	Size      int64
	Errors    int // error findings (marked in the regenerated dossier)
	Warnings  int
	Err       error     // why no dossier was made, nil when it was
	Row       model.Row // the candidate in the comparison: its state, and its figures when read
	Outline   []letters.Bookmark
	OwnPages  int // the dossier's own pages, before the letters'
	Elapsed   time.Duration
}

// RunBatch builds every candidate of opt.Dir into opt.OutDir/<candidate>.pdf,
// several at once, then writes the comparison of the candidates and, with
// opt.Print, the print bundle. A candidate that fails, for whatever reason,
// panics included, is reported in its Outcome and the others go on.
func RunBatch(opt BatchOptions) (*BatchResult, error) {
	var notes map[string]workbook.Notes
	var weights map[string]float64
	if opt.Notes != "" {
		data, err := os.ReadFile(opt.Notes)
		if err != nil {
			return nil, fmt.Errorf("notes des instructeurs %s : %w", opt.Notes, unwrapPath(err))
		}
		if notes, weights, err = workbook.ReadNotes(bytes.NewReader(data), opt.Call); err != nil {
			return nil, fmt.Errorf("notes des instructeurs %s : %w", opt.Notes, err)
		}
	}
	outcomes, err := buildAll(opt)
	if err != nil {
		return nil, err
	}
	for i := range outcomes {
		if n, ok := notes[outcomes[i].Candidate.Name]; ok {
			outcomes[i].Row.Note, outcomes[i].Row.Scores = n.Note, n.Scores
		}
	}
	opt.weights = weights
	// The comparison and the print bundle are tried both; a failure of
	// either comes back with the outcomes, for the summary.
	res := &BatchResult{Outcomes: outcomes}
	files, comparison, errs := writeComparison(opt, outcomes)
	res.Files = append(res.Files, files...)
	if opt.Print && comparison != nil {
		f, err := writePrintBundle(opt, outcomes, comparison, letters.PageCount(comparison))
		if err == nil {
			res.Files = append(res.Files, f)
		}
		errs = errors.Join(errs, err)
	}
	// What the previous batch wrote and this one did not goes: a candidate
	// removed, or failed this time, leaves no old dossier to be printed.
	written := slices.Clone(res.Files)
	for _, o := range outcomes {
		if o.Output != "" {
			written = append(written, o.Output)
		}
		if o.Manifest != "" {
			written = append(written, o.Manifest)
		}
	}
	return res, errors.Join(errs, retire(opt.OutDir, written))
}

// buildAll builds the candidates, opt.Jobs at a time; the outcomes come back
// in the candidates' order.
func buildAll(opt BatchOptions) ([]Outcome, error) {
	if sameAsAny(opt.Dir, []string{opt.OutDir}) {
		return nil, fmt.Errorf("le dossier de sortie %s est le dossier des candidatures : choisissez-en un autre (-o), les dossiers produits ne doivent pas se mêler aux fichiers des candidats", opt.OutDir)
	}
	cands, err := FindCandidates(opt.Dir, opt.OutDir)
	if err != nil {
		return nil, err
	}
	if err := claimOutDir(opt.OutDir); err != nil {
		return nil, err
	}
	cleanStale(opt.OutDir)
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	if opt.Progress != nil {
		opt.Progress.Start(len(cands))
	}
	outcomes := make([]Outcome, len(cands))
	var (
		mu       sync.Mutex
		finished int
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, jobs)
	for i, cand := range cands {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o := buildCandidate(cand, opt)
			mu.Lock()
			defer mu.Unlock()
			outcomes[i] = o
			finished++
			if opt.Progress != nil {
				opt.Progress.Done(o, finished, len(cands))
			}
		}()
	}
	wg.Wait()
	return outcomes, nil
}

// buildCandidate builds one candidate, turning a panic into a failure.
func buildCandidate(cand Candidate, opt BatchOptions) (o Outcome) {
	start := time.Now()
	o.Candidate = cand
	defer func() {
		if r := recover(); r != nil {
			o.Err = fmt.Errorf("erreur interne (%v)", r)
			o.Output, o.Manifest = "", ""
		}
		if o.Err != nil {
			o.Row = model.Row{Dossier: cand.Name, Candidat: o.Row.Candidat, Etat: model.NonProduit, Motif: o.Err.Error()}
		}
		o.Row.Dossier = cand.Name
		o.Elapsed = time.Since(start)
	}()
	if cand.problem != nil {
		o.Err = cand.problem
		return o
	}
	// The workbook must be a regular file of the candidate's folder, not a
	// link leading elsewhere, and of a sane size.
	st, err := os.Lstat(cand.Workbook)
	switch {
	case err != nil:
		o.Err = err
		return o
	case !st.Mode().IsRegular():
		o.Err = errors.New("le classeur n’est pas un fichier ordinaire (lien symbolique refusé)")
		return o
	case st.Size() > maxWorkbookBytes:
		o.Err = fmt.Errorf("classeur trop lourd (%s ; au plus %s)", Size(st.Size()), Size(maxWorkbookBytes))
		return o
	}
	received := opt.Received
	if received.IsZero() {
		received = st.ModTime()
	}
	manifest := filepath.Join(opt.OutDir, strings.TrimSuffix(cand.Output, ".pdf")+".manifeste.json")
	res, err := Build(BuildOptions{
		Workbook: cand.Workbook,
		Output:   filepath.Join(opt.OutDir, cand.Output),
		Manifest: manifest,
		Call:     opt.Call,
		Fonts:    opt.Fonts,
		Now:      opt.Now,
		flat:     cand.flat,
		hidden:   []string{opt.OutDir},
		reviewer: true,
		received: received,
	})
	if res != nil {
		for _, f := range res.Findings {
			switch f.Severity {
			case model.Erreur:
				o.Errors++
			case model.Avertissement:
				o.Warnings++
			}
		}
		if res.Row != nil {
			o.Row = *res.Row
		}
		o.Output, o.Pages, o.Size, o.Outline, o.OwnPages = res.Output, res.Pages, res.Size, res.Outline, res.OwnPages
		if err == nil {
			o.Manifest = manifest
		}
	}
	if err != nil {
		o.Output = ""
		if errors.Is(err, ErrFindings) {
			err = fmt.Errorf("%s dans le classeur, dont %s ; détail : necdossier check %s",
				french.Plural(o.Errors, "aucune erreur", "erreur", "erreurs"), firstError(res.Findings), Printable(cand.Workbook))
		}
		o.Err = err
	}
	return o
}

// WriteSummary writes the table that closes a batch: one line per
// candidate, then the count of successes and failures.
func WriteSummary(w io.Writer, outcomes []Outcome) {
	width := len("candidat")
	for _, o := range outcomes {
		width = max(width, len([]rune(Printable(o.Candidate.Name))))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", width-len([]rune(s))) }
	fmt.Fprintf(w, "%s  %-7s  %6s  %9s  %s\n", pad("candidat"), "état", "pages", "taille", "détail")
	failed := 0
	for _, o := range outcomes {
		state, pages, size, detail := "ok", fmt.Sprint(o.Pages), Size(o.Size), o.Output
		if o.Err != nil {
			failed++
			state, pages, size, detail = "ÉCHEC", "-", "-", o.Err.Error()
		} else if o.Errors+o.Warnings > 0 {
			state = "à vérif."
			var what []string
			if o.Errors > 0 {
				what = append(what, french.Plural(o.Errors, "", "erreur marquée dans le dossier", "erreurs marquées dans le dossier"))
			}
			if o.Warnings > 0 {
				what = append(what, french.Plural(o.Warnings, "", "avertissement", "avertissements"))
			}
			detail += " (" + strings.Join(what, ", ") + ")"
		}
		fmt.Fprintf(w, "%s  %-7s  %6s  %9s  %s\n", pad(Printable(o.Candidate.Name)), state, pages, size, Printable(detail))
	}
	for _, o := range outcomes {
		if o.Candidate.Note != "" {
			fmt.Fprintf(w, "attention : « %s » : %s\n", Printable(o.Candidate.Name), o.Candidate.Note)
		}
	}
	fmt.Fprintf(w, "%s, %s\n", french.Plural(len(outcomes)-failed, "aucun dossier produit", "dossier produit", "dossiers produits"), french.Plural(failed, "aucun échec", "échec", "échecs"))
}

// sortedRows returns the comparison rows of every candidate, in the one
// order of the reviewers' outputs (model.SortRows): a candidate whose
// dossier could not be made is there, with its state and why.
func sortedRows(outcomes []Outcome) []model.Row {
	rows := make([]model.Row, len(outcomes))
	for i, o := range outcomes {
		rows[i] = o.Row
	}
	model.SortRows(rows)
	return rows
}

// sortedOutcomes returns the outcomes in the same order as sortedRows.
func sortedOutcomes(outcomes []Outcome) []Outcome {
	out := slices.Clone(outcomes)
	slices.SortStableFunc(out, func(a, b Outcome) int {
		if c := french.Compare(a.Row.Name(), b.Row.Name()); c != 0 {
			return c
		}
		return french.Compare(a.Candidate.Name, b.Candidate.Name)
	})
	return out
}

// NewProgress reports a batch's progress on w: a bar redrawn in place on a
// terminal, one plain line per candidate otherwise (logs, CI).
func NewProgress(w io.Writer, terminal bool) Progress {
	return &progress{w: w, tty: terminal}
}

type progress struct {
	w   io.Writer
	tty bool
}

func (p *progress) Start(total int) {
	if p.tty {
		p.bar(0, total, "")
	} else {
		fmt.Fprintf(p.w, "%s à traiter\n", french.Plural(total, "aucune candidature", "candidature", "candidatures"))
	}
}

func (p *progress) Done(o Outcome, finished, total int) {
	state := "ok"
	if o.Err != nil {
		state = "ÉCHEC"
	}
	if p.tty {
		p.bar(finished, total, Printable(o.Candidate.Name)+" : "+state)
		if finished == total {
			fmt.Fprintln(p.w)
		}
		return
	}
	fmt.Fprintf(p.w, "[%d/%d] %s : %s (%.1f s)\n", finished, total, Printable(o.Candidate.Name), state, o.Elapsed.Seconds())
}

// bar redraws "[#######.......] 3/7 name" on the current line.
func (p *progress) bar(done, total int, last string) {
	const width = 30
	n := 0
	if total > 0 {
		n = done * width / total
	}
	if r := []rune(last); len(r) > 40 {
		last = string(r[:39]) + "…"
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %-42s", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total, last)
}

// writeComparison writes comparaison.csv, comparaison.xlsx and
// comparaison.pdf in opt.OutDir from the candidates that could be read.
func writeComparison(opt BatchOptions, outcomes []Outcome) ([]string, []byte, error) {
	rows := sortedRows(outcomes)
	var files []string
	pdf, err := comparisonPDF(opt.Call, rows, render.ComparisonOptions{Fonts: opt.Fonts, Created: opt.Now})
	if err != nil {
		return nil, nil, fmt.Errorf("comparaison.pdf : %w", err)
	}
	for _, out := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"comparaison.pdf", func(w io.Writer) error { _, err := w.Write(pdf); return err }},
		{"comparaison.xlsx", func(w io.Writer) error { return workbook.WriteComparison(w, opt.Call, rows, opt.weights) }},
		{"comparaison.csv", func(w io.Writer) error { return WriteCompareCSV(w, opt.Call, rows) }},
	} {
		path := filepath.Join(opt.OutDir, out.name)
		if err := writeAtomic(path, false, out.write); err != nil {
			return files, pdf, fmt.Errorf("%s : %w", path, err)
		}
		files = append(files, path)
	}
	return files, pdf, nil
}

// comparisonPDF is comparaison.pdf: drawn, finished, and tagged
// (PDF/UA-1) with the structure render built, as a dossier without
// letters is.
func comparisonPDF(call *model.Call, rows []model.Row, opt render.ComparisonOptions) ([]byte, error) {
	return taggedSheet(func(w io.Writer) (*render.Layout, error) {
		return render.Comparison(w, call, rows, opt)
	}, opt.Created)
}

// taggedSheet is a sheet that draw renders with its structure (the
// comparison, the bundle's cover and index, a candidacy not built),
// finished and tagged (PDF/UA-1) by letters.Merge with no letters, dated
// created.
func taggedSheet(draw func(io.Writer) (*render.Layout, error), created time.Time) ([]byte, error) {
	var lay *render.Layout
	pdf, err := finished(func(w io.Writer) error {
		var err error
		lay, err = draw(w)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	access := &letters.Accessibility{Tree: lay.Tree, Title: lay.Title, Lang: "fr-FR", Claim: true}
	if err := letters.Merge(&out, bytes.NewReader(pdf), nil, letters.MergePlan{Access: access, Date: created}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// firstError quotes the first error of the findings, for a one-line report.
func firstError(fs []model.Finding) string {
	for _, f := range fs {
		if f.Severity == model.Erreur {
			return f.Place() + " : " + f.Message
		}
	}
	return "aucune"
}

// ParseDate reads a date as a reviewer types it: 15/07/2024 or
// 2024-07-15; "" is the zero time.
func ParseDate(s string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"02/01/2006", "2/1/2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date attendue sous la forme JJ/MM/AAAA, trouvé « %s »", Printable(s))
}
