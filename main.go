// Command necdossier prépare le dossier de candidature à l’appel
// « Numérique en Commun[s] 2025 » à partir d’un classeur rempli par la
// collectivité, lettres de soutien comprises, prêt à envoyer.
//
// Usage :
//
//	necdossier init [-o FICHIER] [--force]
//	necdossier check CLASSEUR
//	necdossier build CLASSEUR [-o FICHIER] [--max-size Mo] [--split] [--eml] [--manifest FICHIER.json]
//	necdossier batch DOSSIER -o SORTIE [-j N] [--print] [--recu-le JJ/MM/AAAA] [--notes comparaison.xlsx]
//	necdossier verify DOSSIER.pdf [DOSSIER_DU_CANDIDAT]
//	necdossier serve [--no-browser]
//	necdossier version
//
// init écrit le classeur vierge à remplir (par défaut
// candidature-nec-2025.xlsx). check lit le classeur, le confronte aux
// critères de l’appel et affiche chaque point à corriger sous la forme
// « Feuille!Cellule : message ». build fait de même puis, s’il n’y a pas
// d’erreur, écrit le dossier PDF, lettres de soutien comprises, nommé
// NEC2025-candidature-<collectivité>.pdf dans le dossier courant. batch,
// pour les instructeurs, fait de même pour chaque candidat d’un dossier
// (un sous-dossier par candidat, ou les classeurs directement), en
// parallèle, puis écrit la comparaison des candidatures
// (comparaison.pdf, .xlsx et .csv) et, avec --print, un seul PDF à
// imprimer en recto verso. serve ouvre dans le navigateur la page qui fait
// tout cela (package necdossier/web/serve) ; lancé sans argument hors d’un
// terminal (double-clic), necdossier fait de même.
//
// Codes de sortie : 0 si tout va bien, 1 si le classeur ou un fichier pose
// problème, 2 si la commande est mal écrite.
//
// La variable d’environnement SOURCE_DATE_EPOCH (secondes depuis 1970), si
// elle est définie, fixe la date inscrite dans le dossier : deux
// constructions des mêmes fichiers donnent alors le même PDF, octet pour octet.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"necdossier/assemble"
	"necdossier/assemble/model"
	"necdossier/fonts"
	"necdossier/templates"
	"necdossier/web/serve"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// versionString is version, or else what Go recorded of the build: the
// module's version when installed with go install, the commit when built
// from a clone.
func versionString() string {
	if version != "dev" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return version
	}
	if dirty {
		rev += " (modifié)"
	}
	return "dev " + rev
}

func main() {
	onInterrupt(os.Stderr)
	how := thisLaunch()
	args, dir := how.command(os.Args[1:])
	if dir != "" {
		if err := os.Chdir(dir); err != nil {
			args = []string{"build", filepath.Join(dir, args[1])} // the message will name the folder
		}
	}
	if len(args) > 0 {
		lessGC(args[0])
	}
	code := exitCode(protect(func() error {
		if msg := how.misdropped(os.Args[1:]); msg != "" {
			return &usageError{msg}
		}
		return run(args, os.Stdout, os.Stderr)
	}), os.Stderr)
	if how.keepOpen(os.Args[1:]) {
		pressEnter(os.Stdin, os.Stdout)
	}
	os.Exit(code)
}

// onInterrupt removes the temporary files being written when the user
// presses Ctrl-C or the system asks the program to stop (SIGTERM), then
// exits as the shell expects (128 + signal).
func onInterrupt(stderr io.Writer) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-ch
		assemble.RemoveTemporaries()
		serve.RemoveTemporaries()
		fmt.Fprintln(stderr, "\nnecdossier : interrompu ; aucun fichier n’a été laissé à moitié écrit")
		code := 130
		if sig == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
}

// protect turns a panic into an error, so that no stack trace reaches a user.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("erreur interne (%v) : merci de la signaler avec le classeur en cause", r)
		}
	}()
	return f()
}

