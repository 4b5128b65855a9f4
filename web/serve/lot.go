package serve

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"necdossier/assemble"
)

// temps are the temporary folders of the batches in progress.
var temps = struct {
	sync.Mutex
	dirs map[string]bool
}{dirs: map[string]bool{}}

// tempDir makes a batch's private folder (0700), registered until removed.
func tempDir() (string, error) {
	dir, err := os.MkdirTemp("", "necdossier-lot-")
	if err == nil {
		temps.Lock()
		temps.dirs[dir] = true
		temps.Unlock()
	}
	return dir, err
}

func removeTemp(dir string) {
	os.RemoveAll(dir)
	temps.Lock()
	delete(temps.dirs, dir)
	temps.Unlock()
}

// RemoveTemporaries removes the folders of the batches in progress: the
// command calls it when interrupted (Ctrl-C, the window closed), before
// exiting.
func RemoveTemporaries() {
	temps.Lock()
	defer temps.Unlock()
	for dir := range temps.dirs {
		os.RemoveAll(dir)
	}
}

// maxZipEntries caps the files of an uploaded zip.
const maxZipEntries = 20000

// lotCandidate is one line of a batch's summary, for the page.
type lotCandidate struct {
	Name     string `json:"name"`
	Output   string `json:"output,omitempty"`
	Pages    int    `json:"pages"`
	Size     int64  `json:"size"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Error    string `json:"error,omitempty"`
	Note     string `json:"note,omitempty"`
}

// lotSummary is the header X-Necdossier-Lot, base64 of its JSON.
type lotSummary struct {
	Candidates []lotCandidate `json:"candidates"`
	Files      []string       `json:"files"` // the zip's entries
	Notes      []string       `json:"notes,omitempty"`
	Error      string         `json:"error,omitempty"` // the comparison or print bundle failed
}

// lot runs a batch on the uploaded folder or zip, in a private temporary
// folder removed before returning, and answers the zip of its outputs.
func (s *Server) lot(w http.ResponseWriter, r *http.Request) {
	root, err := tempDir()
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	defer removeTemp(root)
	raw, in, out := filepath.Join(root, "recu"), filepath.Join(root, "candidatures"), filepath.Join(root, "dossiers")
	for _, d := range []string{raw, in} {
		if err := os.Mkdir(d, 0o700); err != nil {
			fail(w, http.StatusInternalServerError, err.Error())
			return
		}
	}
	// Received files go to raw/N under a number; where they go in the
	// candidates' folder is decided once all the names are known.
	var names []string
	store := func(name string, body io.Reader) error {
		f, err := os.OpenFile(filepath.Join(raw, fmt.Sprint(len(names))), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		names = append(names, name)
		return err
	}
	var zips []string
	fields, err := form(w, r, s.cfg.MaxLot, func(name string, body io.Reader) error {
		if strings.EqualFold(path.Ext(name), ".zip") {
			zips = append(zips, filepath.Join(raw, fmt.Sprint(len(names))))
			return store("", body) // a placeholder, not placed
		}
		if ignored(name) {
			_, err := io.Copy(io.Discard, body)
			return err
		}
		return store(name, body)
	})
	if err == nil {
		for _, z := range zips {
			if err = unzip(z, s.cfg.MaxLot, store); err != nil {
				break
			}
		}
	}
	if err != nil {
		uploadFailed(w, err)
		return
	}
	notes, err := place(raw, in, names)
	if err != nil {
		uploadFailed(w, err)
		return
	}
	now := s.now(fields)
	res, err := assemble.RunBatch(assemble.BatchOptions{
		Dir: in, OutDir: out, Jobs: s.cfg.Jobs, Call: s.cfg.Call, Fonts: s.cfg.Fonts,
		Now: now, Print: fields["impression"] == "1",
	})
	// Messages name the files as the reviewer sent them, never the
	// temporary folder.
	local := strings.NewReplacer(in+string(filepath.Separator), "", out+string(filepath.Separator), "", in, "envoyé", root, "…")
	if res == nil {
		fail(w, http.StatusBadRequest, local.Replace(errText(err)))
		return
	}
	sum := lotSummary{Candidates: []lotCandidate{}, Notes: notes}
	if err != nil {
		sum.Error = local.Replace(err.Error())
	}
	for _, o := range res.Outcomes {
		c := lotCandidate{Name: o.Candidate.Name, Pages: o.Pages, Size: o.Size, Errors: o.Errors, Warnings: o.Warnings, Note: o.Candidate.Note}
		if o.Err != nil {
			c.Error = local.Replace(o.Err.Error())
		} else {
			c.Output = filepath.Base(o.Output)
		}
		sum.Candidates = append(sum.Candidates, c)
	}
	var report bytes.Buffer
	assemble.WriteSummary(&report, res.Outcomes)
	for _, n := range notes {
		fmt.Fprintln(&report, "attention : "+n)
	}
	if sum.Error != "" {
		fmt.Fprintln(&report, "erreur : "+sum.Error)
	}
	zipPath := filepath.Join(root, "lot.zip")
	sum.Files, err = writeZip(zipPath, out, local.Replace(report.String()), now)
	if err != nil {
		fail(w, http.StatusInternalServerError, local.Replace(err.Error()))
		return
	}
	js, _ := json.Marshal(sum)
	f, err := os.Open(zipPath)
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	defer f.Close()
	st, _ := f.Stat()
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="necdossier-lot.zip"`)
	h.Set("Content-Length", fmt.Sprint(st.Size()))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Necdossier-Lot", base64.StdEncoding.EncodeToString(js))
	io.Copy(w, f)
}

