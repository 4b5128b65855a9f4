package letters

import (
	"bytes"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/render"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var finishCreated = time.Date(2024, time.July, 10, 9, 30, 0, 0, time.UTC)

// renderedDossier renders a complete dossier, as fpdf writes it, with the
// levels of its outline.
func renderedDossier(t testing.TB) ([]byte, []int, *render.Layout) {
	t.Helper()
	var buf bytes.Buffer
	lay, err := render.Render(&buf, testkit.RichCandidature(), testkit.Call(t), render.Options{
		Created:     finishCreated,
		Fingerprint: strings.Repeat("0f", 32),
		Annexes: []render.Annexe{
			{Title: "Lettre de soutien de la Région", Organisation: "Région Bretagne", Pages: 2},
			{Title: "Délibération du conseil", Pages: 1},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), lay.Levels(), lay
}

// writeFinishTemp writes a PDF to a temporary file and returns its path.
func writeFinishTemp(t *testing.T, name string, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pageText is the text of every page, as pdftotext reads it.
func pageText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command(testkit.NeedTool(t, "pdftotext"), "-enc", "UTF-8", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// TestFinishDossier: each patch of Finish is in the rendered dossier, the
// file is sound, reads as before and keeps its links.
func TestFinishDossier(t *testing.T) {
	raw, levels, lay := renderedDossier(t)
	if len(levels) == 0 || len(levels) >= len(lay.Outline) {
		t.Fatalf("%d levels for %d outline entries: want the dossier's own, not the annexes'", len(levels), len(lay.Outline))
	}
	kept := bytes.Clone(raw)
	pdf, err := Finish(raw, levels)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, kept) {
		t.Error("Finish changed the bytes it was given")
	}
	if again, err := Finish(raw, levels); err != nil || !bytes.Equal(again, pdf) {
		t.Errorf("two finishings differ (%v)", err)
	}

	for _, want := range []string{
		"%PDF-1.4",
		"/ViewerPreferences << /DisplayDocTitle true >>",
		"/CreationDate (D:20240710093000+00'00)",
		"/ModDate (D:20240710093000+00'00)",
		"/BaseFont /NECAAA+Lato-Regular", "/FontName /NECAAB+Lato-Bold", "/BaseFont /NECAAC+Lato-Italic",
		"/Filter /FlateDecode",
		"/Lang (fr-FR)",
	} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("%s missing", want)
		}
	}
	for _, gone := range []string{"/Annots [<<", "/BaseFont /utf8lato", "/FontName /utf8lato", "%PDF-1.3"} {
		if bytes.Contains(pdf, []byte(gone)) {
			t.Errorf("%s left as fpdf wrote it", gone)
		}
	}
	if len(pdf) >= len(raw) {
		t.Errorf("%d bytes finished, %d as fpdf wrote them: the pages were not compressed", len(pdf), len(raw))
	}

	// The outline's counts: each item counts the items under it, the root
	// all of them.
	counts := regexp.MustCompile(`/Count (\d+)>>\nendobj`).FindAllSubmatch(pdf, -1)
	if len(counts) != len(levels) {
		t.Fatalf("%d outline items, want %d", len(counts), len(levels))
	}
	for i, m := range counts {
		want := 0
		for j := i + 1; j < len(levels) && levels[j] > levels[i]; j++ {
			want++
		}
		if got, _ := strconv.Atoi(string(m[1])); got != want {
			t.Errorf("outline item %d (level %d): /Count %d, want %d", i, levels[i], got, want)
		}
	}
	if !bytes.Contains(pdf, []byte("<</Type /Outlines /Count "+strconv.Itoa(len(levels))+" ")) {
		t.Errorf("the outline's root does not count its %d items", len(levels))
	}

	// The links: the same destinations, in the same order, now from
	// annotations of their own that the pages refer to.
	dests := regexp.MustCompile(`/Dest \[\d+ 0 R /XYZ [^\]]*\]`)
	before, after := dests.FindAll(raw, -1), dests.FindAll(pdf, -1)
	if len(before) < 20 || !slices.EqualFunc(before, after, bytes.Equal) {
		t.Errorf("links: %d as fpdf wrote them, %d finished, or their destinations differ", len(before), len(after))
	}
	arrays := regexp.MustCompile(`/Annots \[(\d+ 0 R ?)+\]`).FindAll(pdf, -1)
	if n := bytes.Count(raw, []byte("/Annots [")); len(arrays) != n {
		t.Errorf("%d /Annots arrays of references, want %d", len(arrays), n)
	}

	// Sound for qpdf, pdfcpu and poppler, and the same text on every page.
	rawPath, path := writeFinishTemp(t, "raw.pdf", raw), writeFinishTemp(t, "finished.pdf", pdf)
	if n := checkOutput(t, path); n != lay.Pages {
		t.Errorf("%d pages, want %d", n, lay.Pages)
	}
	if _, err := readBack(pdf); err != nil {
		t.Errorf("pdfcpu: %v", err)
	}
	if pageText(t, path) != pageText(t, rawPath) {
		t.Error("the finished pages do not read as fpdf wrote them")
	}
	out, err := exec.Command(testkit.NeedTool(t, "pdfinfo"), path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "PDF version:     1.4") {
		t.Errorf("pdfinfo: not PDF 1.4\n%s", out)
	}
	out, err = exec.Command(testkit.NeedTool(t, "pdffonts"), path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "+Lato"); n != 3 {
		t.Errorf("pdffonts: %d subset Lato fonts, want 3\n%s", n, out)
	}
}

// TestFinishSheets: render's other documents have no outline of their
// own (levels nil) and come out finished and sound.
func TestFinishSheets(t *testing.T) {
	call := testkit.Call(t)
	_, _, lay := renderedDossier(t)
	for name, draw := range map[string]func(*bytes.Buffer) error{
		"comparison": func(w *bytes.Buffer) error {
			_, err := render.Comparison(w, call, nil, render.ComparisonOptions{Created: finishCreated})
			return err
		},
		"bundle front": func(w *bytes.Buffer) error {
			entries := []render.BundleEntry{{Name: "Rennes Métropole", Pages: 14, Start: 3}}
			_, err := render.BundleFront(w, call, entries, render.FrontPages(len(entries)), 16, nil, finishCreated)
			return err
		},
		"blank page": func(w *bytes.Buffer) error { return render.BlankPage(w, nil, finishCreated) },
		"annex cover": func(w *bytes.Buffer) error {
			return render.AnnexCover(w, call, testkit.RichCandidature(), "dossier.pdf", lay, nil, finishCreated)
		},
	} {
		t.Run(name, func(t *testing.T) {
			var raw bytes.Buffer
			if err := draw(&raw); err != nil {
				t.Fatal(err)
			}
			pdf, err := Finish(raw.Bytes(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"%PDF-1.4", "/DisplayDocTitle true", "+00'00)", "/Filter /FlateDecode", "/BaseFont /NECAA"} {
				if !bytes.Contains(pdf, []byte(want)) {
					t.Errorf("%s missing", want)
				}
			}
			checkOutput(t, writeFinishTemp(t, "sheet.pdf", pdf))
		})
	}
}

// TestFinishRefuses: a file not laid out as fpdf lays it out, or an
// outline that does not match the levels, is an error, never a crash.
func TestFinishRefuses(t *testing.T) {
	raw, levels, _ := renderedDossier(t)
	for name, c := range map[string]struct {
		pdf    []byte
		levels []int
	}{
		"empty":           {nil, nil},
		"not from fpdf":   {[]byte("%PDF-1.4\n1 0 obj\n<</Type /Catalog>>\nendobj\n%%EOF\n"), nil},
		"cut in half":     {raw[:len(raw)/2], levels},
		"no startxref":    {raw[:bytes.LastIndex(raw, []byte("startxref"))+len("startxref\n")], levels},
		"fewer levels":    {raw, levels[:len(levels)-1]},
		"more levels":     {raw, append(slices.Clone(levels), 0)},
		"levels, no tree": {bytes.ReplaceAll(raw, []byte("/Count 0>>\nendobj"), []byte("/Count 9>>\nendobj")), levels},
	} {
		out, err := Finish(c.pdf, c.levels)
		if err == nil || out != nil || !strings.Contains(err.Error(), "structure PDF inattendue") {
			t.Errorf("%s: %d bytes, error %v", name, len(out), err)
		}
	}
	// Cut anywhere, the file is refused or finished, never a crash.
	for cut := 0; cut < len(raw); cut += 997 {
		if _, err := Finish(raw[:cut], levels); err != nil && !strings.Contains(err.Error(), "structure PDF inattendue") {
			t.Errorf("cut at %d: %v", cut, err)
		}
	}
}

// TestInlineDicts: dictionaries written one after the other, strings with
// brackets and escaped parentheses included, up to their array's end.
func TestInlineDicts(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  bool
	}{
		{in: "]", want: nil},
		{in: "<</A 1>> <</B <</C (x ] >> \\) y)>>>>\n]", want: []string{"<</A 1>>", "<</B <</C (x ] >> \\) y)>>>>"}},
		{in: "<</A (a (nested) b)>>]", want: []string{"<</A (a (nested) b)>>"}},
		{in: "<</A 1>>", err: true},
		{in: "<</A 1", err: true},
		{in: "1 0 R]", err: true},
	} {
		got, end, err := inlineDicts([]byte(c.in), 0)
		if c.err {
			if err == nil {
				t.Errorf("%q: no error", c.in)
			}
			continue
		}
		var s []string
		for _, d := range got {
			s = append(s, string(d))
		}
		if err != nil || !slices.Equal(s, c.want) || c.in[end] != ']' {
			t.Errorf("%q: %q, end %d, %v; want %q", c.in, s, end, err, c.want)
		}
	}
}

func BenchmarkFinish(b *testing.B) {
	raw, levels, _ := renderedDossier(b)
	var n int
	b.ReportAllocs()
	for b.Loop() {
		pdf, err := Finish(raw, levels)
		if err != nil {
			b.Fatal(err)
		}
		n = len(pdf)
	}
	b.ReportMetric(float64(n), "bytes/pdf")
}
