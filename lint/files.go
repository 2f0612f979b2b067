package lint

import (
	"io/fs"
	"sync"

	"github.com/tooo/relpolicy/lint/rules"
	"github.com/tooo/relpolicy/lint/surface"
)

// fileCache reads each file of a repository at most once per run, for the
// rules and for suppression markers.
type fileCache struct {
	fsys  fs.FS
	mu    sync.Mutex
	files map[string][]byte
}

func newFileCache(fsys fs.FS) *fileCache {
	return &fileCache{fsys: fsys, files: map[string][]byte{}}
}

func (fc *fileCache) put(path string, b []byte) {
	fc.mu.Lock()
	fc.files[path] = b
	fc.mu.Unlock()
}

// get returns a file's content, reading it with the public-text size cap;
// nil when unreadable or binary.
func (fc *fileCache) get(path string) []byte {
	fc.mu.Lock()
	b, ok := fc.files[path]
	fc.mu.Unlock()
	if ok {
		return b
	}
	b, err := surface.Read(fc.fsys, path)
	if err != nil {
		b = nil
	}
	fc.put(path, b)
	return b
}

// public lists and reads the repository's public text once.
func (fc *fileCache) public(rr *RepoResult) []rules.TextFile {
	list, skipped, err := surface.List(fc.fsys)
	if err != nil {
		rr.Skipped = append(rr.Skipped, surface.Skipped{Path: ".", Reason: err.Error()})
		return nil
	}
	rr.Skipped = append(rr.Skipped, skipped...)
	out := make([]rules.TextFile, 0, len(list))
	for _, f := range list {
		if f.Kind == surface.Policy || f.Kind == surface.Workflow {
			continue
		}
		b := fc.get(f.Path)
		if b == nil {
			rr.Skipped = append(rr.Skipped, surface.Skipped{Path: f.Path, Reason: "unreadable or binary"})
			continue
		}
		out = append(out, rules.TextFile{Path: f.Path, Kind: f.Kind, Content: b})
	}
	return out
}
