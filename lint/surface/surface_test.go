package surface

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestListAndRead(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"release-policy.yaml":         "version: 1\n",
		"README.md":                   "# x\n",
		"SECURITY.txt":                "report to security@example.org\n",
		"CHANGELOG.md":                "## 1.0\n",
		"main.go":                     "package main\n",
		"docs/a.md":                   "a\n",
		"docs/deep/b.rst":             "b\n",
		"docs/.hidden/c.md":           "c\n",
		"docs/logo.png":               "\x89PNG",
		"docs/data.bin":               "x",
		".github/workflows/ci.yml":    "on: push\n",
		".github/workflows/notes.txt": "x",
		"internal/docs/not-public.md": "x",
		"docs/big.md":                 strings.Repeat("a", MaxSize+1),
		"doc/x.md":                    "x\n",
		"Documentation/y.txt":         "y\n",
		"website/content/z.md":        "z\n",
		"www/index.html":              "<p>w</p>\n",
		"site/s.adoc":                 "s\n",
		"website/node_modules/m.md":   "m\n",
		"security-insights.yml":       "header: {}\n",
	} {
		write(t, dir, name, []byte(data))
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "docs", "link.md")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	fsys := os.DirFS(dir)
	files, skipped, err := List(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	slices.Sort(got)
	want := []string{".github/workflows/ci.yml", "CHANGELOG.md", "Documentation/y.txt", "README.md", "SECURITY.txt",
		"doc/x.md", "docs/a.md", "docs/big.md", "docs/deep/b.rst", "release-policy.yaml", "security-insights.yml",
		"site/s.adoc", "website/content/z.md", "www/index.html"}
	if !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[s.Path] = s.Reason
	}
	for p, why := range map[string]string{"docs/link.md": "symlink", "docs/logo.png": "not a text file", "docs/data.bin": "not a text file"} {
		if !strings.Contains(reasons[p], why) {
			t.Errorf("%s skipped for %q, want %q", p, reasons[p], why)
		}
	}

	b, err := Read(fsys, "docs/a.md")
	if err != nil || string(b) != "a\n" {
		t.Errorf("Read = %q, %v", b, err)
	}
	if _, err := Read(fsys, "docs/big.md"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized file read: %v", err)
	}
	write(t, dir, "docs/nul.md", []byte("text\x00more"))
	if _, err := Read(fsys, "docs/nul.md"); !errors.Is(err, ErrBinary) {
		t.Errorf("NUL file: %v", err)
	}
}

// TestSelection: lint.public_text adds files anywhere, lint.exclude drops
// them from every root; security-insights.yml is YAML data, not SECURITY*
// prose.
func TestSelection(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"README.md", "man/a.md", "man/b.txt", "docs/generated/ref.md", "docs/keep.md", "security-insights.yml"} {
		write(t, dir, name, []byte("x\n"))
	}
	files, _, err := ListSelected(os.DirFS(dir), Selection{PublicText: []string{"man/**/*.md"}, Exclude: []string{"docs/generated/**"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	kinds := map[string]Kind{}
	for _, f := range files {
		got = append(got, f.Path)
		kinds[f.Path] = f.Kind
	}
	if want := []string{"README.md", "docs/keep.md", "man/a.md", "security-insights.yml"}; !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	if kinds["man/a.md"] != Markdown || kinds["security-insights.yml"] != Data {
		t.Errorf("kinds %v", kinds)
	}
}

// TestReadChunks: a file of several MaxSize pieces arrives whole, each
// piece ending at a line end and starting on the right line.
func TestReadChunks(t *testing.T) {
	dir := t.TempDir()
	line := strings.Repeat("x", 99) + "\n"
	n := (2*MaxSize + MaxSize/2) / len(line)
	write(t, dir, "CHANGELOG.md", []byte(strings.Repeat(line, n)+"tail"))
	var total, pieces int
	next := 1
	err := ReadChunks(os.DirFS(dir), "CHANGELOG.md", func(b []byte, first int) error {
		pieces++
		if first != next {
			t.Errorf("piece %d starts on line %d, want %d", pieces, first, next)
		}
		if len(b) > MaxSize || pieces < 3 && b[len(b)-1] != '\n' {
			t.Errorf("piece %d: %d bytes ending %q", pieces, len(b), b[len(b)-1])
		}
		next += strings.Count(string(b), "\n")
		total += len(b)
		return nil
	})
	if err != nil || pieces != 3 || total != n*len(line)+4 {
		t.Errorf("ReadChunks: %v, %d pieces, %d bytes, want 3 and %d", err, pieces, total, n*len(line)+4)
	}
	write(t, dir, "nul.md", []byte("a\x00b"))
	if err := ReadChunks(os.DirFS(dir), "nul.md", func([]byte, int) error { return nil }); !errors.Is(err, ErrBinary) {
		t.Errorf("binary: %v", err)
	}
}

func TestIsBinary(t *testing.T) {
	if IsBinary([]byte("caf\xe9 ok, mostly text")) {
		t.Error("a stray Latin-1 byte made text binary")
	}
	if !IsBinary([]byte("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8")) {
		t.Error("invalid UTF-8 throughout is not binary")
	}
}
