// Package journal is an on-disk key-value cache kept as one append-only
// file of JSON lines, for caches written once per item by the thousand
// (sweep's results by head commit, httpx's ETags): one file creation per
// run instead of one per item, which on a journaling file system costs
// more than the rest of the work. Each Put is one write of one line, so a
// run that is interrupted leaves every finished item readable; a torn last
// line is ignored when the journal is opened. The journal is compacted
// (rewritten atomically with the newest value of each key) when superseded
// lines outnumber live ones. One process at a time should write a journal.
package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Journal is an open journal. Its methods are safe for concurrent use.
type Journal struct {
	path string
	mu   sync.Mutex
	m    map[string]json.RawMessage
	f    *os.File
}

type line struct {
	K string          `json:"k"`
	V json.RawMessage `json:"v"`
}

// maxLine bounds one line (a cached API answer).
const maxLine = 16 << 20

// Open reads the journal at path (creating it and its directory when
// missing) with the given file mode.
func Open(path string, mode os.FileMode) (*Journal, error) {
	j := &Journal{path: path, m: map[string]json.RawMessage{}}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("opening cache %s: %w", path, err)
	}
	lines, torn := 0, false
	if b, err := os.ReadFile(path); err == nil {
		torn = len(b) > 0 && b[len(b)-1] != '\n'
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 64<<10), maxLine)
		for sc.Scan() {
			var l line
			if json.Unmarshal(sc.Bytes(), &l) == nil && l.K != "" {
				j.m[l.K] = l.V
				lines++
			}
		}
	} else if !os.IsNotExist(err) {
		return nil, fmt.Errorf("opening cache %s: %w", path, err)
	}
	if lines > 2*len(j.m)+64 {
		if err := j.compact(mode); err != nil {
			return nil, err
		}
		torn = false
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, mode)
	if err != nil {
		return nil, fmt.Errorf("opening cache %s: %w", path, err)
	}
	if torn { // end the torn line, so the next one stands alone
		if _, err := f.Write([]byte{'\n'}); err != nil {
			f.Close()
			return nil, fmt.Errorf("opening cache %s: %w", path, err)
		}
	}
	j.f = f
	return j, nil
}

// compact rewrites the journal with one line per key.
func (j *Journal) compact(mode os.FileMode) error {
	var b bytes.Buffer
	for k, v := range j.m {
		l, err := json.Marshal(line{K: k, V: v})
		if err != nil {
			return err
		}
		b.Write(l)
		b.WriteByte('\n')
	}
	tmp := j.path + ".compact"
	if err := os.WriteFile(tmp, b.Bytes(), mode); err != nil {
		return fmt.Errorf("compacting cache %s: %w", j.path, err)
	}
	if err := os.Rename(tmp, j.path); err != nil {
		return fmt.Errorf("compacting cache %s: %w", j.path, err)
	}
	return nil
}

// Get returns the value kept under key.
func (j *Journal) Get(key string) ([]byte, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	v, ok := j.m[key]
	return v, ok
}

// Put keeps value, which must be JSON, under key.
func (j *Journal) Put(key string, value []byte) error {
	l, err := json.Marshal(line{K: key, V: value})
	if err != nil {
		return fmt.Errorf("caching %s: %w", key, err)
	}
	l = append(l, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(l); err != nil {
		return fmt.Errorf("caching %s: %w", key, err)
	}
	j.m[key] = append(json.RawMessage(nil), value...)
	return nil
}

// Close closes the file.
func (j *Journal) Close() error { return j.f.Close() }
