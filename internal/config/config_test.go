package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadEmpty: an empty file, or one holding only comments, is an empty
// config (the decoder's io.EOF), not an error.
func TestLoadEmpty(t *testing.T) {
	for _, content := range []string{"", "# nothing yet\n"} {
		c, err := Load(write(t, content))
		if err != nil || len(c.InternalDomains)+len(c.InternalRunnerLabels)+len(c.Allow) != 0 {
			t.Errorf("Load(%q) = %+v, %v", content, c, err)
		}
	}
}

func TestLoad(t *testing.T) {
	c, err := Load(write(t, "internal_domains: [\" Corp.Tooo.NET. \"]\nallow: [\"docs/examples/**\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.InternalDomains) != 1 || c.InternalDomains[0] != "corp.tooo.net" {
		t.Errorf("domains %q", c.InternalDomains)
	}
	if !c.Allowed("docs/examples/a/b.md") || c.Allowed("docs/a.md") {
		t.Errorf("Allowed disagrees with %q", c.Allow)
	}
	for content, want := range map[string]string{
		"internal_domain: [x]\n": "field internal_domain not found",
		"allow: [\"[\"]\n":       "invalid allow glob",
		"internal_domains: 3\n":  "parsing config",
	} {
		if _, err := Load(write(t, content)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%q) = %v, want %q", content, err, want)
		}
	}
}
