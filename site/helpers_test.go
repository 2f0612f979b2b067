package site

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/policy"
	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/schema"
)

// testNow stands in for SOURCE_DATE_EPOCH.
var testNow = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)

// decodePolicy loads YAML with the real loader (lint/policy). Fixtures
// may be hostile (script tags, escaping versions) but must be valid
// against the schema, as the CLI renders nothing else.
func decodePolicy(t testing.TB, src []byte) *schema.Policy {
	t.Helper()
	d, fs := policy.Parse("release-policy.yaml", src)
	if d == nil || d.Policy == nil {
		t.Fatalf("loading policy: %v", fs)
	}
	return d.Policy
}

func loadPolicy(t testing.TB, path string) *schema.Policy {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decodePolicy(t, b)
}

// orgRepos loads the fixture organisation in testdata/org.
func orgRepos(t testing.TB) []Repo {
	t.Helper()
	dirs, err := Discover([]string{filepath.Join("testdata", "org")})
	if err != nil {
		t.Fatal(err)
	}
	var repos []Repo
	for _, d := range dirs {
		repos = append(repos, Repo{Policy: loadPolicy(t, filepath.Join(d, surface.PolicyFile)), Dir: d})
	}
	return repos
}

func build(t testing.TB, out string, repos []Repo, mod ...func(*Options)) *Report {
	t.Helper()
	opts := Options{Out: out, Now: testNow, Gate: leakGate{}}
	for _, m := range mod {
		m(&opts)
	}
	rep, err := Build(context.Background(), opts, repos)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return rep
}

func read(t testing.TB, out, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// leakGate is a tiny real Gate: it flags hosts under .corp and .internal
// (RP503) the way the disclosure scanner does, enough to exercise the
// refusal path until lint/disclosure lands.
type leakGate struct{}

func (leakGate) ScanFile(path string, kind surface.Kind, content []byte) []finding.Finding {
	var fs []finding.Finding
	for i, line := range strings.Split(string(content), "\n") {
		for _, needle := range []string{".corp", ".internal"} {
			if col := strings.Index(line, needle); col >= 0 {
				fs = append(fs, finding.Finding{
					Repo: "site", Rule: "RP503", Severity: finding.Error, Path: path,
					Line: i + 1, Column: col + 1, Message: "internal hostname in site output",
					Hint: "remove it from the policy's public text",
				})
			}
		}
	}
	return fs
}

// snapshot records every entry under root: content, mode and mtime.
type entry struct {
	data  string
	mode  fs.FileMode
	mtime time.Time
}

func snapshot(t testing.TB, root string) map[string]entry {
	t.Helper()
	m := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		e := entry{mode: fi.Mode(), mtime: fi.ModTime()}
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.data = string(b)
		}
		if d.IsDir() {
			e.mtime = time.Time{} // directories are recreated by design
		}
		m[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func diffSnapshots(t testing.TB, a, b map[string]entry, compareMtime bool) {
	t.Helper()
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	bad := 0
	for _, k := range keys {
		x, okx := a[k]
		y, oky := b[k]
		switch {
		case !okx || !oky:
			t.Errorf("%s: only in one tree (first %v, second %v)", k, okx, oky)
		case x.data != y.data:
			t.Errorf("%s: content differs", k)
		case compareMtime && !x.mtime.Equal(y.mtime):
			t.Errorf("%s: mtime changed %v -> %v", k, x.mtime, y.mtime)
		default:
			continue
		}
		if bad++; bad > 10 {
			t.Fatal("too many differences")
		}
	}
}

// allFiles lists the regular files under root, slash-separated.
func allFiles(t testing.TB, root string) []string {
	t.Helper()
	files, err := listFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}