// usageError is a command line that cannot be understood: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// reported is an error whose details were already printed: exit code 1.
var reported = errors.New("")

// exitCode prints err once, prefixed with the program name, and maps it to
// the exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if err != reported {
		fmt.Fprintln(stderr, "necdossier : "+err.Error())
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

const mainHelp = `necdossier prépare le dossier de candidature à « Numérique en Commun[s] 2025 ».

Usage :
  necdossier init [-o FICHIER] [--force]   écrire le classeur vierge à remplir
  necdossier check CLASSEUR                vérifier le classeur au regard de l’appel
  necdossier build CLASSEUR [-o FICHIER]   produire le dossier PDF, lettres comprises
  necdossier batch DOSSIER -o SORTIE       (instructeurs) régénérer et comparer tous les dossiers
  necdossier verify DOSSIER.pdf [DOSSIER]  (instructeurs) dire si un PDF reçu vient bien de ces fichiers
  necdossier serve                         ouvrir la page dans le navigateur (ce que fait un double-clic)
  necdossier version                       afficher la version

Étapes : 1. necdossier init  2. remplir le classeur (Excel ou LibreOffice),
placer les lettres de soutien dans le même dossier  3. necdossier build candidature-nec-2025.xlsx
4. envoyer le PDF produit.

« necdossier COMMANDE --help » détaille chaque commande.
`

// commands are the commands run knows.
var commands = []string{"init", "check", "build", "batch", "verify", "serve", "version"}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainHelp)
		return &usageError{"commande manquante"}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "init":
		return runInit(rest, stdout)
	case "check":
		return runCheck(rest, stdout)
	case "build":
		return runBuild(rest, stdout, stderr)
	case "batch":
		return runBatch(rest, stdout, stderr)
	case "verify":
		return runVerify(rest, stdout)
	case "serve":
		return runServe(rest, stdout)
	case "version", "--version":
		fmt.Fprintln(stdout, "necdossier "+versionString())
		return nil
	case "help", "-h", "--help", "aide":
		fmt.Fprint(stdout, mainHelp)
		return nil
	default:
		if isWorkbookName(cmd) {
			return &usageError{fmt.Sprintf("« %s » est un classeur, pas une commande : pour produire le dossier, tapez necdossier build %s (ou necdossier check %s pour seulement le vérifier)", cmd, quoteArg(cmd), quoteArg(cmd))}
		}
		return &usageError{fmt.Sprintf("commande inconnue « %s » ; commandes : %s (aide : necdossier --help)", cmd, strings.Join(commands, ", "))}
	}
}

// newFlags returns a flag set whose messages the caller prints in French.
func newFlags(name, help string, stdout io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprint(stdout, help)
		fmt.Fprintln(stdout, "\nOptions :")
		printOptions(stdout, fs)
	}
	fs.SortFlags = false
	return fs
}

// printOptions lists the options in French: pflag's own listing says
// "string", "int" and "(default 10)".
func printOptions(w io.Writer, fs *pflag.FlagSet) {
	var lines [][2]string
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		name := "    --" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", --" + f.Name
		}
		// The value's name is the usage's backquoted word, as pflag does.
		varName, usage := pflag.UnquoteUsage(f)
		if f.Value.Type() != "bool" {
			if varName == strings.ToLower(varName) {
				varName = strings.ToUpper(varName) // FICHIER, but Mo stays Mo
			}
			name += " " + varName
		}
		if f.Value.Type() != "bool" && f.DefValue != "" && f.DefValue != "0" {
			usage += " (par défaut : " + f.DefValue + ")"
		}
		lines = append(lines, [2]string{name, usage})
		width = max(width, len([]rune(name)))
	})
	for _, l := range lines {
		fmt.Fprintf(w, "  %s%s   %s\n", l[0], strings.Repeat(" ", width-len([]rune(l[0]))), l[1])
	}
}

