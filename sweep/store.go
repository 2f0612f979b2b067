package sweep

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/tooo/relpolicy/internal/journal"
)

// OpenStore opens the results cache at path: a journal (package
// internal/journal) of one JSON line per result, so that a sweep of
// thousands of repositories writes one file, and an interrupted sweep
// keeps every result it finished. Close it when done.
func OpenStore(path string) (*journal.Journal, error) {
	return journal.Open(path, 0o644)
}

// made remembers directories already created, so that writing a
// thousand cache entries does not stat their directories a thousand times.
var made sync.Map

// WriteFileAtomic writes b to name (mode 0644) through a temporary file
// in the same directory and a rename: readers see the old file or the new
// one, never part of one.
func WriteFileAtomic(name string, b []byte) error {
	dir := filepath.Dir(name)
	if _, ok := made.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		made.Store(dir, true)
	}
	tmp := name + ".tmp-" + strconv.FormatUint(rand.Uint64(), 36)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
