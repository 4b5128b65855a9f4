package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
)

// Static is the page's own files (index.html, app.js, worker.js,
// style.css), without the engine: what `necdossier serve` serves, its
// index made by Index.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // static is embedded: cannot happen
	}
	return sub
}

// StaticVersion is a digest of the page's files, for the URLs of a page
// served without the engine.
func StaticVersion() string {
	h := sha256.New()
	fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := static.ReadFile(p)
			h.Write([]byte(p + "\n"))
			h.Write(data)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// LocalIndex is index.html as `necdossier serve` serves it: stamped with
// version, and marked data-mode="local", which tells the page to send the
// files to the program that serves it instead of loading the engine.
func LocalIndex(version string) []byte {
	data, err := static.ReadFile("static/index.html")
	if err != nil {
		panic(err)
	}
	data = bytes.ReplaceAll(data, []byte("@VERSION@"), []byte(version))
	return bytes.Replace(data, []byte(`<html lang="fr">`), []byte(`<html lang="fr" data-mode="local">`), 1)
}
