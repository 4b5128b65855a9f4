package assemble

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	real "necdossier/assemble"
	"necdossier/fonts"
	"necdossier/templates"
)

// The adapter must make what today's Build writes, byte for byte.
func TestBuildFSIsBuild(t *testing.T) {
	call, err := real.LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1750000000, 0).UTC()
	boundary := regexp.MustCompile(`necdossier-[0-9a-f]+`)
	for _, sample := range []string{"belrive", "haut-verdal", "sarrine"} {
		t.Run(sample, func(t *testing.T) {
			dir := filepath.Join("..", "..", "..", "..", "samples", sample)
			out := t.TempDir()
			want, err := real.Build(real.BuildOptions{Workbook: filepath.Join(dir, "candidature.xlsx"), OutDir: out,
				Call: call, Fonts: fonts.FS, Now: now, Email: true})
			if err != nil {
				t.Fatal(err)
			}
			got, err := BuildFS(os.DirFS(dir), "candidature.xlsx", Options{Call: call, Fonts: fonts.FS, Now: now, Email: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Parts) != 2 || got.Parts[0].Name != filepath.Base(want.Output) || got.Parts[1].Name != filepath.Base(want.Email) {
				t.Fatalf("parts %+v, want %s and %s", got.Parts, want.Output, want.Email)
			}
			pdf, _ := os.ReadFile(want.Output)
			if !bytes.Equal(got.Parts[0].Data, pdf) || got.Parts[0].Pages != want.Pages {
				t.Errorf("dossier differs from assemble.Build's (%d bytes, %d pages; want %d bytes, %d pages)", len(got.Parts[0].Data), got.Parts[0].Pages, len(pdf), want.Pages)
			}
			eml, _ := os.ReadFile(want.Email)
			if !bytes.Equal(boundary.ReplaceAll(got.Parts[1].Data, nil), boundary.ReplaceAll(eml, nil)) {
				t.Error("e-mail differs from assemble.Build's")
			}
			if len(got.Findings) != len(want.Findings) || len(got.Warnings) != len(want.Warnings) {
				t.Errorf("findings %v warnings %v, want %v %v", got.Findings, got.Warnings, want.Findings, want.Warnings)
			}
		})
	}
}

func TestCheckFSIsCheckFile(t *testing.T) {
	call, err := real.LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "..", "..", "samples", "exemple-erreurs")
	want, err := real.CheckFile(filepath.Join(dir, "candidature.xlsx"), call)
	if err != nil {
		t.Fatal(err)
	}
	got, err := CheckFS(os.DirFS(dir), "candidature.xlsx", Options{Call: call})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d findings, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("finding %d: %v, want %v", i, got[i], want[i])
		}
	}
	res, err := BuildFS(os.DirFS(dir), "candidature.xlsx", Options{Call: call, Fonts: fonts.FS})
	if !errors.Is(err, ErrFindings) || len(res.Findings) != len(want) || len(res.Parts) != 0 {
		t.Errorf("BuildFS: %v, %d findings, %d parts", err, len(res.Findings), len(res.Parts))
	}
}
