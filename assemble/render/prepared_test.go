package render

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"necdossier/fonts"
)

// TestPreparedFonts: the parsed forms of the fonts kept in fonts/prepared
// are what fpdf makes of the fonts today, font IDs included, and fpdf
// takes them. With -update (go generate ./fonts), it writes them.
func TestPreparedFonts(t *testing.T) {
	for style, name := range fonts.Files {
		file, ok := fonts.PreparedFiles[name]
		if !ok {
			continue
		}
		data, ok := fonts.Data(name)
		if !ok {
			t.Fatalf("%s: not in fonts.FS", name)
		}
		want, err := fpdf.PrepareUTF8Font(data, family, style)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "fonts", "prepared", file)
		if updating() {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, ok := fonts.Prepared(name)
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("%s: fonts/prepared/%s is not what fpdf makes of the font: run go generate ./fonts", name, file)
		}
		if err := fpdf.RegisterPreparedUTF8Font(bytes.Clone(data), got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
