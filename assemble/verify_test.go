package assemble

import (
	"bytes"
	"necdossier/assemble/internal/testkit"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"necdossier/fonts"
)

// TestBatchVerifyAndOwnedOutput: batch writes each candidate's manifest
// and a sealed dossier that verify accepts against the candidate's folder
// (logo included) and refuses once a file or the PDF changed; a rerun
// removes the dossier of a candidate gone; a foreign non-empty output
// folder is refused.
func TestBatchVerifyAndOwnedOutput(t *testing.T) {
	call := testkit.Call(t)
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	c := sampleCandidatures()["belrive"]
	files := map[string][]byte{c.Collectivite.Logo: sampleFile(t, "belrive", c.Collectivite.Logo)}
	for _, a := range c.Annexes {
		files[a.Fichier] = sampleFile(t, "belrive", a.Fichier)
	}
	candidateFolder(t, call, filepath.Join(in, "belrive"), c, files)
	candidateFolder(t, call, filepath.Join(in, "parti"), withAnnex(sampleCandidatures()["haut-verdal"], "l.pdf"),
		map[string][]byte{"l.pdf": sampleFile(t, "haut-verdal", "lettre-departement-aubrelle.pdf")})
	opt := BatchOptions{Dir: in, OutDir: out, Call: call, Fonts: fonts.FS, Now: july, Received: time.Date(2024, 7, 12, 0, 0, 0, 0, time.UTC)}
	if _, err := RunBatch(opt); err != nil {
		t.Fatal(err)
	}
	dossier := filepath.Join(out, "belrive.pdf")
	for _, f := range []string{dossier, filepath.Join(out, "belrive.manifeste.json"), filepath.Join(out, "parti.pdf")} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("not written: %v", err)
		}
	}
	if txt := pdfText(t, dossier); !strings.Contains(strings.Join(strings.Fields(txt), " "), "Dossier régénéré par l’instructeur le 1er juillet 2024 à partir des fichiers reçus le 12 juillet 2024") &&
		!strings.Contains(txt, "régénéré par l’instructeur") {
		t.Errorf("the cover does not say the dossier was regenerated:\n%s", txt)
	}
	v, err := Verify(dossier, filepath.Join(in, "belrive"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	WriteVerdict(&b, v, filepath.Join(in, "belrive"))
	if !v.OK() || len(v.Files) != 2+len(c.Annexes) || !strings.Contains(b.String(), "logo "+c.Collectivite.Logo+" : identique") {
		t.Errorf("verify:\n%s", b.String())
	}
	// A logo changed since: verify says which file.
	os.WriteFile(filepath.Join(in, "belrive", c.Collectivite.Logo), []byte("autre"), 0o644)
	if v, _ := Verify(dossier, filepath.Join(in, "belrive")); v.OK() {
		t.Error("verify accepts a changed logo")
	}
	// A PDF touched after production: the seal no longer holds.
	data, _ := os.ReadFile(dossier)
	touched := filepath.Join(root, "touched.pdf")
	os.WriteFile(touched, bytes.Replace(data, []byte("(D:2024"), []byte("(D:2025"), 1), 0o644)
	if v, _ := Verify(touched, ""); v == nil || !v.Sealed || v.Intact {
		t.Errorf("verify of a touched PDF: %+v", v)
	}

	// A candidate gone: its old dossier goes too.
	os.RemoveAll(filepath.Join(in, "parti"))
	if _, err := RunBatch(opt); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "parti.pdf")); err == nil {
		t.Error("the dossier of a candidate gone is still in the output folder")
	}
	// A folder the batch did not make is refused.
	foreign := filepath.Join(root, "autre")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "rapport.docx"), []byte("x"), 0o644)
	opt.OutDir = foreign
	if _, err := RunBatch(opt); err == nil || !strings.Contains(err.Error(), "n’a pas été créé par necdossier batch") {
		t.Errorf("foreign output folder: %v", err)
	}
}
