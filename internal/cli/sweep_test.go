package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/internal/github/githubtest"
)

func sweepOrg(t *testing.T) *githubtest.Server {
	s := githubtest.New()
	t.Cleanup(s.Close)
	s.Token = secret
	pol, err := os.ReadFile("../../examples/aurora-api/release-policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.AddRepo("tooo", "aurora-api").Files = map[string][]byte{"release-policy.yaml": pol}
	s.AddRepo("tooo", "bare").Files = map[string][]byte{"README.md": []byte("# bare\n")}
	return s
}

func TestSweepCommand(t *testing.T) {
	s := sweepOrg(t)
	t.Setenv("GITHUB_TOKEN", secret)
	cache, dir := t.TempDir(), t.TempDir()
	out := filepath.Join(dir, "sweep.json")
	base := []string{"sweep", "--org", "tooo", "--github-url", s.URL(), "--cache", cache, "--now", "2026-11-30"}

	// The policy names paths the fake repository lacks: findings, exit 1.
	code, stdout, stderr := run(append(base, "--out", out, "--format", "markdown")...)
	if code != ExitFindings || !strings.Contains(stdout, "| tooo/aurora-api | findings |") || !strings.Contains(stdout, "missing-policy") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
	rep, err := ReadSweepReport(out)
	if err != nil || rep.Summary.Repos != 2 || rep.Summary.MissingPolicy != 1 {
		t.Fatalf("report: %v %+v", err, rep)
	}

	// Only the missing policy, with and without --require.
	if code, _, stderr := run(append(base, "--repo", "bare")...); code != ExitClean {
		t.Errorf("missing policy without --require: exit %d (%s)", code, stderr)
	}
	if code, _, _ := run(append(base, "--repo", "bare", "--require")...); code != ExitFindings {
		t.Errorf("missing policy with --require: exit %d", code)
	}

	// Shards merge back into the whole.
	var parts []string
	for _, k := range []string{"1/2", "2/2"} {
		p := filepath.Join(dir, "shard-"+k[:1]+".json")
		if code, _, stderr := run(append(base, "--shard", k, "--out", p, "--format", "json")...); code == ExitUsage {
			t.Fatalf("shard %s: %s", k, stderr)
		}
		parts = append(parts, p)
	}
	merged := filepath.Join(dir, "merged.json")
	if code, _, stderr := run(append([]string{"sweep", "merge", "--out", merged}, parts...)...); code != ExitFindings {
		t.Errorf("merge: exit %d (%s)", code, stderr)
	}
	m, err := ReadSweepReport(merged)
	if err != nil || m.Summary != rep.Summary || m.Shard != "" {
		t.Errorf("merged: %v %+v, want %+v", err, m, rep.Summary)
	}

	// The site renders straight from the report.
	siteDir := filepath.Join(dir, "public")
	// A policy with lint errors is not published as official: it is on
	// the dashboard only, and the site says so with exit 1 unless
	// --keep-going.
	if code, _, stderr := run("site", "--out", siteDir, "--sweep", out, "--now", "2026-11-30", "--no-cache"); code != ExitFindings || !strings.Contains(stderr, "leaves out 1 of 2 repositories") || !strings.Contains(stderr, "tooo/aurora-api") {
		t.Fatalf("site --sweep: exit %d (%s), want 1 naming tooo/aurora-api", code, stderr)
	}
	if code, _, stderr := run("site", "--out", siteDir, "--sweep", out, "--now", "2026-11-30", "--no-cache", "--keep-going"); code != ExitClean {
		t.Fatalf("site --sweep --keep-going: exit %d (%s)", code, stderr)
	}
	dash, err := os.ReadFile(filepath.Join(siteDir, "compliance", "index.html"))
	if err != nil || !strings.Contains(string(dash), "tooo/aurora-api") || strings.Contains(string(dash), `href="../tooo/aurora-api/index.html"`) || !strings.Contains(string(dash), "tooo/bare") {
		t.Errorf("dashboard: %v\n%s", err, dash)
	}
	if _, err := os.Stat(filepath.Join(siteDir, "tooo", "aurora-api", "index.html")); err == nil {
		t.Error("a policy with lint errors was published as an official repository page")
	}
	if code, _, _ := run("site", "--out", siteDir, "--sweep", out, "examples"); code != ExitUsage {
		t.Errorf("site --sweep with a PATH: exit %d", code)
	}

	// The token is nowhere on disk.
	for _, root := range []string{cache, dir} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(p); strings.Contains(string(b), secret) {
					t.Errorf("token in %s", p)
				}
			}
			return err
		})
	}
}

func TestSweepExit2(t *testing.T) {
	s := sweepOrg(t)
	cache := t.TempDir()
	t.Setenv("GITHUB_TOKEN", "ghp_wrong")
	code, _, stderr := run("sweep", "--org", "tooo", "--github-url", s.URL(), "--cache", cache)
	if code != ExitUsage || !strings.Contains(stderr, "token refused") || strings.Contains(stderr, "ghp_wrong") {
		t.Errorf("bad token: exit %d, %s", code, stderr)
	}
	t.Setenv("GITHUB_TOKEN", secret)
	code, _, stderr = run("sweep", "--org", "nobody", "--github-url", s.URL(), "--cache", cache)
	if code != ExitUsage || !strings.Contains(stderr, "unknown organisation nobody") {
		t.Errorf("unknown org: exit %d, %s", code, stderr)
	}
	// A repository that cannot be read is no reason for exit 2.
	s.Fail("/repos/tooo/bare/commits", 500, 100, "")
	code, stdout, stderr := run("sweep", "--org", "tooo", "--github-url", s.URL(), "--cache", cache, "--repo", "bare", "--timeout", "5s")
	if code != ExitFindings || !strings.Contains(stdout, "error") {
		t.Errorf("unreadable repository: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, _ := run("sweep", "--org", "tooo", "--dir", "."); code != ExitUsage {
		t.Errorf("--org and --dir: exit %d", code)
	}
	if code, _, _ := run("sweep", "--org", "tooo", "--shard", "3/2"); code != ExitUsage {
		t.Errorf("--shard 3/2: exit %d", code)
	}
}

func TestSweepDir(t *testing.T) {
	code, stdout, stderr := run("sweep", "--dir", "../../examples", "--cache", t.TempDir(), "--now", "2026-11-30")
	if code != ExitClean || strings.Count(stdout, "compliant") < 3 {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestSweepSaysWhenItWaits: a wait for a rate limit is a line on stderr
// (no terminal here, so no progress bar).
func TestSweepSaysWhenItWaits(t *testing.T) {
	s := sweepOrg(t)
	t.Setenv("GITHUB_TOKEN", secret)
	s.Fail("/orgs/tooo/repos", 403, 1, "1")
	code, _, stderr := run("sweep", "--org", "tooo", "--github-url", s.URL(), "--cache", t.TempDir(), "--now", "2026-11-30")
	if code == ExitUsage || !strings.Contains(stderr, "relpolicy: secondary rate limit, retrying after 1s: waiting") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}
