package assemble

import (
	"bytes"
	"fmt"
	"html"
	"necdossier/assemble/internal/testkit"
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
