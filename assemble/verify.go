package assemble

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"necdossier/assemble/letters"
	"os"
	"path/filepath"
	"strings"
)

// Verdict is what verify found.
type Verdict struct {
	Fingerprint string // as the PDF carries it
	Sealed      bool   // the PDF carries a seal…
	Intact      bool   // …and its bytes are those it was made with
	Files       []FileVerdict
}

// FileVerdict is one input the PDF names, and whether the folder's file
// is the same.
type FileVerdict struct {
	Role, Path, SHA256 string
	State              string // "identique", "différent", "absent"
}

// OK tells whether the PDF is intact and, when a folder was given, every
// file of it is the one the PDF was made from.
func (v *Verdict) OK() bool {
	if !v.Intact {
		return false
	}
	for _, f := range v.Files {
		if f.State != "identique" && f.State != "" {
			return false
		}
	}
	return true
}

// Verify reads the fingerprint, the inputs' digests and the seal that a
// dossier's PDF carries, checks the seal and, when dir is given, compares
// each input with the file of the same name in dir (the candidate's
// folder).
func Verify(pdfPath, dir string) (*Verdict, error) {
	data, err := os.ReadFile(pdfPath)
	if err != nil {
		return nil, fmt.Errorf("%s : %w", pdfPath, unwrapPath(err))
	}
	info, err := letters.Info(data)
	if err != nil {
		return nil, fmt.Errorf("%s : PDF illisible (%v)", pdfPath, err)
	}
	v := &Verdict{Fingerprint: info[InfoFingerprint]}
	v.Sealed, v.Intact = letters.CheckSeal(data)
	if v.Fingerprint == "" && info[InfoInputs] == "" {
		return nil, fmt.Errorf("%s : ce PDF ne porte ni empreinte ni liste des pièces : il n’a pas été produit par necdossier (ou par une version antérieure)", pdfPath)
	}
	for _, line := range strings.Split(info[InfoInputs], "\n") {
		f := strings.SplitN(line, " ", 3)
		if len(f) != 3 {
			continue
		}
		fv := FileVerdict{Role: f[0], SHA256: f[1], Path: f[2]}
		if dir != "" {
			fv.State = "absent"
			if got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f[2]))); err == nil {
				sum := sha256.Sum256(got)
				fv.State = "différent"
				if hex.EncodeToString(sum[:]) == f[1] {
					fv.State = "identique"
				}
			}
		}
		v.Files = append(v.Files, fv)
	}
	return v, nil
}

// WriteVerdict writes v in French, one line per file.
func WriteVerdict(w io.Writer, v *Verdict, dir string) {
	fmt.Fprintf(w, "empreinte des pièces : %s\n", v.Fingerprint)
	switch {
	case !v.Sealed:
		fmt.Fprintln(w, "contenu : le PDF ne porte pas de sceau ; impossible de dire s’il a été modifié")
	case v.Intact:
		fmt.Fprintln(w, "contenu : inchangé depuis sa production (sceau vérifié)")
	default:
		fmt.Fprintln(w, "contenu : MODIFIÉ depuis sa production (le sceau ne correspond plus)")
	}
	roles := map[string]string{"workbook": "classeur", "annex": "annexe", "logo": "logo"}
	for _, f := range v.Files {
		state := f.State
		if state == "" {
			state = "empreinte " + f.SHA256
		}
		fmt.Fprintf(w, "%s %s : %s\n", roles[f.Role], Printable(f.Path), state)
	}
	if dir != "" {
		if v.OK() {
			fmt.Fprintf(w, "le dossier %s contient les fichiers dont ce PDF a été produit\n", Printable(dir))
		} else {
			fmt.Fprintf(w, "le PDF ne correspond pas aux fichiers du dossier %s\n", Printable(dir))
		}
	}
}
