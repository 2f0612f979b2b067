package lint

import (
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/tooo/relpolicy/lint/rules"
	"github.com/tooo/relpolicy/lint/surface"
)

// fileCache remembers, for each file of a repository read during a run, its
// suppression markers, never its content: public text is streamed through
// the rules once, so memory does not grow with the size of the docs tree.
type fileCache struct {
	fsys    fs.FS
	mu      sync.Mutex
	markers map[string][]suppressionAt
}

func newFileCache(fsys fs.FS) *fileCache {
	return &fileCache{fsys: fsys, markers: map[string][]suppressionAt{}}
}

// note records and returns the markers of a file whose content is at hand.
func (fc *fileCache) note(path string, b []byte) []suppressionAt {
	ms := markers(b, isMarkdown(path))
	fc.mu.Lock()
	fc.markers[path] = ms
	fc.mu.Unlock()
	return ms
}

// markersOf returns a file's markers, reading it if it was not seen yet.
func (fc *fileCache) markersOf(path string) []suppressionAt {
	fc.mu.Lock()
	ms, ok := fc.markers[path]
	fc.mu.Unlock()
	if ok {
		return ms
	}
	b, err := surface.Read(fc.fsys, path)
	if err != nil {
		b = nil
	}
	return fc.note(path, b)
}

// all returns every file seen with its markers.
func (fc *fileCache) all() map[string][]suppressionAt {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	out := make(map[string][]suppressionAt, len(fc.markers))
	for p, ms := range fc.markers {
		out[p] = ms
	}
	return out
}

// public streams the repository's public text files (as sel selects them)
// to visit, noting their markers on the way, and returns how many it read.
// Runs once per repository (the caller guards it).
func (fc *fileCache) public(rr *RepoResult, sel surface.Selection, visit func(rules.TextFile)) int {
	list, skipped, err := surface.ListSelected(fc.fsys, sel)
	if err != nil {
		rr.Skipped = append(rr.Skipped, surface.Skipped{Path: ".", Reason: err.Error()})
		return 0
	}
	rr.Skipped = append(rr.Skipped, skipped...)
	n := 0
	for _, f := range list {
		if f.Kind == surface.Policy || f.Kind == surface.Workflow {
			continue
		}
		if f.Size > surface.MaxSize {
			rr.Skipped = append(rr.Skipped, surface.Skipped{Path: f.Path,
				Reason: fmt.Sprintf("larger than %d MiB: read in pieces by RP5xx only, not by the claim rules", surface.MaxSize>>20)})
			continue
		}
		b, err := surface.Read(fc.fsys, f.Path)
		if err != nil {
			rr.Skipped = append(rr.Skipped, surface.Skipped{Path: f.Path, Reason: "unreadable or binary"})
			continue
		}
		n++
		fc.note(f.Path, b)
		visit(rules.TextFile{Path: f.Path, Kind: f.Kind, Content: b})
	}
	return n
}

func isMarkdown(path string) bool {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return false
	}
	switch strings.ToLower(path[i+1:]) {
	case "md", "markdown", "mdx":
		return true
	}
	return false
}
