package assemble

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"necdossier/assemble/french"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
)

// BuildOptions says what to build and where.
type BuildOptions struct {
	Workbook string      // path of the workbook
	Output   string      // PDF to write; "" → <file_prefix>-<slug>.pdf in OutDir
	OutDir   string      // folder of the default output ("" → current folder)
	Call     *model.Call // the call applied to
	Fonts    fs.FS       // the typeface (fonts.FS)
	Now      time.Time   // date written in the dossier
	MaxSize  int64       // warn above this size in bytes (0 → 10 MB)
	Email    bool        // also write the e-mail draft (.eml) beside the PDF
	Manifest string      // also write what went in and came out (JSON) to this path
	Split    bool        // over MaxSize, write the annexes as a second PDF

	// For the batch: flat limits the inputs to the files lying directly
	// beside the workbook; hidden folders are never read.
	flat     bool
	hidden   []string
	reviewer bool      // regenerate despite errors (Options.Reviewer)
	received time.Time // when the files were received
}

// BuildResult tells what Build did.
type BuildResult struct {
	Output     string             // the dossier written
	Pages      int                // its pages: annexes included, unless split apart
	Size       int64              // its size in bytes
	Findings   []model.Finding    // what the checks found (warnings only when Build succeeded)
	Warnings   []string           // about the build itself: letters, size
	Row        *model.Row         // the candidate's figures for the comparison (nil when unreadable)
	Email      string             // the e-mail draft written, if asked
	Annexes    string             // the annexes' PDF, when the dossier was split…
	AnnexPages int                // …its pages, cover included,
	AnnexSize  int64              // …and its size
	Outline    []letters.Bookmark // the dossier's outline
	OwnPages   int                // the dossier's own pages, before the letters'
}

// Init writes the blank workbook for call to path ("" → the call's default
// name). It refuses to replace an existing file unless force is set, and
// returns the path written.
func Init(call *model.Call, path string, force bool) (string, error) {
	if path == "" {
		path = call.WorkbookName
	}
	err := writeAtomic(path, !force, func(w io.Writer) error {
		return workbook.Write(w, call, nil)
	})
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s existe déjà : choisissez un autre nom (-o) ou ajoutez --force pour le remplacer", path)
	}
	return path, err
}

// openFolder opens the workbook's folder as the root of everything a
// build reads: nothing can leave it (no "..", no absolute path, no symbolic
// link leading out). It returns the root and the workbook's name in it.
func openFolder(path string) (*os.Root, string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", workbook.FileError(path, err)
	}
	if st.IsDir() {
		return nil, "", workbook.FileError(path, workbook.ErrIsDir)
	}
	root, err := os.OpenRoot(filepath.Dir(path))
	if err != nil {
		return nil, "", workbook.FileError(path, err)
	}
	return root, filepath.Base(path), nil
}

// CheckFile reads the workbook at path and checks it against call, with the
// annexes looked up in the workbook's folder and read in full, as build
// reads them. The findings come in the workbook's order.
func CheckFile(path string, call *model.Call) ([]model.Finding, error) {
	root, name, err := openFolder(path)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return CheckFS(newFolderFS(root, false), name, Options{Call: call, Source: path})
}

