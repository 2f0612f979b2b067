// Package surface enumerates a repository's public surfaces: the files the
// policy calls public text (release-policy.yaml, README*, SECURITY*, root
// Markdown, the documentation roots docs/, doc/, Documentation/, website/,
// www/ and site/, and the policy's lint.public_text globs, less its
// lint.exclude globs) and the workflow files.
package surface

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
)

// MaxSize caps what Read returns in one piece. Larger files are listed all
// the same and read in pieces with ReadChunks, never whole.
const MaxSize = 2 << 20

// DocRoots are the directories read as documentation, wherever a project
// keeps its user-facing docs.
var DocRoots = []string{"docs", "doc", "Documentation", "website", "www", "site"}

// Selection is a repository's own widening and narrowing of its public
// text (release-policy.yaml lint.public_text and lint.exclude): globs of
// repo-relative slash paths in doublestar syntax.
type Selection struct {
	PublicText []string
	Exclude    []string
}

// PolicyFile is the policy's name at the repository root.
const PolicyFile = "release-policy.yaml"

// Kind says how a file's text is read.
type Kind int

// Kinds of public files.
const (
	Policy   Kind = iota // release-policy.yaml
	Markdown             // *.md, *.markdown
	Text                 // other text in README*, SECURITY*, the doc roots
	Workflow             // .github/workflows/*.y*ml
	Data                 // security-insights.yml: YAML data, read for leaks, not as prose
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

// Coverage is what a scan of a repository's public text read: how many
// files, and the ones it did not read, with the reason.
type Coverage struct {
	Scanned int
	Skipped []Skipped
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
// order, and the ones skipped (symlinks, binaries, non-text files under the
// documentation roots). It is ListSelected without a selection.
func List(fsys fs.FS) ([]File, []Skipped, error) {
	return ListSelected(fsys, Selection{})
}

// ListSelected lists the public files as List does, plus files matching
// sel.PublicText, less files matching sel.Exclude. A glob doublestar cannot
// compile matches nothing (the schema rejects such globs).
func ListSelected(fsys fs.FS, sel Selection) ([]File, []Skipped, error) {
	var files []File
	var skipped []Skipped
	seen := map[string]bool{}
	add := func(p string, d fs.DirEntry, kind Kind) {
		if seen[p] || matchAny(sel.Exclude, p) {
			return
		}
		seen[p] = true
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
		case strings.HasPrefix(lower, "security-insights"):
			// OpenSSF Security Insights: YAML data, not SECURITY* prose.
			add(name, d, Data)
		case strings.HasPrefix(lower, "readme") || strings.HasPrefix(lower, "security"):
			if textExt[ext] {
				add(name, d, Text)
			}
		case ext == ".md" || ext == ".markdown":
			add(name, d, Markdown)
		}
	}
	for _, dir := range DocRoots {
		if err := walkDocs(fsys, dir, add, &skipped, sel); err != nil {
			return nil, nil, err
		}
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
	if len(sel.PublicText) > 0 {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				skipped = append(skipped, Skipped{p, "unreadable: " + err.Error()})
				return nil
			}
			if d.IsDir() {
				if p != "." && (d.Name() == ".git" || d.Name() == "node_modules") {
					return fs.SkipDir
				}
				return nil
			}
			if matchAny(sel.PublicText, p) {
				add(p, d, Text)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("walking lint.public_text: %w", err)
		}
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, skipped, nil
}

// walkDocs adds the text files under one documentation root.
func walkDocs(fsys fs.FS, dir string, add func(string, fs.DirEntry, Kind), skipped *[]Skipped, sel Selection) error {
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			*skipped = append(*skipped, Skipped{p, "unreadable: " + err.Error()})
			return nil
		}
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case matchAny(sel.Exclude, p):
		case textExt[strings.ToLower(path.Ext(p))] || d.Type()&fs.ModeSymlink != 0:
			add(p, d, Text)
		default:
			*skipped = append(*skipped, Skipped{p, "not a text file type"})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("walking %s: %w", dir, err)
	}
	return nil
}

// matchAny reports whether p matches one of globs.
func matchAny(globs []string, p string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
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

// ReadChunks reads a public file of any size in pieces of about MaxSize
// bytes, each ending at a line end where one exists, and calls fn with each
// piece and the 1-based line it starts on. A value spanning two pieces is
// seen in neither whole; pieces end at line ends, so only multi-line values
// (a PEM block) can be split. It refuses content that is not text
// (ErrBinary, judged on the first piece) and stops at fn's first error.
func ReadChunks(fsys fs.FS, p string, fn func(piece []byte, line int) error) error {
	f, err := fsys.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, MaxSize)
	n, line, first := 0, 1, true
	for {
		m, err := io.ReadFull(f, buf[n:])
		n += m
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			return err
		}
		if n == 0 {
			return nil
		}
		if first && IsBinary(buf[:n]) {
			return ErrBinary
		}
		first = false
		cut := n
		if !eof {
			if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
				cut = i + 1
			}
		}
		if err := fn(buf[:cut], line); err != nil {
			return err
		}
		if eof && cut == n {
			return nil
		}
		line += bytes.Count(buf[:cut], []byte{'\n'})
		n = copy(buf, buf[cut:n])
	}
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
