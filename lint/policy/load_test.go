package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
)

const minimal = `version: 1
repository:
  name: tooo/aurora
  url: https://github.com/tooo/aurora
artifacts:
  - id: aurora-image
    name: Aurora image
    type: oci-image
    identity: digest
    channels: [ghcr]
    build: make-image
channels:
  - id: ghcr
    type: oci-registry
    location: ghcr.io/tooo/aurora
build:
  entrypoints:
    - id: make-image
      command: make image
      path: Makefile
  compatible: Anyone can run make image.
release:
  contexts:
    - type: tag
      pattern: "v*"
      protected: true
  builders:
    - id: release
      kind: workflow
      ref: .github/workflows/release.yml
      infrastructure: third-party-hosted
      isolated: true
      runs_untrusted_code: false
      credentials: short-lived
provenance:
  surfaced: [source, revision, version, created, digest]
  signatures:
    used: false
  attestations:
    used: false
review:
  last: 2026-09-30
`

func parse(t *testing.T, src string) (*Document, []finding.Finding) {
	t.Helper()
	return Parse("release-policy.yaml", []byte(src))
}

func only(t *testing.T, fs []finding.Finding, rule string, line int, contains string) {
	t.Helper()
	if len(fs) != 1 {
		t.Fatalf("want one %s finding, got %d: %+v", rule, len(fs), fs)
	}
	f := fs[0]
	if f.Rule != rule || (line > 0 && f.Line != line) || !strings.Contains(f.Message, contains) || f.Hint == "" {
		t.Fatalf("want %s at line %d containing %q with a hint, got %+v", rule, line, contains, f)
	}
}

func TestMinimalIsValid(t *testing.T) {
	d, fs := parse(t, minimal)
	if len(fs) != 0 {
		t.Fatalf("findings on a valid file: %+v", fs)
	}
	if d.Policy == nil || d.Policy.Review.Last != "2026-09-30" {
		t.Fatalf("unquoted date did not load as written: %+v", d.Policy)
	}
}

func TestTimestampsLoadAsWritten(t *testing.T) {
	src := minimal + `releases:
  - version: 1.0.0
    tag: v1.0.0
    revision: 3f2c1ab0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4
    published: 2026-11-02T10:00:00Z
    artifacts:
      - id: aurora-image
        reference: ghcr.io/tooo/aurora:1.0.0
        digest: sha256:` + strings.Repeat("ab", 32) + "\n"
	d, fs := parse(t, src)
	if len(fs) != 0 {
		t.Fatalf("findings: %+v", fs)
	}
	if got := d.Policy.Releases[0].Published; got != "2026-11-02T10:00:00Z" {
		t.Fatalf("published = %q", got)
	}
}

func TestSchemaErrorsHavePositions(t *testing.T) {
	src := strings.Replace(minimal, "      protected: true", "      protected: \"yes\"", 1)
	_, fs := parse(t, src)
	only(t, fs, "RP002", lineOf(src, "protected:"), "release.contexts[0].protected")
	if fs[0].Column != 18 {
		t.Errorf("column = %d, want 18", fs[0].Column)
	}
}

func TestUnknownKeySuggestsNearest(t *testing.T) {
	_, fs := parse(t, strings.Replace(minimal, "channels:\n  - id: ghcr", "chanels:\n  - id: ghcr", 1))
	var unknown []finding.Finding
	for _, f := range fs {
		if f.Rule == "RP003" {
			unknown = append(unknown, f)
		}
	}
	only(t, unknown, "RP003", lineOf(minimal, "\nchannels:")+1, `did you mean "channels"`)
}

func TestUnsupportedVersion(t *testing.T) {
	_, fs := parse(t, strings.Replace(minimal, "version: 1", "version: 2", 1))
	only(t, fs, "RP004", 1, "unsupported version 2")
}

