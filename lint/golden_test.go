package lint_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/report"
	"github.com/tooo/relpolicy/lint/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenNow is the reference date of every golden case.
var goldenNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// extract writes a txtar archive's files into a new temp dir. A file named
// "config" is the private org config, kept out of the repository.
func extract(t *testing.T, ar *txtar.Archive) (dir string, cfg *config.Config) {
	t.Helper()
	dir = t.TempDir()
	cfg = &config.Config{}
	for _, f := range ar.Files {
		if f.Name == "config" {
			p := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			var err error
			if cfg, err = config.Load(p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, cfg
}

// lintText lints dir and renders text output with repo-relative paths.
func lintText(t *testing.T, dir string, cfg *config.Config) (string, []string) {
	t.Helper()
	res, err := lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Now: goldenNow, Scanner: testScanner(t, cfg)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range res.Findings {
		res.Findings[i].Repo = "."
		ids = append(ids, res.Findings[i].Rule)
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, "text", report.Tool{Name: "relpolicy", Version: "test"}, res.Findings, 1); err != nil {
		t.Fatal(err)
	}
	return buf.String(), ids
}

// TestGolden lints every testdata/lint/<RULE>/*.txtar case and compares
// the text output with the .golden file beside it. A case must report its
// directory's rule; the ok/ cases must report nothing.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("../testdata/lint/*/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	covered := map[string]bool{}
	for _, path := range cases {
		rule := filepath.Base(filepath.Dir(path))
		name := rule + "/" + strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dir, cfg := extract(t, ar)
			got, ids := lintText(t, dir, cfg)
			if rule == "ok" {
				if len(ids) != 0 {
					t.Errorf("clean case has findings:\n%s", got)
				}
			} else if !slices.Contains(ids, rule) {
				t.Errorf("case does not report %s:\n%s", rule, got)
			} else {
				covered[rule] = true
			}
			golden := strings.TrimSuffix(path, ".txtar") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./lint -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test ./lint -update to accept):\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
	// Every rule lint reports has a failing case. RP308 needs git history
	// and is tested in base_test.go.
	for _, r := range rules.All {
		if r.Phase == rules.Verify || r.ID == "RP308" {
			continue
		}
		if !covered[r.ID] && !t.Failed() {
			t.Errorf("%s has no failing case in testdata/lint/%s/", r.ID, r.ID)
		}
	}
}
