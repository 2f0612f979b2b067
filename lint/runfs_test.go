package lint_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// mapFSOf copies the regular files under dir into memory.
func mapFSOf(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b, Mode: 0o644}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRunFSMatchesOS: linting a repository held in memory gives the same
// findings, fingerprints and skipped files as linting it on disk, for the
// example repositories, the demo's broken one and every golden case
// (suppressions included).
func TestRunFSMatchesOS(t *testing.T) {
	dirs, _ := filepath.Glob("../examples/*")
	dirs = append(dirs, "../testdata/demo/broken")
	cases, _ := filepath.Glob("../testdata/lint/*/*.txtar")
	type repo struct {
		name, dir string
		scanner   lint.Scanner
	}
	var repos []repo
	for _, d := range dirs {
		repos = append(repos, repo{d, d, testScanner(t, nil)})
	}
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			t.Fatal(err)
		}
		dir, cfg := extract(t, ar)
		repos = append(repos, repo{c, dir, testScanner(t, cfg)})
	}
	if len(repos) < 10 {
		t.Fatalf("only %d repositories", len(repos))
	}
	withFindings := 0
	for _, r := range repos {
		opts := lint.Options{Paths: []string{r.dir}, Now: goldenNow, Scanner: r.scanner}
		onDisk, err := lint.Run(context.Background(), opts)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		// The origin is the checkout's, as lint.Run reads it (RP105).
		fsys := mapFSOf(t, r.dir)
		origin := lint.GitOrigin(fsys)
		inMemory, err := lint.RunFS(context.Background(), opts, []lint.Repo{{Name: filepath.Clean(r.dir), FS: fsys, Origin: origin}})
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		lint.Fingerprint(onDisk)
		lint.Fingerprint(inMemory)
		if len(onDisk.Findings) > 0 {
			withFindings++
		}
		if !reflect.DeepEqual(onDisk.Findings, inMemory.Findings) {
			t.Errorf("%s: findings differ\non disk:   %+v\nin memory: %+v", r.name, onDisk.Findings, inMemory.Findings)
		}
		if got, want := inMemory.Repos[0].Skipped, onDisk.Repos[0].Skipped; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: skipped files differ\non disk:   %v\nin memory: %v", r.name, want, got)
		}
		if o := inMemory.Repos[0].Origin; o != origin {
			t.Errorf("%s: origin %q", r.name, o)
		}
	}
	if withFindings < len(repos)/2 {
		t.Errorf("only %d of %d repositories have findings: the comparison proves little", withFindings, len(repos))
	}
}

func TestRunFSRefusesBase(t *testing.T) {
	_, err := lint.RunFS(context.Background(), lint.Options{Base: "origin/main"}, []lint.Repo{{Name: "x", FS: fstest.MapFS{}}})
	var ue *lint.UsageError
	if !errors.As(err, &ue) {
		t.Errorf("RunFS with --base: %v, want a UsageError", err)
	}
}

// brokenScanner is a disclosure scan that cannot run.
type brokenScanner struct{}

func (brokenScanner) Scan(fs.FS, surface.Selection) ([]finding.Finding, surface.Coverage, error) {
	return nil, surface.Coverage{}, errors.New("building the gitleaks rule table: broken")
}

// TestScanFailureFailsRun: a disclosure scan that cannot run fails the
// run; it never reads as a repository without findings.
func TestScanFailureFailsRun(t *testing.T) {
	res, err := lint.Run(context.Background(), lint.Options{Paths: []string{"../examples/aurora-api"}, Now: goldenNow, Scanner: brokenScanner{}})
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("Run = %v, %v; want the scan's error", res, err)
	}
}
