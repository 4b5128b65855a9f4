package assemble

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime"
	"necdossier/assemble/check"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/letters"
	"necdossier/assemble/model"
	"necdossier/assemble/render"
	"necdossier/assemble/workbook"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/xuri/excelize/v2"

	"necdossier/fonts"
)

// july is a build date before the call's deadline.
var july = time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)

// sampleFolder writes the sample candidate name (workbook and letters) into
// a fresh folder and returns the workbook's path.
func sampleFolder(t testing.TB, name string) string {
	t.Helper()
	c := sampleCandidatures()[name]
	files := map[string][]byte{}
	for _, a := range c.Annexes {
		files[a.Fichier] = sampleFile(t, name, a.Fichier)
	}
	if c.Collectivite.Logo != "" {
		files[c.Collectivite.Logo] = sampleFile(t, name, c.Collectivite.Logo)
	}
	dir := filepath.Join(t.TempDir(), name)
	candidateFolder(t, testkit.Call(t), dir, c, files)
	return filepath.Join(dir, "candidature.xlsx")
}

// TestBuildReproducible: with the same inputs and date (SOURCE_DATE_EPOCH),
// two builds write the same bytes, letters included, and carry the same
// fingerprint; two renderings of the dossier's pages alone too.
func TestBuildReproducible(t *testing.T) {
	wb := sampleFolder(t, "belrive")
	c, _, err := workbook.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	call := testkit.Call(t)
	var pages, outs [][]byte
	var prints []string
	for range 2 {
		var buf bytes.Buffer
		opt := render.Options{Fonts: fonts.FS, Created: july, Criteria: check.Evaluate(c, call), Fingerprint: "f"}
		if _, err := render.Render(&buf, c, call, opt); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, buf.Bytes())
		out := filepath.Join(t.TempDir(), "d.pdf")
		res, err := Build(BuildOptions{Workbook: wb, Output: out, Call: call, Fonts: fonts.FS, Now: july})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, mustRead(t, out))
		prints = append(prints, res.Row.Empreinte)
	}
	if !bytes.Equal(pages[0], pages[1]) {
		t.Errorf("two renderings of the same workbook differ (%d and %d bytes)", len(pages[0]), len(pages[1]))
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("two builds of the same inputs differ (%d and %d bytes)", len(outs[0]), len(outs[1]))
	}
	if prints[0] == "" || prints[0] != prints[1] {
		t.Errorf("fingerprints %q and %q, want the same", prints[0], prints[1])
	}
}

