package sweep

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/surface"
)

func TestShard(t *testing.T) {
	const n = 4
	counts := make([]int, n)
	for i := range 1000 {
		name := fmt.Sprintf("tooo/repo-%d", i)
		in := 0
		for k := 1; k <= n; k++ {
			if (Shard{K: k, N: n}).Has(name) {
				in++
				counts[k-1]++
			}
		}
		if in != 1 {
			t.Fatalf("%s is in %d shards", name, in)
		}
	}
	for k, c := range counts {
		if c < 200 || c > 300 {
			t.Errorf("shard %d/%d holds %d of 1000", k+1, n, c)
		}
	}
	// Stable across runs, machines and case: FNV-1a of the lower-cased
	// name (a golden value; changing the hash reshuffles every matrix).
	if !(Shard{K: 2, N: 3}).Has("tooo/aurora-api") || !(Shard{K: 2, N: 3}).Has("TOOO/Aurora-API") {
		t.Error("tooo/aurora-api left shard 2/3")
	}
	for _, bad := range []string{"0/3", "4/3", "x/3", "3", "1/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q): no error", bad)
		}
	}
	if s, err := ParseShard("2/5"); err != nil || s.String() != "2/5" {
		t.Errorf("ParseShard(2/5) = %v, %v", s, err)
	}
}

func tarball(t *testing.T, files map[string]string, links map[string]string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: "tooo-x-abcdef0/", Mode: 0o755})
	for p, c := range files {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "tooo-x-abcdef0/" + p, Mode: 0o644, Size: int64(len(c))})
		tw.Write([]byte(c))
	}
	for p, target := range links {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "tooo-x-abcdef0/" + p, Linkname: target})
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func TestTarballFS(t *testing.T) {
	big := strings.Repeat("x", surface.MaxSize+10)
	fsys, err := TarballFS(bytes.NewReader(tarball(t, map[string]string{
		"release-policy.yaml": "version: 1\n", "docs/a.md": "doc", "src/main.go": "package main",
		"ci/release.yml": "on: push", "docs/huge.md": big,
	}, map[string]string{"README.md": "../../etc/passwd"})))
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"release-policy.yaml": "version: 1\n", "docs/a.md": "doc", "ci/release.yml": "on: push", "src/main.go": ""} {
		if b, err := fs.ReadFile(fsys, p); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", p, b, err, want)
		}
	}
	if info, err := fs.Stat(fsys, "docs/huge.md"); err != nil || info.Size() <= surface.MaxSize {
		t.Errorf("oversized file: %v %v (lint must still see it as oversized)", info, err)
	}
	if info, err := fs.Lstat(fsys, "README.md"); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("symlink: %v %v", info, err)
	}
	if _, err := TarballFS(strings.NewReader("not gzip")); err == nil {
		t.Error("garbage: no error")
	}
	if _, err := TarballFS(bytes.NewReader(tarball(t, map[string]string{"../escape": "x"}, nil))); err == nil {
		t.Error("path escaping the repository: no error")
	}
}

func TestDirSourceHeadAndOrigin(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "checkout")
	write := func(p, s string) {
		os.MkdirAll(filepath.Dir(filepath.Join(repo, p)), 0o755)
		if err := os.WriteFile(filepath.Join(repo, p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".git/HEAD", "ref: refs/heads/main\n")
	write(".git/packed-refs", "# pack-refs\n0123456789012345678901234567890123456789 refs/heads/main\n")
	write(".git/config", "[remote \"origin\"]\n\turl = git@github.com:tooo/lumen.git\n")
	os.Mkdir(filepath.Join(dir, "plain"), 0o755)
	src := DirSource{Dir: dir}
	repos, err := src.List(context.Background())
	if err != nil || len(repos) != 2 {
		t.Fatalf("List: %v %v", repos, err)
	}
	if r := repos[0]; r.FullName() != "tooo/lumen" || r.Origin != "github.com/tooo/lumen" {
		t.Errorf("checkout: %+v", r)
	}
	if rev, err := src.Head(context.Background(), repos[0]); err != nil || rev != "0123456789012345678901234567890123456789" {
		t.Errorf("Head: %q %v", rev, err)
	}
	if rev, err := src.Head(context.Background(), repos[1]); err != nil || rev != "" {
		t.Errorf("Head without git: %q %v", rev, err)
	}
	rep, err := Run(context.Background(), src, Options{Org: "src", Lint: lintNow()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.MissingPolicy != 2 {
		t.Errorf("summary %+v", rep.Summary)
	}
	if _, err := Run(context.Background(), DirSource{Dir: filepath.Join(dir, "none")}, Options{}); err == nil {
		t.Error("missing directory: no error")
	}
	if _, err := Run(context.Background(), src, Options{Repos: []string{"["}}); err == nil {
		t.Error("bad glob: no error")
	}
}

func TestMergeRefusesOtherOrg(t *testing.T) {
	a := &Report{Tool: "relpolicy", Org: "a", Repos: []Entry{{Repo: "a/x", Status: Compliant}}}
	b := &Report{Tool: "relpolicy", Org: "b"}
	if _, err := Merge(a, b); err == nil || !strings.Contains(err.Error(), "report 2") {
		t.Errorf("Merge of two organisations: %v", err)
	}
}

func TestWriteAtomic(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.json")
	if err := WriteFileAtomic(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if b, _ := os.ReadFile(p); string(b) != "two" || len(entries) != 1 {
		t.Errorf("content %q, %d files (temporary files left?)", b, len(entries))
	}
}

func lintNow() (o lintOptions) {
	o.Now = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	return o
}

type lintOptions = lint.Options
