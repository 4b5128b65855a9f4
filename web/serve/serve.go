// Package serve is `necdossier serve`: a web server on 127.0.0.1 only, for
// one user, which serves the page of package web and does its work
// natively (all the cores, no WebAssembly), plus the reviewers' page
// (lot.html) that runs a batch on a folder or a zip of candidate folders.
//
// The page is the static one, its index marked data-mode="local": it then
// posts the files to /api/… instead of loading the engine. Nothing leaves
// the computer, and nothing is kept: a build runs in memory, a batch in a
// private temporary folder removed once its zip is sent.
//
// Only the browser the program opened may use it: every call to /api/
// needs the per-launch token, given in the URL opened (?jeton=…) and then
// kept in a cookie; a request whose Origin is another site, or whose Host
// is not 127.0.0.1:port or localhost:port (DNS rebinding), is refused.
//
//	GET  /api/info    the call {title, workbookName, deadline, recipient} and the size caps
//	GET  /api/blank   the blank workbook
//	POST /api/check   multipart: fichier (several, named by their path), classeur → {findings, error}
//	POST /api/build   the same, plus maintenant (ms), decalage (minutes), courriel (1)
//	                  → {findings, warnings, parts: [{name, role, pages, data (base64)}], error, ms}
//	POST /api/lot     multipart: fichier (the files of a folder, or one .zip), impression (1),
//	                  maintenant, decalage → a zip of the batch's outputs; the summary is in
//	                  the zip (resume.txt) and in the header X-Necdossier-Lot (base64 JSON)
//
// Errors are {error: "message en français"} with the status: 400, 403,
// 404, 405, 413 (too large, with the cap in the message).
package serve

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"necdossier/assemble/model"
	"necdossier/web"
)

// Config is what the server needs.
type Config struct {
	Call  *model.Call
	Fonts fs.FS
	// Now is the date written in what is built; nil → the date the page
	// sends (the user's clock), as the web page does.
	Now func() time.Time
	// Caps, in bytes (0 → the defaults below).
	MaxBuild int64 // one candidature's files, held in memory
	MaxLot   int64 // a batch upload, written to a temporary folder
	Jobs     int   // candidates built at once in a batch (0 → number of CPUs)
}

// Default caps.
const (
	DefaultMaxBuild = 300e6
	DefaultMaxLot   = 2000e6
)

// Server serves the pages and the API. Make one with New.
type Server struct {
	cfg     Config
	port    string
	token   string
	cookie  string
	version string
	static  http.Handler
	mux     *http.ServeMux
}

// New returns the server for the port it listens on, with a fresh token.
func New(cfg Config, port int) *Server {
	if cfg.MaxBuild <= 0 {
		cfg.MaxBuild = DefaultMaxBuild
	}
	if cfg.MaxLot <= 0 {
		cfg.MaxLot = DefaultMaxLot
	}
	if cfg.Jobs <= 0 {
		cfg.Jobs = runtime.NumCPU()
	}
	b := make([]byte, 24)
	rand.Read(b)
	s := &Server{
		cfg:   cfg,
		port:  strconv.Itoa(port),
		token: hex.EncodeToString(b),
		// Cookies do not tell ports apart: two servers on this computer
		// must not overwrite each other's.
		cookie:  "necdossier-" + strconv.Itoa(port),
		version: web.StaticVersion(),
		static:  http.FileServerFS(web.Static()),
		mux:     http.NewServeMux(),
	}
	s.mux.HandleFunc("GET /api/info", s.info)
	s.mux.HandleFunc("GET /api/blank", s.blank)
	s.mux.HandleFunc("POST /api/check", s.check)
	s.mux.HandleFunc("POST /api/build", s.build)
	s.mux.HandleFunc("POST /api/lot", s.lot)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, "appel inconnu : "+r.Method+" "+r.URL.Path)
	})
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.HandleFunc("GET /index.html", s.index)
	s.mux.HandleFunc("GET /lot.html", s.lotPage)
	s.mux.HandleFunc("GET /lot.js", s.lotPage)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			fail(w, http.StatusMethodNotAllowed, "méthode refusée : "+r.Method)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		s.static.ServeHTTP(w, r)
	})
	return s
}

// Token is the per-launch token.
func (s *Server) Token() string { return s.token }

// URL is the address to open: the page, with the token.
func (s *Server) URL() string {
	return "http://127.0.0.1:" + s.port + "/?jeton=" + s.token
}

// ServeHTTP checks who is asking, then serves.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !s.localHost(r.Host) {
		// A page of another site whose name was made to point at
		// 127.0.0.1 (DNS rebinding) asks with that name.
		fail(w, http.StatusForbidden, "adresse refusée : ouvrez la page à l’adresse que necdossier a affichée (http://127.0.0.1:"+s.port+"/…)")
		return
	}
	if o := r.Header.Get("Origin"); o != "" && !s.localOrigin(o) || r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		fail(w, http.StatusForbidden, "requête venue d’un autre site, refusée")
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") && !s.authorized(r) {
		fail(w, http.StatusForbidden, "jeton absent ou faux : ouvrez la page depuis l’adresse que necdossier a affichée au démarrage (elle contient ?jeton=…)")
		return
	}
	// The token in the URL opened becomes a cookie, then leaves the URL.
	if t := r.URL.Query().Get("jeton"); t != "" && r.Method == http.MethodGet {
		if !s.valid(t) {
			fail(w, http.StatusForbidden, "jeton faux : ouvrez la page depuis l’adresse que necdossier a affichée au démarrage")
			return
		}
		http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: s.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		q := r.URL.Query()
		q.Del("jeton")
		u := *r.URL
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) localHost(host string) bool {
	return host == "127.0.0.1:"+s.port || host == "localhost:"+s.port
}

func (s *Server) localOrigin(origin string) bool {
	return origin == "http://127.0.0.1:"+s.port || origin == "http://localhost:"+s.port
}

func (s *Server) valid(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

func (s *Server) authorized(r *http.Request) bool {
	if t := r.Header.Get("X-Necdossier-Jeton"); t != "" {
		return s.valid(t)
	}
	c, err := r.Cookie(s.cookie)
	return err == nil && s.valid(c.Value)
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(web.LocalIndex(s.version))
}

// fail answers {error: msg} with status code.
func fail(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// Run listens on a random port of 127.0.0.1, prints the address, opens it
// in the default browser unless noBrowser, and serves until ctx ends.
func Run(ctx context.Context, cfg Config, noBrowser bool, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("serve : impossible d’ouvrir un port local : %w", err)
	}
	s := New(cfg, ln.Addr().(*net.TCPAddr).Port)
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "necdossier : la page est servie à l’adresse\n  %s\n", s.URL())
	if !noBrowser {
		if err := OpenBrowser(s.URL()); err != nil {
			fmt.Fprintf(out, "le navigateur n’a pas pu être ouvert (%v) : copiez l’adresse ci-dessus dans votre navigateur\n", err)
		}
	}
	fmt.Fprintln(out, "Les fichiers ne quittent pas cet ordinateur. Laissez cette fenêtre ouverte pendant l’utilisation ; fermez-la (ou Ctrl-C) pour arrêter.")
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
