package workbook

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"necdossier/assemble/internal/testkit"
)

// BenchmarkRead reads each sample's workbook, as a build does.
func BenchmarkRead(b *testing.B) {
	for _, s := range []string{"belrive", "sarrine"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "samples", s, "candidature.xlsx"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, _, err := Read(bytes.NewReader(data), int64(len(data)), "candidature.xlsx"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScanCorpus opens corpus workbooks of other producers and scans
// all their sheets: the read path short of the schema.
func BenchmarkScanCorpus(b *testing.B) {
	dir := testkit.CorpusDir(b)
	for _, name := range []string{"numbers_attendance_bools_dates.xlsx", "excel2010_win_formulas_dates_sst.xlsx", "googlesheets_dates_formats.xlsx"} {
		data, err := os.ReadFile(filepath.Join(dir, "xlsx", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := openPackage(bytes.NewReader(data), int64(len(data)), name)
				if err != nil {
					b.Fatal(err)
				}
				budget := maxCells
				for _, ws := range p.sheets {
					if _, err := p.scanSheet(ws, &budget); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
