package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"necdossier/fonts"
	"necdossier/web/serve"
)

func runServe(args []string, stdout io.Writer) error {
	fs := newFlags("serve", "Usage : necdossier serve [--no-browser]\n\nOuvre dans le navigateur la page qui vérifie le classeur et produit le dossier,\nainsi que la page des instructeurs (un lot de candidatures → les dossiers et leur\ncomparaison, en zip). Le serveur n’écoute que cet ordinateur (127.0.0.1), sur un\nport choisi au hasard ; les fichiers ne le quittent pas.\n", stdout)
	noBrowser := fs.Bool("no-browser", false, "ne pas ouvrir le navigateur, seulement afficher l’adresse")
	if done, err := parse(fs, args); done || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{"serve : argument inattendu « " + fs.Arg(0) + " »"}
	}
	call, err := loadCall()
	if err != nil {
		return err
	}
	cfg := serve.Config{Call: call, Fonts: fonts.FS}
	if _, ok := os.LookupEnv("SOURCE_DATE_EPOCH"); ok {
		now, err := buildTime()
		if err != nil {
			return err
		}
		cfg.Now = func() time.Time { return now }
	}
	return serve.Run(context.Background(), cfg, *noBrowser, stdout)
}

// doubleClicked reports whether necdossier was started from a file manager
// (Windows Explorer, macOS Finder, a Linux desktop) rather than typed in a
// terminal: no arguments, and no terminal, or on Windows a console window
// opened for it alone. It then serves the page instead of printing its help
// to a window that closes at once.
func doubleClicked(args []string, terminal, ownConsole bool) bool {
	return len(args) == 0 && (!terminal || ownConsole)
}

// launch is how this process was started.
type launch struct {
	terminal   bool // standard input and output are a terminal
	ownConsole bool // Windows: a console window opened for necdossier alone (Explorer)
}

// thisLaunch tells how this process was started.
func thisLaunch() launch {
	return launch{
		terminal:   term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd())),
		ownConsole: runtime.GOOS == "windows" && ownConsole(),
	}
}

// command is the command line to run for args, and the folder to run it
// in ("": the current one): serve when double-clicked; build when a
// workbook was dropped onto the program in Windows Explorer (Explorer
// passes its path as the only argument, and starts the program in a folder
// of its choosing), in the workbook's folder, where the dossier is then
// written; args otherwise.
func (l launch) command(args []string) (cmd []string, dir string) {
	switch {
	case doubleClicked(args, l.terminal, l.ownConsole):
		return []string{"serve"}, ""
	case l.ownConsole && len(args) == 1 && isWorkbookName(args[0]):
		return []string{"build", filepath.Base(args[0])}, filepath.Dir(args[0])
	}
	return args, ""
}

// misdropped is the message for files dropped onto the program in Windows
// Explorer that are not one workbook, "" for anything else: typed
// commands are not judged here.
func (l launch) misdropped(args []string) string {
	if !l.ownConsole || len(args) == 0 || slices.Contains(commands, args[0]) || strings.HasPrefix(args[0], "-") {
		return ""
	}
	if len(args) == 1 && isWorkbookName(args[0]) {
		return ""
	}
	what := fmt.Sprintf("« %s » n’est pas un classeur (.xlsx)", filepath.Base(args[0]))
	if len(args) > 1 {
		what = fmt.Sprintf("%d fichiers ont été déposés", len(args))
	}
	return what + " : faites glisser sur necdossier le seul classeur rempli ; les lettres de soutien sont lues dans le dossier du classeur, sous les noms qu’il donne. Ou double-cliquez sur necdossier pour ouvrir la page où déposer le classeur et les lettres."
}

// keepOpen reports whether to wait for Enter before exiting: the console
// window was opened for necdossier alone and closes with it, and it was
// given files (dropped onto it), so its messages must stay readable.
func (l launch) keepOpen(args []string) bool {
	return l.ownConsole && len(args) > 0
}

// isWorkbookName reports whether name looks like a workbook's path, as a
// file manager passes it.
func isWorkbookName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".xlsx" || ext == ".xlsm"
}

// quoteArg quotes a path for the command line of cmd.exe, PowerShell or
// a Unix shell when it has spaces or other characters they would split.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " \t&()'$;") {
		return `"` + s + `"`
	}
	return s
}

// pressEnter asks the user to press Enter, then waits for it (or for the
// end of the input).
func pressEnter(in io.Reader, out io.Writer) {
	fmt.Fprint(out, "\nAppuyez sur Entrée pour fermer cette fenêtre.")
	_, _ = bufio.NewReader(in).ReadString('\n')
}
