package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vt "github.com/tooo/relpolicy/internal/registry/registrytest"
	"github.com/tooo/relpolicy/verify"
)

const secret = "ghp_relpolicyTestTokenThatMustNotLeak0001"

// world publishes a moved tag (RP405) and a clean GitHub release, and
// writes the policy; the GitHub fake requires the token.
func world(t *testing.T) (*vt.World, string) {
	w := vt.New(t, true)
	w.GitHub.Token = secret
	repo := w.Repo("tooo/app")
	rev := vt.Revision("1.0.0")
	img := w.Image(vt.Labels("https://github.com/tooo/app", rev, "1.0.0"), nil)
	d := w.Push(repo, img)
	w.Tag(repo, "1.0.0", w.Image(nil, nil))
	contents := map[string][]byte{"app.tar.gz": []byte("app 1.0.0")}
	contents["SHA256SUMS"] = vt.Sums([]string{"app.tar.gz"}, contents)
	w.GitHub.AddRelease("tooo", "app", "v1.0.0", []string{"app.tar.gz", "SHA256SUMS"}, contents)
	pol := vt.Policy(vt.PolicyOptions{Registry: repo, Checksums: "SHA256SUMS"}, []vt.Release{{
		Version: "1.0.0", Tag: "v1.0.0", Revision: rev,
		Images: []vt.Image{{Reference: repo + ":1.0.0", Digest: d}},
		GitHub: []vt.File{{Name: "app.tar.gz", URL: "https://github.com/tooo/app/releases/download/v1.0.0/app.tar.gz", SHA256: vt.SHA256(contents["app.tar.gz"])}},
	}})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644); err != nil {
		t.Fatal(err)
	}
	return w, dir
}

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVerifyCommand(t *testing.T) {
	w, dir := world(t)
	t.Setenv("GITHUB_TOKEN", secret)
	for _, format := range []string{"text", "json", "sarif", "github"} {
		code, out, errs := run("verify", "--format", format, "--github-url", w.GitHub.URL(), "--now", "2026-11-30", dir)
		if code != ExitFindings {
			t.Errorf("%s: exit %d, want %d; stderr %s", format, code, ExitFindings, errs)
		}
		if !strings.Contains(out, "RP405") || !strings.Contains(out, "now points at") {
			t.Errorf("%s: output lacks the moved tag:\n%s", format, out)
		}
		if strings.Contains(out+errs, secret) {
			t.Errorf("%s: the token appears in the output", format)
		}
		if format == "json" {
			var rep verify.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("json: %v", err)
			}
			if len(rep.Repos) != 1 || rep.Summary.Errors != 1 || rep.VerifiedAt.Format("2006-01-02") != "2026-11-30" {
				t.Errorf("json report: %+v", rep)
			}
		}
	}
	if code, _, _ := run("verify", "--fail-on", "never", "--github-url", w.GitHub.URL(), dir); code != ExitClean {
		t.Errorf("--fail-on never: exit %d", code)
	}
	// A wrong token is refused by the API: exit 2 naming what failed, and
	// the token still does not appear.
	t.Setenv("GITHUB_TOKEN", secret+"x")
	code, out, errs := run("verify", "--github-url", w.GitHub.URL(), dir)
	if code != ExitUsage || !strings.Contains(errs, "cannot verify") || strings.Contains(out+errs, secret) {
		t.Errorf("refused token: exit %d, stderr %q", code, errs)
	}
	// The tag finding is still reported although GitHub failed.
	if !strings.Contains(out, "RP405") {
		t.Errorf("the registry's findings must be reported when the API fails:\n%s", out)
	}
}

func TestVerifyUnreachableRegistry(t *testing.T) {
	dead := "127.0.0.1:1/tooo/app"
	pol := vt.Policy(vt.PolicyOptions{Registry: dead}, []vt.Release{{Version: "1.0.0", Tag: "v1.0.0", Revision: vt.Revision("x"),
		Images: []vt.Image{{Reference: dead + ":1.0.0", Digest: "sha256:" + strings.Repeat("cd", 32)}}}})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644)
	code, out, errs := run("verify", "--timeout", "2s", dir)
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.Contains(errs, dead) {
		t.Errorf("stderr should name the registry reference:\n%s", errs)
	}
	if strings.Contains(out, "RP40") {
		t.Errorf("an unreachable registry is not a finding:\n%s", out)
	}
	// The report itself says it is incomplete, not just stderr.
	if !strings.Contains(out, "incomplete: 1 check could not reach") {
		t.Errorf("stdout does not say the report is incomplete:\n%s", out)
	}
	code, out, _ = run("verify", "--timeout", "2s", "--format", "json", dir)
	if code != ExitUsage || !strings.Contains(out, `"unreached": 1`) {
		t.Errorf("json: exit %d, want %d and summary.unreached 1:\n%s", code, ExitUsage, out)
	}
}

