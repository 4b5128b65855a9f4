package letters

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// handPDF writes a PDF of one page per media box, with the given content
// stream (already flate-compressed when deflated is set), xref exact.
func handPDF(boxes []string, content []byte, deflated bool) []byte {
	filter := ""
	if deflated {
		filter = "/FlateDecode"
	}
	return handPDFFiltered(boxes, content, filter)
}

// handPDFFiltered is handPDF with the content's /Filter as given ("" for
// none, "/LZWDecode", "[/ASCIIHexDecode /RunLengthDecode]"…).
func handPDFFiltered(boxes []string, content []byte, filter string) []byte {
	return handPDFCatalog(boxes, content, filter, "")
}

// handPDFCatalog is handPDFFiltered with more entries in the catalog.
func handPDFCatalog(boxes []string, content []byte, filter, catalog string) []byte {
	var p handWriter
	obj := p.obj
	n := len(boxes)
	kids := make([]string, n)
	for i := range boxes {
		kids[i] = fmt.Sprintf("%d 0 R", 4+i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R"+catalog+" >>", nil)
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n), nil)
	if filter != "" {
		filter = " /Filter " + filter
	}
	obj(fmt.Sprintf("<< /Length %d%s >>", len(content), filter), content)
	for _, box := range boxes {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Contents 3 0 R /Resources << >> >>", box), nil)
	}
	return p.bytes()
}

// handWriter writes a PDF by hand, one object after the other, numbered
// from 1, the catalog first.
type handWriter struct {
	b    bytes.Buffer
	offs []int
}

// obj writes the next object: body, then stream when not nil.
func (p *handWriter) obj(body string, stream []byte) {
	if p.b.Len() == 0 {
		p.b.WriteString("%PDF-1.7\n")
	}
	p.offs = append(p.offs, p.b.Len())
	fmt.Fprintf(&p.b, "%d 0 obj\n%s", len(p.offs), body)
	if stream != nil {
		p.b.WriteString("\nstream\n")
		p.b.Write(stream)
		p.b.WriteString("\nendstream")
	}
	p.b.WriteString("\nendobj\n")
}

