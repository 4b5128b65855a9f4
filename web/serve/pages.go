package serve

import (
	"bytes"
	"embed"
	"net/http"
	"path"
)

// The reviewers' page: only this server can run a batch, so it is not part
// of the static site.
//
//go:embed static
var pages embed.FS

func (s *Server) lotPage(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	data, err := pages.ReadFile("static/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	typ := "text/javascript; charset=utf-8"
	if path.Ext(name) == ".html" {
		typ = "text/html; charset=utf-8"
		data = bytes.ReplaceAll(data, []byte("@VERSION@"), []byte(s.version))
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}