// rewriteWorkbook reads the workbook at path, applies edit, writes it back.
func rewriteWorkbook(t testing.TB, path string, edit func(*model.Candidature)) *model.Candidature {
	t.Helper()
	c, _, err := workbook.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edit(c)
	var buf bytes.Buffer
	if err := workbook.Write(&buf, testkit.Call(t), c); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBuildFailureLeavesNothing: a build that fails at the last stage (a
// corrupt letter) leaves no file, temporary or final, and never touches an
// existing output.
func TestBuildFailureLeavesNothing(t *testing.T) {
	wb := sampleFolder(t, "haut-verdal")
	dir := filepath.Dir(wb)
	c, _, err := workbook.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	// The letter becomes a truncated PDF: it passes the checks' sniffing,
	// not the letters stage.
	letter := filepath.Join(dir, c.Annexes[0].Fichier)
	data := mustRead(t, letter)
	if err := os.WriteFile(letter, data[:len(data)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "dossier.pdf")
	if err := os.WriteFile(out, []byte("ancien dossier"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := listDir(t, dir)
	res, err := Build(BuildOptions{Workbook: wb, Output: out, Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
	if !errors.Is(err, ErrFindings) {
		t.Fatalf("build of a truncated letter: err = %v, want the checks to stop it", err)
	}
	found := false
	for _, f := range res.Findings {
		found = found || f.Severity == model.Erreur && f.Place() == "Annexes!"+c.Annexes[0].At.Cell("Fichier") &&
			strings.Contains(f.Message, c.Annexes[0].Fichier) && strings.Contains(f.Message, "tronqué")
	}
	if !found {
		t.Errorf("no error naming the truncated letter at its cell: %v", res.Findings)
	}
	// check says the same, before any build.
	fs, err := CheckFile(wb, testkit.Call(t))
	if err != nil || !model.HasError(fs) {
		t.Errorf("check of a truncated letter: %v, %v", fs, err)
	}
	if after := listDir(t, dir); after != before {
		t.Errorf("the failed build changed the folder:\n%s\n→\n%s", before, after)
	}
	if got := string(mustRead(t, out)); got != "ancien dossier" {
		t.Errorf("the existing output was replaced: %q", got)
	}
}

func listDir(t testing.TB, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, "\n")
}

func TestBuildNeverOverwritesAnInput(t *testing.T) {
	wb := sampleFolder(t, "haut-verdal")
	c, _, err := workbook.ReadFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{wb, filepath.Join(filepath.Dir(wb), c.Annexes[0].Fichier)} {
		before := mustRead(t, out)
		_, err := Build(BuildOptions{Workbook: wb, Output: out, Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
		if err == nil || !strings.Contains(err.Error(), "fichier d’entrée") {
			t.Errorf("-o %s: err = %v, want a refusal", filepath.Base(out), err)
		}
		if !bytes.Equal(mustRead(t, out), before) {
			t.Errorf("%s was overwritten", out)
		}
	}
}

// TestBuildEmailAndManifest builds with --eml and --manifest and reads both back.
func TestBuildEmailAndManifest(t *testing.T) {
	wb := sampleFolder(t, "belrive")
	dir := filepath.Dir(wb)
	out := filepath.Join(dir, "NEC2025-candidature-Metropole-de-Belrive.pdf")
	manifest := filepath.Join(dir, "manifeste.json")
	res, err := Build(BuildOptions{Workbook: wb, Output: out, Call: testkit.Call(t), Fonts: fonts.FS, Now: july, Email: true, Manifest: manifest})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, "date limite") {
			t.Errorf("a build before the deadline warns: %s", w)
		}
	}
	pdf := mustRead(t, out)

	// The e-mail: to the call's recipient, the dossier attached intact.
	msg, err := mail.ReadMessage(bytes.NewReader(mustRead(t, res.Email)))
	if err != nil {
		t.Fatal(err)
	}
	to, _ := msg.Header.AddressList("To")
	if len(to) != 1 || to[0].Address != testkit.Call(t).Recipient.Email {
		t.Errorf("To = %v", to)
	}
	var dec mime.WordDecoder
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	if subject != "Candidature NEC 2025 – Métropole de Belrive" {
		t.Errorf("Subject = %q", subject)
	}
	parts, bodies := mimeParts(t, msg)
	if len(parts) != 2 || parts[1].FileName() != filepath.Base(out) {
		t.Fatalf("%d parts, want the body and the dossier named %s", len(parts), filepath.Base(out))
	}
	body, attached := string(bodies[0]), bodies[1]
	if !bytes.Equal(attached, pdf) {
		t.Error("the attached dossier differs from the file written")
	}
	for _, want := range []string{"Métropole de Belrive", "Lettre de soutien de la Région Val-d’Ormance", "Personne à contacter"} {
		if !strings.Contains(body, want) {
			t.Errorf("the e-mail's body lacks %q:\n%s", want, body)
		}
	}

	// The manifest: every input and output with its digest.
	var m Manifest
	if err := json.Unmarshal(mustRead(t, manifest), &m); err != nil {
		t.Fatal(err)
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	roles := map[string]int{}
	for _, f := range m.Inputs {
		roles[f.Role]++
		if got := sum(mustRead(t, f.Path)); got != f.SHA256 {
			t.Errorf("input %s: manifest says %s, file is %s", f.Path, f.SHA256, got)
		}
	}
	if roles["workbook"] != 1 || roles["annex"] != 3 || roles["logo"] != 1 {
		t.Errorf("inputs by role = %v, want 1 workbook, 3 annexes, 1 logo", roles)
	}
	if len(m.Outputs) != 2 || m.Outputs[0].SHA256 != sum(pdf) || m.Outputs[0].Pages != res.Pages {
		t.Errorf("outputs = %+v", m.Outputs)
	}
	pdfinfo := testkit.NeedTool(t, "pdfinfo")
	info, err := exec.Command(pdfinfo, out).Output()
	if err != nil {
		t.Fatal(err)
	}
	if m.Fingerprint == "" || !strings.Contains(string(info), m.Fingerprint) {
		t.Errorf("the manifest's fingerprint %q is not the one in the dossier's metadata:\n%s", m.Fingerprint, info)
	}
}

func TestBuildAfterDeadlineWarns(t *testing.T) {
	wb := sampleFolder(t, "haut-verdal")
	out := filepath.Join(t.TempDir(), "d.pdf")
	res, err := Build(BuildOptions{Workbook: wb, Output: out, Call: testkit.Call(t), Fonts: fonts.FS, Now: time.Date(2024, 7, 16, 8, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range res.Warnings {
		found = found || strings.Contains(w, "date limite de l’appel (15 juillet 2024) est passée")
	}
	if !found {
		t.Errorf("no deadline warning on 16 July 2024: %q", res.Warnings)
	}
	// On the deadline day itself, no warning.
	res, err = Build(BuildOptions{Workbook: wb, Output: out, Call: testkit.Call(t), Fonts: fonts.FS, Now: time.Date(2024, 7, 15, 23, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, "date limite") {
			t.Errorf("warning on the deadline day: %s", w)
		}
	}
}

// BenchmarkBuildSample builds the sample dossier end to end: read, check,
// read the three letters, render, merge, stamp, write.
func BenchmarkBuildSample(b *testing.B) {
	wb := sampleFolder(b, "belrive")
	out := filepath.Join(b.TempDir(), "d.pdf")
	call := testkit.Call(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(BuildOptions{Workbook: wb, Output: out, Call: call, Fonts: fonts.FS, Now: july}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBuildSplit: over the size limit, --split writes the dossier and its
// annexes as two PDFs that name each other, keep one page numbering and
// each have an outline; the e-mail carries the dossier and says how the
// annexes follow.
func TestBuildSplit(t *testing.T) {
	wb := sampleFolder(t, "belrive")
	dir := filepath.Dir(wb)
	out := filepath.Join(dir, "dossier.pdf")
	whole, err := Build(BuildOptions{Workbook: wb, Output: filepath.Join(dir, "entier.pdf"), Call: testkit.Call(t), Fonts: fonts.FS, Now: july})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(BuildOptions{Workbook: wb, Output: out, Call: testkit.Call(t), Fonts: fonts.FS, Now: july,
		MaxSize: whole.Size / 2, Split: true, Email: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Annexes != filepath.Join(dir, "dossier-annexes.pdf") {
		t.Fatalf("annexes written to %q", res.Annexes)
	}
	c, _, _ := workbook.ReadFile(wb)
	letterPages := 0
	for _, a := range c.Annexes {
		l, err := letters.ReadFile(filepath.Join(dir, a.Fichier), letters.Options{})
		if err != nil {
			t.Fatal(err)
		}
		letterPages += l.Pages
	}
	if res.Pages+letterPages != whole.Pages || res.AnnexPages != letterPages+1 {
		t.Errorf("pages: dossier %d + annexes %d (cover included), want %d + %d+1", res.Pages, res.AnnexPages, whole.Pages-letterPages, letterPages)
	}
	pdftotext := testkit.NeedTool(t, "pdftotext")
	text := func(path string, page int) string {
		b, err := exec.Command(pdftotext, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(string(b))
	}
	all, err := exec.Command(pdftotext, out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(all), "« dossier-annexes.pdf »") {
		t.Error("the dossier does not name the file its annexes are in")
	}
	cover := text(res.Annexes, 1)
	if !strings.Contains(cover, "« dossier.pdf »") || !strings.Contains(cover, c.Annexes[0].Titre[:20]) {
		t.Errorf("the annexes' cover does not name the dossier and the annexes:\n%s", cover)
	}
	if got, want := text(res.Annexes, 2), "page "+strconv.Itoa(res.Pages+1)+" / "+strconv.Itoa(whole.Pages); !strings.Contains(got, want) {
		t.Errorf("the first letter page does not read %q:\n%s", want, got)
	}
	// The letters' page numbers are drawn in the dossier's embedded font in
	// the annexes' file too, not in a font the reader's computer must have.
	fontList, err := exec.Command(testkit.NeedTool(t, "pdffonts"), res.Annexes).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(fontList), "\n")[2:] {
		if f := strings.Fields(l); len(f) >= 6 && f[len(f)-5] != "yes" {
			t.Errorf("the annexes' file uses a font it does not embed: %s", l)
		}
	}
	for _, path := range []string{out, res.Annexes} {
		bms, err := api.Bookmarks(bytes.NewReader(mustRead(t, path)), nil)
		if err != nil || len(bms) == 0 {
			t.Errorf("%s: no outline (%v)", filepath.Base(path), err)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(mustRead(t, res.Email)))
	if err != nil {
		t.Fatal(err)
	}
	parts, bodies := mimeParts(t, msg)
	if len(parts) != 2 {
		t.Errorf("%d parts, want the body and the dossier alone", len(parts))
	}
	if !strings.Contains(string(bodies[0]), "France transfert") {
		t.Error("the e-mail does not say how the annexes are sent")
	}
}

// TestCheckMissingSheetOnce: a sheet renamed by the user is reported once,
// not again as an empty table.
func TestCheckMissingSheetOnce(t *testing.T) {
	wb := sampleFolder(t, "haut-verdal")
	f, err := excelize.OpenFile(wb)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetName("Budget", "Mon budget"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fs, err := CheckFile(wb, testkit.Call(t))
	if err != nil {
		t.Fatal(err)
	}
	var budget []string
	for _, x := range fs {
		if x.Sheet == "Budget" {
			budget = append(budget, x.String())
		}
	}
	if len(budget) != 1 || !strings.Contains(budget[0], "introuvable") {
		t.Errorf("findings on Budget = %q, want the missing sheet alone", budget)
	}
}
