package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"necdossier/assemble/internal/testkit"
)

// sameAsXML reads a worksheet and shared strings with xmlScan and with
// encoding/xml: where xmlScan reads them to the end (sure), everything
// must be the same, errors included. It reports whether xmlScan was sure
// of both.
func sameAsXML(t *testing.T, sheet, sst []byte) bool {
	t.Helper()
	want, wantErr := parseSST(bytes.NewReader(sst))
	got, sure := parseSSTBytes(&xmlScan{}, sst)
	sstSure := sure
	if sure {
		if wantErr != nil {
			t.Fatalf("shared strings: xmlScan reads %q, encoding/xml says %v", got, wantErr)
		}
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("shared strings: xmlScan reads %q, encoding/xml %q", got, want)
		}
	}
	// The second part is read as relationships too.
	wantRels, wantErr := unmarshalRels(sst)
	if gotRels, sure := parseRelsBytes(&xmlScan{}, sst); sure {
		if wantErr != nil {
			t.Fatalf("relationships: xmlScan reads %q, encoding/xml says %v", gotRels, wantErr)
		}
		if !reflect.DeepEqual(gotRels, wantRels) {
			t.Fatalf("relationships: xmlScan reads %q, encoding/xml %q", gotRels, wantRels)
		}
	}
	ws := sheetRef{name: "Feuille", part: "sheet.xml"}
	old := &pkg{name: "f.xlsx", sst: want, calcSafe: true}
	oldBudget := 50
	g1, err1 := old.scanSheetReader(ws, bytes.NewReader(sheet), &oldBudget)
	fast := &pkg{name: "f.xlsx", sst: want, calcSafe: true}
	budget := 50
	g2, sure, err2 := fast.scanSheetBytes(ws, sheet, &budget)
	if !sure {
		return false
	}
	defer func() {
		if t.Failed() {
			t.Logf("sheet %q\nsst %q", sheet, sst)
		}
	}()
	if fmt.Sprint(err1) != fmt.Sprint(err2) {
		t.Fatalf("sheet: xmlScan says %v, encoding/xml %v", err2, err1)
	}
	if err1 == nil && (gridText(g1) != gridText(g2) || budget != oldBudget || old.calcSafe != fast.calcSafe) {
		t.Fatalf("sheet: xmlScan reads\n%s (budget %d, calcSafe %v)\nencoding/xml\n%s (budget %d, calcSafe %v)", gridText(g2), budget, fast.calcSafe, gridText(g1), oldBudget, old.calcSafe)
	}
	return sstSure
}

