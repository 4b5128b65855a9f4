package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestWindowsLaunchUnderWine starts the Windows build as Windows users do,
// under Wine, in a pseudo-terminal that Wine turns into the program's
// console (script(1) provides it):
//   - alone in its console, as Explorer starts it on a double-click: it
//     serves the page, instead of flashing its help;
//   - from cmd.exe, whose console it shares, as when typed: the help;
//   - alone, with a workbook's path, as when a workbook is dropped onto it:
//     it builds the dossier beside the workbook and waits for Enter before
//     its window closes; a letter dropped instead says what to drop.
//
// This exercises the Windows side of the launch (GetConsoleProcessList,
// the console as a terminal), which the other tests cannot. Debian 12's
// Wine 8 lacks bcryptprimitives.dll, whose ProcessPrng the Go runtime needs
// since Go 1.22: the test compiles a stand-in from RtlGenRandom with
// mingw-w64 into its own Wine prefix.
func TestWindowsLaunchUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("-short : Wine est lent à démarrer")
	}
	wine := needTool(t, "wine")
	gcc := needTool(t, "x86_64-w64-mingw32-gcc")
	script := needTool(t, "script")
	dir := t.TempDir()
	exe := filepath.Join(dir, "necdossier.exe")
	build := exec.Command("go", "build", "-o", exe, ".")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build (windows/amd64) : %v\n%s", err, out)
	}

	prefix := filepath.Join(dir, "wine")
	// BROWSER=true: the page's address goes to a browser that does nothing.
	env := append(os.Environ(), "WINEPREFIX="+prefix, "WINEDEBUG=-all", "BROWSER=true", "DISPLAY=", "WAYLAND_DISPLAY=")
	t.Cleanup(func() {
		k := exec.Command("wineserver", "-k")
		k.Env = env
		_ = k.Run()
	})
	boot := exec.Command(wine, "wineboot", "--init")
	boot.Env = env
	if out, err := boot.CombinedOutput(); err != nil {
		t.Fatalf("wineboot : %v\n%s", err, out)
	}
	stub := filepath.Join(dir, "prng.c")
	if err := os.WriteFile(stub, []byte(prngStub), 0o644); err != nil {
		t.Fatal(err)
	}
	dll := filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	if out, err := exec.Command(gcc, "-shared", "-o", dll, stub, "-ladvapi32").CombinedOutput(); err != nil {
		t.Fatalf("bcryptprimitives.dll : %v\n%s", err, out)
	}

	// console runs line in a pseudo-terminal and returns what its console
	// showed, without escape sequences and line breaks (it wraps at 80
	// columns). When the text shows prompt, input is typed (Enter is a
	// carriage return, as from a keyboard: -icrnl), or with no input the
	// program is stopped there, as a user closes the window. It fails when
	// limit passes first.
	console := func(line, prompt, input string, limit time.Duration) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		defer cancel()
		cmd := exec.CommandContext(ctx, script, "-qec", "stty -icrnl; "+line, "/dev/null")
		cmd.Env, cmd.Dir = env, dir
		in, err := cmd.StdinPipe()
		if err != nil {
			return "", err
		}
		out := &syncBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			return "", err
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		seen := ""
		for {
			select {
			case err := <-done:
				if ctx.Err() != nil {
					err = fmt.Errorf("%v : %w", err, ctx.Err())
				}
				return out.text(), err
			case <-time.After(100 * time.Millisecond):
			}
			if seen == "" && prompt != "" && strings.Contains(out.text(), prompt) {
				seen = prompt
				if input == "" {
					return out.text(), nil // the deferred cancel stops it
				}
				_, _ = in.Write([]byte(input))
			}
		}
	}
	quoted := "'" + exe + "'"

	t.Run("double-clic : la page", func(t *testing.T) {
		out, err := console("wine "+quoted, "pour arrêter.", "", 60*time.Second)
		if err != nil || !strings.Contains(out, "la page est servie à l’adresse") || !strings.Contains(out, "http://127.0.0.1:") {
			t.Errorf("lancé seul dans sa console, necdossier devrait servir la page (%v) :\n%s", err, out)
		}
	})
	t.Run("tapé dans cmd.exe : l’aide", func(t *testing.T) {
		out, err := console("wine cmd /c "+quoted, "", "", 60*time.Second)
		if !strings.Contains(out, "Usage") || strings.Contains(out, "la page est servie") {
			t.Errorf("tapé dans cmd.exe sans argument, necdossier devrait afficher l’aide (%v) :\n%s", err, out)
		}
	})
	t.Run("classeur déposé : le dossier à côté", func(t *testing.T) {
		in := filepath.Join(dir, "Mes candidatures")
		if err := os.CopyFS(in, os.DirFS(filepath.Join(repoRoot(t), "samples", "haut-verdal"))); err != nil {
			t.Fatal(err)
		}
		wb := `Z:` + strings.ReplaceAll(filepath.Join(in, "candidature.xlsx"), "/", `\`)
		out, err := console("wine "+quoted+" '"+wb+"'", "Appuyez sur Entrée", "\r", 90*time.Second)
		if err != nil {
			t.Errorf("la fenêtre devrait se fermer après Entrée : %v\n%s", err, out)
		}
		for _, want := range []string{"dossier écrit : NEC2025-candidature-", "Appuyez sur Entrée pour fermer cette fenêtre."} {
			if !strings.Contains(out, want) {
				t.Errorf("la console devrait afficher %q :\n%s", want, out)
			}
		}
		pdfs, _ := filepath.Glob(filepath.Join(in, "NEC2025-candidature-*.pdf"))
		if len(pdfs) != 1 {
			t.Errorf("dossier attendu à côté du classeur, dans %s : %v", in, pdfs)
		}
		letter := `Z:` + strings.ReplaceAll(filepath.Join(in, "lettre-departement-aubrelle.pdf"), "/", `\`)
		out, err = console("wine "+quoted+" '"+letter+"'", "Appuyez sur Entrée", "\r", 90*time.Second)
		if !strings.Contains(out, "n’est pas un classeur (.xlsx) : faites glisser sur necdossier le seul classeur rempli") {
			t.Errorf("une lettre déposée devrait dire quoi déposer (%v) :\n%s", err, out)
		}
	})
}

// syncBuffer collects a command's output while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// text is the output so far, as read on the screen.
func (b *syncBuffer) text() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	text := consoleEscape.ReplaceAllString(b.buf.String(), "")
	return strings.NewReplacer("\r", "", "\n", "").Replace(text)
}

// consoleEscape is a terminal control sequence (cursor, colours, erasing).
var consoleEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// prngStub is bcryptprimitives.dll's ProcessPrng, for Wine versions
// without it.
const prngStub = `#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) { return RtlGenRandom(data, (ULONG)size); }
`
