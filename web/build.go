// Package web builds the static web page that makes the dossier in the
// browser: the pages in static/, the pipeline compiled to WebAssembly
// (web/wasm), Go's wasm_exec.js, and the wasm compressed with gzip. The
// folder it writes can be served by any static web host; nothing in it
// sends the user's files anywhere.
//
//	go run ./web/build -o dist/web
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed static
var static embed.FS

// WasmPackage is the import path of the WebAssembly engine.
const WasmPackage = "necdossier/web/wasm"

// Built tells what Build wrote.
type Built struct {
	Dir      string   // the folder written
	Files    []string // its files, by name
	Wasm     int64    // size of necdossier.wasm
	WasmGzip int64    // size of necdossier.wasm.gz
	Version  string   // digest of the files, stamped in index.html against stale caches
}

// Build writes the static page into dir, creating it; files of an earlier
// build are replaced. It runs `go build` for GOOS=js GOARCH=wasm with the
// go command found in PATH, from the current folder, which must be inside
// the module.
func Build(ctx context.Context, dir string) (*Built, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	b := &Built{Dir: dir}
	wasm := filepath.Join(dir, "necdossier.wasm")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, WasmPackage)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("compilation WebAssembly : %v\n%s", err, out)
	}
	data, err := os.ReadFile(wasm)
	if err != nil {
		return nil, err
	}
	b.Wasm = int64(len(data))
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if err := os.WriteFile(wasm+".gz", gz.Bytes(), 0o644); err != nil {
		return nil, err
	}
	b.WasmGzip = int64(gz.Len())

	goroot, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT : %v", err)
	}
	execJS, err := wasmExec(strings.TrimSpace(string(goroot)))
	if err != nil {
		return nil, err
	}

	// The files, then the version: a digest of them all, which index.html
	// appends to every URL so that a browser never mixes two builds.
	files := map[string][]byte{"wasm_exec.js": execJS}
	err = fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := static.ReadFile(p)
		files[strings.TrimPrefix(p, "static/")] = data
		return err
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	h.Write(data)
	for _, name := range names {
		fmt.Fprintf(h, "%s %d\n", name, len(files[name]))
		h.Write(files[name])
	}
	b.Version = hex.EncodeToString(h.Sum(nil))[:12]
	for _, name := range names {
		data := files[name]
		if name == "index.html" {
			data = bytes.ReplaceAll(data, []byte("@VERSION@"), []byte(b.Version))
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	b.Files = append(names, "necdossier.wasm", "necdossier.wasm.gz")
	sort.Strings(b.Files)
	return b, nil
}

// wasmExec reads the JavaScript support file of the Go toolchain that
// compiled the wasm: the two must come from the same version of Go.
func wasmExec(goroot string) ([]byte, error) {
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		data, err := os.ReadFile(filepath.Join(goroot, p))
		if err == nil {
			return data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("wasm_exec.js introuvable dans %s (lib/wasm ni misc/wasm)", goroot)
}