func TestVerifyFlags(t *testing.T) {
	for _, args := range [][]string{
		{"verify", "--concurrency", "0"},
		{"verify", "--releases", "-1"},
		{"verify", "--format", "xml"},
		{"verify", "/does/not/exist"},
	} {
		if code, _, _ := run(args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

func TestSiteVerify(t *testing.T) {
	rep := verify.Report{Tool: "relpolicy", Version: Version, VerifiedAt: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
		Repos: []*verify.RepoFacts{{Repo: "examples/aurora-api", Name: "tooo/aurora-api", Releases: []*verify.ReleaseFacts{{
			Index: 0, Version: "1.4.0", Tag: "v1.4.0",
			OCI: []*verify.OCIFacts{{ID: "aurora-api-image", Reference: "ghcr.io/tooo/aurora-api:1.4.0", Digest: "sha256:e88239d757d23ccc6616021bc8ffefccc0f08ffe894332f895178a9f9079d96d",
				Found: true, TagDigest: "sha256:e88239d757d23ccc6616021bc8ffefccc0f08ffe894332f895178a9f9079d96d",
				WantSignatures: true, Attachments: &verify.Attachments{Signatures: []string{"cosign tag sha256-e882.sig"}}}},
		}}}}}
	b, _ := json.Marshal(rep)
	reportPath := filepath.Join(t.TempDir(), "verify.json")
	os.WriteFile(reportPath, b, 0o644)
	out := filepath.Join(t.TempDir(), "public")
	code, _, errs := run("site", "--no-cache", "--now", "2026-11-22", "--verify", reportPath, "--out", out, "../../examples/aurora-api")
	if code != ExitClean {
		t.Fatalf("site --verify: exit %d: %s", code, errs)
	}
	page, err := os.ReadFile(filepath.Join(out, "tooo/aurora-api/1.4.0/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Last checked", "tag ghcr.io/tooo/aurora-api:1.4.0 still points at this digest", "signature present"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("release page lacks %q", want)
		}
	}
	os.WriteFile(reportPath, []byte(`{"findings": []}`), 0o644)
	if code, _, errs := run("site", "--verify", reportPath, "--out", out, "../../examples/aurora-api"); code != ExitUsage || !strings.Contains(errs, "--verify") {
		t.Errorf("a report that is not a verify report: exit %d, %s", code, errs)
	}
}

// TestVerifyRegistryCredentials: credentials come from the Docker config
// and never appear in the output, also when the registry refuses them.
func TestVerifyRegistryCredentials(t *testing.T) {
	w, dir := world(t)
	t.Setenv("GITHUB_TOKEN", secret)
	const pass = "registry-password-that-must-not-leak"
	w.RequireAuth("robot", pass)
	docker := t.TempDir()
	t.Setenv("DOCKER_CONFIG", docker)
	writeAuth := func(p string) {
		cfg := fmt.Sprintf(`{"auths": {%q: {"auth": %q}}}`, w.Host, base64.StdEncoding.EncodeToString([]byte("robot:"+p)))
		if err := os.WriteFile(filepath.Join(docker, "config.json"), []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeAuth(pass)
	code, out, errs := run("verify", "--github-url", w.GitHub.URL(), dir)
	if code != ExitFindings || !strings.Contains(out, "now points at") {
		t.Errorf("with credentials: exit %d\n%s%s", code, out, errs)
	}
	writeAuth(pass + "-wrong")
	code, out, errs = run("verify", "--format", "json", "--github-url", w.GitHub.URL(), dir)
	if code != ExitUsage || !strings.Contains(errs, w.Host) {
		t.Errorf("refused credentials: exit %d, stderr %s", code, errs)
	}
	for _, leak := range []string{pass, base64.StdEncoding.EncodeToString([]byte("robot:" + pass))} {
		if strings.Contains(out+errs, leak) {
			t.Errorf("registry credentials in the output")
		}
	}
}

// TestProgressBarOnlyOnTerminal: --deep draws nothing into pipes or files.
func TestProgressBarOnlyOnTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progressBar(f) != nil || progressBar(&bytes.Buffer{}) != nil {
		t.Error("a progress bar on a file or buffer")
	}
}
