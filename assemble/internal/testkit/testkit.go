// Package testkit holds what the tests of every stage share: where the
// repository and the corpus of real files are, and whether an outside
// program is there. It is imported by tests only.
package testkit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Root returns the repository's root: the nearest folder above the test's
// working directory that holds go.mod.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// Path returns the path of elem, relative to the repository's root, as
// seen from the test's working directory.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Root(t)}, elem...)...)
}

// CorpusDir returns the folder of real files written by other programs
// (../shared/corpus, or NECDOSSIER_CORPUS, relative to the repository root).
// When it is absent the test is skipped, unless NECDOSSIER_CORPUS is set:
// then it fails, so that CI never skips silently.
func CorpusDir(t testing.TB) string {
	t.Helper()
	dir, ok := FindCorpus(t)
	if !ok {
		t.Skipf("test corpus not found at %s (set NECDOSSIER_CORPUS to its path)", dir)
	}
	return dir
}

// FindCorpus is CorpusDir for a test that can run without the corpus (a
// fuzz target whose seeds it adds to): it reports whether the corpus is
// there, and fails only when NECDOSSIER_CORPUS names a folder without it.
func FindCorpus(t testing.TB) (dir string, ok bool) {
	t.Helper()
	root := Root(t)
	dir = filepath.Join(root, "..", "shared", "corpus")
	env := os.Getenv("NECDOSSIER_CORPUS")
	if env != "" {
		dir = env
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, env)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		if env != "" {
			t.Fatalf("NECDOSSIER_CORPUS=%s: corpus not found (%v)", env, err)
		}
		return dir, false
	}
	return dir, true
}

// NeedTool returns the path of an outside program (qpdf, pdftoppm,
// pdftotext, soffice). When it is missing the test is skipped, unless
// NECDOSSIER_REQUIRE_TOOLS=1.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("NECDOSSIER_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (NECDOSSIER_REQUIRE_TOOLS=1): %v", name, err)
		}
		t.Skipf("%s not installed: %v", name, err)
	}
	return p
}

// skipShort skips a test that runs LibreOffice in -short mode, unless the
// tools are required.
// SkipShort skips a test that runs LibreOffice in -short mode, unless
// NECDOSSIER_REQUIRE_TOOLS=1.
func SkipShort(t *testing.T) {
	if testing.Short() && os.Getenv("NECDOSSIER_REQUIRE_TOOLS") != "1" {
		t.Skip("runs LibreOffice: skipped in -short mode")
	}
}
