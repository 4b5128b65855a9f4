package webtest

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"necdossier/assemble"
	"necdossier/assemble/model"
	"necdossier/fonts"
	"necdossier/templates"
	"necdossier/web"
)

// BenchmarkPage measures the page in headless Chromium next to the native
// build, in the same run, on the largest sample:
//
//	go test ./web/webtest -run '^$' -bench Page -benchtime 10x
//
// The site is served as a host that compresses it would (Content-Encoding: br),
// which lets Chromium keep the compiled wasm in its cache. Metrics:
//
//	ready-ms         page opened until the engine is ready, first visit
//	first-ms         the first build of that visit, as the user waits for it
//	second-ms        the build after it
//	revisit-ready-ms ready-ms on a second visit (compiled code from the cache)
//	revisit-first-ms first-ms on that visit
//	later-ms         the next builds (the benchmark's loop), and engine-ms,
//	                 the Go part of them, inside the worker
//	native-ms        assemble.Build of the same files, and x-native = later-ms / native-ms
//	memory-MB        the worker's WebAssembly memory after the builds
//	wasm-MB, br-MB, gzip-MB the engine's size, raw and compressed (brotli
//	                 at its best quality, unless a test of the same run built
//	                 the site first: the log gives the quality)
func BenchmarkPage(b *testing.B) {
	chromiumPath(b)
	built := buildSite(b, web.BrotliBest)
	srv := serve(b, built.Dir, staticHost)
	ctx := newBrowser(b)
	sample := largestSample(b)
	files := sampleFiles(b, filepath.Join(samplesDir, sample))
	url := fmt.Sprintf("%s/?source_date_epoch=%d", srv.URL, epoch)
	type timing struct{ Total, Engine, Memory float64 }

	tb := newTab(b, ctx, b.TempDir())
	tb.open(url)
	ready := eval[float64](tb, `necdossierTimings.ready`)
	tb.upload(files, true)
	tb.upload(files, true)
	visit := eval[[]timing](tb, `necdossierTimings.builds`)
	// Chromium writes the compiled code to its cache once it is optimised.
	time.Sleep(3 * time.Second)

	tb = newTab(b, ctx, b.TempDir())
	tb.open(url)
	revisit := eval[float64](tb, `necdossierTimings.ready`)
	tb.upload(files, true)
	n := 0
	for b.Loop() {
		tb.upload(files, true)
		n++
	}
	b.StopTimer()
	builds := eval[[]timing](tb, `necdossierTimings.builds`)
	if len(builds) != n+1 {
		b.Fatalf("%d constructions mesurées, %d attendues", len(builds), n+1)
	}
	var later, engine float64
	for _, t := range builds[1:] {
		later += t.Total
		engine += t.Engine
	}
	later /= float64(n)
	engine /= float64(n)

	call, err := model.LoadCall(templates.FS, templates.Default)
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	var native time.Duration
	for range n {
		start := time.Now()
		if _, err := assemble.Build(assemble.BuildOptions{Workbook: filepath.Join(samplesDir, sample, "candidature.xlsx"), OutDir: out,
			Call: call, Fonts: fonts.FS, Now: time.Unix(epoch, 0).UTC(), Email: true}); err != nil {
			b.Fatal(err)
		}
		native += time.Since(start)
	}
	nativeMS := float64(native.Microseconds()) / 1000 / float64(n)

	b.Logf("wasm %.1f Mo, brotli %d : %.2f Mo, gzip : %.2f Mo", float64(built.Wasm)/1e6, built.Brotli, float64(built.WasmBrotli)/1e6, float64(built.WasmGzip)/1e6)
	b.Logf("échantillon %s ; 1re visite : prête en %.0f ms, constructions %.0f puis %.0f ms ; 2e visite : prête en %.0f ms, 1re construction %.0f ms, suivantes %.0f ms (moteur %.0f ms) ; native %.0f ms ; mémoire %.0f Mo",
		sample, ready, visit[0].Total, visit[1].Total, revisit, builds[0].Total, later, engine, nativeMS, builds[n].Memory/1e6)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(ready, "ready-ms")
	b.ReportMetric(visit[0].Total, "first-ms")
	b.ReportMetric(visit[1].Total, "second-ms")
	b.ReportMetric(revisit, "revisit-ready-ms")
	b.ReportMetric(builds[0].Total, "revisit-first-ms")
	b.ReportMetric(later, "later-ms")
	b.ReportMetric(engine, "engine-ms")
	b.ReportMetric(nativeMS, "native-ms")
	b.ReportMetric(later/nativeMS, "x-native")
	b.ReportMetric(builds[n].Memory/1e6, "memory-MB")
	b.ReportMetric(float64(built.Wasm)/1e6, "wasm-MB")
	b.ReportMetric(float64(built.WasmBrotli)/1e6, "br-MB")
	b.ReportMetric(float64(built.WasmGzip)/1e6, "gzip-MB")
}
