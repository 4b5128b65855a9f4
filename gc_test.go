package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent is the collector's GOGC now.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestLessGC: a build starts with the collector off under a soft limit of
// firstGC MB, and the first collection switches it to GOGC=400 under
// 160 MB; other commands keep the defaults.
func TestLessGC(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC ou GOMEMLIMIT défini : lessGC laisse la main à l’utilisateur")
	}
	before, limit := gcPercent(), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(before)
		debug.SetMemoryLimit(limit)
	})

	lessGC("serve")
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != before || l != limit {
		t.Fatalf("serve: GOGC %d, limite %d ; attendu inchangés (%d, %d)", p, l, before, limit)
	}

	lessGC("build")
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != firstGC<<20 {
		t.Fatalf("build, au départ : GOGC %d, limite %d ; attendu -1 (arrêté), %d", p, l, firstGC<<20)
	}
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() != 400 {
		if time.Now().After(deadline) {
			t.Fatalf("après une collecte : GOGC %d, attendu 400", gcPercent())
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if l := debug.SetMemoryLimit(-1); l != 160<<20 {
		t.Fatalf("après une collecte : limite %d, attendu %d", l, 160<<20)
	}
}
