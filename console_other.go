//go:build !windows

package main

// ownConsole is Windows's case: elsewhere a file manager starts a program
// without a terminal.
func ownConsole() bool { return false }