func TestPathsMustStayInRepo(t *testing.T) {
	for _, p := range []string{"/etc/Makefile", "../Makefile", "a/../../b", "C:\\x", "./Makefile"} {
		_, fs := parse(t, strings.Replace(minimal, "path: Makefile", "path: '"+p+"'", 1))
		only(t, fs, "RP002", lineOf(minimal, "path: Makefile"), "repo-relative path")
	}
	for _, p := range []string{"Makefile", "build/.hidden/x.sh", "..foo/bar", "docs/a..b.md"} {
		if _, fs := parse(t, strings.Replace(minimal, "path: Makefile", "path: '"+p+"'", 1)); len(fs) != 0 {
			t.Errorf("%q rejected: %+v", p, fs)
		}
	}
}

func TestBadInput(t *testing.T) {
	cases := map[string]struct {
		src  string
		want string
	}{
		"empty":       {"", "is empty"},
		"blank":       {"\n\n   \n", "is empty"},
		"binary":      {"version: 1\x00\x01\x02", "binary"},
		"latin1":      {"version: 1\ndescription: caf\xe9\n", "not valid UTF-8"},
		"tab":         {"version: 1\nrepository:\n\tname: x\n", "invalid YAML"},
		"unclosed":    {"version: 1\nrepository: {name: \"x\n", "invalid YAML"},
		"truncated":   {"version: 1\nrepository:\n  name: \"tooo/au", "invalid YAML"},
		"list":        {"- version: 1\n", "must be a mapping"},
		"scalar":      {"hello\n", "must be a mapping"},
		"two docs":    {minimal + "---\nversion: 1\n", "more than one YAML document"},
		"dup key":     {"version: 1\nversion: 1\n", "duplicate key"},
		"deep":        {strings.Repeat("[", 200) + strings.Repeat("]", 200), ""},
		"deep map":    {deepMap(100), "nesting deeper"},
		"bad tag":     {"version: !!binary aGVsbG8=\n", "binary values"},
		"inf":         {"version: .inf\n", "not finite"},
		"merge bad":   {"a: &x 1\nb:\n  <<: *x\n", "merge key"},
		"complex key": {"? [a, b]\n: 1\n", "plain scalars"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, fs := parse(t, c.src)
			if len(fs) == 0 || fs[0].Rule != "RP001" {
				t.Fatalf("want RP001, got %+v", fs)
			}
			if !strings.Contains(fs[0].Message, c.want) || fs[0].Line < 1 {
				t.Fatalf("want message containing %q with a line, got %+v", c.want, fs[0])
			}
		})
	}
}

// lineOf returns the 1-based line of the first occurrence of s in src.
func lineOf(src, s string) int {
	return strings.Count(src[:strings.Index(src, s)], "\n") + 1
}

func deepMap(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat("  ", i) + "k:\n")
	}
	return b.String()
}

// TestAliasBomb checks the "billion laughs" expansion is cut off quickly
// and without unbounded memory.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + strconv.Itoa(i-1))
		}
		b.WriteString("]\n")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, fs := parse(t, b.String())
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if len(fs) != 1 || fs[0].Rule != "RP001" || !strings.Contains(fs[0].Message, "alias bomb") {
		t.Fatalf("want RP001 alias bomb, got %+v", fs)
	}
	// Generous bounds: these catch exponential blow-up, not slowness.
	if elapsed > 10*time.Second {
		t.Errorf("alias bomb took %v", elapsed)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<30 {
		t.Errorf("alias bomb allocated %d MiB", grown>>20)
	}
}

func TestMergeKeysAndAnchors(t *testing.T) {
	src := strings.Replace(minimal, "  builders:\n    - id: release\n      kind: workflow", "  builders:\n    - &b\n      id: release\n      kind: workflow", 1)
	src = strings.Replace(src, "      credentials: short-lived\n", "      credentials: short-lived\n    - <<: *b\n      id: second\n", 1)
	d, fs := parse(t, src)
	if len(fs) != 0 {
		t.Fatalf("findings: %+v", fs)
	}
	if len(d.Policy.Release.Builders) != 2 || d.Policy.Release.Builders[1].Kind != "workflow" {
		t.Fatalf("merge key not applied: %+v", d.Policy.Release.Builders)
	}
}