// parse parses args and turns pflag's English messages into French ones.
// It reports done when --help was asked and printed.
func parse(fs *pflag.FlagSet, args []string) (done bool, err error) {
	help := fs.BoolP("help", "h", false, "afficher cette aide")
	if err := fs.Parse(args); err != nil {
		return false, &usageError{frenchFlagError(fs.Name(), err)}
	}
	if *help {
		fs.Usage()
		return true, nil
	}
	return false, nil
}

// frenchFlagError translates the messages pflag writes for bad options.
func frenchFlagError(cmd string, err error) string {
	msg := err.Error()
	// "flag needs an argument: 'o' in -o" names the option twice.
	if i := strings.Index(msg, "' in -"); i > 0 {
		if j := strings.LastIndex(msg[:i], ": '"); j > 0 {
			msg = msg[:j+2] + msg[i+len("' in "):]
		}
	}
	for _, t := range []struct{ en, fr string }{
		{"unknown shorthand flag: ", "option inconnue : "},
		{"unknown flag: ", "option inconnue : "},
		{"flag needs an argument: ", "l’option attend une valeur : "},
		{"bad flag syntax: ", "option mal écrite : "},
	} {
		if strings.HasPrefix(msg, t.en) {
			return cmd + " : " + t.fr + strings.TrimPrefix(msg, t.en)
		}
	}
	// invalid argument "abc" for "-j, --jobs" flag: strconv.ParseInt: …
	var value, flag string
	if n, _ := fmt.Sscanf(msg, "invalid argument %q for %q", &value, &flag); n == 2 {
		return fmt.Sprintf("%s : valeur « %s » invalide pour %s : un nombre est attendu, par exemple %s 4", cmd, assemble.Printable(value), flag, strings.SplitN(flag, ",", 2)[0])
	}
	if strings.HasPrefix(msg, "invalid argument ") {
		return cmd + " : valeur d’option invalide (" + strings.TrimPrefix(msg, "invalid argument ") + ")"
	}
	return cmd + " : " + msg
}

// oneArg returns the single positional argument, the workbook.
func oneArg(fs *pflag.FlagSet) (string, error) {
	switch fs.NArg() {
	case 1:
		return fs.Arg(0), nil
	case 0:
		return "", &usageError{fs.Name() + " : indiquez le classeur, par exemple « necdossier " + fs.Name() + " candidature-nec-2025.xlsx »"}
	default:
		return "", &usageError{fs.Name() + " : un seul classeur attendu, " + strconv.Itoa(fs.NArg()) + " donnés"}
	}
}

func loadCall() (*model.Call, error) {
	return model.LoadCall(templates.FS, templates.Default)
}

func runInit(args []string, stdout io.Writer) error {
	fs := newFlags("init", "Usage : necdossier init [-o FICHIER] [--force]\n\nÉcrit le classeur vierge à remplir pour l’appel.\n", stdout)
	out := fs.StringP("output", "o", "", "`fichier` à écrire (par défaut candidature-nec-2025.xlsx)")
	force := fs.Bool("force", false, "remplacer le fichier s’il existe déjà")
	if done, err := parse(fs, args); done || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{"init : argument inattendu « " + fs.Arg(0) + " » ; pour choisir le fichier : -o FICHIER"}
	}
	call, err := loadCall()
	if err != nil {
		return err
	}
	path, err := assemble.Init(call, *out, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "classeur écrit : %s\nremplissez-le, puis : necdossier check %s\n", path, path)
	return nil
}

func runCheck(args []string, stdout io.Writer) error {
	fs := newFlags("check", "Usage : necdossier check CLASSEUR\n\nVérifie le classeur au regard des critères de l’appel et affiche chaque point à corriger.\n", stdout)
	if done, err := parse(fs, args); done || err != nil {
		return err
	}
	path, err := oneArg(fs)
	if err != nil {
		return err
	}
	call, err := loadCall()
	if err != nil {
		return err
	}
	findings, err := assemble.CheckFile(path, call)
	if err != nil {
		return err
	}
	printFindings(stdout, findings)
	if model.HasError(findings) {
		return reported
	}
	return nil
}

