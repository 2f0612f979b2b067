// Package surface enumerates a repository's public surfaces: the files the
// policy calls public text (release-policy.yaml, README*, SECURITY*, docs/**,
// root Markdown) and the workflow files scanned for runner details.
package surface

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"
)

// MaxSize caps a public text file. Larger files are skipped with a note and
// never read whole into memory.
const MaxSize = 2 << 20

// PolicyFile is the policy's name at the repository root.
const PolicyFile = "release-policy.yaml"

// Kind says how a file's text is read.
type Kind int

// Kinds of public files.
const (
	Policy   Kind = iota // release-policy.yaml
	Markdown             // *.md, *.markdown
	Text                 // other text in README*, SECURITY*, docs/**
	Workflow             // .github/workflows/*.yml: runner details only
)

// File is one public file, by slash-separated repo-relative path.
type File struct {
	Path string
	Kind Kind
	Size int64
}

// Skipped is a public file left unread, with the reason.
type Skipped struct {
	Path   string
	Reason string
}

// textExt are the extensions read under docs/; anything else there must
// also look like text.
var textExt = map[string]bool{
	".md": true, ".markdown": true, ".mdx": true, ".txt": true, ".rst": true, ".adoc": true,
	".asciidoc": true, ".html": true, ".htm": true, ".yaml": true, ".yml": true, ".json": true,
	".toml": true, ".org": true, ".tex": true, "": true,
}

// binaryExt are never read.
var binaryExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".ico": true, ".svgz": true,
	".pdf": true, ".zip": true, ".gz": true, ".zst": true, ".xz": true, ".tar": true, ".woff": true,
	".woff2": true, ".ttf": true, ".otf": true, ".mp4": true, ".mov": true, ".img": true, ".iso": true,
}

// List returns the public files of the repository rooted at fsys in path
// order, and the ones skipped (symlinks, binaries, oversized files).
func List(fsys fs.FS) ([]File, []Skipped, error) {
	var files []File
	var skipped []Skipped
	add := func(p string, d fs.DirEntry, kind Kind) {
		if d.Type()&fs.ModeSymlink != 0 {
			skipped = append(skipped, Skipped{p, "symlink not followed"})
			return
		}
		if !d.Type().IsRegular() {
			return
		}
		ext := strings.ToLower(path.Ext(p))
		if binaryExt[ext] {
			skipped = append(skipped, Skipped{p, "binary file"})
			return
		}
		info, err := d.Info()
		if err != nil {
			skipped = append(skipped, Skipped{p, "unreadable: " + err.Error()})
			return
		}
		if info.Size() > MaxSize {
			skipped = append(skipped, Skipped{p, fmt.Sprintf("larger than %d MiB", MaxSize>>20)})
			return
		}
		if kind == Text && (ext == ".md" || ext == ".markdown" || ext == ".mdx") {
			kind = Markdown
		}
		files = append(files, File{Path: p, Kind: kind, Size: info.Size()})
	}
	root, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, fmt.Errorf("listing repository: %w", err)
	}
	for _, d := range root {
		name := d.Name()
		lower := strings.ToLower(name)
		ext := path.Ext(lower)
		switch {
		case d.IsDir():
		case name == PolicyFile:
			add(name, d, Policy)
		case strings.HasPrefix(lower, "readme") || strings.HasPrefix(lower, "security"):
			if textExt[ext] {
				add(name, d, Text)
			}
		case ext == ".md" || ext == ".markdown":
			add(name, d, Markdown)
		}
	}
	err = fs.WalkDir(fsys, "docs", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "docs" && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			skipped = append(skipped, Skipped{p, "unreadable: " + err.Error()})
			return nil
		}
		if d.IsDir() {
			if p != "docs" && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if textExt[strings.ToLower(path.Ext(p))] || d.Type()&fs.ModeSymlink != 0 {
			add(p, d, Text)
		} else {
			skipped = append(skipped, Skipped{p, "not a text file type"})
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("walking docs: %w", err)
	}
	for _, dir := range []string{".github/workflows"} {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			continue
		}
		for _, d := range entries {
			ext := path.Ext(d.Name())
			if ext == ".yml" || ext == ".yaml" {
				add(path.Join(dir, d.Name()), d, Workflow)
			}
		}
	}
	return files, skipped, nil
}

// ErrBinary reports a file that does not look like text.
var ErrBinary = errors.New("binary content")

// Read reads one public file, refusing more than MaxSize bytes and content
// that is not text (NUL bytes). Invalid UTF-8 is returned as is; callers
// treat it as text with replacement characters.
func Read(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Size the buffer from the file so reading does not grow it by
	// doubling; the limit still holds if the file grows meanwhile.
	var buf bytes.Buffer
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		if info.Size() > MaxSize {
			return nil, fmt.Errorf("larger than %d MiB", MaxSize>>20)
		}
		buf.Grow(int(info.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxSize+1)); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	if len(b) > MaxSize {
		return nil, fmt.Errorf("larger than %d MiB", MaxSize>>20)
	}
	if IsBinary(b) {
		return nil, ErrBinary
	}
	return b, nil
}

// IsBinary reports whether b looks binary: a NUL byte in its first 8 KiB, or
// mostly invalid UTF-8.
func IsBinary(b []byte) bool {
	head := b[:min(len(b), 8<<10)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	if utf8.Valid(head) {
		return false
	}
	bad := 0
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		}
		i += n
	}
	return bad*10 > len(head)
}
