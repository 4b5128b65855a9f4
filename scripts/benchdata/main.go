// Command benchdata is the helper of scripts/bench.sh (issue 15): it makes
// the workbooks the benchmark builds, reads a build manifest, and times one
// run of a command. It is not part of necdossier and go test runs nothing
// here.
//
//	benchdata workbook -from CLASSEUR -o SORTIE.xlsx FICHIER...
//	    copies CLASSEUR with its « Annexes » table replaced by one support
//	    letter per FICHIER (names relative to the folder of SORTIE.xlsx)
//	benchdata annexes MANIFESTE.json
//	    prints « pages<TAB>path » for each annex of a build manifest
//	benchdata run -log FICHIER [-ok 0,3] -- COMMANDE ARG...
//	    runs COMMANDE and appends « cpu_s wall_s maxrss_kb » to FICHIER
//	    (CPU = user + system of the child, to the microsecond)
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "workbook":
		err = workbook(os.Args[2:])
	case "annexes":
		err = annexes(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchdata :", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage : benchdata workbook -from CLASSEUR -o SORTIE.xlsx FICHIER... | annexes MANIFESTE.json | run -log FICHIER [-ok 0,3] -- COMMANDE...")
	os.Exit(2)
}

// The « Annexes » table as the template writes it: found by its header
// labels, like the tool's reader does, not by fixed cells.
const (
	annexSheet  = "Annexes"
	colFile     = "Fichier"
	colTitle    = "Titre"
	colType     = "Type"
	letterType  = "Lettre de soutien"
	headerLimit = 50 // rows searched for the header
)

func workbook(args []string) error {
	fl := flag.NewFlagSet("workbook", flag.ExitOnError)
	from := fl.String("from", "", "classeur modèle (.xlsx)")
	out := fl.String("o", "", "classeur à écrire (.xlsx)")
	fl.Parse(args)
	if *from == "" || *out == "" || fl.NArg() == 0 {
		return errors.New("workbook : -from, -o et au moins un fichier sont attendus")
	}
	f, err := excelize.OpenFile(*from)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := f.GetRows(annexSheet)
	if err != nil {
		return err
	}
	header, cols := -1, map[string]int{}
	for r := 0; r < len(rows) && r < headerLimit && header < 0; r++ {
		for _, v := range rows[r] {
			if label(v) == colFile {
				header = r
				break
			}
		}
	}
	if header < 0 {
		return fmt.Errorf("%s : en-tête « %s » introuvable dans la feuille « %s »", *from, colFile, annexSheet)
	}
	for c, v := range rows[header] {
		if v = label(v); v != "" {
			cols[v] = c + 1
		}
	}
	for _, k := range []string{colFile, colTitle, colType} {
		if cols[k] == 0 {
			return fmt.Errorf("%s : colonne « %s » introuvable", *from, k)
		}
	}
	cell := func(col, row int) string { // row is 0-based like rows
		name, _ := excelize.CoordinatesToCellName(col, row+1)
		return name
	}
	// Empty the table's existing records, then write one row per file.
	for r := header + 1; r < len(rows); r++ {
		for _, c := range cols {
			if err := f.SetCellValue(annexSheet, cell(c, r), nil); err != nil {
				return err
			}
		}
	}
	for i, name := range fl.Args() {
		r := header + 1 + i
		title := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
		for col, v := range map[int]string{cols[colFile]: name, cols[colTitle]: title, cols[colType]: letterType} {
			if err := f.SetCellStr(annexSheet, cell(col, r), v); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(*out)
}

// label is a header cell without the « * » that marks a required column.
func label(s string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "*"))
}

func annexes(args []string) error {
	if len(args) != 1 {
		return errors.New("annexes : un manifeste JSON est attendu")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var m struct {
		Inputs []struct {
			Path  string `json:"path"`
			Role  string `json:"role"`
			Pages int    `json:"pages"`
		} `json:"inputs"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s : %v", args[0], err)
	}
	for _, in := range m.Inputs {
		if in.Role == "annex" {
			fmt.Printf("%d\t%s\n", in.Pages, in.Path)
		}
	}
	return nil
}

func run(args []string) error {
	fl := flag.NewFlagSet("run", flag.ExitOnError)
	logPath := fl.String("log", "", "fichier où ajouter la mesure")
	okCodes := fl.String("ok", "0", "codes de sortie acceptés, séparés par des virgules")
	fl.Parse(args)
	if *logPath == "" || fl.NArg() == 0 {
		return errors.New("run : -log et une commande sont attendus")
	}
	ok := map[int]bool{}
	for _, s := range strings.Split(*okCodes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("run : code de sortie « %s »", s)
		}
		ok[n] = true
	}
	cmd := exec.Command(fl.Arg(0), fl.Args()[1:]...)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		return err
	}
	if code := cmd.ProcessState.ExitCode(); !ok[code] {
		tail := output.Bytes()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return fmt.Errorf("%s : code de sortie %d\n%s", strings.Join(fl.Args(), " "), code, tail)
	}
	ps := cmd.ProcessState
	cpu := ps.UserTime() + ps.SystemTime()
	lf, err := os.OpenFile(*logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(lf, "%.6f %.6f %d\n", cpu.Seconds(), wall.Seconds(), maxRSSKiB(ps))
	if cerr := lf.Close(); err == nil {
		err = cerr
	}
	return err
}
