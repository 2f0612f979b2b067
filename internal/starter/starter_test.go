package starter

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/surface"
	"golang.org/x/tools/txtar"
)

var draftDay = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// TestFixtures drafts a policy for each testdata/*.txtar repository (files
// paraphrased from real projects where init once drafted the wrong thing),
// checks the lines the comment's "want:" prefixes name are in the draft and
// "not:" text is absent, then lints the draft: every finding must sit on a
// line that carries a TODO.
func TestFixtures(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no fixtures")
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "repo")
			for _, f := range ar.Files {
				p := filepath.Join(dir, f.Name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// The repository's name comes from its git remote.
			for _, args := range [][]string{{"init", "-q", dir}, {"-C", dir, "remote", "add", "origin", "https://github.com/acme/repo.git"}} {
				if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
			}
			b, err := Render(Inspect(dir, os.DirFS(dir), draftDay))
			if err != nil {
				t.Fatal(err)
			}
			draft := string(b)
			for _, l := range strings.Split(string(ar.Comment), "\n") {
				if w, ok := strings.CutPrefix(l, "want: "); ok && !strings.Contains(draft, w) {
					t.Errorf("draft lacks %q:\n%s", w, draft)
				}
				if w, ok := strings.CutPrefix(l, "not: "); ok && strings.Contains(draft, w) {
					t.Errorf("draft has %q:\n%s", w, draft)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, surface.PolicyFile), b, 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Now: draftDay})
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(draft, "\n")
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Path, ".github/workflows/") && strings.HasPrefix(f.Rule, "RP2") {
					// The workflow checks judge the repository's own
					// workflows (unpinned actions, dispatch triggers):
					// findings about the repository, not about the draft.
					continue
				}
				if f.Path != surface.PolicyFile || f.Line < 1 || f.Line > len(lines) {
					t.Errorf("finding outside the draft: %s:%d %s %s", f.Path, f.Line, f.Rule, f.Message)
					continue
				}
				if !strings.Contains(lines[f.Line-1], "# TODO:") {
					t.Errorf("finding at a line without TODO: %d %q: %s %s", f.Line, lines[f.Line-1], f.Rule, f.Message)
				}
			}
		})
	}
}