func TestLoadMissingAndOversized(t *testing.T) {
	_, fs := Load(fstest.MapFS{}, "release-policy.yaml")
	if len(fs) != 1 || fs[0].Rule != "RP001" || fs[0].Line != 0 || !strings.Contains(fs[0].Message, "not found") {
		t.Fatalf("missing: %+v", fs)
	}
	big := fstest.MapFS{"release-policy.yaml": {Data: bytes.Repeat([]byte("# padding\n"), MaxFileSize/10+1)}}
	_, fs = Load(big, "release-policy.yaml")
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "larger than") {
		t.Fatalf("oversized: %+v", fs)
	}
	dir := fstest.MapFS{"release-policy.yaml": {Mode: os.ModeDir}}
	if _, fs = Load(dir, "release-policy.yaml"); len(fs) != 1 || !strings.Contains(fs[0].Message, "directory") {
		t.Fatalf("directory: %+v", fs)
	}
}

// TestLoadHugeFileStreamsCap writes a 100 MiB file and checks Load reads no
// more than the cap.
func TestLoadHugeFile(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "release-policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, fs := Load(root.FS(), "release-policy.yaml")
	runtime.ReadMemStats(&after)
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "larger than") {
		t.Fatalf("100 MiB file: %+v", fs)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 32<<20 {
		t.Errorf("reading a 100 MiB file allocated %d MiB", grown>>20)
	}
}

func TestLoadSymlinkOutOfRepo(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(repo, "release-policy.yaml")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	root, err := os.OpenRoot(repo)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	_, fs := Load(root.FS(), "release-policy.yaml")
	if len(fs) != 1 || fs[0].Rule != "RP001" || !strings.Contains(fs[0].Message, "outside the repository") {
		t.Fatalf("symlink out of the repo: %+v", fs)
	}
	// A symlink inside the repository is followed.
	if err := os.WriteFile(filepath.Join(repo, "real.yaml"), []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(repo, "release-policy.yaml"))
	if err := os.Symlink("real.yaml", filepath.Join(repo, "release-policy.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, fs := Load(root.FS(), "release-policy.yaml"); len(fs) != 0 {
		t.Fatalf("symlink inside the repo: %+v", fs)
	}
}

func TestTextPos(t *testing.T) {
	src := strings.Replace(minimal, "  compatible: Anyone can run make image.", "  compatible: |\n    First line.\n    Images are signed here.", 1)
	d, fs := parse(t, src)
	if len(fs) != 0 {
		t.Fatal(fs)
	}
	off := strings.Index(d.Policy.Build.Compatible, "signed")
	line, col := d.TextPos("/build/compatible", off)
	lines := strings.Split(src, "\n")
	if got := lines[line-1][col-1:]; !strings.HasPrefix(got, "signed") {
		t.Fatalf("TextPos = %d:%d pointing at %q", line, col, got)
	}
}

func FuzzLoadPolicy(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("version: 1\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("? - x\n: y\n"))
	seeds, _ := filepath.Glob("../../testdata/lint/*/*.txtar")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, fs := Parse("release-policy.yaml", src)
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, x := range fs {
			if x.Line < 0 || x.Line > lines+1 || x.Message == "" || x.Hint == "" {
				t.Fatalf("bad finding %+v for %q", x, src)
			}
		}
		if d != nil && d.Policy != nil {
			for _, p := range []string{"/artifacts/0/id", "/release/contexts/0", "/nope/3"} {
				d.Pos(p)
				d.KeyPos(p)
				d.TextPos(p, 5)
			}
		}
	})
}