// gridText says all of a grid, to compare two.
func gridText(g *grid) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q wide %v rows %v\n", g.sheet, g.wide, g.rows)
	for _, r := range g.rows {
		fmt.Fprintf(&b, "row %d: %v\n", r, g.cols[r])
	}
	fmt.Fprintf(&b, "%d cols, %d cells\n", len(g.cols), len(g.index))
	for k, i := range g.index {
		fmt.Fprintf(&b, "%d %+v\n", k, g.cells[i])
	}
	lines := strings.Split(b.String(), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// xmlSeeds are XML that xmlScan must read as encoding/xml does, or leave
// to it: what producers write, and what they should not.
var xmlSeeds = []struct{ sheet, sst string }{
	{`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>`,
		`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2"><si><t xml:space="preserve"> Nom &amp; prénom </t></si><si><r><rPr><b/></rPr><t>Riche</t></r><r><t>&#10;texte&#x2019;s</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si></sst>`},
	{`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t><![CDATA[a < b & c]]></x:t></x:is></x:c><x:c r="B2"><x:f>SUM(A1:A2)</x:f><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
		`<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>préfixé</x:t></x:si></x:sst>`},
	{"<worksheet><!-- a comment --><sheetData>\r\n<row><c t=\"str\"><v>ligne\r\nune\rdeux</v></c><c t='b'><v>1</v></c><c t=\"e\"><v>#DIV/0!</v></c><c t=\"d\"><v>2025-09-25T00:00:00</v></c></row><row/><row><c/><c t=\"inlineStr\"><is><r><t>run</t></r><rPh><t>no</t></rPh><t>s</t></is></c></row></sheetData></worksheet>",
		"<sst><si><t>&lt;&gt;&apos;&quot;&#233;&#x1F600;</t></si><si><t/></si><si></si></sst>"},
	{`<worksheet><sheetData><row r="0"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, `<sst/>`},
	{`<worksheet><sheetData><row r="3"><c r="1A"><v>1</v></c></row></sheetData></worksheet>`, `<sst></sst>`},
	{`<worksheet><sheetData><row r="3"><c r="A3"><v>1</c></row></sheetData></worksheet>`, `<sst><si><t>a</si></sst>`},
	{`<worksheet><sheetData><row r="3"><c r="A3"><v>&bad;</v></c></row></sheetData></worksheet>`, `<sst><si><t>&#0;</t></si></sst>`},
	{`<?xml version="1.0" encoding="ISO-8859-1"?><worksheet/>`, `<!DOCTYPE sst [<!ENTITY e "x">]><sst><si><t>&e;</t></si></sst>`},
	{`<worksheet><sheetData><row r="3"><c r="A3" t="s"><v> 1 </v></c><c r="B3" t="s"><v>+0</v></c><c r="C3" t="s"><v>7</v></c></row></sheetData></worksheet>`, `<sst><si><t>un</t></si><si><t>deux</t></si></sst>`},
	{"<worksheet><sheetData><row r=\"4\"><c r=\"XFD4\"><v>1</v></c><c r=\"A20000\"><v>2</v></c></row><row r=\"1048576\"/></sheetData></worksheet>", "\ufeff<sst><si><t>\u00a0</t></si></sst>"},
	{`<worksheet><sheetData><row r="5"><c r="A5" r="B5"><v>1</v></c><c xmlns:r="urn:x" r:r="C5" r="D5"><v>2</v></c></row></sheetData></worksheet>`, `<sst><si><t>a]]&gt;b</t></si></sst>`},
	{`<worksheet><sheetData><row r="5"><c r="A5"><v>1</v></c></row></sheetData></worksheet><!-- -- -->`, `<sst><si><t>a]]>b</t></si></sst>`},
	{`<worksheet><sheetData><row r="6"><c r = "A6" ><v >x&#xD800;</v></c></row></sheetData></worksheet >`, "<sst><si><t>\x01</t></si></sst>"},
	{`<worksheet><sheetData><row r="7"><c r="A7"><v>1</v></c></row></sheetData></worksheet`, `<sst><si><t>a</t></si>`},
	{`<worksheet/>`, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{`<worksheet/>`, `<r:Relationships xmlns:r="urn:r"><r:Relationship Id="a" Id="b" Target="x&amp;y"><Relationship Id="nested"/></r:Relationship>text<Other Id="c"/></r:Relationships><after`},
	{`<worksheet/>`, ``},
}

// TestXMLScanSeeds reads the seeds both ways.
func TestXMLScanSeeds(t *testing.T) {
	for i, s := range xmlSeeds {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			// The first three are what producers write: xmlScan
			// must read them itself.
			if !sameAsXML(t, []byte(s.sheet), []byte(s.sst)) && i < 3 {
				t.Error("xmlScan leaves them to encoding/xml")
			}
		})
	}
}

// TestXMLScanCorpus reads the worksheets, shared strings and relationships of the
// samples, the corpus and a LibreOffice-saved form both ways: xmlScan must
// read each to the end, as encoding/xml does.
func TestXMLScanCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "samples", "*", "*.xlsx"))
	if dir, ok := testkit.FindCorpus(t); ok {
		more, _ := filepath.Glob(filepath.Join(dir, "xlsx", "*.xlsx"))
		files = append(files, more...)
	}
	books := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		books[f] = b
	}
	var written bytes.Buffer
	if err := Write(&written, testkit.Call(t), testkit.RichCandidature()); err != nil {
		t.Fatal(err)
	}
	books["written"] = written.Bytes()
	parts := 0
	for name, b := range books {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			continue // encrypted
		}
		var sst []byte
		var sheets [][]byte
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			switch {
			case strings.HasSuffix(f.Name, "sharedStrings.xml"):
				sst = data
			case strings.Contains(f.Name, "worksheets/") && strings.HasSuffix(f.Name, ".xml"):
				sheets = append(sheets, data)
			case strings.HasSuffix(f.Name, ".rels"):
				rels, sure := parseRelsBytes(&xmlScan{}, data)
				want, err := unmarshalRels(data)
				if !sure || err != nil || !reflect.DeepEqual(rels, want) {
					t.Errorf("%s: %s: xmlScan reads %q (sure %v), encoding/xml %q (%v)", name, f.Name, rels, sure, want, err)
				}
			}
		}
		if sst == nil {
			sst = []byte("<sst/>")
		}
		for _, sh := range sheets {
			parts++
			ws := sheetRef{name: "Feuille"}
			budget := maxCells
			if _, sure, _ := (&pkg{}).scanSheetBytes(ws, sh, &budget); !sure {
				t.Errorf("%s: xmlScan leaves a worksheet to encoding/xml", name)
			}
			if !sameAsXML(t, sh, sst) {
				t.Errorf("%s: xmlScan leaves the shared strings to encoding/xml", name)
			}
		}
	}
	if parts < 40 {
		t.Errorf("only %d worksheets read", parts)
	}
}

// FuzzXMLScan: wherever xmlScan reads a worksheet or shared strings to the
// end, it reads what encoding/xml reads and says the same errors.
func FuzzXMLScan(f *testing.F) {
	for _, s := range xmlSeeds {
		f.Add([]byte(s.sheet), []byte(s.sst))
	}
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		sameAsXML(t, sheet, sst)
	})
}
