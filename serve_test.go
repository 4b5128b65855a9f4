package main

import (
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
		{"Windows Explorer, a file dropped on the exe: unchanged", []string{`C:\candidature.xlsx`}, true, true, false},
	} {
		if got := doubleClicked(c.args, c.terminal, c.ownConsole); got != c.want {
			t.Errorf("%s : doubleClicked = %v, attendu %v", c.name, got, c.want)
		}
	}
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
