// Command build writes the static web page of necdossier into a folder
// that any static web host can serve:
//
//	go run ./web/build -o dist/web
//
// It compiles web/wasm for GOOS=js GOARCH=wasm, copies web/static and Go's
// wasm_exec.js beside it, writes necdossier.wasm.br (brotli, for a host that
// serves it with Content-Encoding: br) and necdossier.wasm.gz (which the
// page decompresses itself, so that any host will do without configuration)
// and prints the sizes.
//
// Brotli at its best quality (11, the default) takes a few minutes of one
// core; -brotli 10 takes half as long for a file 4 % larger.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"necdossier/web"
)

func main() {
	out := flag.String("o", "dist/web", "dossier où écrire la page")
	quality := flag.Int("brotli", web.BrotliBest, "qualité de la compression brotli de necdossier.wasm.br (1 à 11)")
	flag.Parse()
	start := time.Now()
	b, err := web.Build(context.Background(), *out, web.Options{Brotli: *quality})
	if err != nil {
		fmt.Fprintln(os.Stderr, "web/build : "+err.Error())
		os.Exit(1)
	}
	fmt.Printf("page écrite : %s (%s)\n", b.Dir, strings.Join(b.Files, ", "))
	fmt.Printf("necdossier.wasm : %s (%d octets) ; compressé, brotli %d : %s (%d octets) ; gzip : %s (%d octets) ; en %s\n",
		mo(b.Wasm), b.Wasm, b.Brotli, mo(b.WasmBrotli), b.WasmBrotli, mo(b.WasmGzip), b.WasmGzip, duree(time.Since(start)))
}

// mo writes a size in megabytes the French way: « 9,4 Mo ».
func mo(n int64) string {
	return strings.Replace(fmt.Sprintf("%.1f", float64(n)/1e6), ".", ",", 1) + "\u00a0Mo"
}

// duree writes a duration the French way: « 2 min 50 s ».
func duree(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s < 60 {
		return fmt.Sprintf("%d\u00a0s", s)
	}
	return fmt.Sprintf("%d\u00a0min %d\u00a0s", s/60, s%60)
}
