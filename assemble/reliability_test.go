package assemble

// The reliability suite of issue 17: nothing hangs, nothing is
// overwritten, nothing leaks between candidates, memory stays bounded, an
// interrupted run leaves nothing behind, and every message is French.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
	"necdossier/assemble/workbook/workbooktest"
	"necdossier/fonts"

	"github.com/xuri/excelize/v2"
)

// within runs f and fails the test if it has not returned after d: what
// is tested is that nothing waits, not how fast it goes.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("%s still running after %v: something waits (a named pipe opened?)", what, d)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

// TestFIFONeverWaits: a named pipe named as a letter, as the logo, or
// standing for the workbook is refused at once by check, build and batch.
func TestFIFONeverWaits(t *testing.T) {
	call := testkit.Call(t)
	root := t.TempDir()
	in := filepath.Join(root, "candidatures")
	c := withAnnex(sampleCandidatures()["haut-verdal"], "tube.pdf")
	c.Collectivite.Logo = "logo.png"
	dir := filepath.Join(in, "tube")
	candidateFolder(t, call, dir, c, nil)
	mkfifo(t, filepath.Join(dir, "tube.pdf"))
	mkfifo(t, filepath.Join(dir, "logo.png"))
	mkfifo(t, filepath.Join(root, "classeur.xlsx"))
	wb := filepath.Join(dir, "candidature.xlsx")

	notRegular := func(fs []model.Finding) {
		t.Helper()
		for _, sheet := range []string{workbook.SheetAnnexes, workbook.SheetCollectivite} {
			found := false
			for _, f := range fs {
				found = found || f.Sheet == sheet && f.Cell != "" && strings.Contains(f.Message, "pas un fichier ordinaire")
			}
			if !found {
				t.Errorf("no finding at a cell of %s saying the pipe is not a regular file:\n%s", sheet, testkit.FindingsText(fs))
			}
		}
	}
	within(t, time.Second, "check", func() {
		fs, err := CheckFile(wb, call)
		if err != nil {
			t.Error(err)
			return
		}
		notRegular(fs)
	})
	within(t, time.Second, "build", func() {
		res, err := Build(BuildOptions{Workbook: wb, Output: filepath.Join(root, "d.pdf"), Call: call, Fonts: fonts.FS, Now: july})
		if !errors.Is(err, ErrFindings) {
			t.Errorf("build: %v, want the findings", err)
			return
		}
		notRegular(res.Findings)
	})
	within(t, time.Second, "check of a pipe named .xlsx", func() {
		_, err := CheckFile(filepath.Join(root, "classeur.xlsx"), call)
		if err == nil || !strings.Contains(err.Error(), "pas un fichier ordinaire") {
			t.Errorf("a pipe as the workbook: %v", err)
		}
	})
	within(t, time.Second, "batch", func() {
		res, _ := RunBatch(BatchOptions{Dir: in, OutDir: filepath.Join(root, "sortie"), Jobs: 2, Call: call, Fonts: fonts.FS, Now: july})
		if res == nil || len(res.Outcomes) != 1 || res.Outcomes[0].Errors == 0 {
			t.Errorf("batch: the candidate with pipes has no error marked: %+v", res)
		}
	})
}

// TestLettersCapped: past the cap on a candidate's letters (pages or
// bytes), an error at the row that crosses it, and the rest unread.
func TestLettersCapped(t *testing.T) {
	wb := sampleFolder(t, "haut-verdal")
	dir := filepath.Dir(wb)
	c, _, err := workbook.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	letter := mustRead(t, filepath.Join(dir, c.Annexes[0].Fichier))
	c.Annexes = nil
	for _, n := range []string{"a.pdf", "b.pdf", "c.pdf"} {
		if err := os.WriteFile(filepath.Join(dir, n), letter, 0o644); err != nil {
			t.Fatal(err)
		}
		c.Annexes = append(c.Annexes, model.Annexe{Fichier: n, Titre: "Lettre " + n, Organisation: "Partenaire", Type: "Lettre de soutien"})
	}
	candidateFolder(t, testkit.Call(t), dir, c, nil)
	for _, tc := range []struct {
		name string
		set  func()
		want string
	}{
		{"pages", func() { maxLettersPages = 2 }, "pages"},
		{"bytes", func() { maxLettersBytes = int64(len(letter)) * 3 / 2 }, "par candidature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, b := maxLettersPages, maxLettersBytes
			defer func() { maxLettersPages, maxLettersBytes = p, b }()
			tc.set()
			fs, err := CheckFile(wb, testkit.Call(t))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range fs {
				if strings.Contains(f.Message, "dépassent ensemble") {
					n++
					if f.Severity != model.Erreur || f.Sheet != workbook.SheetAnnexes || !strings.Contains(f.Message, tc.want) {
						t.Errorf("cap finding: %s", f.String())
					}
				}
			}
			if n != 1 {
				t.Errorf("%d cap findings, want 1:\n%s", n, testkit.FindingsText(fs))
			}
		})
	}
}