// bytes ends the file with its cross-reference table and trailer.
func (p *handWriter) bytes() []byte {
	xref := p.b.Len()
	fmt.Fprintf(&p.b, "xref\n0 %d\n0000000000 65535 f \n", len(p.offs)+1)
	for _, o := range p.offs {
		fmt.Fprintf(&p.b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&p.b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(p.offs)+1, xref)
	return p.b.Bytes()
}

func deflate(p []byte) []byte {
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// TestDegeneratePageRefused: a page whose box is empty, flat or absurdly
// large is refused, naming the page; a sound one beside it is not enough.
func TestDegeneratePageRefused(t *testing.T) {
	content := []byte("0 0 m 100 100 l S")
	if _, err := Read("ok.pdf", handPDF([]string{"0 0 595 842"}, content, false), Options{}); err != nil {
		t.Fatalf("a sound page refused: %v", err)
	}
	for _, tc := range []struct{ box, page string }{
		{"0 0 0 0", "page 2"},
		{"0 0 595 0", "page 2"},
		{"10 10 10 500", "page 2"},
		{"0 0 1e7 842", "page 2"},
		{"-300000 0 300000 842", "page 2"},
	} {
		_, err := Read("lettre.pdf", handPDF([]string{"0 0 595 842", tc.box}, content, false), Options{})
		if !errors.Is(err, ErrLetterPage) || !strings.Contains(err.Error(), tc.page) {
			t.Errorf("box [%s]: %v, want a refusal naming %s", tc.box, err, tc.page)
		}
	}
}

// TestUnreadPartsNotJudged: a fault in what Read neither reads nor copies
// (structure tree, outline, named destinations) no longer refuses a letter
// (pdfcpu's validation used to refuse each of these); its page is merged,
// and nothing of those parts reaches the dossier. What does reach it is
// still validated: broken/fuzzed_bad_xref_length_loop.pdf, whose page
// image has no valid width, stays refused (TestReadLetterCorpus).
func TestUnreadPartsNotJudged(t *testing.T) {
	for _, c := range []string{
		" /StructTreeRoot << /Type /StructTreeRoot /K << /S /P /P 1 0 R /K (x) >> >>",
		" /StructTreeRoot 7",
		" /Outlines << /Type /Outlines /First 5 >>",
		" /Outlines << /Type /Outlines /First << /Title 3 /Parent 1 0 R >> /Count 1 >>",
		" /Names << /Dests << /Names [(a) 5] >> >>",
		" /Names << /Dests << /Kids 3 >> >>",
		" /Dests << /a 5 >>",
	} {
		l, err := Read("lettre.pdf", handPDFCatalog([]string{"0 0 595 842"}, []byte("0 0 m 100 100 l S"), "", c), Options{})
		if err != nil {
			t.Errorf("%s: %v", c, err)
			continue
		}
		var out bytes.Buffer
		if err := Merge(&out, bytes.NewReader(smallDossier(t, 1)), []*Letter{l}, MergePlan{}); err != nil {
			t.Errorf("%s: merge: %v", c, err)
			continue
		}
		if bytes.Contains(out.Bytes(), []byte("/Dests")) || bytes.Contains(out.Bytes(), []byte("(x)")) {
			t.Errorf("%s: part of the letter's catalog reached the dossier", c)
		}
	}
}

// TestDecompressionBombRefused: a content stream that inflates beyond
// MaxStreamBytes is refused, instead of being passed on to the dossier
// where readers would take minutes on it.
func TestDecompressionBombRefused(t *testing.T) {
	bomb := deflate(bytes.Repeat([]byte("0 0 m 1 1 l\n"), (MaxStreamBytes/12)+1000))
	_, err := Read("bombe.pdf", handPDF([]string{"0 0 595 842"}, bomb, true), Options{})
	if !errors.Is(err, ErrLetterBomb) || !strings.Contains(err.Error(), "page 1") {
		t.Fatalf("bomb: %v, want ErrLetterBomb naming page 1", err)
	}
	small := deflate(bytes.Repeat([]byte("0 0 m 1 1 l\n"), 1000))
	if _, err := Read("ok.pdf", handPDF([]string{"0 0 595 842"}, small, true), Options{}); err != nil {
		t.Fatalf("a small compressed page refused: %v", err)
	}
}

// formPDF writes a one-page PDF whose page draws form XObject /F, whose
// content (flate-compressed) is form.
func formPDF(form []byte) []byte {
	var p handWriter
	obj := p.obj
	page := []byte("/F Do")
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [5 0 R] /Count 1 >>", nil)
	obj(fmt.Sprintf("<< /Length %d >>", len(page)), page)
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Length %d /Filter /FlateDecode >>", len(form)), form)
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /XObject << /F 4 0 R >> >> >>", nil)
	return p.bytes()
}

// TestStreamBoundExact: a content stream, a page's or a form's, that
// inflates to exactly MaxStreamBytes is accepted; one byte more and the
// letter is refused (both are decoded once, for the bound and for their
// marked content).
func TestStreamBoundExact(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 4 × 32 MB")
	}
	at := deflate(bytes.Repeat([]byte{' '}, MaxStreamBytes))
	over := deflate(bytes.Repeat([]byte{' '}, MaxStreamBytes+1))
	for _, tc := range []struct {
		name     string
		at, over []byte
	}{
		{"page", handPDF([]string{"0 0 595 842"}, at, true), handPDF([]string{"0 0 595 842"}, over, true)},
		{"form", formPDF(at), formPDF(over)},
	} {
		if _, err := Read("ok.pdf", tc.at, Options{}); err != nil {
			t.Errorf("%s content of exactly %d bytes refused: %v", tc.name, MaxStreamBytes, err)
		}
		if _, err := Read("bombe.pdf", tc.over, Options{}); !errors.Is(err, ErrLetterBomb) {
			t.Errorf("%s content of %d bytes: %v, want ErrLetterBomb", tc.name, MaxStreamBytes+1, err)
		}
	}
}

// TestDecompressionBombOtherFilters: the bound holds whatever the filters:
// RunLength alone, and RunLength behind ASCIIHex, expand 64-fold here. Such
// a letter is refused, never passed on into a dossier.
func TestDecompressionBombOtherFilters(t *testing.T) {
	// 129 then a byte: that byte 128 times (RunLengthDecode).
	run := bytes.Repeat([]byte{129, '\n'}, MaxStreamBytes/128+1000)
	run = append(run, 128) // end of data
	hex := []byte(fmt.Sprintf("%X>", run))
	for _, tt := range []struct {
		name, filter string
		data         []byte
	}{
		{"RunLength", "/RunLengthDecode", run},
		{"ASCIIHex then RunLength", "[/ASCIIHexDecode /RunLengthDecode]", hex},
	} {
		_, err := Read("bombe.pdf", handPDFFiltered([]string{"0 0 595 842"}, tt.data, tt.filter), Options{})
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
		if tt.name == "RunLength" && !errors.Is(err, ErrLetterBomb) {
			t.Errorf("%s: %v, want ErrLetterBomb", tt.name, err)
		}
	}
	small := append(bytes.Repeat([]byte{129, '\n'}, 100), 128)
	if _, err := Read("ok.pdf", handPDFFiltered([]string{"0 0 595 842"}, small, "/RunLengthDecode"), Options{}); err != nil {
		t.Errorf("a small RunLength page refused: %v", err)
	}
}
