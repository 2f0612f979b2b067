package sweep

import (
	"os"
	"path/filepath"
)

// DirStore is a Store of files under a directory: one file per key,
// written atomically, so an interrupted sweep leaves whole results.
type DirStore struct{ Dir string }

func (s DirStore) file(key string) string {
	if len(key) < 3 {
		return filepath.Join(s.Dir, "_"+key)
	}
	return filepath.Join(s.Dir, key[:2], key)
}

// Get returns the value kept under key.
func (s DirStore) Get(key string) ([]byte, bool) {
	b, err := os.ReadFile(s.file(key))
	return b, err == nil
}

// Put keeps value under key.
func (s DirStore) Put(key string, value []byte) error {
	return WriteFileAtomic(s.file(key), value)
}

// WriteFileAtomic writes b to name through a temporary file in the same
// directory and a rename: readers see the old file or the new one, never
// part of one.
func WriteFileAtomic(name string, b []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}