// TestBuildNoOutputOverAnInput: -o, --eml and the split annexes file may
// not replace the workbook or a letter, and then nothing is written.
func TestBuildNoOutputOverAnInput(t *testing.T) {
	wb := sampleFolder(t, "haut-verdal")
	dir := filepath.Dir(wb)
	c, _, err := workbook.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	letter := mustRead(t, filepath.Join(dir, c.Annexes[0].Fichier))
	// Letters whose names the outputs of -o sortie.pdf would take.
	c.Annexes = append(c.Annexes,
		model.Annexe{Fichier: "sortie.eml", Titre: "Lettre A", Organisation: "A", Type: "Lettre de soutien"},
		model.Annexe{Fichier: "sortie-annexes.pdf", Titre: "Lettre B", Organisation: "B", Type: "Lettre de soutien"})
	candidateFolder(t, testkit.Call(t), dir, c, map[string][]byte{"sortie.eml": letter, "sortie-annexes.pdf": letter})
	out := filepath.Join(dir, "sortie.pdf")
	for _, tc := range []struct {
		name   string
		opt    BuildOptions
		target string
	}{
		{"-o over the workbook", BuildOptions{Output: wb}, wb},
		{"-o over a letter", BuildOptions{Output: filepath.Join(dir, "sortie-annexes.pdf")}, filepath.Join(dir, "sortie-annexes.pdf")},
		{"--eml over a letter", BuildOptions{Output: out, Email: true}, filepath.Join(dir, "sortie.eml")},
		{"--split over a letter", BuildOptions{Output: out, Split: true, MaxSize: 1000}, filepath.Join(dir, "sortie-annexes.pdf")},
		{"--manifest over a letter", BuildOptions{Output: out, Manifest: filepath.Join(dir, "sortie.eml")}, filepath.Join(dir, "sortie.eml")},
		{"--manifest over the dossier", BuildOptions{Output: out, Manifest: out}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := listDir(t, dir)
			var kept []byte
			if tc.target != "" {
				kept = mustRead(t, tc.target)
			}
			opt := tc.opt
			opt.Workbook, opt.Call, opt.Fonts, opt.Now = wb, testkit.Call(t), fonts.FS, july
			if _, err := Build(opt); err == nil {
				t.Fatal("built, want a refusal")
			} else if !strings.Contains(err.Error(), "choisissez") {
				t.Errorf("refusal does not say what to do: %v", err)
			}
			if tc.target != "" && !bytes.Equal(mustRead(t, tc.target), kept) {
				t.Errorf("%s was overwritten", tc.target)
			}
			if after := listDir(t, dir); after != before {
				t.Errorf("files left behind:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// TestBatchNamesUniqueAndReserved: « Ville A » and « Ville_A » get two
// files, a folder « comparaison » or « impression » does not take the
// batch's own files, the summary says so, and each bookmark of the print
// bundle opens its candidate's dossier.
func TestBatchNamesUniqueAndReserved(t *testing.T) {
	call := testkit.Call(t)
	root := t.TempDir()
	in, out := filepath.Join(root, "candidatures"), filepath.Join(root, "sortie")
	letter := sampleFile(t, "haut-verdal", "lettre-departement-aubrelle.pdf")
	base := sampleCandidatures()["haut-verdal"]
	names := []string{"Ville A", "Ville_A", "comparaison", "impression"}
	for i, n := range names {
		c := *withAnnex(base, "lettre.pdf")
		c.Collectivite.Nom = "Collectivité " + string(rune('A'+i))
		candidateFolder(t, call, filepath.Join(in, n), &c, map[string][]byte{"lettre.pdf": letter})
	}
	res, err := RunBatch(BatchOptions{Dir: in, OutDir: out, Jobs: 2, Call: call, Fonts: fonts.FS, Now: july, Print: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, o := range res.Outcomes {
		if o.Err != nil {
			t.Fatalf("%s failed: %v", o.Candidate.Name, o.Err)
		}
		if prev, ok := seen[o.Output]; ok {
			t.Errorf("%s and %s both wrote %s", prev, o.Candidate.Name, o.Output)
		}
		seen[o.Output] = o.Candidate.Name
		base := strings.TrimSuffix(filepath.Base(o.Output), ".pdf")
		if base == "comparaison" || base == "impression" {
			t.Errorf("%s took the reserved name %s", o.Candidate.Name, o.Output)
		}
	}
	var sum bytes.Buffer
	WriteSummary(&sum, res.Outcomes)
	for _, want := range []string{"Ville-A-2.pdf", "comparaison-2.pdf", "impression-2.pdf", "déjà pris par « Ville A »", "réservé"} {
		if !strings.Contains(sum.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, sum.String())
		}
	}
	// Each bookmark opens a page whose text names its candidate.
	pdf := filepath.Join(out, "impression.pdf")
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("NECDOSSIER_REQUIRE_TOOLS") != "" {
			t.Fatal("pdftotext missing")
		}
		t.Skip("pdftotext missing: bookmarks not checked")
	}
	js, err := exec.Command("qpdf", "--json", "--json-key=outlines", pdf).Output()
	if err != nil {
		t.Skipf("qpdf: %v", err)
	}
	for i := range names {
		col := "Collectivité " + string(rune('A'+i))
		at := bytes.Index(js, []byte(col))
		if at < 0 {
			t.Errorf("no bookmark for %s", col)
			continue
		}
		page := pageOfBookmark(js[:at])
		text, err := exec.Command("pdftotext", "-f", page, "-l", page, pdf, "-").Output()
		if err != nil || !strings.Contains(string(text), col) {
			t.Errorf("bookmark %s → page %s, which does not name it", col, page)
		}
	}
}

// pageOfBookmark finds the last "destpageposfrom1": N before a title in
// qpdf's JSON.
func pageOfBookmark(js []byte) string {
	const key = `"destpageposfrom1": `
	i := bytes.LastIndex(js, []byte(key))
	if i < 0 {
		return "0"
	}
	rest := js[i+len(key):]
	j := bytes.IndexAny(rest, ",\n")
	return strings.TrimSpace(string(rest[:j]))
}

// TestBatchNoLeak: a workbook lying directly in the batch folder reaches
// neither a candidate's folder nor the output folder; a candidate whose
// folder holds the output folder cannot list a dossier from it.
func TestBatchNoLeak(t *testing.T) {
	call := testkit.Call(t)
	root := t.TempDir()
	in := filepath.Join(root, "candidatures")
	out := filepath.Join(in, "autre", "sortie")
	letter := sampleFile(t, "haut-verdal", "lettre-departement-aubrelle.pdf")
	base := sampleCandidatures()["haut-verdal"]
	candidateFolder(t, call, filepath.Join(in, "autre"), withAnnex(base, "lettre.pdf"), map[string][]byte{"lettre.pdf": letter})
	candidateFolder(t, call, filepath.Join(in, "voleur"), withAnnex(base, "sortie/autre.pdf"), nil)
	if err := os.Rename(filepath.Join(in, "voleur", "candidature.xlsx"), filepath.Join(in, "voleur.xlsx")); err != nil {
		t.Fatal(err)
	}
	candidateFolder(t, call, filepath.Join(in, "top"), withAnnex(base, "autre/lettre.pdf"), nil)
	if err := os.Rename(filepath.Join(in, "top", "candidature.xlsx"), filepath.Join(in, "top.xlsx")); err != nil {
		t.Fatal(err)
	}
	candidateFolder(t, call, filepath.Join(in, "autre2"), withAnnex(base, "../autre/sortie/autre.pdf"), nil)
	os.Remove(filepath.Join(in, "top"))
	os.Remove(filepath.Join(in, "voleur"))
	// Inside « autre », a candidate whose workbook names the output folder.
	candidateFolder(t, call, filepath.Join(in, "interne"), withAnnex(base, "s/autre.pdf"), nil)
	if err := os.Symlink(out, filepath.Join(in, "interne", "s")); err != nil {
		t.Fatal(err)
	}
	for run := 1; run <= 2; run++ { // the second run finds the first one's dossiers
		res, _ := RunBatch(BatchOptions{Dir: in, OutDir: out, Jobs: 2, Call: call, Fonts: fonts.FS, Now: july})
		for _, o := range res.Outcomes {
			switch o.Candidate.Name {
			case "autre":
				if o.Err != nil {
					t.Errorf("run %d: the honest candidate failed: %v", run, o.Err)
				}
			default:
				// The reviewer's dossier is made, the file refused and marked.
				if o.Err != nil || o.Errors == 0 || o.Pages >= 14 {
					t.Errorf("run %d: %s got another candidate's file into its dossier (%+v)", run, o.Candidate.Name, o)
				}
			}
		}
	}
	fs, _ := CheckFS(newFolderFS(mustRoot(t, in), true), "top.xlsx", Options{Call: call})
	if !strings.Contains(testkit.FindingsText(fs), "à côté du classeur") {
		t.Errorf("top-level workbook reaching into a folder: no finding saying why:\n%s", testkit.FindingsText(fs))
	}
}

func mustRoot(t *testing.T, dir string) *os.Root {
	t.Helper()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestBatchOutputIsNotTheInput: -o the candidates' folder is refused.
func TestBatchOutputIsNotTheInput(t *testing.T) {
	in := filepath.Join(t.TempDir(), "c")
	candidateFolder(t, testkit.Call(t), filepath.Join(in, "a"), sampleCandidatures()["haut-verdal"], nil)
	_, err := RunBatch(BatchOptions{Dir: in, OutDir: in, Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
	if err == nil || !strings.Contains(err.Error(), "choisissez-en un autre") {
		t.Errorf("output = input folder: %v", err)
	}
}

// TestBatchSymlinkReported: a candidate folder that is a symbolic link is
// a failed candidate saying why, not skipped in silence.
func TestBatchSymlinkReported(t *testing.T) {
	root := t.TempDir()
	in := filepath.Join(root, "c")
	candidateFolder(t, testkit.Call(t), filepath.Join(root, "ailleurs"), sampleCandidatures()["haut-verdal"], nil)
	os.MkdirAll(in, 0o755)
	if err := os.Symlink(filepath.Join(root, "ailleurs"), filepath.Join(in, "lien")); err != nil {
		t.Fatal(err)
	}
	cands, err := FindCandidates(in)
	if err != nil || len(cands) != 1 || cands[0].problem == nil || !strings.Contains(cands[0].problem.Error(), "lien symbolique") {
		t.Errorf("symlinked candidate: %+v, %v", cands, err)
	}
}

// TestBatchSummaryWhenBundleFails: when impression.pdf cannot be written,
// the outcomes still come back, for the summary.
func TestBatchSummaryWhenBundleFails(t *testing.T) {
	root := t.TempDir()
	in, out := filepath.Join(root, "c"), filepath.Join(root, "s")
	letter := sampleFile(t, "haut-verdal", "lettre-departement-aubrelle.pdf")
	candidateFolder(t, testkit.Call(t), filepath.Join(in, "a"), withAnnex(sampleCandidatures()["haut-verdal"], "l.pdf"), map[string][]byte{"l.pdf": letter})
	os.MkdirAll(filepath.Join(out, "impression.pdf"), 0o755)
	os.WriteFile(filepath.Join(out, ownerMark), nil, 0o644) // a folder of a previous batch
	res, err := RunBatch(BatchOptions{Dir: in, OutDir: out, Call: testkit.Call(t), Fonts: fonts.FS, Now: july, Print: true})
	if err == nil || res == nil || len(res.Outcomes) != 1 || len(res.Files) != 3 {
		t.Errorf("bundle over a folder: err %v, result %+v", err, res)
	}
}

// TestForeignWorkbookOneError: another form saved as .xlsx, even sharing
// a sheet name with ours, is one error listing the sheets expected.
func TestForeignWorkbookOneError(t *testing.T) {
	data := workbooktest.Edited(t, sampleCandidatures()["haut-verdal"], func(f *excelize.File) error {
		if _, err := f.NewSheet("Factures"); err != nil {
			return err
		}
		for _, s := range f.GetSheetList() {
			if s != workbook.SheetBudget && s != "Factures" {
				if err := f.DeleteSheet(s); err != nil {
					return err
				}
			}
		}
		return nil
	})
	_, _, err := workbook.Read(bytes.NewReader(data), int64(len(data)), "autre.xlsx")
	if !errors.Is(err, workbook.ErrNotOurForm) || !strings.Contains(err.Error(), "feuilles attendues") || !strings.Contains(err.Error(), workbook.SheetAnnexes) {
		t.Errorf("foreign workbook: %v", err)
	}
}

// TestPrintableStripsControls: what comes from a file name or a cell
// cannot drive the terminal.
func TestPrintableStripsControls(t *testing.T) {
	got := Printable("lettre\x1b[2J\r\n\u202eftp.pdf « ok » 1\u00a0000")
	if strings.ContainsAny(got, "\x1b\r\n\u202e") || !strings.Contains(got, "« ok » 1\u00a0000") {
		t.Errorf("Printable = %q", got)
	}
}

// TestStaleTemporariesCleaned: a temporary file of a killed run (its
// process gone) is removed by the next run in that folder; one of a live
// process, and files of other names, are left alone.
func TestStaleTemporariesCleaned(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, tempPrefix+"999999999-123.tmp")
	live := filepath.Join(dir, tempPrefix+"1-123.tmp") // init never exits
	other := filepath.Join(dir, ".cache.tmp")
	for _, p := range []string{stale, live, other} {
		os.WriteFile(p, []byte("x"), 0o644)
	}
	if err := writeAtomic(filepath.Join(dir, "out.pdf"), false, func(w io.Writer) error { _, err := w.Write([]byte("%PDF")); return err }); err != nil {
		t.Fatal(err)
	}
	if got, want := listDir(t, dir), strings.Join([]string{".cache.tmp", filepath.Base(live), "out.pdf"}, "\n"); got != want {
		t.Errorf("folder after a run:\n%s\nwant:\n%s", got, want)
	}
}

// TestLongOutputName: a 255-byte name, the most a file system allows, is
// writable (the temporary name stays short); a longer one is refused in
// French.
func TestLongOutputName(t *testing.T) {
	dir := t.TempDir()
	write := func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }
	long := strings.Repeat("é", 125) + "x.pdf" // 255 bytes
	if err := writeAtomic(filepath.Join(dir, long), false, write); err != nil {
		t.Errorf("255-byte name: %v", err)
	}
	err := writeAtomic(filepath.Join(dir, "y"+long), false, write)
	if err == nil || !strings.Contains(err.Error(), "nom de fichier trop long") {
		t.Errorf("256-byte name: %v", err)
	}
}

// smallFS mounts a tmpfs of size bytes (root only), or skips.
func smallFS(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("not root: cannot mount a small file system to fill (run as root, as .ci/run does)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s)", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

// TestDiskFull: a build onto a full file system says so in French, and
// leaves nothing behind.
func TestDiskFull(t *testing.T) {
	dir := smallFS(t, "size=64k")
	wb := sampleFolder(t, "haut-verdal")
	_, err := Build(BuildOptions{Workbook: wb, Output: filepath.Join(dir, "d.pdf"), Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
	if err == nil || !strings.Contains(err.Error(), "disque plein") {
		t.Errorf("full disk: %v", err)
	}
	if got := listDir(t, dir); got != "" {
		t.Errorf("left on the full disk: %s", got)
	}
}

// TestReadOnlyFolder: a read-only file system says so in French.
func TestReadOnlyFolder(t *testing.T) {
	dir := smallFS(t, "size=64k,ro")
	wb := sampleFolder(t, "haut-verdal")
	_, err := Build(BuildOptions{Workbook: wb, Output: filepath.Join(dir, "d.pdf"), Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
	if err == nil || !strings.Contains(err.Error(), "lecture seule") {
		t.Errorf("read-only: %v", err)
	}
}

// TestOutputFolderNeverRead: a candidate's folder holding the batch's
// output folder cannot take a dossier from it, through a link either.
func TestOutputFolderNeverRead(t *testing.T) {
	call := testkit.Call(t)
	dir := filepath.Join(t.TempDir(), "cand")
	letter := sampleFile(t, "haut-verdal", "lettre-departement-aubrelle.pdf")
	c := withAnnex(sampleCandidatures()["haut-verdal"], "sortie/autre.pdf")
	c.Annexes = append(c.Annexes, model.Annexe{Fichier: "lien/autre.pdf", Titre: "B", Organisation: "B", Type: "Lettre de soutien"})
	candidateFolder(t, call, dir, c, nil)
	os.MkdirAll(filepath.Join(dir, "sortie"), 0o755)
	os.WriteFile(filepath.Join(dir, "sortie", "autre.pdf"), letter, 0o644)
	os.Symlink("sortie", filepath.Join(dir, "lien"))
	fs, err := CheckFS(newFolderFS(mustRoot(t, dir), false, filepath.Join(dir, "sortie")), "candidature.xlsx", Options{Call: call})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fs {
		if strings.Contains(f.Message, "dossier de sortie") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d findings about the output folder, want 2:\n%s", n, testkit.FindingsText(fs))
	}
}