// printFindings prints one finding per line, then a count.
func printFindings(w io.Writer, findings []model.Finding) {
	var nerr, nwarn, nnote int
	for _, f := range findings {
		fmt.Fprintln(w, assemble.Printable(f.String()))
		switch f.Severity {
		case model.Erreur:
			nerr++
		case model.Note:
			nnote++
		default:
			nwarn++
		}
	}
	switch {
	case nerr == 0 && nwarn == 0 && nnote == 0:
		fmt.Fprintln(w, "aucun point à corriger")
	case nnote > 0:
		fmt.Fprintf(w, "%s, %s, %s sur le traitement des lettres\n", plural(nerr, "erreur", "erreurs"), plural(nwarn, "avertissement", "avertissements"), plural(nnote, "note", "notes"))
	default:
		fmt.Fprintf(w, "%s, %s\n", plural(nerr, "erreur", "erreurs"), plural(nwarn, "avertissement", "avertissements"))
	}
}

func plural(n int, one, many string) string {
	if n <= 1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}

func runBuild(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", "Usage : necdossier build CLASSEUR [-o FICHIER]\n\nVérifie le classeur puis écrit le dossier PDF, lettres de soutien comprises.\n", stdout)
	out := fs.StringP("output", "o", "", "`fichier` PDF à écrire (par défaut NEC2025-candidature-<collectivité>.pdf)")
	maxSize := fs.Float64("max-size", 10, "taille en `Mo` au-delà de laquelle avertir que le dossier est lourd pour un courriel")
	eml := fs.Bool("eml", false, "écrire aussi le brouillon du courriel d’envoi (.eml), dossier joint")
	manifest := fs.String("manifest", "", "écrire dans ce `fichier` JSON la liste des fichiers lus et produits, avec leur empreinte SHA-256")
	split := fs.Bool("split", false, "au-delà de --max-size, écrire les annexes dans un second PDF (le dossier et ses annexes renvoient l’un à l’autre)")
	if done, err := parse(fs, args); done || err != nil {
		return err
	}
	path, err := oneArg(fs)
	if err != nil {
		return err
	}
	if *maxSize <= 0 {
		return &usageError{"build : --max-size attend un nombre de Mo positif"}
	}
	call, now, err := callAndTime()
	if err != nil {
		return err
	}
	res, err := assemble.Build(assemble.BuildOptions{
		Workbook: path,
		Output:   *out,
		Call:     call,
		Fonts:    fonts.FS,
		Now:      now,
		MaxSize:  int64(*maxSize * 1e6),
		Email:    *eml,
		Manifest: *manifest,
		Split:    *split,
	})
	if res != nil && len(res.Findings) > 0 {
		printFindings(stdout, res.Findings)
	}
	if errors.Is(err, assemble.ErrFindings) {
		fmt.Fprintln(stderr, "necdossier : le dossier n’a pas été produit : corrigez les erreurs ci-dessus, puis relancez")
		return reported
	}
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stdout, "avertissement : "+w)
	}
	fmt.Fprintf(stdout, "dossier écrit : %s (%s, %s)\n", res.Output, plural(res.Pages, "page", "pages"), assemble.Size(res.Size))
	if res.Annexes != "" {
		fmt.Fprintf(stdout, "annexes écrites à part : %s (%s, %s)\n", res.Annexes, plural(res.AnnexPages, "page", "pages"), assemble.Size(res.AnnexSize))
	}
	if res.Email != "" {
		fmt.Fprintf(stdout, "courriel prêt à envoyer : %s (ouvrez-le dans votre messagerie, vérifiez, envoyez)\n", res.Email)
	}
	return nil
}

