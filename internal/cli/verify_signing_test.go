package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	vt "github.com/tooo/relpolicy/internal/registry/registrytest"
	st "github.com/tooo/relpolicy/internal/sigstore/sigstoretest"
)

// TestVerifyTrustedRoot: with --trusted-root, a keyless signature by the
// declared release workflow verifies fully offline and the JSON report
// says so with the identity; one by another workflow is RP404 (exit 1).
func TestVerifyTrustedRoot(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		signer string
		code   int
		want   string
	}{
		{"https://github.com/tooo/app/.github/workflows/release.yml@refs/tags/v1.0.0", ExitClean, `"verified": true`},
		{"https://github.com/tooo/app/.github/workflows/ci.yml@refs/heads/main", ExitFindings, "ci.yml@refs/heads/main (issuer " + actionsIssuer + "), but the policy expects"},
	} {
		w, pol, rootPath := keylessRelease(t, vs, c.signer)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := run("verify", "--format", "json", "--trusted-root", rootPath, "--github-url", w.GitHub.URL(), "--now", "2026-11-30", dir)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("%s: exit %d (want %d), stderr %s; output lacks %q:\n%s", c.signer, code, c.code, errs, c.want, out)
		}
		if c.code != ExitClean && strings.Contains(out, `"verified": true`) {
			t.Errorf("%s: a signature by another workflow is reported verified", c.signer)
		}
	}
	if code, _, errs := run("verify", "--trusted-root", filepath.Join(t.TempDir(), "missing.json"), "."); code != ExitUsage || !strings.Contains(errs, "--trusted-root") {
		t.Errorf("a missing --trusted-root: exit %d, %s", code, errs)
	}
}

// actionsIssuer is GitHub Actions' OIDC issuer.
const actionsIssuer = "https://token.actions.githubusercontent.com"

// keylessRelease is a registry world with release 1.0.0 of tooo/app, its
// image signed keylessly by signer (a certificate subject) through the
// virtual Sigstore vs and stored as a Sigstore bundle referrer; the policy
// that declares the release workflow as the signer; and a trusted_root.json
// for vs.
func keylessRelease(t *testing.T, vs *ca.VirtualSigstore, signer string) (w *vt.World, policy, trustedRoot string) {
	t.Helper()
	issuer := actionsIssuer
	w = vt.New(t, true)
	repo := w.Repo("tooo/app")
	rev := vt.Revision("1.0.0")
	img := w.Image(vt.Labels("https://github.com/tooo/app", rev, "1.0.0"), nil)
	w.Tag(repo, "1.0.0", img)
	d := w.Push(repo, img)
	e, err := vs.AttestAtTime(signer, issuer, st.Statement(d, "https://sigstore.dev/cosign/sign/v1"), time.Now().Add(time.Minute), false)
	if err != nil {
		t.Fatal(err)
	}
	const bt = "application/vnd.dev.sigstore.bundle.v0.3+json"
	w.ReferrerLayers(repo, d, bt, nil, []vt.Layer{{MediaType: bt, Content: st.BundleJSON(t, vs, e, false)}})
	policy = vt.Policy(vt.PolicyOptions{Registry: repo, Signatures: true,
		SignatureSigner: fmt.Sprintf("identity: {issuer: %q, subject_regexp: 'https://github\\.com/tooo/app/\\.github/workflows/release\\.yml@refs/tags/v.*'}", issuer)},
		[]vt.Release{{Version: "1.0.0", Tag: "v1.0.0", Revision: rev, Images: []vt.Image{{Reference: repo + ":1.0.0", Digest: d}}}})
	trustedRoot = filepath.Join(t.TempDir(), "trusted_root.json")
	if err := os.WriteFile(trustedRoot, st.TrustedRootJSON(t, vs), 0o644); err != nil {
		t.Fatal(err)
	}
	return w, policy, trustedRoot
}
