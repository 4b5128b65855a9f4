package main

import (
	"context"
	"io"
	"os"
	"runtime"
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

// launchedAlone tells doubleClicked about this process.
func launchedAlone(args []string) bool {
	terminal := term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))
	return doubleClicked(args, terminal, runtime.GOOS == "windows" && ownConsole())
}