// callAndTime loads the call and the date to write in what is built.
func callAndTime() (*model.Call, time.Time, error) {
	call, err := loadCall()
	if err != nil {
		return nil, time.Time{}, err
	}
	now, err := buildTime()
	return call, now, err
}

// buildTime is the date written in the dossier: SOURCE_DATE_EPOCH when set
// (reproducible builds), else now.
func buildTime() (time.Time, error) {
	s, ok := os.LookupEnv("SOURCE_DATE_EPOCH")
	if !ok || s == "" {
		return time.Now(), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH : nombre de secondes attendu, trouvé « %s »", s)
	}
	return time.Unix(n, 0).UTC(), nil
}

func runBatch(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("batch", "Usage : necdossier batch DOSSIER -o SORTIE [-j N] [--print]\n\nRégénère le dossier de chaque candidat de DOSSIER (un sous-dossier par candidat,\nou les classeurs directement) dans SORTIE, puis la comparaison des candidatures.\n", stdout)
	out := fs.StringP("output", "o", "", "`dossier` où écrire les dossiers et la comparaison (obligatoire)")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "`nombre` de candidatures traitées en parallèle")
	print := fs.Bool("print", false, "écrire aussi impression.pdf, tous les dossiers en un seul fichier pour le recto verso")
	received := fs.String("recu-le", "", "`date` de réception des candidatures (JJ/MM/AAAA), écrite dans chaque dossier (par défaut : date de modification du classeur)")
	notes := fs.String("notes", "", "`comparaison.xlsx` d’un lot précédent, dont les notes, scores et poids des instructeurs sont repris")
	if done, err := parse(fs, args); done || err != nil {
		return err
	}
	recu, err := assemble.ParseDate(*received)
	if err != nil {
		return &usageError{"batch : --recu-le : " + err.Error()}
	}
	if fs.NArg() != 1 {
		return &usageError{"batch : indiquez un seul dossier de candidatures, par exemple « necdossier batch candidatures -o dossiers »"}
	}
	if *out == "" {
		return &usageError{"batch : indiquez le dossier de sortie avec -o SORTIE"}
	}
	if *jobs < 1 {
		return &usageError{"batch : -j attend un nombre de candidatures en parallèle, au moins 1"}
	}
	call, now, err := callAndTime()
	if err != nil {
		return err
	}
	res, err := assemble.RunBatch(assemble.BatchOptions{
		Dir:      fs.Arg(0),
		OutDir:   *out,
		Jobs:     *jobs,
		Call:     call,
		Fonts:    fonts.FS,
		Now:      now,
		Print:    *print,
		Received: recu,
		Notes:    *notes,
		Progress: assemble.NewProgress(stderr, isTerminal(stderr)),
	})
	if res == nil {
		return err
	}
	// The summary comes first, even when the comparison or the print
	// bundle could not be written: the dossiers are there.
	assemble.WriteSummary(stdout, res.Outcomes)
	for _, f := range res.Files {
		fmt.Fprintln(stdout, "écrit : "+f)
	}
	if err != nil {
		return err
	}
	if res.Failed() > 0 {
		return reported
	}
	return nil
}

// isTerminal reports whether w is a terminal, where a progress bar can be
// redrawn in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func runVerify(args []string, stdout io.Writer) error {
	fs := newFlags("verify", "Usage : necdossier verify DOSSIER.pdf [DOSSIER_DU_CANDIDAT]\n\nDit si le PDF est inchangé depuis sa production et, avec le dossier du candidat,\nsi ses fichiers sont ceux dont le PDF a été produit, un par un.\n", stdout)
	if done, err := parse(fs, args); done || err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return &usageError{"verify : indiquez le PDF, puis éventuellement le dossier du candidat"}
	}
	v, err := assemble.Verify(fs.Arg(0), fs.Arg(1))
	if err != nil {
		return err
	}
	assemble.WriteVerdict(stdout, v, fs.Arg(1))
	if !v.OK() {
		return reported
	}
	return nil
}