// unzip stores the files of the zip at zipPath, refusing names that leave
// the archive's folder (absolute, ..), links, more than maxZipEntries files
// and more than limit bytes once uncompressed.
func unzip(zipPath string, limit int64, store func(name string, body io.Reader) error) error {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return fmt.Errorf("archive zip illisible : %v", err)
	}
	defer zr.Close()
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("archive zip de %d fichiers : au plus %d", len(zr.File), maxZipEntries)
	}
	var total int64
	for _, f := range zr.File {
		mode := f.Mode()
		if mode.IsDir() || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if mode&fs.ModeSymlink != 0 {
			return fmt.Errorf("archive zip : « %s » est un lien symbolique, refusé", assemble.Printable(f.Name))
		}
		name, err := cleanPath(f.Name)
		if err != nil {
			return err
		}
		if !mode.IsRegular() {
			return fmt.Errorf("archive zip : « %s » n’est pas un fichier ordinaire, refusé", assemble.Printable(f.Name))
		}
		if ignored(name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("archive zip : %s : %v", assemble.Printable(f.Name), err)
		}
		// The declared size may lie: what is read counts.
		body := &counted{r: io.LimitReader(rc, limit-total+1)}
		err = store(name, body)
		rc.Close()
		total += body.n
		if total > limit {
			return errTooLarge{limit}
		}
		if err != nil {
			return fmt.Errorf("archive zip : %s : %v", assemble.Printable(f.Name), err)
		}
	}
	return nil
}

type counted struct {
	r io.Reader
	n int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// place moves the received files raw/N into the candidates' folder in: a
// folder that holds all the others is left out (the reviewer chose or
// zipped the folder of candidates), then a file keeps its candidate's
// folder and its base name only: in/candidate/file, or in/file for a
// workbook given alone. It returns notes on files left out.
func place(raw, in string, names []string) ([]string, error) {
	split := make([][]string, len(names))
	for i, n := range names {
		if n != "" {
			split[i] = strings.Split(n, "/")
		}
	}
	for {
		first, common := "", true
		for _, p := range split {
			if p == nil {
				continue
			}
			if len(p) < 3 || (first != "" && p[0] != first) {
				common = false
				break
			}
			first = p[0]
		}
		if !common || first == "" {
			break
		}
		for i, p := range split {
			if p != nil {
				split[i] = p[1:]
			}
		}
	}
	var notes []string
	taken := map[string]string{}
	for i, p := range split {
		if p == nil {
			continue
		}
		dest := p[len(p)-1]
		if len(p) > 1 {
			dest = p[0] + "/" + dest
		}
		key := strings.ToLower(dest)
		if by, ok := taken[key]; ok {
			notes = append(notes, fmt.Sprintf("« %s » laissé de côté : « %s » porte déjà le nom %s", assemble.Printable(names[i]), assemble.Printable(by), assemble.Printable(dest)))
			continue
		}
		taken[key] = names[i]
		target := filepath.Join(in, filepath.FromSlash(dest))
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return nil, err
		}
		if err := os.Rename(filepath.Join(raw, fmt.Sprint(i)), target); err != nil {
			return nil, err
		}
	}
	return notes, nil
}

// writeZip writes the files of dir, then resume.txt, into the zip at
// zipPath and returns the entries' names.
func writeZip(zipPath, dir, report string, date time.Time) ([]string, error) {
	f, err := os.OpenFile(zipPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	var names []string
	add := func(name string, r io.Reader) error {
		method := zip.Deflate
		if ext := strings.ToLower(path.Ext(name)); ext == ".pdf" || ext == ".xlsx" {
			method = zip.Store // already compressed
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: date})
		if err == nil {
			_, err = io.Copy(w, r)
		}
		names = append(names, name)
		return err
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(d.Name(), ".necdossier") {
			return nil // the batch's mark on its folder: not an output
		}
		rel, _ := filepath.Rel(dir, p)
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		return add(filepath.ToSlash(rel), src)
	})
	if err == nil {
		err = add("resume.txt", strings.NewReader(report))
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	return names, err
}
