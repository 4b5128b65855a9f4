// Package webtest drives the web page (package necdossier/web) in a real
// headless Chromium: the dossier made in the browser must be the one the
// command line makes, the findings the ones check prints, the page must
// make no request once loaded, and an automated accessibility audit
// (axe-core) must find nothing.
//
// Needs: chromium (or google-chrome) in PATH, and axe-core from npm, found
// through NECDOSSIER_AXE (the path of axe.min.js) or in
// $XDG_CACHE_HOME/necdossier-tools/node_modules (what .ci/run installs).
// Without them the test is skipped, unless NECDOSSIER_REQUIRE_TOOLS=1.
// Screenshots go to NECDOSSIER_SCREENSHOTS, or a new temporary folder; the
// test logs the path.
package webtest

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"necdossier/assemble"
	"necdossier/assemble/model"
	"necdossier/assemble/workbook"
	"necdossier/fonts"
	"necdossier/templates"
	"necdossier/web"
)

// epoch is the SOURCE_DATE_EPOCH of every build here: 2025-06-15 15:06:40 UTC.
const epoch = 1750000000

var samplesDir = filepath.Join("..", "..", "samples")

var validSamples = []string{"belrive", "haut-verdal", "sarrine"}

func requireTools() bool { return os.Getenv("NECDOSSIER_REQUIRE_TOOLS") == "1" }

// need skips the test for a missing tool, or fails it when tools are required.
func need(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if requireTools() {
		t.Fatal(msg + " (NECDOSSIER_REQUIRE_TOOLS=1)")
	}
	t.Skip(msg)
}

func chromiumPath(t testing.TB) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	need(t, "chromium absent : le test de la page web est ignoré (apt-get install chromium)")
	return ""
}

// axePath finds axe.min.js, or returns "" when the audit cannot run.
func axePath(t testing.TB) string {
	if p := os.Getenv("NECDOSSIER_AXE"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("NECDOSSIER_AXE : %v", err)
		}
		return p
	}
	if dir, err := os.UserCacheDir(); err == nil {
		p := filepath.Join(dir, "necdossier-tools", "node_modules", "axe-core", "axe.min.js")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// The static site is built once per run of the test binary.
var site struct {
	once  sync.Once
	dir   string
	built *web.Built
	err   error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if site.dir != "" {
		os.RemoveAll(site.dir)
	}
	os.Exit(code)
}

// testBrotli is the brotli quality of the site the tests build: seconds
// instead of minutes, for a file the page loads the same way.
const testBrotli = 5

// buildSite builds the site with necdossier.wasm.br at quality brotli;
// the first call of a run decides it.
func buildSite(t testing.TB, brotli int) *web.Built {
	t.Helper()
	site.once.Do(func() {
		// The engine's sources are compiled by another go command: read
		// here, they are part of what go test's cache checks.
		site.err = filepath.WalkDir(filepath.Join("..", "wasm"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				_, err = os.ReadFile(p)
			}
			return err
		})
		if site.err != nil {
			return
		}
		site.dir, site.err = os.MkdirTemp("", "necdossier-web-")
		if site.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		site.built, site.err = web.Build(ctx, site.dir, web.Options{Brotli: brotli})
	})
	if site.err != nil {
		t.Fatal(site.err)
	}
	return site.built
}

// server serves the built site on 127.0.0.1 and counts the requests made
// once armed.
type server struct {
	*httptest.Server
	armed   atomic.Bool
	mu      sync.Mutex
	all     []string // every request
	late    []string // the requests made once armed
	encoded []string // the responses sent compressed: "path encoding"
}

// loaded checks which compressed responses the page was sent while it
// loaded, and that it fetched no other copy of the wasm (an aborted request
// aside: the page drops a response it cannot use once its headers arrive).
func (s *server) loaded(t testing.TB, encoded ...string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Equal(s.encoded, encoded) {
		t.Errorf("réponses compressées : %q, attendu %q (requêtes : %q)", s.encoded, encoded, s.all)
	} else if len(encoded) > 0 && slices.Contains(s.all, "GET /necdossier.wasm.gz") {
		t.Errorf("necdossier.wasm.gz demandé bien que le wasm ait été servi compressé : %q", s.all)
	}
}

// How the test server treats the compressed copies of the wasm.
type host int

