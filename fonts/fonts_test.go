package fonts

import (
	"bytes"
	"io/fs"
	"os"
	"testing"
	"testing/fstest"
)

// TestFS: FS behaves as a file system should (testing/fstest), holds each
// file as it is in this folder, and Data gives those bytes without a copy
// while fs.ReadFile gives a copy.
func TestFS(t *testing.T) {
	names := []string{"OFL.txt"}
	for _, name := range Files {
		names = append(names, name)
	}
	if err := fstest.TestFS(FS, names...); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fs.ReadFile(FS, name)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: fs.ReadFile differs from the file (%v)", name, err)
		}
		data, ok := Data(name)
		if !ok || !bytes.Equal(data, want) {
			t.Fatalf("%s: Data differs from the file", name)
		}
		if &data[0] == &got[0] {
			t.Fatalf("%s: fs.ReadFile returns the shared bytes, not a copy", name)
		}
		if again, _ := Data(name); &again[0] != &data[0] {
			t.Fatalf("%s: Data copies", name)
		}
	}
	if _, ok := Data("absent.ttf"); ok {
		t.Error("Data reports a file FS does not hold")
	}
	if _, err := FS.Open("absent.ttf"); err == nil {
		t.Error("Open finds a file FS does not hold")
	}
}
