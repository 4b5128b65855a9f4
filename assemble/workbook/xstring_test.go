package workbook_test

import (
	"bytes"
	"fmt"
	"necdossier/assemble/workbook"
	"necdossier/assemble/workbook/workbooktest"
	"regexp"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReadEscapedStrings reads text as Excel saves it: a carriage return
// pasted into a cell becomes « _x000D_ » in the file, a literal « _x » is
// protected as « _x005F_x ». Both the shared and the inline strings are
// read as excelize reads them, then cleaned as any text is.
func TestReadEscapedStrings(t *testing.T) {
	tests := []struct {
		name, xml string
		excelize  string // the cell's value as excelize reads it
		want      string // the field read, cleaned
	}{
		{"carriage return", "ligne 1_x000D_\nligne 2", "ligne 1\r\nligne 2", "ligne 1\nligne 2"},
		{"escaped underscore", "_x005F_x000D_ reste écrit", "_x000D_ reste écrit", "_x000D_ reste écrit"},
		{"lower-case digits", "caf_x00e9_ _x2019_", "café ’", "café ’"},
		{"not escapes", "mon_xylophone _x12_ _x00G9_ _x0041", "mon_xylophone _x12_ _x00G9_ _x0041", "mon_xylophone _x12_ _x00G9_ _x0041"},
		{"next to each other", "A_x0042__x0043_D", "ABCD", "ABCD"},
	}
	const marker = "MARQUEUR-DU-TEST"
	sheet, key := workbook.SheetMotivations, "Pourquoi"
	cell := workbooktest.MustCell(t, sheet, key, 0)
	base := workbooktest.Edited(t, nil, func(f *excelize.File) error { return workbooktest.Set(f, sheet, key, 0, marker) })
	// The marker's shared string, then the sheet part with the cell that
	// shows it, as excelize wrote it.
	index := -1
	for _, p := range workbooktest.ZipParts(t, base) {
		if p.Name == "xl/sharedStrings.xml" {
			if at := bytes.Index(p.Data, []byte(marker)); at >= 0 {
				index = bytes.Count(p.Data[:at], []byte("<si>")) - 1
			}
		}
	}
	var sheetPart string
	cellXML := regexp.MustCompile(fmt.Sprintf(`<c r="%s"[^>]*t="s"[^>]*>\s*<v>%d</v>\s*</c>`, cell, index))
	for _, p := range workbooktest.ZipParts(t, base) {
		if cellXML.Match(p.Data) {
			sheetPart = p.Name
		}
	}
	if sheetPart == "" {
		t.Fatalf("cell %s!%s not found as a shared string", sheet, cell)
	}
	for _, tt := range tests {
		for _, form := range []string{"shared", "inline"} {
			t.Run(tt.name+"/"+form, func(t *testing.T) {
				var b []byte
				if form == "shared" {
					b = patchPart(t, base, "xl/sharedStrings.xml", marker, tt.xml)
				} else {
					b = rewritePart(t, base, sheetPart, func(data []byte) []byte {
						return cellXML.ReplaceAll(data, fmt.Appendf(nil, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, cell, tt.xml))
					})
				}
				f, err := excelize.OpenReader(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if v, err := f.GetCellValue(sheet, cell); err != nil || v != tt.excelize {
					t.Fatalf("excelize reads %q (%v), the test expects %q", v, err, tt.excelize)
				}
				c, fs := workbooktest.ReadBook(t, b)
				if got := c.Motivations.Pourquoi; got != tt.want {
					t.Errorf("read %q, want %q (findings %v)", got, tt.want, fs)
				}
			})
		}
	}
}

// TestXstringSurrogates: a character beyond U+FFFF escaped as its two
// UTF-16 halves is that character; a lone half is U+FFFD.
func TestXstringSurrogates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"_xD83D__xDE00_", "😀"},
		{"_xd83d__xde00_!", "😀!"},
		{"_xD83D_ seul", "\uFFFD seul"},
		{"_xDE00__xD83D_", "\uFFFD\uFFFD"},
		{"_xD83D__x0041_", "\uFFFDA"},
	}
	for _, tt := range tests {
		if got := workbook.Xstring([]byte(tt.in)); got != tt.want {
			t.Errorf("Xstring(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzXstring: whatever the text, decoding never grows it, and text
// without « _x » is left alone.
func FuzzXstring(f *testing.F) {
	for _, s := range []string{"a_x000D_b", "_x005F_x0041_", "_xD83D__xDE00_", "_x", "__x0041__", "_x004"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := workbook.Xstring([]byte(s))
		if !bytes.Contains([]byte(s), []byte("_x")) && got != s {
			t.Fatalf("Xstring(%q) = %q, want it unchanged", s, got)
		}
		if len(got) > len(s) { // an escape's 7 bytes stand for at most 3
			t.Fatalf("Xstring(%q) grew to %d bytes", s, len(got))
		}
	})
}