const (
	// plainHost serves the files as they are: the page must decompress
	// necdossier.wasm.gz itself.
	plainHost host = iota
	// staticHost serves necdossier.wasm from necdossier.wasm.br with
	// Content-Encoding: br, or from necdossier.wasm.gz with gzip, as the
	// browser accepts, as nginx's brotli_static and gzip_static do.
	staticHost
	// headersHost sends necdossier.wasm.br with Content-Encoding: br, as a
	// _headers rule for that file does; necdossier.wasm is served as it is.
	headersHost
)

func serve(t testing.TB, dir string, h host) *server {
	s := &server{}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.all = append(s.all, r.Method+" "+r.URL.Path)
		if s.armed.Load() {
			s.late = append(s.late, r.Method+" "+r.URL.String())
		}
		s.mu.Unlock()
		compressed := func(file, encoding string) {
			s.mu.Lock()
			s.encoded = append(s.encoded, r.URL.Path+" "+encoding)
			s.mu.Unlock()
			w.Header().Set("Content-Encoding", encoding)
			w.Header().Set("Content-Type", "application/wasm")
			w.Header().Add("Vary", "Accept-Encoding")
			http.ServeFile(w, r, filepath.Join(dir, file))
		}
		accepts := strings.Split(strings.ReplaceAll(r.Header.Get("Accept-Encoding"), " ", ""), ",")
		switch {
		case h == staticHost && r.URL.Path == "/necdossier.wasm" && slices.Contains(accepts, "br"):
			compressed("necdossier.wasm.br", "br")
		case h == staticHost && r.URL.Path == "/necdossier.wasm" && slices.Contains(accepts, "gzip"):
			compressed("necdossier.wasm.gz", "gzip")
		case h == headersHost && r.URL.Path == "/necdossier.wasm.br":
			compressed("necdossier.wasm.br", "br")
		default:
			files.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// tab is one page of the browser, with what it downloads and requests.
type tab struct {
	t         testing.TB
	ctx       context.Context
	downloads string
	shots     string

	mu       sync.Mutex
	armed    bool
	requests []string               // requests made once armed
	began    map[string]string      // download GUID → suggested file name
	done     map[string]chan string // file name → path of the finished download
}

func newBrowser(t testing.TB) context.Context {
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("démarrage de %s : %v", path, err)
	}
	return ctx
}

func newTab(t testing.TB, browserCtx context.Context, shots string) *tab {
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, downloads: t.TempDir(), shots: shots,
		began: map[string]string{}, done: map[string]chan string{}}
	err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			u := ev.Request.URL
			if tb.armed && !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "data:") {
				tb.requests = append(tb.requests, ev.Request.Method+" "+u)
			}
		case *browser.EventDownloadWillBegin:
			tb.began[ev.GUID] = ev.SuggestedFilename
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted {
				name := tb.began[ev.GUID]
				tb.wait(name) <- filepath.Join(tb.downloads, ev.GUID)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: tb.downloads, EventsEnabled: ptr(true)})
		return err
	}))
	return tb
}

func ptr[T any](v T) *T { return &v }

// wait is the channel of the download named name; tb.mu is held.
func (tb *tab) wait(name string) chan string {
	c, ok := tb.done[name]
	if !ok {
		c = make(chan string, 1)
		tb.done[name] = c
	}
	return c
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 90*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Steps(steps...)); err != nil {
		tb.t.Fatal(err)
	}
}

func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s : %v", js, err)
	}
	return v
}

func (tb *tab) waitFor(js string, timeout time.Duration) {
	tb.t.Helper()
	tb.do(chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(50*time.Millisecond)))
}

// open loads the page and waits until the engine is ready; from then on,
// every request counts.
func (tb *tab) open(url string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(url))
	tb.waitFor(`document.body.dataset.state === 'ready' || document.body.dataset.state === 'failed'`, 60*time.Second)
	if s := eval[string](tb, `document.body.dataset.state`); s != "ready" {
		tb.t.Fatalf("la page ne s’est pas chargée : %s", eval[string](tb, `document.getElementById('chargement').textContent`))
	}
	tb.mu.Lock()
	tb.armed = true
	tb.mu.Unlock()
}

