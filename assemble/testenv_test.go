package assemble

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// corpusDir returns the folder of real files written by other programs
// (../shared/corpus, or NECDOSSIER_CORPUS, relative to the repository root).
// When it is absent the test is skipped, unless NECDOSSIER_CORPUS is set:
// then it fails, so that CI never skips silently.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus")
	env := os.Getenv("NECDOSSIER_CORPUS")
	if env != "" {
		dir = env
		if !filepath.IsAbs(dir) {
			dir = filepath.Join("..", env) // the repository root is the parent of assemble/
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		if env != "" {
			t.Fatalf("NECDOSSIER_CORPUS=%s: corpus not found (%v)", env, err)
		}
		t.Skipf("test corpus not found at %s (set NECDOSSIER_CORPUS to its path): %v", dir, err)
	}
	return dir
}

// needTool returns the path of an outside program (qpdf, pdftoppm,
// pdftotext, soffice). When it is missing the test is skipped, unless
// NECDOSSIER_REQUIRE_TOOLS=1.
func needTool(t testing.TB, name string) string {
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
