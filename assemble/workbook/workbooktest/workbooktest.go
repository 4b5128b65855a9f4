// Package workbooktest writes, edits and reads workbooks for the tests of
// the stages that take a workbook in: the template filled with a
// candidature, changed as a user or another program would change it.
package workbooktest

import (
	"archive/zip"
	"bytes"
	"io"
	"necdossier/assemble/internal/testkit"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// WriteBook writes c for the default call.
func WriteBook(t testing.TB, c *model.Candidature) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := workbook.Write(&buf, testkit.Call(t), c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ReadBook reads b and fails the test on a fatal error.
func ReadBook(t testing.TB, b []byte) (*model.Candidature, []model.Finding) {
	t.Helper()
	c, fs, err := workbook.Read(bytes.NewReader(b), int64(len(b)), "test.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	return c, fs
}

// MustCell is the template's cell of (sheet, key, row), or the test fails.
func MustCell(t testing.TB, sheet, key string, row int) string {
	t.Helper()
	c, err := workbook.CellFor(sheet, key, row)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Edited writes c, lets edit change the workbook as a user or another
// program would, and returns the bytes.
func Edited(t testing.TB, c *model.Candidature, edit func(f *excelize.File) error) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(WriteBook(t, c)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := edit(f); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Set puts v in the template's cell of (sheet, key, row).
func Set(f *excelize.File, sheet, key string, row int, v any) error {
	cell, err := workbook.CellFor(sheet, key, row)
	if err != nil {
		return err
	}
	if v == nil {
		return f.SetCellValue(sheet, cell, nil)
	}
	return f.SetCellValue(sheet, cell, v)
}

// ZipPart is one uncompressed part of an xlsx.
type ZipPart struct {
	Name string
	Data []byte
}

// ZipParts returns the uncompressed parts of an xlsx, in their order.
func ZipParts(t testing.TB, b []byte) []ZipPart {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var parts []ZipPart
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, ZipPart{f.Name, data})
	}
	return parts
}

// LibreOffice has LibreOffice (soffice, headless, with a profile of its own
// so that parallel runs do not collide) convert files to format ("xlsx",
// "ods", "csv"…) and returns the folder where the converted files are.
// The test is skipped when soffice is missing, unless
// NECDOSSIER_REQUIRE_TOOLS=1.
func LibreOffice(t *testing.T, format string, files ...string) string {
	t.Helper()
	testkit.SkipShort(t)
	soffice := testkit.NeedTool(t, "soffice")
	dir := t.TempDir()
	out := filepath.Join(dir, format)
	cmd := exec.Command(soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--headless", "--convert-to", format, "--outdir", out}, files...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	return out
}