// upload gives files to the « Choisir les fichiers » input and waits for
// the run to end (or, with wait false, only gives them).
func (tb *tab) upload(files []string, wait bool) {
	tb.t.Helper()
	eval[chromedp.Void](tb, `document.body.dataset.state = 'test'`)
	tb.do(chromedp.SetUploadFiles(chromedp.ID("fichiers"), files))
	if wait {
		tb.waitFor(`document.body.dataset.state === 'done'`, 120*time.Second)
	}
}

// download clicks sel and returns the file downloaded and its name.
func (tb *tab) download(sel, name string) []byte {
	tb.t.Helper()
	tb.mu.Lock()
	c := tb.wait(name)
	tb.mu.Unlock()
	tb.do(chromedp.Click(chromedp.CSS(sel)))
	select {
	case p := <-c:
		data, err := os.ReadFile(p)
		if err != nil {
			tb.t.Fatal(err)
		}
		return data
	case <-time.After(30 * time.Second):
		tb.t.Fatalf("téléchargement de %s : rien après 30 s", name)
	}
	return nil
}

func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tb.shots, name), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// noRequests fails if the page made a request since it was loaded.
func (tb *tab) noRequests(s *server) {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(tb.requests) > 0 || len(s.late) > 0 {
		tb.t.Errorf("requêtes après le chargement de la page : navigateur %q, serveur %q", tb.requests, s.late)
	}
}

