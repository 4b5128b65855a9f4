package webtest

import (
	"archive/zip"
	"bytes"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"necdossier/assemble"
	"necdossier/assemble/model"
	"necdossier/fonts"
	"necdossier/templates"
	localserve "necdossier/web/serve"
)

// TestLocalPage drives the page as `necdossier serve` serves it: the same
// page, the work done natively by the server. The dossier must be the
// command line's, and the reviewers' page must return the batch's zip.
func TestLocalPage(t *testing.T) {
	chromiumPath(t)
	var axe []byte
	if p := axePath(t); p != "" {
		axe, _ = os.ReadFile(p)
	} else if requireTools() {
		t.Fatal("axe-core absent (NECDOSSIER_REQUIRE_TOOLS=1)")
	}
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(nil)
	s := localserve.New(localserve.Config{Call: call, Fonts: fonts.FS}, hs.Listener.Addr().(*net.TCPAddr).Port)
	hs.Config.Handler = s
	hs.Start()
	t.Cleanup(hs.Close)
	base := strings.TrimSuffix(s.URL(), "/?jeton="+s.Token())

	shots := screenshotDir(t)
	ctx := newBrowser(t)
	tb := newTab(t, ctx, shots)
	tb.open(s.URL() + "&source_date_epoch=" + strconv.Itoa(epoch))
	if u := eval[string](tb, `location.href`); strings.Contains(u, "jeton") {
		t.Errorf("le jeton reste dans l’adresse : %s", u)
	}
	tb.screenshot("6-serve-accueil.png")
	tb.audit(axe, "serve : accueil")

	dir := filepath.Join(samplesDir, "belrive")
	want, err := assemble.Build(assemble.BuildOptions{Workbook: filepath.Join(dir, "candidature.xlsx"), OutDir: t.TempDir(),
		Call: call, Fonts: fonts.FS, Now: time.Unix(epoch, 0).UTC(), Email: true})
	if err != nil {
		t.Fatal(err)
	}
	tb.upload(sampleFiles(t, dir), true)
	if alert := eval[string](tb, `document.getElementById('alerte').hidden ? '' : document.getElementById('alerte').textContent`); alert != "" {
		t.Fatalf("alerte : %s", alert)
	}
	pdf := tb.download(`a[data-role="dossier"]`, filepath.Base(want.Output))
	if native, _ := os.ReadFile(want.Output); !bytes.Equal(pdf, native) {
		t.Errorf("le PDF servi (%d octets) diffère de celui de build (%d octets)", len(pdf), len(native))
	}
	tb.screenshot("7-serve-dossier-pret.png")
	tb.audit(axe, "serve : dossier prêt")

	// The reviewers' page, given a zip of candidate folders.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, sample := range []string{"belrive", "exemple-erreurs", "haut-verdal"} {
		for _, f := range sampleFiles(t, filepath.Join(samplesDir, sample)) {
			data, _ := os.ReadFile(f)
			w, _ := zw.Create(sample + "/" + filepath.Base(f))
			w.Write(data)
		}
	}
	zw.Close()
	lot := filepath.Join(t.TempDir(), "candidatures.zip")
	if err := os.WriteFile(lot, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tb.open(base + "/lot.html?source_date_epoch=" + strconv.Itoa(epoch))
	tb.screenshot("8-serve-lot-accueil.png")
	tb.audit(axe, "serve : lot")
	tb.do(chromedp.SetUploadFiles(chromedp.ID("zip"), []string{lot}))
	tb.waitFor(`document.body.dataset.state === 'done'`, 120*time.Second)
	rows := eval[[]string](tb, `[...document.querySelectorAll('#candidats tbody tr')].map((tr) => tr.dataset.state + ' ' + tr.querySelector('th').textContent)`)
	if strings.Join(rows, ", ") != "ok belrive, erreurs exemple-erreurs, ok haut-verdal" {
		t.Errorf("candidats affichés : %q ; alerte : %s", rows, eval[string](tb, `document.getElementById('alerte').textContent`))
	}
	tb.screenshot("9-serve-lot-resultat.png")
	tb.audit(axe, "serve : lot traité")
	data := tb.download(`a[data-role="lot"]`, "necdossier-lot.zip")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "belrive.manifeste.json belrive.pdf comparaison.csv comparaison.pdf comparaison.xlsx exemple-erreurs.manifeste.json exemple-erreurs.pdf haut-verdal.manifeste.json haut-verdal.pdf impression.pdf resume.txt" {
		t.Errorf("archive du lot : %s", got)
	}
}
