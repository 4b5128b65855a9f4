package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

// firstGC is the heap size (MB) a single build may reach before its first
// collection; see lessGC.
const firstGC = 32

// lessGC tunes the collector for the commands that handle one dossier and
// exit (build, check), whose allocations are mostly garbage only at exit:
//   - no collection at all until the process's memory first reaches
//     firstGC MB (a soft limit with GOGC off): most builds, the samples'
//     included, end before that, and the collection they used to run cost
//     about a tenth of their CPU (issue 15);
//   - after that first collection, the heap may grow to five times what is
//     live (GOGC=400) instead of twice, under a soft limit of 160 MB, which
//     keeps a large dossier from growing past what batch, which keeps the
//     default, would use.
//
// GOGC or GOMEMLIMIT set by the user win.
func lessGC(cmd string) {
	if cmd != "build" && cmd != "check" {
		return
	}
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(firstGC << 20)
	// A finalizer runs after the collection that finds its object
	// unreachable: the first one, since nothing refers to it.
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(160 << 20)
	})
}