// audit runs axe-core on the page as it is, and checks its French typography.
func (tb *tab) audit(axe []byte, what string) {
	tb.t.Helper()
	bad := eval[[]string](tb, `(() => {
		const text = document.body.innerText;
		const out = [];
		for (const re of [/.{0,20} [:;!?»].{0,10}/g, /.{0,10}«[^\u00a0\u202f].{0,20}/g, /.{0,20}'.{0,20}/g, /.{0,20}".{0,20}/g]) {
			for (const m of text.matchAll(re)) out.push(m[0]);
		}
		return out;
	})()`)
	if len(bad) > 0 {
		tb.t.Errorf("%s : typographie : %q", what, bad)
	}
	if axe == nil {
		return
	}
	if !eval[bool](tb, `typeof axe === 'object'`) {
		eval[chromedp.Void](tb, string(axe))
	}
	type violation struct {
		ID, Impact, Help string
		Nodes            []string
	}
	vs := eval[[]violation](tb, `axe.run(document, {resultTypes: ['violations']}).then((r) =>
		r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ') + ' : ' + n.failureSummary)})))`)
	for _, v := range vs {
		tb.t.Errorf("%s : axe %s (%s) : %s\n\t%s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
}

// sampleFiles lists the files of a sample folder.
func sampleFiles(t testing.TB, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() {
			p, _ := filepath.Abs(filepath.Join(dir, e.Name()))
			files = append(files, p)
		}
	}
	return files
}

func screenshotDir(t testing.TB) string {
	dir := os.Getenv("NECDOSSIER_SCREENSHOTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "necdossier-captures-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("captures d’écran : %s", dir)
	return dir
}

type shownFinding struct{ Severity, Sheet, Cell, Text string }

func TestPage(t *testing.T) {
	chromiumPath(t)
	axeFile := axePath(t)
	var axe []byte
	if axeFile == "" {
		if requireTools() {
			t.Fatal("axe-core absent : npm install --prefix \"$XDG_CACHE_HOME/necdossier-tools\" axe-core, ou NECDOSSIER_AXE=…/axe.min.js (NECDOSSIER_REQUIRE_TOOLS=1)")
		}
		t.Log("axe-core absent : l’audit d’accessibilité est ignoré")
	} else {
		var err error
		if axe, err = os.ReadFile(axeFile); err != nil {
			t.Fatal(err)
		}
	}
	built := buildSite(t, testBrotli)
	t.Logf("page : necdossier.wasm %d octets, compressé %d octets (brotli %d), %d octets (gzip)", built.Wasm, built.WasmBrotli, built.Brotli, built.WasmGzip)
	srv := serve(t, built.Dir, staticHost)
	shots := screenshotDir(t)
	ctx := newBrowser(t)
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}

	// A host that serves necdossier.wasm compressed with brotli: the page
	// loads that and nothing else.
	tb := newTab(t, ctx, shots)
	tb.open(fmt.Sprintf("%s/?source_date_epoch=%d", srv.URL, epoch))
	srv.armed.Store(true)
	srv.loaded(t, "/necdossier.wasm br")
	tb.screenshot("1-accueil.png")
	tb.audit(axe, "accueil")
	keyboard(tb)

	// Files dropped on the page. This comes first: once the mouse has
	// clicked in the page, Chromium's Input.dispatchDragEvent never returns
	// (nor does it for a folder, which is therefore not tested).
	t.Run("glisser-deposer", func(t *testing.T) {
		tb.t = t
		dir, _ := filepath.Abs(filepath.Join(samplesDir, "haut-verdal"))
		eval[chromedp.Void](tb, `document.body.dataset.state = 'test'`)
		box := eval[[]float64](tb, `(() => { const r = document.getElementById('zone').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
		tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			for _, typ := range []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter, input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop} {
				_, err := chromedp.Call(ctx, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: box[0], Y: box[1],
					Data: &input.DragData{Items: []*input.DragDataItem{}, Files: sampleFiles(t, dir), DragOperationsMask: 1}})
				if err != nil {
					return err
				}
			}
			return nil
		}))
		tb.waitFor(`document.body.dataset.state === 'done'`, 120*time.Second)
		if n := eval[int](tb, `document.querySelectorAll('#telechargements a[data-role="dossier"]').length`); n != 1 {
			t.Errorf("pas de dossier après le dépôt du dossier haut-verdal : %s", eval[string](tb, `document.getElementById('resultat').innerText + document.getElementById('alerte').innerText`))
		}
		if got := eval[string](tb, `document.getElementById('liste-recus').textContent`); !strings.Contains(got, "lettre-departement-aubrelle.pdf") {
			t.Errorf("fichiers lus : %q", got)
		}
	})

	t.Run("erreurs", func(t *testing.T) {
		tb.t = t
		dir := filepath.Join(samplesDir, "exemple-erreurs")
		want, err := assemble.CheckFile(filepath.Join(dir, "candidature.xlsx"), call)
		if err != nil {
			t.Fatal(err)
		}
		tb.upload(sampleFiles(t, dir), true)
		got := eval[[]shownFinding](tb, `[...document.querySelectorAll('#constats li')].map((li) => ({
			severity: li.dataset.severity, sheet: li.dataset.sheet, cell: li.dataset.cell, text: li.querySelector('.text').textContent}))`)
		var wanted []shownFinding
		for _, f := range want {
			wanted = append(wanted, shownFinding{f.Severity.String(), f.Sheet, f.Cell,
				strings.TrimPrefix(f.String(), f.Severity.String()+" : "+f.Place()+" : ")})
		}
		if !slices.Equal(got, wanted) {
			t.Errorf("constats affichés :\n%s\nattendus (check) :\n%s", listOf(got), listOf(wanted))
		}
		if n := eval[int](tb, `document.querySelectorAll('#telechargements a').length`); n != 0 {
			t.Errorf("%d téléchargements proposés malgré les erreurs", n)
		}
		summary := eval[string](tb, `document.getElementById('resume').textContent`)
		if !strings.Contains(summary, "n’a pas été produit") {
			t.Errorf("résumé : %q", summary)
		}
		tb.screenshot("2-erreurs.png")
		tb.audit(axe, "erreurs")
		tb.do(chromedp.EmulateViewport(360, 740))
		tb.screenshot("2-erreurs-360px.png")
		if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("à 360 px de large, la page en mesure %d : défilement horizontal", w)
		}
		tb.do(chromedp.EmulateViewport(1280, 900))
	})

	for i, sample := range validSamples {
		t.Run(sample, func(t *testing.T) {
			tb.t = t
			sameDossier(tb, call, sample)
			if i == 0 {
				tb.screenshot("3-dossier-pret.png")
				tb.audit(axe, "dossier prêt")
			}
		})
	}

	t.Run("plusieurs-classeurs", func(t *testing.T) {
		tb.t = t
		other := filepath.Join(t.TempDir(), "autre-candidature.xlsx")
		data, err := os.ReadFile(filepath.Join(samplesDir, "haut-verdal", "candidature.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(other, data, 0o644); err != nil {
			t.Fatal(err)
		}
		first, _ := filepath.Abs(filepath.Join(samplesDir, "exemple-erreurs", "candidature.xlsx"))
		tb.upload([]string{first, other}, false)
		tb.waitFor(`!document.getElementById('choix-classeur').hidden`, 10*time.Second)
		if id := eval[string](tb, `document.activeElement.id`); id != "classeur" {
			t.Errorf("le focus est sur « %s », pas sur la liste des classeurs", id)
		}
		tb.audit(axe, "plusieurs classeurs")
		eval[chromedp.Void](tb, `document.getElementById('classeur').value = 'autre-candidature.xlsx'`)
		tb.do(chromedp.Click(chromedp.ID("traiter")))
		tb.waitFor(`document.body.dataset.state === 'done'`, 120*time.Second)
		// Its letter was not given: the page says so at its cell.
		got := eval[string](tb, `document.getElementById('constats').innerText`)
		if !strings.Contains(got, "lettre-departement-aubrelle.pdf") || !strings.Contains(got, "introuvable") {
			t.Errorf("constats : %q", got)
		}
	})

	t.Run("pas-un-classeur", func(t *testing.T) {
		tb.t = t
		ods := filepath.Join(t.TempDir(), "budget.ods")
		if err := os.WriteFile(ods, []byte("PK\x03\x04 pas un classeur"), 0o644); err != nil {
			t.Fatal(err)
		}
		tb.upload([]string{ods}, true)
		msg := eval[string](tb, `document.getElementById('erreur-moteur').hidden ? '' : document.getElementById('erreur-moteur').textContent`)
		if !strings.HasPrefix(msg, "budget.ods") || !strings.Contains(msg, "xlsx") {
			t.Errorf("message : %q", msg)
		}
		tb.screenshot("6-pas-un-classeur.png")
		tb.audit(axe, "pas un classeur")
	})

	t.Run("classeur-vierge", func(t *testing.T) {
		tb.t = t
		data := tb.download(`#vierge`, call.WorkbookName)
		if _, _, err := workbook.Read(bytes.NewReader(data), int64(len(data)), call.WorkbookName); err != nil {
			t.Errorf("classeur vierge illisible : %v", err)
		}
	})

	t.Run("photo-lourde", func(t *testing.T) {
		tb.t = t
		dir := t.TempDir()
		files := sampleFiles(t, filepath.Join(samplesDir, "haut-verdal"))
		big := filepath.Join(dir, "photo-geante.png")
		if err := os.WriteFile(big, pngHeader(9000, 7000), 0o644); err != nil {
			t.Fatal(err)
		}
		before := eval[int](tb, `necdossierTimings.builds.length`)
		tb.upload(append(files, big), false)
		tb.waitFor(`document.getElementById('confirmation').open`, 10*time.Second)
		text := eval[string](tb, `document.getElementById('confirmation-texte').textContent`)
		if !strings.Contains(text, "63 millions de pixels") {
			t.Errorf("avertissement : %q", text)
		}
		if id := eval[string](tb, `document.activeElement.id`); id != "confirmation-annuler" {
			t.Errorf("le focus est sur « %s », pas sur « Annuler »", id)
		}
		tb.screenshot("4-photo-lourde.png")
		tb.audit(axe, "photo lourde")
		tb.do(chromedp.Click(chromedp.ID("confirmation-annuler")))
		time.Sleep(300 * time.Millisecond)
		if eval[bool](tb, `document.getElementById('confirmation').open`) || eval[int](tb, `necdossierTimings.builds.length`) != before {
			t.Error("« Annuler » n’a pas arrêté le traitement")
		}
	})
	tb.t = t
	tb.noRequests(srv)

	// A host told to send necdossier.wasm.br with Content-Encoding: br
	// (and necdossier.wasm as it is): the page finds the brotli file.
	t.Run("brotli-par-en-tetes", func(t *testing.T) {
		srv := serve(t, built.Dir, headersHost)
		tb := newTab(t, ctx, shots)
		tb.open(fmt.Sprintf("%s/?source_date_epoch=%d", srv.URL, epoch))
		srv.armed.Store(true)
		srv.loaded(t, "/necdossier.wasm.br br")
		sameDossier(tb, call, validSamples[0])
		tb.noRequests(srv)
	})

	// On a host that does not compress the wasm, the page decompresses
	// necdossier.wasm.gz itself.
	t.Run("limite-de-temps", func(t *testing.T) {
		srv := serve(t, built.Dir, plainHost)
		tb := newTab(t, ctx, shots)
		tb.open(fmt.Sprintf("%s/?limite=0.1&source_date_epoch=%d", srv.URL, epoch))
		srv.armed.Store(true)
		srv.loaded(t)
		srv.mu.Lock()
		if !slices.Contains(srv.all, "GET /necdossier.wasm.gz") {
			t.Errorf("necdossier.wasm.gz n’a pas été demandé : %q", srv.all)
		}
		srv.mu.Unlock()
		tb.upload(sampleFiles(t, filepath.Join(samplesDir, largestSample(t))), true)
		alert := eval[string](tb, `document.getElementById('alerte').textContent`)
		if !strings.Contains(alert, "arrêté au bout de 0,1") {
			t.Errorf("alerte : %q", alert)
		}
		tb.screenshot("5-limite-de-temps.png")
		tb.audit(axe, "limite de temps")
		// The worker was replaced, without a request: the page still works.
		data := tb.download(`#vierge`, call.WorkbookName)
		if len(data) == 0 {
			t.Error("classeur vierge vide après l’arrêt du traitement")
		}
		tb.noRequests(srv)
	})
}

// sameDossier makes the dossier of sample in the page, and checks it is
// the one assemble.Build makes, e-mail and summary included.
func sameDossier(tb *tab, call *model.Call, sample string) {
	t := tb.t
	t.Helper()
	dir := filepath.Join(samplesDir, sample)
	out := t.TempDir()
	want, err := assemble.Build(assemble.BuildOptions{Workbook: filepath.Join(dir, "candidature.xlsx"), OutDir: out,
		Call: call, Fonts: fonts.FS, Now: time.Unix(epoch, 0).UTC(), Email: true})
	if err != nil {
		t.Fatal(err)
	}
	tb.upload(sampleFiles(t, dir), true)
	if alert := eval[string](tb, `document.getElementById('alerte').hidden ? '' : document.getElementById('alerte').textContent`); alert != "" {
		t.Fatalf("alerte : %s", alert)
	}
	pdf := tb.download(`a[data-role="dossier"]`, filepath.Base(want.Output))
	native, _ := os.ReadFile(want.Output)
	if !bytes.Equal(pdf, native) {
		t.Errorf("le PDF de la page (%d octets) diffère de celui de build (%d octets)", len(pdf), len(native))
	}
	eml := tb.download(`a[data-role="email"]`, filepath.Base(want.Email))
	nativeEml, _ := os.ReadFile(want.Email)
	boundary := regexp.MustCompile(`necdossier-[0-9a-f]+`)
	if !bytes.Equal(boundary.ReplaceAll(eml, nil), boundary.ReplaceAll(nativeEml, nil)) {
		t.Errorf("le courriel de la page diffère de celui de build --eml")
	}
	summary := eval[string](tb, `document.getElementById('resume').textContent`)
	if wantText := fmt.Sprintf("%d\u00a0pages, %s", want.Pages, assemble.Size(want.Size)); !strings.Contains(summary, wantText) {
		t.Errorf("résumé %q, attendu « %s »", summary, wantText)
	}
}

// keyboard checks that Tab reaches the controls in order, with a visible focus.
func keyboard(tb *tab) {
	tb.t.Helper()
	var order []string
	for range 5 {
		tb.do(chromedp.KeyEvent("\t"))
		order = append(order, eval[string](tb, `(() => {
			const e = document.activeElement;
			const s = getComputedStyle(e);
			return (e.id || e.className) + (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? '' : ' (focus invisible)');
		})()`))
	}
	want := []string{"skip", "vierge", "choisir-fichiers", "choisir-dossier"}
	if !slices.Equal(order[:len(want)], want) {
		tb.t.Errorf("ordre du clavier : %q, attendu %q", order, want)
	}
	eval[chromedp.Void](tb, `document.activeElement.blur()`)
}

func listOf(fs []shownFinding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\t%s %s!%s %s\n", f.Severity, f.Sheet, f.Cell, f.Text)
	}
	return b.String()
}

// largestSample is the valid sample with the most bytes.
func largestSample(t testing.TB) string {
	best, most := "", int64(-1)
	for _, s := range validSamples {
		var n int64
		for _, f := range sampleFiles(t, filepath.Join(samplesDir, s)) {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			n += st.Size()
		}
		if n > most {
			best, most = s, n
		}
	}
	return best
}

// pngHeader is the start of a PNG of w×h pixels: enough for the page to
// read its size, not an image.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	copy(ihdr[12:], []byte{8, 2, 0, 0, 0})
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}
