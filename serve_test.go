package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDoubleClicked(t *testing.T) {
	for _, c := range []struct {
		name                 string
		args                 []string
		terminal, ownConsole bool
		want                 bool
	}{
		{"terminal, no arguments: the help", nil, true, false, false},
		{"terminal, a command", []string{"check", "a.xlsx"}, true, false, false},
		{"no terminal (Finder, a Linux desktop): serve", nil, false, false, true},
		{"no terminal but a command (a script): unchanged", []string{"build", "a.xlsx"}, false, false, false},
		{"Windows console opened for it alone (Explorer): serve", nil, true, true, true},
		{"Windows Explorer, a file dropped on the exe: not serve", []string{`C:\candidature.xlsx`}, true, true, false},
	} {
		if got := doubleClicked(c.args, c.terminal, c.ownConsole); got != c.want {
			t.Errorf("%s : doubleClicked = %v, attendu %v", c.name, got, c.want)
		}
	}
}

func TestLaunchCommand(t *testing.T) {
	explorer := launch{terminal: true, ownConsole: true}
	typed := launch{terminal: true}
	finder := launch{}
	dropped := filepath.Join("Mes documents", "NEC", "Candidature.XLSX")
	for _, c := range []struct {
		name     string
		how      launch
		args     []string
		want     []string
		dir      string
		keepOpen bool
	}{
		{"Explorer, double-click", explorer, nil, []string{"serve"}, "", false},
		{"Explorer, a workbook dropped: built in its folder", explorer, []string{dropped},
			[]string{"build", "Candidature.XLSX"}, filepath.Join("Mes documents", "NEC"), true},
		{"Explorer, a letter dropped: unchanged, the window kept open", explorer, []string{"lettre.pdf"}, []string{"lettre.pdf"}, "", true},
		{"Explorer, two files dropped: unchanged, kept open", explorer, []string{"a.xlsx", "b.pdf"}, []string{"a.xlsx", "b.pdf"}, "", true},
		{"typed in a terminal, a workbook: unchanged", typed, []string{"a.xlsx"}, []string{"a.xlsx"}, "", false},
		{"typed, a command", typed, []string{"build", "a.xlsx"}, []string{"build", "a.xlsx"}, "", false},
		{"typed, nothing: the help", typed, nil, nil, "", false},
		{"Finder, double-click", finder, nil, []string{"serve"}, "", false},
		{"a script, no terminal, a command", finder, []string{"check", "a.xlsx"}, []string{"check", "a.xlsx"}, "", false},
	} {
		got, dir := c.how.command(c.args)
		if !slices.Equal(got, c.want) || dir != c.dir {
			t.Errorf("%s : command = %q dans %q, attendu %q dans %q", c.name, got, dir, c.want, c.dir)
		}
		if k := c.how.keepOpen(c.args); k != c.keepOpen {
			t.Errorf("%s : keepOpen = %v, attendu %v", c.name, k, c.keepOpen)
		}
	}
}

func TestMisdropped(t *testing.T) {
	explorer := launch{terminal: true, ownConsole: true}
	for _, c := range []struct {
		name string
		how  launch
		args []string
		want string // "" : no message
	}{
		{"a letter dropped", explorer, []string{`C:\\Mes documents\\lettre.pdf`}, "n’est pas un classeur"},
		{"a workbook and a letter", explorer, []string{`C:\\a.xlsx`, `C:\\b.pdf`}, "2 fichiers ont été déposés"},
		{"one workbook: built", explorer, []string{`C:\\a.xlsx`}, ""},
		{"double-click", explorer, nil, ""},
		{"a command in its own console (a shortcut)", explorer, []string{"serve", "--no-browser"}, ""},
		{"typed in a terminal", launch{terminal: true}, []string{"lettre.pdf"}, ""},
	} {
		got := c.how.misdropped(c.args)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s : %q, attendu %q", c.name, got, c.want)
		}
	}
}

func TestWorkbookGivenAsCommand(t *testing.T) {
	for _, c := range []struct{ arg, want string }{
		{"candidature.xlsx", "tapez necdossier build candidature.xlsx (ou necdossier check candidature.xlsx"},
		{"Mes documents/c.XLSM", `necdossier build "Mes documents/c.XLSM"`},
	} {
		_, errOut, code := runMain(t, c.arg)
		if code != 2 || !strings.Contains(errOut, "est un classeur, pas une commande") || !strings.Contains(errOut, c.want) {
			t.Errorf("necdossier %s : code %d, %q ; attendu 2 et %q", c.arg, code, errOut, c.want)
		}
	}
}

func TestPressEnter(t *testing.T) {
	var out strings.Builder
	in := strings.NewReader("\nreste")
	pressEnter(in, &out)
	if !strings.Contains(out.String(), "Appuyez sur Entrée") {
		t.Errorf("message : %q", out.String())
	}
	pressEnter(strings.NewReader(""), &out) // the end of the input does not block
}

func TestServeUsage(t *testing.T) {
	out, _, code := runMain(t, "serve", "--help")
	if code != 0 || !strings.Contains(out, "--no-browser") {
		t.Errorf("serve --help : code %d\n%s", code, out)
	}
	if _, errOut, code := runMain(t, "serve", "x"); code != 2 || !strings.Contains(errOut, "argument inattendu") {
		t.Errorf("serve x : code %d, %q", code, errOut)
	}
}
