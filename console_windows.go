package main

import (
	"syscall"
	"unsafe"
)

// ownConsole reports whether the console window is this process's alone:
// Windows opened it because necdossier was double-clicked. Started from
// cmd.exe or PowerShell, the console is shared with the shell.
func ownConsole() bool {
	proc := syscall.NewLazyDLL("kernel32.dll").NewProc("GetConsoleProcessList")
	if proc.Find() != nil {
		return false
	}
	var ids [2]uint32
	n, _, _ := proc.Call(uintptr(unsafe.Pointer(&ids[0])), uintptr(len(ids)))
	return n == 1
}
