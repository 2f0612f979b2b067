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
				if strings.HasPrefix(f.Path, ".github/workflows/") {
					// A declaration check reported in the workflow says
					// the draft's declaration contradicts it: it counts
					// against the draft line it judges, which must carry
					// a TODO. The other workflow checks (unpinned
					// actions, RP214/RP216…) judge the repository's own
					// workflows, not the draft.
					if key, ok := declarationKey(f.Rule, f.Message); ok {
						n := builderLine(lines, f.Path, key)
						if n < 0 {
							t.Errorf("declaration finding not attributable to a drafted builder: %s:%d %s %s", f.Path, f.Line, f.Rule, f.Message)
						} else if !strings.Contains(lines[n], "# TODO:") {
							t.Errorf("workflow contradicts a draft line without TODO: %d %q: %s %s:%d %s", n+1, lines[n], f.Rule, f.Path, f.Line, f.Message)
						}
					}
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

// declarationKey names the draft line a declaration check reported in a
// workflow judges: the builder key for RP219 (by what its message says is
// declared), "- id:" (the builder's first line, where init notes broad
// triggers) for RP213, and the key RP202/RP205/RP206 judge. ok is false for
// checks that judge the workflow itself.
func declarationKey(rule, msg string) (string, bool) {
	switch rule {
	case "RP219":
		for _, k := range []string{"infrastructure", "credentials", "isolated"} {
			if strings.Contains(msg, "declares "+k+":") {
				return k + ":", true
			}
		}
		return "- id:", true
	case "RP213":
		return "- id:", true
	case "RP202":
		return "runs_untrusted_code:", true
	case "RP205":
		return "credentials:", true
	case "RP206":
		return "isolated:", true
	}
	return "", false
}

// builderLine returns the index of the line starting with key in the
// drafted builder whose ref is path (or, for a workflow no builder names,
// a called or calling one, the only builder), or -1.
func builderLine(lines []string, path, key string) int {
	var starts []int
	own := -1
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "- id:") && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "kind: workflow" {
			starts = append(starts, i)
		}
		if strings.HasPrefix(t, "ref: "+path) && len(starts) > 0 {
			own = starts[len(starts)-1]
		}
	}
	if own < 0 && len(starts) == 1 {
		own = starts[0]
	}
	if own < 0 {
		return -1
	}
	for i := own; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if i > own && (strings.HasPrefix(t, "- ") || !strings.HasPrefix(lines[i], "    ")) {
			break
		}
		if strings.HasPrefix(t, key) {
			return i
		}
	}
	return -1
}
