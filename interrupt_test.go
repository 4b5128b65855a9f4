package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets a test run the program itself in a subprocess, to send it
// a signal: with NECDOSSIER_RUN_MAIN set, the test binary is necdossier.
func TestMain(m *testing.M) {
	if os.Getenv("NECDOSSIER_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestInterruptLeavesNothing: a batch sent SIGINT, then one sent SIGTERM,
// while writing, stops with 130 / 143 and leaves no temporary file in the
// output folder.
func TestInterruptLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	// A batch of many copies of a sample, long enough to be caught writing.
	in := filepath.Join(t.TempDir(), "candidatures")
	for i := range 40 {
		dir := filepath.Join(in, "c"+strings.Repeat("x", i%3)+string(rune('a'+i%26))+string(rune('a'+i/26)))
		os.MkdirAll(dir, 0o755)
		for _, f := range []string{"candidature.xlsx", "lettre-departement-aubrelle.pdf"} {
			data, err := os.ReadFile(filepath.Join("samples", "haut-verdal", f))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, f), data, 0o644)
		}
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "sortie")
			cmd := exec.Command(os.Args[0], "batch", in, "-o", out, "-j", "2", "--print")
			cmd.Env = append(os.Environ(), "NECDOSSIER_RUN_MAIN=1")
			stderr, _ := cmd.StderrPipe()
			cmd.Stdout = io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait for the first dossier to be done, so that writes are
			// under way, then interrupt.
			sc := bufio.NewScanner(stderr)
			for sc.Scan() && !strings.Contains(sc.Text(), "[2/") {
			}
			cmd.Process.Signal(tc.sig)
			rest, _ := io.ReadAll(stderr)
			err := cmd.Wait()
			code := cmd.ProcessState.ExitCode()
			if code != tc.code {
				t.Errorf("exit code %d (%v), want %d; stderr: %s", code, err, tc.code, rest)
			}
			if !strings.Contains(string(rest), "interrompu") {
				t.Errorf("no French word of the interruption: %s", rest)
			}
			noTrace(t, string(rest))
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

// TestBadJobs: -j abc is a French message, exit code 2.
func TestBadJobs(t *testing.T) {
	_, stderr, code := runMain(t, "batch", "x", "-o", "y", "-j", "abc")
	if code != 2 || !strings.Contains(stderr, "valeur « abc » invalide pour -j, --jobs : un nombre est attendu") {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
	noTrace(t, stderr)
}
