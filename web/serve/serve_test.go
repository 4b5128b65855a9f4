package serve

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"necdossier/assemble"
	"necdossier/assemble/model"
	"necdossier/fonts"
	"necdossier/templates"
)

// epoch is the date of every build here: 2025-06-15 15:06:40 UTC.
const epoch = 1750000000

var samples = filepath.Join("..", "..", "samples")

type testServer struct {
	*httptest.Server
	s *Server
}

// start serves a Server on 127.0.0.1 with cfg, the call and the fonts set.
func start(t *testing.T, cfg Config) *testServer {
	t.Helper()
	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Call, cfg.Fonts = call, fonts.FS
	ts := httptest.NewUnstartedServer(nil)
	s := New(cfg, ts.Listener.Addr().(*net.TCPAddr).Port)
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)
	return &testServer{ts, s}
}

// upload is one file of a multipart request: its name as the browser sends it.
type upload struct {
	name string
	data []byte
}

func sampleFiles(t *testing.T, sample string) []upload {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(samples, sample))
	if err != nil {
		t.Fatal(err)
	}
	var files []upload
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(samples, sample, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, upload{e.Name(), data})
	}
	return files
}

// post sends files and fields to path, with the token unless noToken, and
// the extra headers.
func (ts *testServer) post(t *testing.T, path string, files []upload, fields map[string]string, header http.Header) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, f := range files {
		// Not CreateFormFile: it would escape nothing and the test wants
		// the name sent as is.
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="fichier"; filename="%s"`, f.name))
		h.Set("Content-Type", "application/octet-stream")
		w, _ := mw.CreatePart(h)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Necdossier-Jeton", ts.s.Token())
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// errorOf reads the {error} of an answer with the status code want.
func errorOf(t *testing.T, resp *http.Response, want int) string {
	t.Helper()
	var e struct{ Error string }
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != want {
		t.Fatalf("statut %d, attendu %d (%s)", resp.StatusCode, want, e.Error)
	}
	return e.Error
}

func buildFields() map[string]string {
	return map[string]string{"classeur": "candidature.xlsx", "maintenant": fmt.Sprint(epoch * 1000), "decalage": "0", "courriel": "1"}
}

func TestBuildSameBytes(t *testing.T) {
	ts := start(t, Config{})
	resp := ts.post(t, "/api/build", sampleFiles(t, "belrive"), buildFields(), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("statut %d", resp.StatusCode)
	}
	var got struct {
		Error    string
		Findings []finding
		Parts    []part
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Error != "" || len(got.Parts) != 2 || got.Parts[0].Role != "dossier" || got.Parts[1].Role != "email" {
		t.Fatalf("réponse : erreur %q, %d parties", got.Error, len(got.Parts))
	}
	out := t.TempDir()
	res, err := assemble.Build(assemble.BuildOptions{Workbook: filepath.Join(samples, "belrive", "candidature.xlsx"), OutDir: out,
		Call: ts.s.cfg.Call, Fonts: fonts.FS, Now: time.Unix(epoch, 0).UTC(), Email: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file string }{{res.Output}, {res.Email}} {
		want, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		i := 0
		if c.file == res.Email {
			i = 1
		}
		if got.Parts[i].Name != filepath.Base(c.file) || !bytes.Equal(got.Parts[i].Data, want) {
			t.Errorf("%s : %d octets servis, %d par assemble.Build : différents", got.Parts[i].Name, len(got.Parts[i].Data), len(want))
		}
	}
}

func TestCheckFindings(t *testing.T) {
	ts := start(t, Config{})
	resp := ts.post(t, "/api/check", sampleFiles(t, "exemple-erreurs"), buildFields(), nil)
	var got struct{ Findings []finding }
	json.NewDecoder(resp.Body).Decode(&got)
	want, err := assemble.CheckFile(filepath.Join(samples, "exemple-erreurs", "candidature.xlsx"), ts.s.cfg.Call)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != len(want) || len(want) == 0 {
		t.Fatalf("%d constats, %d attendus", len(got.Findings), len(want))
	}
	for i, f := range want {
		if g := got.Findings[i]; g.Sheet != f.Sheet || g.Cell != f.Cell || !strings.HasSuffix(f.String(), " : "+g.Text) {
			t.Errorf("constat %d : %+v, attendu %s", i, g, f)
		}
	}
}

func TestRefused(t *testing.T) {
	ts := start(t, Config{MaxBuild: 64 << 10})
	files := sampleFiles(t, "belrive")
	port := strings.TrimPrefix(ts.URL, "http://127.0.0.1:")

	t.Run("Origin d’un autre site", func(t *testing.T) {
		resp := ts.post(t, "/api/build", files[:1], buildFields(), http.Header{"Origin": {"https://exemple.org"}})
		if msg := errorOf(t, resp, 403); !strings.Contains(msg, "autre site") {
			t.Errorf("message : %q", msg)
		}
	})
	t.Run("Host d’un autre nom (DNS rebinding)", func(t *testing.T) {
		req, _ := http.NewRequest("GET", ts.URL+"/api/info", nil)
		req.Host = "piege.exemple.org:" + port
		req.Header.Set("X-Necdossier-Jeton", ts.s.Token())
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		errorOf(t, resp, 403)
	})
	t.Run("jeton absent", func(t *testing.T) {
		for _, path := range []string{"/api/info", "/api/blank"} {
			resp, err := ts.Client().Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			if msg := errorOf(t, resp, 403); !strings.Contains(msg, "jeton") {
				t.Errorf("%s : message %q", path, msg)
			}
			resp.Body.Close()
		}
		resp := ts.post(t, "/api/build", files, buildFields(), http.Header{"X-Necdossier-Jeton": {"faux"}})
		errorOf(t, resp, 403)
	})
	t.Run("envoi trop lourd", func(t *testing.T) {
		resp := ts.post(t, "/api/build", files, buildFields(), nil)
		if msg := errorOf(t, resp, 413); !strings.Contains(msg, "trop lourds") || !strings.Contains(msg, "66\u00a0ko") {
			t.Errorf("message : %q", msg)
		}
	})
	t.Run("nom en ../", func(t *testing.T) {
		for _, name := range []string{"../candidature.xlsx", "/etc/candidature.xlsx", `..\..\candidature.xlsx`, `C:\candidature.xlsx`} {
			resp := ts.post(t, "/api/check", []upload{{name, []byte("x")}}, buildFields(), nil)
			if msg := errorOf(t, resp, 400); !strings.Contains(msg, "nom de fichier refusé") {
				t.Errorf("%s : message %q", name, msg)
			}
		}
	})
}

// TestToken: the address opened gives the cookie, then leaves the URL.
func TestToken(t *testing.T) {
	ts := start(t, Config{})
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(ts.URL + "/?jeton=" + ts.s.Token() + "&source_date_epoch=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/?source_date_epoch=1" || len(cookies) != 1 || !cookies[0].HttpOnly {
		t.Fatalf("statut %d, Location %q, cookies %v", resp.StatusCode, resp.Header.Get("Location"), cookies)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/info", nil)
	req.AddCookie(cookies[0])
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("avec le cookie : statut %d", resp.StatusCode)
	}
	resp, err = c.Get(ts.URL + "/?jeton=faux")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("jeton faux : statut %d", resp.StatusCode)
	}
	// The page says it is served locally.
	resp, err = c.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(page, []byte(`data-mode="local"`)) || bytes.Contains(page, []byte("@VERSION@")) {
		t.Errorf("index servi :\n%.300s", page)
	}
}

// zipOf makes a zip of the sample folders (each at candidate/file), plus extra.
func zipOf(t *testing.T, root string, folders []string, extra func(*zip.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, dir := range folders {
		for _, f := range sampleFiles(t, dir) {
			w, _ := zw.Create(root + dir + "/" + f.name)
			w.Write(f.data)
		}
	}
	if extra != nil {
		extra(zw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLot(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ts := start(t, Config{})
	// A folder holding the candidates' folders, zipped; one candidate's
	// workbook has errors: its dossier is regenerated with them marked.
	z := zipOf(t, "candidatures/", []string{"belrive", "exemple-erreurs", "sarrine"}, nil)
	resp := ts.post(t, "/api/lot", []upload{{"lot.zip", z}}, map[string]string{"impression": "1", "maintenant": fmt.Sprint(epoch * 1000)}, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("statut %d : %s", resp.StatusCode, errorOf(t, resp, 200))
	}
	data, _ := io.ReadAll(resp.Body)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	want := "belrive.manifeste.json belrive.pdf comparaison.csv comparaison.pdf comparaison.xlsx exemple-erreurs.manifeste.json exemple-erreurs.pdf impression.pdf sarrine.manifeste.json sarrine.pdf resume.txt"
	if strings.Join(names, " ") != want {
		t.Errorf("archive : %v, attendu %s", names, want)
	}
	js, _ := base64.StdEncoding.DecodeString(resp.Header.Get("X-Necdossier-Lot"))
	var sum lotSummary
	if err := json.Unmarshal(js, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Candidates) != 3 || sum.Candidates[1].Name != "exemple-erreurs" || sum.Candidates[1].Errors == 0 || sum.Candidates[1].Output != "exemple-erreurs.pdf" || sum.Candidates[0].Output != "belrive.pdf" {
		t.Errorf("résumé : %s", js)
	}
	if strings.Contains(string(js), tmp) {
		t.Errorf("le résumé nomme le dossier temporaire : %s", js)
	}
	noTemporaries(t, tmp)

	// The same candidates sent as a folder (webkitdirectory): the same dossiers.
	var files []upload
	for _, dir := range []string{"belrive", "sarrine"} {
		for _, f := range sampleFiles(t, dir) {
			files = append(files, upload{"candidatures/" + dir + "/" + f.name, f.data})
		}
	}
	resp = ts.post(t, "/api/lot", files, map[string]string{"maintenant": fmt.Sprint(epoch * 1000)}, nil)
	data2, _ := io.ReadAll(resp.Body)
	zr2, err := zip.NewReader(bytes.NewReader(data2), int64(len(data2)))
	if err != nil {
		t.Fatal(err)
	}
	if pdf := read(t, zr2, "belrive.pdf"); !bytes.Equal(pdf, read(t, zr, "belrive.pdf")) {
		t.Errorf("belrive.pdf : différent selon l’envoi (dossier ou zip)")
	}
}

func read(t *testing.T, zr *zip.Reader, name string) []byte {
	t.Helper()
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, _ := io.ReadAll(rc)
	return data
}

func TestLotRefused(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ts := start(t, Config{MaxLot: 200 << 10})
	for _, c := range []struct {
		name  string
		extra func(*zip.Writer)
		code  int
		msg   string
	}{
		{"../", func(zw *zip.Writer) { w, _ := zw.Create("../../evil.xlsx"); w.Write([]byte("x")) }, 400, "nom de fichier refusé"},
		{"absolu", func(zw *zip.Writer) { w, _ := zw.Create("/tmp/evil.xlsx"); w.Write([]byte("x")) }, 400, "nom de fichier refusé"},
		{"lien symbolique", func(zw *zip.Writer) {
			h := &zip.FileHeader{Name: "belrive/lien.pdf"}
			h.SetMode(os.ModeSymlink | 0o777)
			w, _ := zw.CreateHeader(h)
			w.Write([]byte("/etc/passwd"))
		}, 400, "lien symbolique"},
		{"trop lourd une fois décompressé", func(zw *zip.Writer) {
			w, _ := zw.Create("belrive/gros.pdf")
			w.Write(make([]byte, 300<<10)) // compresses to almost nothing
		}, 413, "trop lourds"},
	} {
		z := zipOf(t, "", []string{"haut-verdal"}, c.extra)
		resp := ts.post(t, "/api/lot", []upload{{"lot.zip", z}}, nil, nil)
		if msg := errorOf(t, resp, c.code); !strings.Contains(msg, c.msg) {
			t.Errorf("%s : message %q", c.name, msg)
		}
	}
	resp := ts.post(t, "/api/lot", []upload{{"lot.zip", make([]byte, 300<<10)}}, nil, nil)
	if msg := errorOf(t, resp, 413); !strings.Contains(msg, "205\u00a0ko") {
		t.Errorf("envoi trop lourd : %q", msg)
	}
	if _, err := os.Stat(filepath.Join(tmp, "..", "..", "evil.xlsx")); err == nil {
		t.Errorf("evil.xlsx écrit hors du dossier temporaire")
	}
	noTemporaries(t, tmp)
}

// noTemporaries fails if a batch's folder is left in tmp once its answer
// was read: the server removes it as the handler returns, which may come
// just after the client has the last byte.
func noTemporaries(t *testing.T, tmp string) {
	t.Helper()
	var left []os.DirEntry
	for range 50 {
		if left, _ = os.ReadDir(tmp); len(left) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("dossier temporaire laissé : %v", left)
}
