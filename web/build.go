// Package web builds the static web page that makes the dossier in the
// browser: the pages in static/, the pipeline compiled to WebAssembly
// (web/wasm), Go's wasm_exec.js, and the wasm compressed with brotli and
// with gzip. The folder it writes can be served by any static web host;
// nothing in it sends the user's files anywhere.
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
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

//go:embed static
var static embed.FS

// WasmPackage is the import path of the WebAssembly engine.
const WasmPackage = "necdossier/web/wasm"

// BrotliBest is the quality of necdossier.wasm.br by default: brotli's
// highest, the smallest file (6.6 MB for 39 MB of wasm, against 9.6 MB with
// gzip -9), at the cost of a few minutes of one core.
const BrotliBest = 11

// Options of Build.
type Options struct {
	// Brotli is the quality of necdossier.wasm.br, 1 to 11; 0 means
	// BrotliBest. Quality 10 takes half the time of 11 for a file 4 %
	// larger; below 10 the file grows by a tenth and more.
	Brotli int
}

// Built tells what Build wrote.
type Built struct {
	Dir        string   // the folder written
	Files      []string // its files, by name
	Wasm       int64    // size of necdossier.wasm
	WasmGzip   int64    // size of necdossier.wasm.gz
	WasmBrotli int64    // size of necdossier.wasm.br
	Brotli     int      // its quality
	Version    string   // digest of the files, stamped in index.html against stale caches
}

// Build writes the static page into dir, creating it; files of an earlier
// build are replaced. It runs `go build` for GOOS=js GOARCH=wasm with the
// go command found in PATH, from the current folder, which must be inside
// the module.
func Build(ctx context.Context, dir string, opt Options) (*Built, error) {
	if opt.Brotli == 0 {
		opt.Brotli = BrotliBest
	}
	if opt.Brotli < 1 || opt.Brotli > 11 {
		return nil, fmt.Errorf("qualité brotli %d : de 1 à 11", opt.Brotli)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	b := &Built{Dir: dir, Brotli: opt.Brotli}
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

	// The two compressed copies, made side by side: brotli for the hosts
	// that send it with Content-Encoding (a page cannot decompress brotli
	// itself: DecompressionStream knows gzip, not brotli), gzip for the page
	// to decompress itself anywhere else.
	var (
		wg           sync.WaitGroup
		br, gz       bytes.Buffer
		brErr, gzErr error
	)
	wg.Go(func() {
		brErr = compress(ctx, brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: opt.Brotli, LGWin: 24}), data)
	})
	wg.Go(func() {
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		gzErr = compress(ctx, w, data)
	})
	wg.Wait()
	if err := errors.Join(brErr, gzErr); err != nil {
		return nil, err
	}
	if err := os.WriteFile(wasm+".br", br.Bytes(), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(wasm+".gz", gz.Bytes(), 0o644); err != nil {
		return nil, err
	}
	b.WasmBrotli = int64(br.Len())
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
	b.Files = append(names, "necdossier.wasm", "necdossier.wasm.br", "necdossier.wasm.gz")
	sort.Strings(b.Files)
	return b, nil
}

// compress writes data to w and closes it, a megabyte at a time so that
// ctx can stop it: brotli's best quality takes minutes.
func compress(ctx context.Context, w io.WriteCloser, data []byte) error {
	for len(data) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(data), 1<<20)
		if _, err := w.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return w.Close()
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
