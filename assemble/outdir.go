package assemble

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ownerMark is the file by which a batch knows its output folder: it
// lists the files the last batch wrote there.
const ownerMark = ".necdossier-lot"

// claimOutDir makes sure the output folder is the batch's own: created
// by it, or marked by a previous batch. A folder that exists, is not
// empty and bears no mark is refused: a batch never mixes its files with
// others' nor removes what it did not write.
func claimOutDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("dossier de sortie %s : %w", dir, unwrapPath(err))
		}
	case err != nil:
		return fmt.Errorf("dossier de sortie %s : %w", dir, unwrapPath(err))
	default:
		if _, err := os.Lstat(filepath.Join(dir, ownerMark)); err != nil && len(entries) > 0 {
			return fmt.Errorf("le dossier de sortie %s existe et n’a pas été créé par necdossier batch : choisissez un dossier nouveau ou vide (-o), le lot y efface ses anciens fichiers", dir)
		}
	}
	return writeAtomic(filepath.Join(dir, ownerMark), false, func(w io.Writer) error {
		_, err := io.WriteString(w, markHeader+strings.Join(previousOutputs(dir), "\n"))
		return err
	})
}

const markHeader = "# dossier de sortie de necdossier batch : ne pas y déposer d’autres fichiers\n"

// previousOutputs lists the files the last batch wrote into dir.
func previousOutputs(dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, ownerMark))
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// retire removes from dir what the previous batch wrote there and this
// one did not (a candidate gone, one that failed this time: its old
// dossier must not be printed), then records what this one wrote.
func retire(dir string, written []string) error {
	keep := map[string]bool{}
	var names []string
	for _, w := range written {
		if rel, err := filepath.Rel(dir, w); err == nil && !strings.HasPrefix(rel, "..") && !strings.ContainsRune(rel, filepath.Separator) {
			keep[rel] = true
			names = append(names, rel)
		}
	}
	var errs []error
	for _, old := range previousOutputs(dir) {
		if keep[old] || strings.ContainsAny(old, `/\`) || old == ownerMark {
			continue
		}
		p := filepath.Join(dir, old)
		if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() {
			if err := os.Remove(p); err != nil {
				errs = append(errs, fmt.Errorf("ancien fichier %s : %w", p, unwrapPath(err)))
			}
		}
	}
	slices.Sort(names)
	err := writeAtomic(filepath.Join(dir, ownerMark), false, func(w io.Writer) error {
		_, err := io.WriteString(w, markHeader+strings.Join(names, "\n")+"\n")
		return err
	})
	return errors.Join(append(errs, err)...)
}
