package letters

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"necdossier/assemble/internal/testkit"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

var writeDate = time.Date(2025, 6, 15, 15, 6, 40, 0, time.UTC)

// rewrite reads pdf with pdfcpu and writes it again with writeDoc.
func rewrite(t testing.TB, pdf []byte, date time.Time, seal bool) []byte {
	t.Helper()
	ctx, err := pdfcpu.Read(bytes.NewReader(pdf), PdfConf())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeDoc(&out, ctx, date, seal); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// mergedForWrite is a small merged dossier: two dossier pages, a letter
// (an image), an outline, a link, information entries and the seal.
func mergedForWrite(t testing.TB) []byte {
	t.Helper()
	return mergeForWrite(t, smallDossier(t, 2))
}

func mergeForWrite(t testing.TB, dossier []byte) []byte {
	t.Helper()
	l, err := Read("lettre.jpg", exifJPEG(t, 60, 40, 1), Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan := MergePlan{
		Outline: []Bookmark{{Title: "Dossier", Page: 1, Kids: []Bookmark{{Title: "Suite", Page: 2}}}, {Title: "Annexe 1 – lettre", Page: 3}},
		Links:   []PageLink{{Page: 1, X: 50, Y: 700, W: 200, H: 14, Target: 3}},
		Info:    map[string]string{"NecdossierEmpreinte": "abc", "NecdossierPieces": "annex 0123 lettre.jpg\n"},
		Seal:    true,
		Date:    writeDate,
	}
	var out bytes.Buffer
	if err := Merge(&out, bytes.NewReader(dossier), []*Letter{l}, plan); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// objectText is how an object compares: pdfcpu's serialisation, a
// stream's dictionary without its Length and with its raw bytes.
func objectText(t *testing.T, ctx *model.Context, n int) string {
	t.Helper()
	o, err := objectOf(ctx, n)
	if err != nil {
		t.Fatalf("objet %d : %v", n, err)
	}
	if sd, ok := o.(types.StreamDict); ok {
		d := cloneDict(sd.Dict)
		delete(d, "Length")
		return d.PDFString() + " stream " + string(sd.Raw)
	}
	s, err := pdfString(o)
	if err != nil {
		t.Fatalf("objet %d : %v", n, err)
	}
	return s
}

// objectsText is every object of pdf as objectText gives it, one a line,
// in the order of their numbers: what a test searches when the objects
// sit in compressed object streams.
func objectsText(t *testing.T, pdf []byte) string {
	t.Helper()
	ctx, err := pdfcpu.Read(bytes.NewReader(pdf), PdfConf())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for n := 1; n < len(ctx.Table); n++ {
		if e := ctx.Table[n]; e == nil || e.Free {
			continue
		}
		switch o, _ := objectOf(ctx, n); o.(type) {
		case types.ObjectStreamDict, types.XRefStreamDict: // their objects are listed
			continue
		}
		b.WriteString(objectText(t, ctx, n))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestWriteDocReadBack: what writeDoc writes, read back by pdfcpu, has
// the same objects under the same numbers, and only those reachable; its
// non-stream objects sit in object streams, the information dictionary
// outside them; the cross-reference is a stream.
func TestWriteDocReadBack(t *testing.T) {
	src := mergedForWrite(t)
	ctx, err := pdfcpu.Read(bytes.NewReader(src), PdfConf())
	if err != nil {
		t.Fatal(err)
	}
	orphan, err := ctx.IndRefForNewObject(types.Dict{"Orphelin": types.Boolean(true)})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeDoc(&out, ctx, writeDate, true); err != nil {
		t.Fatal(err)
	}
	back, err := readBack(out.Bytes())
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	nums, err := reachable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	info := int(ctx.Info.ObjectNumber)
	if int(back.Info.ObjectNumber) != info || back.Root.ObjectNumber != ctx.Root.ObjectNumber {
		t.Fatalf("trailer: Root %v Info %v, want %v %v", back.Root, back.Info, ctx.Root, ctx.Info)
	}
	for _, n := range nums {
		e, ok := back.Table[n]
		if !ok || e == nil || e.Free {
			t.Errorf("objet %d absent", n)
			continue
		}
		want, got := objectText(t, ctx, n), objectText(t, back, n)
		if n == info { // the seal, filled in (src had one too)
			blank := func(s string) string {
				return regexp.MustCompile(`/`+SealKey+`\([0-9a-f]{64}\)`).ReplaceAllString(s, "/"+SealKey+"("+sealBlank+")")
			}
			got, want = blank(got), blank(want)
		}
		if got != want {
			t.Errorf("objet %d :\n got %.300s\nwant %.300s", n, got, want)
		}
	}
	n := int(orphan.ObjectNumber)
	if e, ok := back.Table[n]; ok && e != nil && !e.Free {
		if _, isDict := e.Object.(types.Dict); isDict {
			t.Errorf("orphan object %d written", n)
		}
	}
	data := out.Bytes()
	if !bytes.HasPrefix(data, []byte("%PDF-1.7\n%")) {
		t.Errorf("header: %q", data[:12])
	}
	if c := bytes.Count(data, []byte("/Type/ObjStm")); c == 0 {
		t.Error("no object stream")
	}
	if !bytes.Contains(data, []byte("/Type/XRef")) || bytes.Contains(data, []byte("\nxref\n")) || bytes.Contains(data, []byte("trailer")) {
		t.Error("the cross-reference is not a stream")
	}
	if !bytes.Contains(data, fmt.Appendf(nil, "\n%d 0 obj\n<<", info)) {
		t.Errorf("the information dictionary (%d) is not a plain object", info)
	}
	if root := ctx.Root.ObjectNumber.Value(); bytes.Contains(data, fmt.Appendf(nil, "\n%d 0 obj\n", root)) {
		t.Errorf("the catalog (%d) is not in an object stream", root)
	}
	// Every plain object but the information dictionary is a stream.
	for _, m := range regexp.MustCompile(`\n(\d+) 0 obj\n<<[^\n]*>>\n(stream|endobj)`).FindAllSubmatch(data, -1) {
		if string(m[2]) == "endobj" && string(m[1]) != fmt.Sprint(info) {
			t.Errorf("object %s written outside an object stream", m[1])
		}
	}
	im, err := Info(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := types.DateString(writeDate); im["CreationDate"] != want || im["ModDate"] != want {
		t.Errorf("dates %q %q, want %q", im["CreationDate"], im["ModDate"], want)
	}
	if im["NecdossierEmpreinte"] != "abc" {
		t.Errorf("info: %v", im)
	}
	if PageCount(data) != 3 {
		t.Errorf("pages = %d, want 3", PageCount(data))
	}
	// The same bytes when the objects are written again.
	if again := rewrite(t, data, writeDate, true); !bytes.Equal(again, data) {
		t.Error("rewriting the output changes it")
	}
}

// TestWriteDocWriters: written in place into a buffer that already holds
// bytes, or through any other writer, the file is the same.
func TestWriteDocWriters(t *testing.T) {
	src := smallDossier(t, 1)
	want := rewrite(t, src, writeDate, true)
	write := func(w io.Writer) {
		ctx, err := pdfcpu.Read(bytes.NewReader(src), PdfConf())
		if err != nil {
			t.Fatal(err)
		}
		if err := writeDoc(w, ctx, writeDate, true); err != nil {
			t.Fatal(err)
		}
	}
	prefixed := bytes.NewBufferString("avant")
	write(prefixed)
	if got := prefixed.Bytes(); string(got[:5]) != "avant" || !bytes.Equal(got[5:], want) {
		t.Error("written after bytes already in the buffer, the file differs")
	}
	var other strings.Builder
	write(&other)
	if other.String() != string(want) {
		t.Error("written through another writer, the file differs")
	}
}

// TestWriteDocNoDate: a zero date writes no dates.
func TestWriteDocNoDate(t *testing.T) {
	out := rewrite(t, smallDossier(t, 1), time.Time{}, false)
	im, err := Info(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := im["CreationDate"]; ok {
		t.Errorf("CreationDate written: %v", im)
	}
	if _, ok := im["ModDate"]; ok {
		t.Errorf("ModDate written: %v", im)
	}
	if present, _ := CheckSeal(out); present {
		t.Error("sealed without MergePlan.Seal")
	}
}

// TestMergeReproducible: the same inputs give the same bytes (pdfcpu's
// maps are walked in a different order each time). The dossier is made
// once: fpdf numbers its standard fonts in map order.
func TestMergeReproducible(t *testing.T) {
	dossier := smallDossier(t, 2)
	first := mergeForWrite(t, dossier)
	for range 8 {
		if again := mergeForWrite(t, dossier); !bytes.Equal(again, first) {
			t.Fatal("two merges of the same inputs differ")
		}
	}
}

// TestSealCoversEveryByte: the seal is intact as written, the identifier
// comes from the same digest, and changing any byte, the identifier's
// included, breaks the seal.
func TestSealCoversEveryByte(t *testing.T) {
	pdf := mergedForWrite(t)
	present, intact := CheckSeal(pdf)
	if !present || !intact {
		t.Fatalf("seal present %v intact %v", present, intact)
	}
	id, s := sealPlaces(pdf)
	if id == nil || s == nil {
		t.Fatal("no identifier or no seal")
	}
	if got, want := string(pdf[id[2]:id[3]]), strings.ToUpper(string(pdf[s[2]:s[2]+32])); got != want || string(pdf[id[4]:id[5]]) != want {
		t.Errorf("identifier %s, want %s (the seal's first half)", got, want)
	}
	changed := bytes.Clone(pdf)
	for i := range changed {
		old := changed[i]
		changed[i] ^= 0x01
		if present, intact := CheckSeal(changed); present && intact {
			t.Fatalf("byte %d changed (%q → %q) and the seal still holds", i, old, changed[i])
		}
		changed[i] = old
	}
}

// TestSealLookAlikes: a letter whose content, copied byte for byte, holds
// an identifier and a seal placeholder of the same form does not get ours
// written into it, and its look-alikes are covered by the seal like any
// other byte.
func TestSealLookAlikes(t *testing.T) {
	fake := "%/ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]\n" +
		"%/" + SealKey + " (" + sealBlank + ")\n"
	content := []byte(fake + "0 0 1 rg 10 10 50 50 re f\n")
	l, err := Read("lettre.pdf", handPDF([]string{"0 0 595 842"}, content, false), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Merge(&out, bytes.NewReader(smallDossier(t, 1)), []*Letter{l}, MergePlan{Seal: true, Date: writeDate}); err != nil {
		t.Fatal(err)
	}
	pdf := out.Bytes()
	at := bytes.Index(pdf, []byte(fake))
	if at < 0 {
		t.Fatal("the letter's content is not in the output as it was (the test needs it copied byte for byte)")
	}
	id, s := sealPlaces(pdf)
	if id == nil || s == nil || id[0] < at+len(fake) || s[0] < at+len(fake) {
		t.Fatalf("identifier at %v, seal at %v: they should come after the letter's content (at %d)", id, s, at)
	}
	if strings.Trim(string(pdf[id[2]:id[3]]), "0") == "" || strings.Trim(string(pdf[s[2]:s[3]]), "0") == "" {
		t.Error("the real identifier or seal was left blank")
	}
	if present, intact := CheckSeal(pdf); !present || !intact {
		t.Fatalf("seal present %v intact %v", present, intact)
	}
	for _, i := range []int{at + len("%/ID [<"), at + strings.Index(fake, "(") + 1} {
		changed := bytes.Clone(pdf)
		changed[i] = '7'
		if _, intact := CheckSeal(changed); intact {
			t.Errorf("the look-alike at %d changed and the seal still holds", i)
		}
	}
}

// TestWriteDocQpdf: qpdf finds nothing wrong in what writeDoc writes, and
// sees its object streams.
func TestWriteDocQpdf(t *testing.T) {
	qpdf := testkit.NeedTool(t, "qpdf")
	path := filepath.Join(t.TempDir(), "w.pdf")
	if err := os.WriteFile(path, mergedForWrite(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(qpdf, "--check", path).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
	out, err := exec.Command(qpdf, "--show-xref", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "compressed; stream = ") {
		t.Errorf("qpdf sees no object in an object stream:\n%s", out)
	}
}

// TestCheckUAAfterWrite: the checker finds the same faults in a document
// once its objects sit in object streams (it must decode them to see the
// fonts, the structure).
func TestCheckUAAfterWrite(t *testing.T) {
	cases := map[string][]byte{
		"base":              uaPDF(uaBase, uaContent, uaXMP),
		RuleFontEmbedded:    uaPDF(replaced(uaBase, 10, "/FontFile2 13 0 R", ""), uaContent, uaXMP),
		RuleToUnicode:       uaPDF(replaced(uaBase, 4, "/ToUnicode 11 0 R", ""), uaContent, uaXMP),
		RuleFigureAlt:       uaPDF(replaced(uaBase, 15, "/Alt (Un carré)", ""), uaContent, uaXMP),
		RuleTHScope:         uaPDF(replaced(uaBase, 19, "/A << /O /Table /Scope /Column >>", ""), uaContent, uaXMP),
		RuleDisplayDocTitle: uaPDF(replaced(uaBase, 1, "/ViewerPreferences << /DisplayDocTitle true >>", ""), uaContent, uaXMP),
	}
	for name, pdf := range cases {
		fs, err := CheckUA(rewrite(t, pdf, writeDate, false))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var rules []string
		for _, f := range fs {
			if !slices.Contains(rules, f.Rule) {
				rules = append(rules, f.Rule)
			}
		}
		want := []string{name}
		if name == "base" {
			want = nil
		}
		if !slices.Equal(rules, want) {
			t.Errorf("%s: reported %q (%v)", name, rules, fs)
		}
	}
}

func replaced(objs map[int]string, n int, old, new string) map[int]string {
	m := map[int]string{}
	for k, v := range objs {
		m[k] = v
	}
	m[n] = strings.Replace(m[n], old, new, 1)
	return m
}
