package baseline

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint/finding"
)

// repo is a tiny in-memory repository: path -> content.
type repo map[string]string

func (r repo) line(_, path string, n int) string {
	lines := strings.Split(r[path], "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// find stands in for a scan: a finding on every line holding needle.
func (r repo) find(rule, path, needle string) []finding.Finding {
	var out []finding.Finding
	for i, l := range strings.Split(r[path], "\n") {
		if c := strings.Index(l, needle); c >= 0 {
			out = append(out, finding.Finding{Repo: ".", Rule: rule, Severity: finding.Error, Path: path, Line: i + 1, Column: c + 1, Message: "found " + needle})
		}
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	r := repo{"docs/a.md": "# Build\n\nThe cache is build01.corp.\nAgain: build01.corp.\nAgain: build01.corp.\n"}
	before := r.find("RP503", "docs/a.md", "build01.corp")
	Assign(before, r.line)
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := Write(path, before); err != nil {
		t.Fatal(err)
	}
	bl, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if kept, n := bl.Filter(before); len(kept) != 0 || n != 3 {
		t.Fatalf("same findings: kept %v, suppressed %d", kept, n)
	}

	// Unrelated edits above and re-indentation keep the findings accepted;
	// a new one is reported.
	r["docs/a.md"] = "# Build\n\nNew intro paragraph.\n\nMore text.\n\n  The cache is   build01.corp.\nAgain: build01.corp.\nAgain: build01.corp.\nNew line: build01.corp today.\n"
	after := r.find("RP503", "docs/a.md", "build01.corp")
	Assign(after, r.line)
	kept, n := bl.Filter(after)
	if n != 3 || len(kept) != 1 || kept[0].Line != 10 {
		t.Fatalf("after edits: kept %+v, suppressed %d", kept, n)
	}

	// A third identical line is new: the counter tells the copies apart.
	r["docs/a.md"] += "Again: build01.corp.\n"
	after = r.find("RP503", "docs/a.md", "build01.corp")
	Assign(after, r.line)
	if kept, n := bl.Filter(after); n != 3 || len(kept) != 2 {
		t.Fatalf("third copy: kept %+v, suppressed %d", kept, n)
	}
}

func TestFingerprintInputs(t *testing.T) {
	r := repo{"a.md": "x 10.0.0.1", "b.md": "x 10.0.0.1"}
	fs := append(r.find("RP502", "a.md", "10.0.0.1"), r.find("RP502", "b.md", "10.0.0.1")...)
	other := r.find("RP503", "a.md", "10.0.0.1")
	fs = append(fs, other...)
	fs = append(fs, finding.Finding{Repo: "other", Rule: "RP502", Path: "a.md", Line: 1})
	Assign(fs, r.line)
	seen := map[string]bool{}
	for _, f := range fs {
		if len(f.Fingerprint) != 32 || seen[f.Fingerprint] {
			t.Errorf("fingerprint %q of %+v: wrong length or not unique", f.Fingerprint, f)
		}
		seen[f.Fingerprint] = true
	}
	// Messages and columns do not enter the fingerprint.
	g := []finding.Finding{fs[0]}
	g[0].Message, g[0].Column, g[0].Line = "reworded", 9, 1
	Assign(g, r.line)
	if g[0].Fingerprint != fs[0].Fingerprint {
		t.Error("fingerprint depends on message or column")
	}
}

func TestWriteDeterministic(t *testing.T) {
	r := repo{"a.md": "one 10.0.0.1\ntwo 10.0.0.1\n", "b.md": "secret here\n"}
	fs := append(r.find("RP502", "b.md", "secret"), r.find("RP502", "a.md", "10.0.0.1")...)
	Assign(fs, r.line)
	dir := t.TempDir()
	p1, p2 := filepath.Join(dir, "1.json"), filepath.Join(dir, "2.json")
	if err := Write(p1, fs); err != nil {
		t.Fatal(err)
	}
	rev := []finding.Finding{fs[2], fs[0], fs[1]}
	if err := Write(p2, rev); err != nil {
		t.Fatal(err)
	}
	b1, _ := os.ReadFile(p1)
	b2, _ := os.ReadFile(p2)
	if !bytes.Equal(b1, b2) {
		t.Errorf("order changed the file:\n%s\n%s", b1, b2)
	}
	if bytes.Contains(b1, []byte("secret here")) || bytes.Contains(b1, []byte("10.0.0.1")) {
		t.Errorf("baseline holds line text:\n%s", b1)
	}
	if !bytes.HasPrefix(b1, []byte("{\n  \"version\": 1,")) {
		t.Errorf("unexpected layout:\n%s", b1)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	for name, body := range map[string]string{
		"bad.json":     "{",
		"version.json": `{"version": 2, "tool": "relpolicy", "findings": []}`,
		"unknown.json": `{"version": 1, "tool": "relpolicy", "findings": [], "extra": 1}`,
		"empty.json":   `{"version": 1, "tool": "relpolicy", "findings": [{"rule": "RP501"}]}`,
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := Load(p); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	if err := Write(filepath.Join(dir, "x.json"), []finding.Finding{{Rule: "RP501"}}); err == nil {
		t.Error("wrote a finding without a fingerprint")
	}
	if err := Write(filepath.Join(dir, "no", "such", "dir.json"), nil); err == nil {
		t.Error("wrote into a missing directory")
	}
}

func TestFilterKeepsUnfingerprinted(t *testing.T) {
	bl := &Baseline{set: map[string]bool{"abc": true}}
	kept, n := bl.Filter([]finding.Finding{{Rule: "RP501"}, {Rule: "RP502", Fingerprint: "abc"}})
	if n != 1 || len(kept) != 1 || kept[0].Rule != "RP501" {
		t.Errorf("kept %v suppressed %d", kept, n)
	}
}
