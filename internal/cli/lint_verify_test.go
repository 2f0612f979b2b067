package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/testing/ca"
)

// TestLintVerify chains the two commands: verify --format json over a
// release signed by the release workflow, or by a CI workflow the policy
// does not declare, then lint --verify with that report. The README's
// "signed" claim is RP401 only when the newest release's signature did
// not verify; a file that is not a verify report is a usage error.
func TestLintVerify(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	var lastReport string
	for _, c := range []struct {
		signer string
		rp401  bool
	}{
		{"https://github.com/tooo/app/.github/workflows/release.yml@refs/tags/v1.0.0", false},
		{"https://github.com/tooo/app/.github/workflows/ci.yml@refs/heads/main", true},
	} {
		w, pol, rootPath := keylessRelease(t, vs, c.signer)
		dir := t.TempDir()
		for name, content := range map[string]string{
			"release-policy.yaml": pol,
			"README.md":           "# app\n\nAll release images are signed with cosign.\n",
		} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, report, errs := run("verify", "--format", "json", "--fail-on", "never", "--trusted-root", rootPath, "--github-url", w.GitHub.URL(), "--now", "2026-11-30", dir)
		reportPath := filepath.Join(t.TempDir(), "verify.json")
		if err := os.WriteFile(reportPath, []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
		lastReport = reportPath
		_, out, lerrs := run("lint", "--now", "2026-11-30", "--verify", reportPath, dir)
		got := strings.Contains(out, "RP401") && strings.Contains(out, "signature verification failed for release 1.0.0")
		if strings.Contains(lerrs, "judged the policy alone") {
			t.Errorf("%s: the report covers tooo/app, yet: %s", c.signer, lerrs)
		}
		if got != c.rp401 {
			t.Errorf("%s: RP401 with the report = %v, want %v; verify stderr %s; lint stderr %s; lint output:\n%s", c.signer, got, c.rp401, errs, lerrs, out)
		}
		if _, out, _ := run("lint", "--now", "2026-11-30", dir); strings.Contains(out, "RP401") {
			t.Errorf("%s: RP401 without a report:\n%s", c.signer, out)
		}
	}
	// A repository the report does not cover is said so on stderr.
	if _, _, errs := run("lint", "--verify", lastReport, "../../examples/aurora-api"); !strings.Contains(errs, "has no release of tooo/aurora-api; RP401-RP403 judged the policy alone") {
		t.Errorf("no note for a repository the report does not cover: %s", errs)
	}
	bad := filepath.Join(t.TempDir(), "not-a-report.json")
	if err := os.WriteFile(bad, []byte(`{"findings": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bad, filepath.Join(t.TempDir(), "missing.json")} {
		if code, _, errs := run("lint", "--verify", p, "."); code != ExitUsage || !strings.Contains(errs, "--verify") {
			t.Errorf("lint --verify %s: exit %d, %s", p, code, errs)
		}
	}
}
