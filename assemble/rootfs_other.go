//go:build !unix

package assemble

import "os"

// openNonBlocking opens name for reading. Outside unix (windows, js) an
// open never waits on a named pipe the way a FIFO open does; the handle's
// type is still checked by the caller.
func openNonBlocking(root *os.Root, name string) (*os.File, error) {
	return root.Open(name)
}

// processAlive cannot ask the system outside unix: a temporary file of
// another process is then left alone, unless a day old.
func processAlive(pid int) bool { return true }
