//go:build unix

package assemble

import (
	"errors"
	"os"
	"syscall"
)

// openNonBlocking opens name for reading without waiting: a named pipe with
// no writer would otherwise block the open itself. O_NONBLOCK changes
// nothing for regular files and folders, the only things then accepted.
func openNonBlocking(root *os.Root, name string) (*os.File, error) {
	return root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// processAlive reports whether the process pid still runs (or runs under
// another user: kill says EPERM).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
