package letters

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// uaBase is a small tagged PDF that passes every rule: a heading, a
// figure, a table with a header cell, a list, a link with its annotation,
// an artifact; each case of TestCheckUABreaks changes one thing.
var uaBase = map[int]string{
	1:  "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 5 0 R /MarkInfo << /Marked true >> /Lang (fr-FR) /ViewerPreferences << /DisplayDocTitle true >> /Metadata 9 0 R >>",
	2:  "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	3:  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 4 0 R >> >> /Contents 8 0 R /StructParents 0 /Annots [12 0 R] /Tabs /S >>",
	4:  "<< /Type /Font /Subtype /TrueType /BaseFont /AAAAAA+Test /FirstChar 32 /LastChar 126 /FontDescriptor 10 0 R /ToUnicode 11 0 R >>",
	5:  "<< /Type /StructTreeRoot /K 6 0 R /ParentTree 7 0 R /ParentTreeNextKey 2 >>",
	6:  "<< /Type /StructElem /S /Document /P 5 0 R /K [14 0 R 15 0 R 16 0 R 17 0 R 21 0 R] >>",
	7:  "<< /Nums [0 [14 0 R 15 0 R 19 0 R 17 0 R 23 0 R] 1 17 0 R] >>",
	10: "<< /Type /FontDescriptor /FontName /AAAAAA+Test /Flags 4 /FontBBox [0 0 500 500] /ItalicAngle 0 /Ascent 500 /Descent 0 /CapHeight 500 /StemV 80 /FontFile2 13 0 R >>",
	12: "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Border [0 0 0] /StructParent 1 /Contents (vers la page 1) /Dest [3 0 R /Fit] >>",
	14: "<< /Type /StructElem /S /H1 /P 6 0 R /K [<< /Type /MCR /Pg 3 0 R /MCID 0 >>] >>",
	15: "<< /Type /StructElem /S /Figure /P 6 0 R /Alt (Un carré) /K [<< /Type /MCR /Pg 3 0 R /MCID 1 >>] >>",
	16: "<< /Type /StructElem /S /Table /P 6 0 R /K [18 0 R] >>",
	18: "<< /Type /StructElem /S /TR /P 16 0 R /K [19 0 R] >>",
	19: "<< /Type /StructElem /S /TH /P 18 0 R /A << /O /Table /Scope /Column >> /K [<< /Type /MCR /Pg 3 0 R /MCID 2 >>] >>",
	17: "<< /Type /StructElem /S /Link /P 6 0 R /K [<< /Type /MCR /Pg 3 0 R /MCID 3 >> << /Type /OBJR /Pg 3 0 R /Obj 12 0 R >>] >>",
	21: "<< /Type /StructElem /S /L /P 6 0 R /K [22 0 R] >>",
	22: "<< /Type /StructElem /S /LI /P 21 0 R /K [23 0 R] >>",
	23: "<< /Type /StructElem /S /LBody /P 22 0 R /K [<< /Type /MCR /Pg 3 0 R /MCID 4 >>] >>",
}

const uaContent = `/H1 <</MCID 0>> BDC BT /F1 10 Tf 10 150 Td (Titre) Tj ET EMC
/Figure <</MCID 1>> BDC 10 100 20 20 re f EMC
/TH <</MCID 2>> BDC BT /F1 10 Tf 10 80 Td (Col) Tj ET EMC
/Link <</MCID 3>> BDC BT /F1 10 Tf 10 60 Td (Lien) Tj ET EMC
/LBody <</MCID 4>> BDC BT /F1 10 Tf 10 40 Td (Point) Tj ET EMC
/Artifact BMC 0 0 200 1 re f EMC
`

const uaXMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Essai</rdf:li></rdf:Alt></dc:title></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
</rdf:RDF></x:xmpmeta>`

// uaPDF writes the base PDF with objects and streams replaced.
func uaPDF(objs map[int]string, content, xmp string) []byte {
	streams := map[int]string{8: content, 9: xmp, 11: "/CIDInit /ProcSet findresource begin\nendcmap", 13: "not a real font program"}
	var b strings.Builder
	b.WriteString("%PDF-1.7\n")
	offsets := make([]int, 24)
	for n := 1; n < 24; n++ {
		d, ok := objs[n]
		s, isStream := streams[n]
		if !ok && !isStream {
			d = "null"
		}
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", n)
		if isStream {
			extra := ""
			if n == 9 {
				extra = " /Type /Metadata /Subtype /XML"
			}
			fmt.Fprintf(&b, "<< /Length %d%s >>\nstream\n%s\nendstream", len(s), extra, s)
		} else {
			b.WriteString(d)
		}
		b.WriteString("\nendobj\n")
	}
	x := b.Len()
	b.WriteString("xref\n0 24\n0000000000 65535 f \n")
	for n := 1; n < 24; n++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size 24 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", x)
	return []byte(b.String())
}

func TestCheckUABase(t *testing.T) {
	fs, err := CheckUA(uaPDF(uaBase, uaContent, uaXMP))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Errorf("base: %s", f)
	}
}

// TestCheckUABreaks breaks each rule on purpose and sees the checker
// report exactly that rule.
func TestCheckUABreaks(t *testing.T) {
	edit := func(n int, old, new string) map[int]string {
		m := map[int]string{}
		for k, v := range uaBase {
			m[k] = v
		}
		if !strings.Contains(m[n], old) {
			t.Fatalf("objet %d : %q absent", n, old)
		}
		m[n] = strings.Replace(m[n], old, new, 1)
		return m
	}
	cases := []struct {
		rule    string
		objs    map[int]string
		content string
		xmp     string
	}{
		{RuleUntagged, uaBase, uaContent + "0 0 5 5 re f\n", uaXMP},
		{RuleArtifactInTagged, uaBase, strings.Replace(uaContent, "(Titre) Tj ET", "(Titre) Tj ET /Artifact BMC 0 0 1 1 re f EMC", 1), uaXMP},
		{RuleTaggedInArtifact, uaBase, strings.Replace(strings.Replace(uaContent, "/LBody <</MCID 4>> BDC BT /F1 10 Tf 10 40 Td (Point) Tj ET EMC\n", "", 1),
			"0 0 200 1 re f", "0 0 200 1 re f /LBody <</MCID 4>> BDC BT /F1 10 Tf 10 40 Td (Point) Tj ET EMC", 1), uaXMP},
		{RuleParentTree, edit(7, "[14 0 R 15 0 R", "[15 0 R 14 0 R"), uaContent, uaXMP},
		{RuleMarked, edit(1, "/MarkInfo << /Marked true >>", ""), uaContent, uaXMP},
		{RuleRoleMap, edit(15, "/S /Figure", "/S /Chart"), uaContent, uaXMP},
		{RuleMetadata, edit(1, "/Metadata 9 0 R", ""), uaContent, uaXMP},
		{RuleUAID, uaBase, uaContent, strings.Replace(uaXMP, "<pdfuaid:part>1</pdfuaid:part>", "", 1)},
		{RuleDCTitle, uaBase, uaContent, strings.Replace(uaXMP, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Essai</rdf:li></rdf:Alt></dc:title>", "", 1)},
		{RuleDisplayDocTitle, edit(1, "/ViewerPreferences << /DisplayDocTitle true >>", ""), uaContent, uaXMP},
		{RuleDisplayDocFalse, edit(1, "/DisplayDocTitle true", "/DisplayDocTitle false"), uaContent, uaXMP},
		{RuleTable, edit(16, "/K [18 0 R]", "/K [19 0 R]"), uaContent, uaXMP},
		{RuleList, edit(22, "/S /LI", "/S /P"), uaContent, uaXMP},
		{RuleLang, edit(1, "/Lang (fr-FR)", ""), uaContent, uaXMP},
		{RuleFigureAlt, edit(15, "/Alt (Un carré)", ""), uaContent, uaXMP},
		{RuleFirstHeading, edit(14, "/S /H1", "/S /H2"), uaContent, uaXMP},
		{RuleHeadingSkip, edit(15, "/S /Figure", "/S /H3"), uaContent, uaXMP},
		{RuleTHScope, edit(19, "/A << /O /Table /Scope /Column >>", ""), uaContent, uaXMP},
		{RuleLinkTag, edit(17, "/S /Link", "/S /P"), uaContent, uaXMP},
		{RuleLinkContents, edit(12, "/Contents (vers la page 1)", ""), uaContent, uaXMP},
		{RuleTabs, edit(3, "/Tabs /S", ""), uaContent, uaXMP},
		{RuleFontEmbedded, edit(10, "/FontFile2 13 0 R", ""), uaContent, uaXMP},
		{RuleToUnicode, edit(4, "/ToUnicode 11 0 R", ""), uaContent, uaXMP},
	}
	for _, c := range cases {
		fs, err := CheckUA(uaPDF(c.objs, c.content, c.xmp))
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		var rules []string
		for _, f := range fs {
			if !slices.Contains(rules, f.Rule) {
				rules = append(rules, f.Rule)
			}
		}
		if len(rules) != 1 || rules[0] != c.rule {
			t.Errorf("%s broken: reported %q (%v)", c.rule, rules, fs)
		}
	}
}

// TestNeutralise: a letter's own marked content becomes untagged, balanced
// as before; strings and inline images are not mistaken for operators.
func TestNeutralise(t *testing.T) {
	in := "/P <</MCID 3 /Lang (x BDC)>> BDC BT (EMC BMC) Tj ET EMC /Artifact BMC BI /W 1 /H 1 ID \x00BDC\x00 EI 0 0 1 1 re f EMC /OC /L1 BDC 0 0 1 1 re f EMC"
	out, ok := neutralise([]byte(in))
	want := "/NecLetter BMC BT (EMC BMC) Tj ET EMC /NecLetter BMC BI /W 1 /H 1 ID \x00BDC\x00 EI 0 0 1 1 re f EMC /OC /L1 BDC 0 0 1 1 re f EMC"
	if !ok || string(out) != want {
		t.Errorf("neutralise:\n got %q\nwant %q", out, want)
	}
}