// Build reads and checks the workbook, then writes the dossier: rendered
// pages followed by the support letters, all numbered. The output appears
// only when everything succeeded; it never replaces an input.
func Build(opt BuildOptions) (*BuildResult, error) {
	root, name, err := openFolder(opt.Workbook)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	fsys := newFolderFS(root, opt.flat, opt.hidden...)
	bo := Options{Call: opt.Call, Fonts: opt.Fonts, Now: opt.Now, MaxSize: opt.MaxSize, Split: opt.Split, Email: opt.Email, Source: opt.Workbook,
		Reviewer: opt.reviewer, Received: opt.received}
	if opt.Output != "" {
		bo.Name = filepath.Base(opt.Output)
	}
	r, err := BuildFS(fsys, name, bo)
	if r == nil {
		return nil, err
	}
	res := &BuildResult{Findings: r.Findings, Row: r.Row, Warnings: r.Warnings, Outline: r.Outline, OwnPages: r.OwnPages}
	if err != nil {
		return res, err
	}
	out := opt.Output
	if out == "" {
		out = filepath.Join(opt.OutDir, r.Parts[0].Name)
	}
	// Every output is placed beside the dossier, and checked against every
	// input before anything is written.
	paths := make([]string, len(r.Parts))
	for i, p := range r.Parts {
		paths[i] = filepath.Join(filepath.Dir(out), p.Name)
	}
	paths[0] = out
	outputs := append([]string(nil), paths...)
	if opt.Manifest != "" {
		outputs = append(outputs, opt.Manifest)
	}
	dir, _ := filepath.Abs(filepath.Dir(opt.Workbook))
	inputs := []string{opt.Workbook}
	for _, in := range r.Inputs[1:] {
		inputs = append(inputs, filepath.Join(dir, filepath.FromSlash(in.Path)))
	}
	if err := notAnInput(outputs, inputs); err != nil {
		return res, err
	}
	// The parts appear together, or, when a later one fails, the earlier
	// ones are removed.
	var written []ManifestFile
	for i, p := range r.Parts {
		if err := writeAtomic(paths[i], false, func(w io.Writer) error { _, err := w.Write(p.Data); return err }); err != nil {
			for _, q := range paths[:i] {
				os.Remove(q)
			}
			return res, err
		}
		kind := "pdf"
		switch p.Role {
		case "dossier":
			res.Output, res.Pages, res.Size = paths[i], p.Pages, int64(len(p.Data))
		case "annexes":
			res.Annexes, res.AnnexPages, res.AnnexSize = paths[i], p.Pages, int64(len(p.Data))
		case "email":
			res.Email, kind = paths[i], "eml"
		}
		if opt.Manifest != "" { // a digest of the whole file, only for the manifest
			written = append(written, fileEntry(paths[i], p.Role, kind, p.Pages, p.Data))
		}
	}
	if opt.Manifest != "" {
		m := &Manifest{
			Tool: "necdossier", Call: opt.Call.ID, Built: opt.Now.UTC(), Fingerprint: r.Row.Empreinte,
			Inputs:   make([]ManifestFile, len(r.Inputs)),
			Outputs:  written,
			Findings: notes(r.Findings),
			Warnings: r.Warnings,
		}
		for i, in := range r.Inputs {
			in.Path = inputs[i]
			m.Inputs[i] = in
		}
		if err := writeAtomic(opt.Manifest, false, func(w io.Writer) error { return WriteManifest(w, m) }); err != nil {
			return res, err
		}
	}
	return res, nil
}

// draftFor is the e-mail that sends the dossier to the call's recipient.
// When the dossier was split because it was too heavy for an e-mail, only
// its first part is attached, and the body says how the annexes follow.
func draftFor(c *model.Candidature, call *model.Call, now time.Time, parts []Part, limit int64) Draft {
	col := c.Collectivite
	attach := parts[:1]
	var b strings.Builder
	fmt.Fprintf(&b, "Madame, Monsieur,\n\n")
	fmt.Fprintf(&b, "Veuillez trouver ci-joint le dossier de candidature de la collectivité « %s » à la co-organisation de %s.\n\n", col.Nom, call.Title)
	for _, p := range attach {
		fmt.Fprintf(&b, "Pièce jointe : %s (%s, %s)\n", p.Name, Size(int64(len(p.Data))), french.Plural(p.Pages, "0 page", "page", "pages"))
	}
	fmt.Fprintf(&b, "\nLe dossier comprend :\n")
	for _, s := range call.Sections {
		fmt.Fprintf(&b, "- %s\n", s.Title)
	}
	for _, a := range c.Annexes {
		t := a.Titre
		if t == "" {
			t = a.Fichier
		}
		if a.Organisation != "" {
			t += " (" + a.Organisation + ")"
		}
		fmt.Fprintf(&b, "  - annexe : %s\n", t)
	}
	if len(parts) > 1 {
		p := parts[1]
		fmt.Fprintf(&b, "\nLes annexes (%s, %s) dépassent avec le dossier la taille qu’une messagerie accepte (%s) : "+
			"nous vous les adressons par France transfert (https://francetransfert.numerique.gouv.fr).\n",
			p.Name, Size(int64(len(p.Data))), Size(limit))
	}
	fmt.Fprintf(&b, "\nPersonne à contacter : %s", col.ContactNom)
	if col.ContactFonction != "" {
		fmt.Fprintf(&b, ", %s", col.ContactFonction)
	}
	fmt.Fprintf(&b, "\n%s %s\n\n", col.ContactEmail, col.ContactTel)
	fmt.Fprintf(&b, "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.\n\n%s\n", col.Nom)
	d := Draft{
		To:      []*mail.Address{{Name: call.Recipient.Name, Address: call.Recipient.Email}},
		Subject: strings.ReplaceAll(call.EmailSubject, "{collectivite}", col.Nom),
		Body:    b.String(),
		Date:    now,
	}
	// The boundary is a digest of the attachments: the same dossier gives
	// the same message (it cannot occur in their base64, which has no « - »).
	h := sha256.New()
	for _, p := range attach {
		d.Attachments = append(d.Attachments, Attachment{Name: p.Name, ContentType: "application/pdf", Data: p.Data})
		h.Write(p.Data)
	}
	d.Boundary = "necdossier-" + hex.EncodeToString(h.Sum(nil))[:24]
	if addr, err := mail.ParseAddress(col.ContactEmail); err == nil {
		d.From = &mail.Address{Name: col.ContactNom, Address: addr.Address}
	}
	return d
}

