package lint_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/tooo/relpolicy/lint"
)

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// ledgerRepo makes a real git repository whose first commit holds the clean
// example with a two-release ledger.
func ledgerRepo(t *testing.T) (dir, policy string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	ar, err := txtar.ParseFile("../testdata/ledger/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir, _ = extract(t, ar)
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "base")
	b, err := os.ReadFile(filepath.Join(dir, "release-policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, string(b)
}

func rp308(t *testing.T, dir, base string) []string {
	t.Helper()
	res, err := lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Now: goldenNow, Base: base})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, f := range res.Findings {
		if f.Rule == "RP308" {
			msgs = append(msgs, f.Message)
		} else {
			t.Errorf("unexpected finding %+v", f)
		}
	}
	return msgs
}

func TestBaseLedger(t *testing.T) {
	dir, orig := ledgerRepo(t)
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := rp308(t, dir, "HEAD"); len(got) != 0 {
		t.Fatalf("unchanged ledger: %v", got)
	}

	// Appending a release at the top is fine.
	appended := strings.Replace(orig, "releases:\n", `releases:
  - version: 1.5.0
    tag: v1.5.0
    revision: 0123456789abcdef0123456789abcdef01234567
    published: 2026-11-20T10:00:00Z
    artifacts:
      - id: app-image
        reference: ghcr.io/tooo/app:1.5.0
        digest: sha256:1111111111111111111111111111111111111111111111111111111111111111
`, 1)
	write(appended)
	if got := rp308(t, dir, "HEAD"); len(got) != 0 {
		t.Fatalf("appending a release: %v", got)
	}

	// Rewriting a revision and a digest is reported.
	rewritten := strings.Replace(orig, "revision: 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", "revision: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1)
	rewritten = strings.Replace(rewritten, "sha256:4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d", "sha256:2222222222222222222222222222222222222222222222222222222222222222", 1)
	if rewritten == orig {
		t.Fatal("fixture changed: the replacements matched nothing")
	}
	write(rewritten)
	got := strings.Join(rp308(t, dir, "HEAD"), "\n")
	if !strings.Contains(got, "revision changed") || !strings.Contains(got, "digest changed") {
		t.Fatalf("rewrite not reported: %s", got)
	}

	// A vanished release is reported.
	i := strings.Index(orig, "  - version: 1.3.0")
	write(orig[:i])
	if got := strings.Join(rp308(t, dir, "HEAD"), "\n"); !strings.Contains(got, "1.3.0 vanished") {
		t.Fatalf("vanished release not reported: %s", got)
	}
}

func TestBaseErrors(t *testing.T) {
	dir, _ := ledgerRepo(t)
	_, err := lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Base: "no-such-ref"})
	var ue *lint.UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "unknown git ref") {
		t.Fatalf("unknown ref: %v", err)
	}
	plain := t.TempDir()
	_, err = lint.Run(context.Background(), lint.Options{Paths: []string{plain}, Base: "HEAD"})
	if !errors.As(err, &ue) {
		t.Fatalf("not a git repository: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Base: "HEAD"})
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "git") {
		t.Fatalf("missing git: %v", err)
	}
}
