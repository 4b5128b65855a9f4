package assemble

import (
	"bytes"
	"fmt"
	"html"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/render"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"necdossier/fonts"
)

// landscapeLetter is a one-page PDF, 842 × 595 pt: a letter scanned or
// drawn in landscape.
func landscapeLetter() []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(body string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), body)
	}
	content := "BT /F1 24 Tf 72 500 Td (Lettre de soutien en paysage) Tj ET"
	b.WriteString("%PDF-1.7\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [4 0 R] /Count 1 >>")
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 3 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// bboxWord is a word as pdftotext -bbox gives it, with its page's size.
type bboxWord struct {
	page                   int
	w, h                   float64
	xMin, yMin, xMax, yMax float64
	text                   string
}

var (
	reBundlePage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	reBundleWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

func bboxWords(t *testing.T, pdf string) []bboxWord {
	t.Helper()
	out, err := exec.Command(testkit.NeedTool(t, "pdftotext"), "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	f := func(s string) float64 { x, _ := strconv.ParseFloat(s, 64); return x }
	var ws []bboxWord
	page, w, h := 0, 0.0, 0.0
	for line := range strings.SplitSeq(string(out), "\n") {
		if m := reBundlePage.FindStringSubmatch(line); m != nil {
			page, w, h = page+1, f(m[1]), f(m[2])
			continue
		}
		if m := reBundleWord.FindStringSubmatch(line); m != nil {
			ws = append(ws, bboxWord{page, w, h, f(m[1]), f(m[2]), f(m[3]), f(m[4]), html.UnescapeString(m[5])})
		}
	}
	return ws
}

// TestBundleLandscapeLetterFoot: a letter on an A4 landscape sheet gets
// its running foot laid out for that sheet: inside the page, at least
// 10 mm from its bottom edge, on the line of the letter's own page number
// and just before it.
func TestBundleLandscapeLetterFoot(t *testing.T) {
	call := testkit.Call(t)
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	c := *sampleCandidatures()["haut-verdal"]
	files := map[string][]byte{c.Annexes[0].Fichier: landscapeLetter()}
	if c.Collectivite.Logo != "" {
		files[c.Collectivite.Logo] = sampleFile(t, "haut-verdal", c.Collectivite.Logo)
	}
	candidateFolder(t, call, filepath.Join(in, "haut-verdal"), &c, files)
	res, err := RunBatch(BatchOptions{Dir: in, OutDir: out, Jobs: 1, Call: call, Fonts: fonts.FS, Print: true, Now: time.Date(2024, 7, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() != 0 || len(res.Outcomes) != 1 {
		var b bytes.Buffer
		WriteSummary(&b, res.Outcomes)
		t.Fatalf("failures:\n%s", b.String())
	}
	ws := bboxWords(t, filepath.Join(out, "impression.pdf"))
	const mm = 72 / 25.4
	letters := 0
	for i, w := range ws {
		if w.text != "Lettre" || w.w <= w.h || i+4 >= len(ws) || ws[i+4].text != "paysage" {
			continue
		}
		letters++
		var foot, own []bboxWord
		for _, x := range ws {
			if x.page == w.page && x.yMin > x.h-25*mm {
				foot = append(foot, x)
			}
		}
		var liasse, dash *bboxWord
		for j, x := range foot {
			if x.text == "liasse" {
				liasse = &foot[j]
				if j+6 < len(foot) {
					dash, own = &foot[j+5], foot[j+6:]
				}
			}
			if x.xMin < 0 || x.xMax > x.w || x.yMax > x.h-10*mm {
				t.Errorf("page %d (%.0f × %.0f pt): foot word %q at %.1f–%.1f × %.1f–%.1f, outside the page or within 10 mm of its edge",
					x.page, x.w, x.h, x.text, x.xMin, x.xMax, x.yMin, x.yMax)
			}
		}
		if liasse == nil || dash == nil || dash.text != "—" || len(own) == 0 || own[0].text != "page" {
			t.Fatalf("page %d: foot %+v, want « … liasse p. N / T — page n / m »", w.page, foot)
		}
		if gap := own[0].xMin - dash.xMax; gap < 0 || gap > 5*mm || abs(own[0].yMax-liasse.yMax) > 1 {
			t.Errorf("page %d: foot ends at %.1f, %.1f; the letter's own number starts at %.1f, %.1f: not on its line just before it",
				w.page, dash.xMax, liasse.yMax, own[0].xMin, own[0].yMax)
		}
		if own[len(own)-1].xMax < w.w-20*mm {
			t.Errorf("page %d: own number ends at %.1f on a %.0f pt wide page", w.page, own[len(own)-1].xMax, w.w)
		}
	}
	if letters != 1 {
		t.Errorf("%d landscape letter pages found, want 1", letters)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestBundleIndexLongName: in the bundle's index a long name wraps rather
// than being cut, and the index's page numbers are those printed in the
// running feet.
func TestBundleIndexLongName(t *testing.T) {
	long := "Communauté d’agglomération du Grand Val-d’Ormance, des Hautes-Terres de Sarrine et des communes associées du plateau de Verdalès pour le numérique"
	for len([]rune(long)) < 150 {
		long += " x"
	}
	long = string([]rune(long)[:150])
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	res := reviewersBatch(t, in, out, map[string]string{"long": long, "ys": "Ville d’Ys"}, true, "")
	if res.Failed() != 0 {
		var b bytes.Buffer
		WriteSummary(&b, res.Outcomes)
		t.Fatalf("failures:\n%s", b.String())
	}
	bundle := filepath.Join(out, "impression.pdf")
	pdftotext := testkit.NeedTool(t, "pdftotext")
	page := func(p int) string { // as laid out: an index entry's lines one after the other
		txt, err := exec.Command(pdftotext, "-layout", "-f", itoa(p), "-l", itoa(p), bundle, "-").Output()
		if err != nil {
			t.Fatalf("page %d: %v", p, err)
		}
		return strings.Join(strings.Fields(string(txt)), " ")
	}
	index := page(2)
	if !strings.Contains(index, "Sommaire") {
		t.Fatalf("page 2 is not the index:\n%s", index)
	}
	if !strings.Contains(index, long) {
		t.Errorf("index does not give the whole name « %s »:\n%s", long, index)
	}
	if strings.Contains(index, "…") {
		t.Errorf("index cuts a name:\n%s", index)
	}
	starts := regexp.MustCompile(`pages?, p\.\s?(\d+)`).FindAllStringSubmatch(index, -1)
	want := []string{"Comparaison des candidatures", "1. " + long[:40], "2. Ville d’Ys"}
	if len(starts) != len(want) {
		t.Fatalf("index gives %d page numbers, want %d:\n%s", len(starts), len(want), index)
	}
	for i, m := range starts {
		txt := page(atoi(t, m[1]))
		if !strings.Contains(txt, "liasse p. "+m[1]+" /") || !strings.Contains(txt, want[i]) {
			t.Errorf("index: %s on p. %s, whose foot does not say so:\n%s", want[i], m[1], txt)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFrontPagesFor: the front's planned pages are those BundleFront
// draws, however many names wrap.
func TestFrontPagesFor(t *testing.T) {
	call := testkit.Call(t)
	for _, n := range []int{1, 30, 60, 120} {
		entries := []render.BundleEntry{{Name: "Comparaison des candidatures", Pages: 3, Start: 3}}
		for i := range n {
			name := "Ville d’Ys"
			if i%2 == 0 {
				name = strings.Repeat("Communauté de communes du Haut-Verdal ", 1+i%4)
			}
			entries = append(entries, render.BundleEntry{Name: name, Folder: itoa(i), Pages: 14, Start: 10 + 14*i})
		}
		front, err := render.FrontPagesFor(entries, fonts.FS)
		if err != nil {
			t.Fatal(err)
		}
		if front < render.FrontPages(len(entries)) && n > 1 {
			t.Errorf("%d entries, wrapped: %d front pages, fewer than %d without wrapping", n, front, render.FrontPages(len(entries)))
		}
		var b bytes.Buffer
		lay, err := render.BundleFront(&b, call, entries, front, 2000, fonts.FS, time.Date(2024, 7, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("%d entries: %v", n, err)
		}
		if lay.Pages != front {
			t.Errorf("%d entries: BundleFront drew %d pages, planned %d", n, lay.Pages, front)
		}
	}
}