// notAnInput refuses outputs that would replace an input (the same file,
// through links too) or one another.
func notAnInput(outputs, inputs []string) error {
	var ins []os.FileInfo
	for _, in := range inputs {
		if st, err := os.Stat(in); err == nil {
			ins = append(ins, st)
		} else {
			ins = append(ins, nil)
		}
	}
	for i, out := range outputs {
		for _, other := range outputs[:i] {
			if filepath.Clean(other) == filepath.Clean(out) {
				return fmt.Errorf("%s est demandé pour deux sorties : choisissez des noms différents", out)
			}
		}
		ost, err := os.Stat(out)
		if err != nil {
			continue // does not exist yet: cannot be an input
		}
		for j, ist := range ins {
			if ist != nil && os.SameFile(ost, ist) {
				return fmt.Errorf("%s est un fichier d’entrée (%s) : choisissez un autre nom de sortie", out, inputs[j])
			}
		}
	}
	return nil
}

// writeAtomic writes path through a temporary file in the same folder,
// renamed over path only once write succeeded: a failed or interrupted run
// leaves nothing behind. With exclusive, an existing path is never replaced
// (fs.ErrExist).
func writeAtomic(path string, exclusive bool, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s est un dossier : indiquez un nom de fichier", path)
	}
	if len(filepath.Base(path)) > 255 {
		return fmt.Errorf("écriture de %s : %w", path, ioError(syscall.ENAMETOOLONG))
	}
	tmp, err := createTemp(dir)
	if err != nil {
		return fmt.Errorf("impossible d’écrire dans %s : %w", dirName(dir), ioError(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
		releaseTemp(tmp.Name())
	}()
	failed := func(err error) error { return fmt.Errorf("écriture de %s : %w", path, ioError(err)) }
	// CreateTemp makes the file private (0600); the result is an ordinary
	// document, readable like any other the user saves.
	if err := tmp.Chmod(0o644); err != nil {
		return failed(err)
	}
	// 64 KB: what is written whole (a dossier's bytes) goes past the
	// buffer in one write; what is streamed (the print bundle) leaves in
	// 64 KB writes.
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		if isSystem(err) {
			return failed(err)
		}
		return err
	}
	if err := bw.Flush(); err != nil {
		return failed(err)
	}
	if err := tmp.Sync(); err != nil {
		return failed(err)
	}
	if err := tmp.Close(); err != nil {
		return failed(err)
	}
	if exclusive {
		// A hard link fails when path exists, with no window for a race.
		if err := os.Link(tmp.Name(), path); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return err
			}
			return failed(err)
		}
		os.Remove(tmp.Name())
		return nil
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return failed(err)
	}
	return nil
}

func dirName(dir string) string {
	if dir == "." || dir == "" {
		return "le dossier courant"
	}
	return "le dossier " + dir
}

// unwrapPath drops the Go operation and path from an *fs.PathError, which
// the caller's message already names, and says the usual causes in French.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return ioError(err)
}

// Size formats a size in bytes the French way: "850 ko", "2,4 Mo".
func Size(n int64) string {
	switch {
	case n < 1000:
		return french.Number(n) + french.NBSP + "o"
	case n < 1000*1000:
		return french.Number((n+500)/1000) + french.NBSP + "ko"
	default:
		return strings.TrimSuffix(french.Decimal(float64(n)/1e6, 1), ",0") + french.NBSP + "Mo"
	}
}
