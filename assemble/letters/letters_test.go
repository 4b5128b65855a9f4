package letters

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"necdossier/assemble/internal/testkit"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

type corpusEntry struct {
	File, Chars string
	OK          bool
}

// letterCorpus lists the manifest's PDF and image entries (pdf/, images/, broken/*.pdf).
func letterCorpus(t testing.TB) (string, []corpusEntry) {
	dir := testkit.CorpusDir(t)
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 6 || cols[0] == "file" {
			continue
		}
		file := cols[0]
		if !(strings.HasPrefix(file, "pdf/") || strings.HasPrefix(file, "images/") ||
			(strings.HasPrefix(file, "broken/") && strings.HasSuffix(file, ".pdf"))) {
			continue
		}
		out = append(out, corpusEntry{File: file, Chars: cols[4], OK: cols[5] == "ok"})
	}
	if len(out) == 0 {
		t.Fatal("no letter entries in MANIFEST.tsv")
	}
	return dir, out
}

var manifestPages = regexp.MustCompile(`; (\d+) page\(s\)`)

// smallDossier renders an n-page dossier with fpdf, as the real renderer would.
func smallDossier(t testing.TB, n int) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	for i := range n {
		pdf.AddPage()
		pdf.SetFont("Helvetica", "B", 16)
		pdf.Cell(0, 10, tr(fmt.Sprintf("Dossier de candidature – page %d", i+1)))
		pdf.Ln(12)
		pdf.SetFont("Helvetica", "", 11)
		pdf.MultiCell(0, 6, tr("Collectivité : Communauté de communes de l’Exemple. Sommaire des annexes ci-dessous."), "", "", false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustRead(t testing.TB, path string) *Letter {
	t.Helper()
	l, err := ReadFile(path, Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return l
}

// checkOutput runs qpdf --check, renders every page with pdftoppm (low
// resolution) and returns the page count from pdfinfo.
func checkOutput(t *testing.T, path string) int {
	t.Helper()
	qpdf, ppm, info := testkit.NeedTool(t, "qpdf"), testkit.NeedTool(t, "pdftoppm"), testkit.NeedTool(t, "pdfinfo")
	if out, err := exec.Command(qpdf, "--check", path).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check %s: %v\n%s", path, err, out)
	}
	cmd := exec.Command(ppm, "-r", "12", "-gray", path, filepath.Join(t.TempDir(), "p"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Errorf("pdftoppm %s: %v\n%s", path, err, stderr.String())
	}
	out, err := exec.Command(info, path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", path)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// readBack parses and validates (relaxed) a PDF we wrote.
// preparedPDF writes the prepared letter (which Merge takes from memory),
// for the tests that look at it as a file: once per letter (pdfcpu writes
// a context once), which is not merged after.
func preparedPDF(t testing.TB, l *Letter) []byte {
	t.Helper()
	if b, ok := preparedPDFs.Load(l); ok {
		return b.([]byte)
	}
	var buf bytes.Buffer
	if err := api.WriteContext(l.prepared.ctx, &buf); err != nil {
		t.Fatal(err)
	}
	preparedPDFs.Store(l, buf.Bytes())
	return buf.Bytes()
}

var preparedPDFs sync.Map // *Letter → []byte

func readBack(data []byte) (*model.Context, error) {
	ctx, err := pdfcpu.Read(bytes.NewReader(data), PdfConf())
	if err != nil {
		return nil, err
	}
	return ctx, api.ValidateContext(ctx)
}

// activeContent lists what must not survive in a merged dossier: scripts,
// automatic or launching actions, attachments, interactive forms.
func activeContent(t *testing.T, data []byte) []string {
	t.Helper()
	ctx, err := pdfcpu.Read(bytes.NewReader(data), PdfConf())
	if err != nil {
		t.Fatalf("pdfcpu cannot read output: %v", err)
	}
	var found []string
	var visit func(o types.Object, where string)
	visit = func(o types.Object, where string) {
		switch v := o.(type) {
		case types.StreamDict:
			visit(v.Dict, where)
		case types.Dict:
			for _, k := range []string{"JS", "AA", "OpenAction", "EmbeddedFiles", "EF", "AcroForm", "XFA", "JavaScript"} {
				if _, ok := v[k]; ok {
					found = append(found, where+": /"+k)
				}
			}
			if s, ok := v["S"].(types.Name); ok {
				switch s {
				case "JavaScript", "Launch", "URI", "SubmitForm", "ImportData", "GoToR", "GoToE":
					found = append(found, where+": action /"+string(s))
				}
			}
			if s, ok := v["Type"].(types.Name); ok && (s == "Filespec" || s == "EmbeddedFile") {
				found = append(found, where+": /Type /"+string(s))
			}
			if s, ok := v["Subtype"].(types.Name); ok && s == "Widget" {
				found = append(found, where+": widget annotation")
			}
			for _, e := range v {
				visit(e, where)
			}
		case types.Array:
			for _, e := range v {
				visit(e, where)
			}
		}
	}
	for nr, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		o, err := ctx.Dereference(*types.NewIndirectRef(nr, 0))
		if err != nil {
			t.Fatalf("object %d: %v", nr, err)
		}
		visit(o, fmt.Sprintf("obj %d", nr))
	}
	return found
}

func TestReadLetterCorpus(t *testing.T) {
	dir, entries := letterCorpus(t)
	// What each refused file must be refused for.
	want := map[string]error{
		"pdf/userpw_aes256_r6.pdf":               ErrLetterPassword,
		"pdf/userpw_kyocera_scan_aes128.pdf":     ErrLetterPassword,
		"pdf/userpw_libreoffice_rc4_128.pdf":     ErrLetterPassword,
		"pdf/xfa_livecycle_form.pdf":             ErrLetterXFA,
		"broken/zero_bytes.pdf":                  ErrLetterEmpty,
		"broken/not_a_pdf_plain_text.pdf":        ErrLetterNotPDF,
		"broken/truncated_fragment.pdf":          ErrLetterTrunc,
		"broken/header_and_eof_only.pdf":         ErrLetterCorrupt,
		"broken/fuzzed_bad_xref_length_loop.pdf": ErrLetterCorrupt,
	}
	for _, e := range entries {
		t.Run(e.File, func(t *testing.T) {
			// No time limit here (speed is measured by BenchmarkReadCorpus):
			// a file that made the reader loop would hang the test until go
			// test's -timeout, whose report names this subtest.
			l, err := ReadFile(filepath.Join(dir, e.File), Options{})
			if e.OK {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if l.Pages < 1 || l.prepared == nil {
					t.Fatalf("pages=%d prepared=%v", l.Pages, l.prepared != nil)
				}
				if m := manifestPages.FindStringSubmatch(e.Chars); m != nil && strings.HasPrefix(e.File, "pdf/") {
					if n, _ := strconv.Atoi(m[1]); n != l.Pages {
						t.Errorf("pages = %d, manifest says %d", l.Pages, n)
					}
				}
				if !strings.HasPrefix(e.File, "images/") && l.Kind != "pdf" {
					t.Errorf("kind = %q", l.Kind)
				}
				for _, w := range l.Warnings {
					t.Logf("warning: %s", w)
				}
				return
			}
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("want *LetterError, got %T %v", err, err)
			}
			name := filepath.Base(e.File)
			if le.Name != name || !strings.HasPrefix(err.Error(), "fichier « "+name+" » : ") {
				t.Errorf("message does not name the file: %q", err)
			}
			if r := []rune(le.Reason); len(r) == 0 || r[0] != []rune(strings.ToLower(string(r[0])))[0] {
				t.Errorf("reason must start lower-case: %q", le.Reason)
			}
			if w, ok := want[e.File]; ok && !errors.Is(err, w) {
				t.Errorf("want %v, got %v (cause %v)", w, err, le.Err)
			}
			if strings.HasPrefix(e.File, "pdf/userpw_") && !strings.Contains(le.Reason, "protégé par un mot de passe d’ouverture : demandez une version sans mot de passe") {
				t.Errorf("password message: %q", le.Reason)
			}
			t.Logf("%v", err)
		})
	}
}

// TestSheetOrientation checks that every prepared page is an A4 sheet
// oriented like the original page as displayed (pdfinfo honours /Rotate and
// the CropBox).
func TestSheetOrientation(t *testing.T) {
	dir, entries := letterCorpus(t)
	info := testkit.NeedTool(t, "pdfinfo")
	sizeRe := regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`)
	rotRe := regexp.MustCompile(`(?m)^Page\s+(\d+) rot:\s+(\d+)`)
	for _, e := range entries {
		if !e.OK || !strings.HasSuffix(e.File, ".pdf") {
			continue
		}
		path := filepath.Join(dir, e.File)
		out, err := exec.Command(info, "-f", "1", "-l", "9999", path).Output()
		if err != nil {
			t.Fatalf("pdfinfo %s: %v", e.File, err)
		}
		l := mustRead(t, path)
		ctx, err := readBack(preparedPDF(t, l))
		if err != nil {
			t.Fatal(err)
		}
		dims, err := ctx.PageDims()
		if err != nil {
			t.Fatal(err)
		}
		sizes, rots := sizeRe.FindAllStringSubmatch(string(out), -1), rotRe.FindAllStringSubmatch(string(out), -1)
		if len(sizes) != len(dims) || len(rots) != len(dims) {
			t.Errorf("%s: %d sheets, pdfinfo lists %d pages", e.File, len(dims), len(sizes))
			continue
		}
		for i, d := range dims {
			w, _ := strconv.ParseFloat(sizes[i][2], 64)
			h, _ := strconv.ParseFloat(sizes[i][3], 64)
			if r, _ := strconv.Atoi(rots[i][2]); r%180 != 0 {
				w, h = h, w
			}
			if (w > h) != (d.Width > d.Height) {
				t.Errorf("%s page %d: shown %.0f×%.0f, sheet %.0f×%.0f", e.File, i+1, w, h, d.Width, d.Height)
			}
			if long, short := max(d.Width, d.Height), min(d.Width, d.Height); math.Abs(long-a4Long) > 0.5 || math.Abs(short-a4Short) > 0.5 {
				t.Errorf("%s page %d: sheet %.1f×%.1f is not A4", e.File, i+1, d.Width, d.Height)
			}
		}
	}
}

func TestSignedLetterWarns(t *testing.T) {
	dir := testkit.CorpusDir(t)
	l := mustRead(t, filepath.Join(dir, "pdf/signed_aes128_restricted_acrobat_sign.pdf"))
	found := false
	for _, w := range l.Warnings {
		found = found || strings.Contains(w, "signée électroniquement ; la signature ne survit pas à la fusion")
	}
	if !found {
		t.Errorf("no signature warning in %q", l.Warnings)
	}
}

// TestMergeEachLetter merges every accepted corpus file alone after a
// two-page dossier and checks the result with qpdf, poppler and pdfcpu.
func TestMergeEachLetter(t *testing.T) {
	dir, entries := letterCorpus(t)
	testkit.NeedTool(t, "qpdf")
	dossier := smallDossier(t, 2)
	for _, e := range entries {
		if !e.OK {
			continue
		}
		t.Run(e.File, func(t *testing.T) {
			l := mustRead(t, filepath.Join(dir, e.File))
			var out bytes.Buffer
			plan := MergePlan{
				Outline: []Bookmark{{Title: "Dossier", Page: 1}, {Title: "Annexe 1 – " + l.Name, Page: 3}},
				Links:   []PageLink{{Page: 1, X: 50, Y: 700, W: 200, H: 14, Target: 3}},
				Label:   func(int) string { return "Annexe 1 – Lettre de soutien de la Région" },
			}
			if err := Merge(&out, bytes.NewReader(dossier), []*Letter{l}, plan); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "out.pdf")
			if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if n := checkOutput(t, path); n != 2+l.Pages {
				t.Errorf("pages = %d, want %d", n, 2+l.Pages)
			}
			if bad := activeContent(t, out.Bytes()); len(bad) > 0 {
				t.Errorf("active content left: %v", bad)
			}
			total := 2 + l.Pages
			txt := pdftotext(t, path, total, total)
			if want := fmt.Sprintf("page %d / %d", total, total); !strings.Contains(txt, want) {
				t.Errorf("footer %q not found on last page: %q", want, txt)
			}
		})
	}
}

func pdftotext(t *testing.T, path string, first, last int) string {
	t.Helper()
	bin := testkit.NeedTool(t, "pdftotext")
	out, err := exec.Command(bin, "-f", strconv.Itoa(first), "-l", strconv.Itoa(last), path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestFormValuesStayVisible checks that flattened widgets still show their values.
func TestFormValuesStayVisible(t *testing.T) {
	dir := testkit.CorpusDir(t)
	l := mustRead(t, filepath.Join(dir, "pdf/acroform_filled_by_acrobat_incremental.pdf"))
	var out bytes.Buffer
	if err := Merge(&out, bytes.NewReader(smallDossier(t, 1)), []*Letter{l}, MergePlan{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	os.WriteFile(path, out.Bytes(), 0o644)
	if txt := pdftotext(t, path, 2, 4); !strings.Contains(txt, "abc potato") {
		t.Errorf("field value lost; text: %q", txt)
	}
}

// TestMergeAll merges every accepted corpus letter into one document.
func TestMergeAll(t *testing.T) {
	dir, entries := letterCorpus(t)
	testkit.NeedTool(t, "qpdf")
	var letters []*Letter
	for _, e := range entries {
		if e.OK {
			letters = append(letters, mustRead(t, filepath.Join(dir, e.File)))
		}
	}
	const dossierPages = 3
	plan := MergePlan{Label: func(i int) string { return fmt.Sprintf("Annexe %d – %s", i+1, letters[i].Name) }}
	page := dossierPages + 1
	for i, l := range letters {
		plan.Outline = append(plan.Outline, Bookmark{Title: fmt.Sprintf("Annexe %d : « %s »", i+1, l.Name), Page: page})
		plan.Links = append(plan.Links, PageLink{Page: 1 + i%dossierPages, X: 56, Y: 780 - float64(i%40)*18, W: 300, H: 14, Target: page})
		page += l.Pages
	}
	var out bytes.Buffer
	if err := Merge(&out, bytes.NewReader(smallDossier(t, dossierPages)), letters, plan); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "all.pdf")
	os.WriteFile(path, out.Bytes(), 0o644)
	if n := checkOutput(t, path); n != page-1 {
		t.Errorf("pages = %d, want %d", n, page-1)
	}
	ctx, err := readBack(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	bms, err := pdfcpu.Bookmarks(ctx)
	if err != nil || len(bms) != len(letters) {
		t.Errorf("bookmarks: %d (%v), want %d", len(bms), err, len(letters))
	}
	for i, bm := range bms {
		if bm.PageFrom != plan.Outline[i].Page {
			t.Errorf("bookmark %q -> page %d, want %d", bm.Title, bm.PageFrom, plan.Outline[i].Page)
		}
	}
	links := 0
	for p := 1; p <= dossierPages; p++ {
		d, _, _, _ := ctx.PageDict(p, false)
		a, _ := ctx.DereferenceArray(d["Annots"])
		links += len(a)
	}
	if links != len(letters) {
		t.Errorf("links = %d, want %d", links, len(letters))
	}
	if bad := activeContent(t, out.Bytes()); len(bad) > 0 {
		t.Errorf("active content left: %v", bad)
	}
	t.Logf("%d letters, %d pages, %d bytes", len(letters), page-1, out.Len())
}

// TestImageSizes logs, for every corpus image, the size before and after
// preparation (the figures quoted in the report).
func TestImageSizes(t *testing.T) {
	dir, entries := letterCorpus(t)
	for _, e := range entries {
		if !strings.HasPrefix(e.File, "images/") {
			continue
		}
		l := mustRead(t, filepath.Join(dir, e.File))
		n := len(preparedPDF(t, l))
		t.Logf("%-45s %8d -> %8d bytes (%+.0f %%)", e.File, l.Size, n, 100*(float64(n)/float64(l.Size)-1))
	}
}

// exifJPEG returns a w×h JPEG whose left half is black, with an EXIF orientation tag.
func exifJPEG(t testing.TB, w, h, orientation int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if x < w/2 {
				c = color.RGBA{0, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(orientation), 0, 0, 0, 0, 0, 0, 0, 0}
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xff, 0xe1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}, app1...)
	b := buf.Bytes()
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

func sheetSize(t *testing.T, l *Letter) (float64, float64) {
	ctx, err := readBack(preparedPDF(t, l))
	if err != nil {
		t.Fatal(err)
	}
	dims, err := ctx.PageDims()
	if err != nil {
		t.Fatal(err)
	}
	return dims[0].Width, dims[0].Height
}

// TestImageOrientation renders images whose left half is black, stored with
// various EXIF orientations, and checks where the black half appears.
func TestImageOrientation(t *testing.T) {
	ppm := testkit.NeedTool(t, "pdftoppm")
	for _, tc := range []struct {
		o         int
		landscape bool
		black     string // side of the page centre where the black half must be
	}{{1, true, "left"}, {3, true, "right"}, {6, false, "top"}, {8, false, "bottom"}} {
		l, err := Read("photo.jpg", exifJPEG(t, 400, 200, tc.o), Options{})
		if err != nil {
			t.Fatal(err)
		}
		w, h := sheetSize(t, l)
		if (w > h) != tc.landscape {
			t.Errorf("orientation %d: sheet %.0f×%.0f, landscape want %v", tc.o, w, h, tc.landscape)
		}
		dir := t.TempDir()
		in := filepath.Join(dir, "l.pdf")
		os.WriteFile(in, preparedPDF(t, l), 0o644)
		if out, err := exec.Command(ppm, "-r", "72", "-gray", "-png", "-singlefile", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		f, err := os.Open(filepath.Join(dir, "p.png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// At 72 dpi one pixel is one point; the image is centred above the 20 pt band.
		cx, cy := int(w/2), int((h-bandHeight)/2)
		gray := func(x, y int) uint8 { return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y }
		probe := map[string][2]int{"left": {cx - 40, cy}, "right": {cx + 40, cy}, "top": {cx, cy - 40}, "bottom": {cx, cy + 40}}
		opposite := map[string]string{"left": "right", "right": "left", "top": "bottom", "bottom": "top"}
		p, q := probe[tc.black], probe[opposite[tc.black]]
		if gray(p[0], p[1]) > 64 || gray(q[0], q[1]) < 192 {
			t.Errorf("orientation %d: black expected %s; gray there %d, opposite %d", tc.o, tc.black, gray(p[0], p[1]), gray(q[0], q[1]))
		}
	}
}

func TestAlphaOnWhite(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	img.Set(0, 0, color.NRGBA{0, 0, 0, 0})     // transparent -> white
	img.Set(1, 0, color.NRGBA{255, 0, 0, 128}) // half red -> pink
	r := flatten(img)
	if r.nc != 3 || !bytes.Equal(r.pix[:3], []byte{255, 255, 255}) || r.pix[3] != 255 || r.pix[4] < 120 || r.pix[4] > 135 {
		t.Errorf("flatten = %v", r.pix)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	if _, err := Read("x.png", buf.Bytes(), Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestDownsampleKeepsScansReasonable(t *testing.T) {
	dir := testkit.CorpusDir(t)
	l := mustRead(t, filepath.Join(dir, "images/scan_letter_300dpi_bilevel.png"))
	ctx, err := pdfcpu.Read(bytes.NewReader(preparedPDF(t, l)), PdfConf())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ctx.Table {
		if sd, ok := e.Object.(types.StreamDict); ok && sd.Image() {
			w := sd.IntEntry("Width")
			if w == nil || *w > 2550 || *w < 1500 {
				t.Errorf("image width %v", w)
			}
			t.Logf("bilevel scan stored %dpx wide, %d bytes", *w, len(sd.Raw))
		}
	}
}

// TestPhonePhotoDownsampled prepares a synthetic 12-megapixel phone photo
// of a letter (3024×4032, JPEG quality 92, EXIF orientation 6 as phones
// write for portrait shots) and checks it is reduced to about 200 ppi.
func TestPhonePhotoDownsampled(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const w, h = 4032, 3024 // stored landscape, shown portrait
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			v := uint8(235 - (x*y)%7) // paper with a little texture
			if (x/40)%3 != 0 && y > 300 && y < h-300 && (x%40) < 24 {
				v = 40 // "lines of text", vertical in the stored image
			}
			img.Y[y*img.YStride+x] = v
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 126, 130
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0}
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	b := buf.Bytes()
	data := append(append(append([]byte{}, b[:2]...), append([]byte{0xff, 0xe1, 0, byte(len(app1) + 2)}, app1...)...), b[2:]...)
	start := time.Now()
	l, err := Read("photo.jpg", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	prepared := preparedPDF(t, l)
	ctx, err := readBack(prepared)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := ctx.PageDims(); d[0].Width > d[0].Height {
		t.Errorf("portrait photo on a landscape sheet")
	}
	for _, e := range ctx.Table {
		if sd, ok := e.Object.(types.StreamDict); ok && sd.Image() {
			sw, sh := sd.IntEntry("Width"), sd.IntEntry("Height")
			// Shown 3024 wide; printed at most ~7.5 in wide, so ≤ 1600 px at 200 ppi.
			if *sw > 2300 || *sh > 1700 {
				t.Errorf("stored %d×%d, not downsampled", *sw, *sh)
			}
			t.Logf("phone photo %d×%d, %d bytes -> image %d×%d, letter PDF %d bytes, in %v", w, h, len(data), *sw, *sh, len(prepared), took)
		}
	}
}

// TestHiddenLayerStaysHidden merges a letter whose black rectangle sits on
// a layer hidden by default and checks that it is still hidden.
func TestHiddenLayerStaysHidden(t *testing.T) {
	ppm := testkit.NeedTool(t, "pdftoppm")
	pdf := fpdf.New("P", "mm", "A4", "")
	hidden := pdf.AddLayer("brouillon", false)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 14)
	pdf.Text(20, 30, "Lettre de soutien")
	pdf.BeginLayer(hidden)
	pdf.SetFillColor(0, 0, 0)
	pdf.Rect(20, 100, 170, 80, "F") // centre at (105 mm, 140 mm from the top)
	pdf.EndLayer()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	l, err := Read("calques.pdf", buf.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Merge(&out, bytes.NewReader(smallDossier(t, 1)), []*Letter{l}, MergePlan{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "out.pdf")
	os.WriteFile(in, out.Bytes(), 0o644)
	if msg, err := exec.Command(ppm, "-r", "72", "-f", "2", "-l", "2", "-gray", "-png", "-singlefile", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	f, err := os.Open(filepath.Join(dir, "p.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// 105 mm = 298 pt; 140 mm from the top = 397 pt, give or take the 2.4 % reduction.
	if g := color.GrayModel.Convert(img.At(298, 400)).(color.Gray).Y; g < 200 {
		t.Errorf("hidden layer shows through (gray %d)", g)
	}
}

func TestReadLetterRefusals(t *testing.T) {
	if _, err := Read("x.pdf", make([]byte, 100), Options{MaxBytes: 10}); !errors.Is(err, ErrLetterTooLarge) {
		t.Errorf("too large: %v", err)
	}
	if _, err := Read("x.docx", []byte("PK\x03\x04 a word file"), Options{}); !errors.Is(err, ErrLetterFormat) {
		t.Errorf("docx: %v", err)
	}
	if _, err := Read("x.jpg", []byte("\xff\xd8\xff\xe0 broken"), Options{}); !errors.Is(err, ErrLetterImage) {
		t.Errorf("broken jpeg: %v", err)
	}
}

func TestMergePlanErrors(t *testing.T) {
	l, err := Read("p.jpg", exifJPEG(t, 40, 20, 1), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var me *MergeError
	err = Merge(io.Discard, bytes.NewReader(smallDossier(t, 1)), []*Letter{l}, MergePlan{Outline: []Bookmark{{Title: "x", Page: 9}}})
	if !errors.As(err, &me) {
		t.Errorf("want *MergeError, got %v", err)
	}
	err = Merge(io.Discard, bytes.NewReader([]byte("nope")), []*Letter{l}, MergePlan{})
	if !errors.As(err, &me) {
		t.Errorf("want *MergeError, got %v", err)
	}
}

// TestConcurrentUse reads and merges letters from several goroutines,
// sharing the same *Letter values (run with -race).
func TestConcurrentUse(t *testing.T) {
	dir := testkit.CorpusDir(t)
	shared := []*Letter{
		mustRead(t, filepath.Join(dir, "pdf/rotations_mixed_4p.pdf")),
		mustRead(t, filepath.Join(dir, "images/rgba_alpha.png")),
	}
	dossier := smallDossier(t, 1)
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			own, err := ReadFile(filepath.Join(dir, "pdf/libreoffice64_acroform.pdf"), Options{DPI: 100 + i})
			if err == nil {
				err = Merge(io.Discard, bytes.NewReader(dossier), append([]*Letter{own}, shared...), MergePlan{})
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// benchLetters are the letters of BenchmarkMerge and BenchmarkQpdfMerge.
var benchLetters = []string{
	"pdf/pdflatex_geotopo_117p.pdf",
	"pdf/scan_hp_precisionscan_18p_cropbox.pdf",
	"pdf/chrome125_skia_print_letter.pdf",
	"pdf/cropbox_letter_on_square_mediabox.pdf",
	"pdf/us_legal_ilovepdf.pdf",
	"pdf/acroform_filled_by_acrobat_incremental.pdf",
}

// BenchmarkMerge reads six corpus letters (geotopo 117 pages plus five) and
// merges them after a 3-page dossier with footers, bookmarks and links.
func BenchmarkMerge(b *testing.B) {
	dir := testkit.CorpusDir(b)
	datas := make([][]byte, len(benchLetters))
	for i, f := range benchLetters {
		var err error
		if datas[i], err = os.ReadFile(filepath.Join(dir, f)); err != nil {
			b.Fatal(err)
		}
	}
	dossier := smallDossier(b, 3)
	b.ReportAllocs()
	var size int
	peak := sampleHeap()
	for b.Loop() {
		letters := make([]*Letter, len(datas))
		plan := MergePlan{}
		page := 4
		for i, d := range datas {
			l, err := Read(filepath.Base(benchLetters[i]), d, Options{})
			if err != nil {
				b.Fatal(err)
			}
			letters[i] = l
			plan.Outline = append(plan.Outline, Bookmark{Title: l.Name, Page: page})
			plan.Links = append(plan.Links, PageLink{Page: 1, X: 56, Y: 700 - 20*float64(i), W: 300, H: 14, Target: page})
			page += l.Pages
		}
		var out bytes.Buffer
		if err := Merge(&out, bytes.NewReader(dossier), letters, plan); err != nil {
			b.Fatal(err)
		}
		size = out.Len()
	}
	b.ReportMetric(float64(size), "out-bytes")
	b.ReportMetric(float64(peak()), "peak-heap-bytes")
}

// BenchmarkReadCorpus reads every accepted PDF of the corpus (pdf/ in the
// manifest), as a build of them does before merging: parse, validate,
// copy and sanitise each page. Skipped without the corpus.
func BenchmarkReadCorpus(b *testing.B) {
	dir, entries := letterCorpus(b)
	var datas [][]byte
	var names []string
	for _, e := range entries {
		if !e.OK || !strings.HasPrefix(e.File, "pdf/") {
			continue
		}
		d, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			b.Fatal(err)
		}
		datas, names = append(datas, d), append(names, filepath.Base(e.File))
	}
	b.ReportAllocs()
	pages := 0
	for b.Loop() {
		pages = 0
		for i, d := range datas {
			l, err := Read(names[i], d, Options{})
			if err != nil {
				b.Fatal(err)
			}
			pages += l.Pages
		}
	}
	b.ReportMetric(float64(len(datas)), "letters")
	b.ReportMetric(float64(pages), "pages")
}

// sampleHeap samples the live heap every millisecond (runtime/metrics, no
// stop-the-world) until the returned function is called, which reports
// the highest value seen. Peak RSS of the whole process is measured
// outside, with /usr/bin/time -v.
func sampleHeap() func() uint64 {
	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var max uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > max {
				max = v
			}
			select {
			case <-stop:
				done <- max
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		return <-done
	}
}

// BenchmarkQpdfMerge is the reference: qpdf concatenating the same files (no stamping).
func BenchmarkQpdfMerge(b *testing.B) {
	dir := testkit.CorpusDir(b)
	qpdf := testkit.NeedTool(b, "qpdf")
	args := []string{"--empty", "--pages"}
	for _, f := range benchLetters {
		args = append(args, filepath.Join(dir, f))
	}
	out := filepath.Join(b.TempDir(), "q.pdf")
	args = append(args, "--", out)
	for b.Loop() {
		if msg, err := exec.Command(qpdf, args...).CombinedOutput(); err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 { // 3 = warnings
				b.Fatalf("qpdf: %v\n%s", err, msg)
			}
		}
	}
}

// FuzzReadLetter checks that no input makes letters.Read panic or return a
// letter without pages, and that accepted letters merge.
func FuzzReadLetter(f *testing.F) {
	if dir, found := testkit.FindCorpus(f); found {
		for _, sub := range []string{"pdf", "images", "broken"} {
			files, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
			for _, p := range files {
				if fi, err := os.Stat(p); err == nil && fi.Size() < 200<<10 && !strings.HasSuffix(p, ".xlsx") {
					if b, err := os.ReadFile(p); err == nil {
						f.Add(b)
					}
				}
			}
		}
	}
	f.Add(smallDossier(f, 1))
	f.Add(exifJPEG(f, 16, 8, 6))
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 3, 5)))
	f.Add(buf.Bytes())
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	dossier := smallDossier(f, 1)
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang must be reported with its input: a panic from the watchdog
		// kills the worker and the fuzzing engine saves what it was running.
		watchdog := time.AfterFunc(20*time.Second, func() { panic("ReadLetter/Merge took more than 20 s") })
		defer watchdog.Stop()
		l, err := Read("fuzz.pdf", data, Options{MaxBytes: 1 << 20, MaxPixels: 1 << 22})
		if err != nil {
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if l.Pages < 1 || l.prepared == nil {
			t.Fatalf("letter without pages: %+v", l)
		}
		if err := Merge(io.Discard, bytes.NewReader(dossier), []*Letter{l}, MergePlan{}); err != nil {
			t.Fatalf("accepted letter does not merge: %v", err)
		}
	})
}

// TestTruncatedJPEGRefused: a JPEG cut short is refused, even though its
// header alone would allow embedding it without decoding.
func TestTruncatedJPEGRefused(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	whole := buf.Bytes()
	if _, err := Read("entier.jpg", whole, Options{}); err != nil {
		t.Fatalf("whole JPEG refused: %v", err)
	}
	_, err := Read("coupe.jpg", whole[:len(whole)*2/3], Options{})
	if !errors.Is(err, ErrLetterImage) {
		t.Errorf("truncated JPEG: err = %v, want ErrLetterImage", err)
	}
}
