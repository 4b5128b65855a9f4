// Command build writes the static web page of necdossier into a folder
// that any static web host can serve:
//
//	go run ./web/build -o dist/web
//
// It compiles web/wasm for GOOS=js GOARCH=wasm, copies web/static and Go's
// wasm_exec.js beside it, writes necdossier.wasm.gz (the page loads the
// compressed file and decompresses it itself, so that the host needs no
// configuration) and prints the sizes.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"necdossier/web"
)

func main() {
	out := flag.String("o", "dist/web", "dossier où écrire la page")
	flag.Parse()
	b, err := web.Build(context.Background(), *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "web/build : "+err.Error())
		os.Exit(1)
	}
	fmt.Printf("page écrite : %s (%s)\n", b.Dir, strings.Join(b.Files, ", "))
	fmt.Printf("necdossier.wasm : %s (%d octets) ; compressé (gzip) : %s (%d octets)\n",
		mo(b.Wasm), b.Wasm, mo(b.WasmGzip), b.WasmGzip)
}

// mo writes a size in megabytes the French way: « 9,4 Mo ».
func mo(n int64) string {
	return strings.Replace(fmt.Sprintf("%.1f", float64(n)/1e6), ".", ",", 1) + "\u00a0Mo"
}
