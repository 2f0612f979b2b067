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
	want := []string{".github/workflows/ci.yml", "CHANGELOG.md", "README.md", "SECURITY.txt", "docs/a.md", "docs/deep/b.rst", "release-policy.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[s.Path] = s.Reason
	}
	for p, why := range map[string]string{"docs/big.md": "larger than", "docs/link.md": "symlink", "docs/logo.png": "not a text file", "docs/data.bin": "not a text file"} {
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

func TestIsBinary(t *testing.T) {
	if IsBinary([]byte("caf\xe9 ok, mostly text")) {
		t.Error("a stray Latin-1 byte made text binary")
	}
	if !IsBinary([]byte("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8")) {
		t.Error("invalid UTF-8 throughout is not binary")
	}
}
