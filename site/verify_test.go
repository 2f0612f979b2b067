package site

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestVerifiedReleases: with verify results, a release page says when it
// was checked and what held, and says plainly what failed; pages without
// results say nothing about verification; output stays byte-identical.
func TestVerifiedReleases(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	withResults := func() []Repo {
		repos := orgRepos(t)
		for i := range repos {
			if repos[i].Policy.Repository.Name == "tooo/aurora" {
				repos[i].Verified = map[string]*Verification{
					"1.4.0": {At: at, Held: []string{"aurora-image: tag ghcr.io/tooo/aurora:1.4.0 still points at this digest", "aurora-image: signature present"}},
					"1.3.1": {At: at, Failed: []string{"RP405: aurora-image of release 1.3.1: tag ghcr.io/tooo/aurora:1.3.1 now points at sha256:1234, not the recorded sha256:abcd"},
						Unreached: []string{"aurora-os: reading release v1.3.1 of tooo/aurora: connection refused"},
						// The tag moved, but the recorded digest is signed.
						Signed: []SignedBy{{What: "aurora-image signed", Identity: "https://github.com/tooo/aurora/.github/workflows/release.yml@refs/tags/v1.3.1 (issuer https://token.actions.githubusercontent.com)",
							Command: "cosign verify --certificate-identity https://github.com/tooo/aurora/.github/workflows/release.yml@refs/tags/v1.3.1 --certificate-oidc-issuer https://token.actions.githubusercontent.com ghcr.io/tooo/aurora@sha256:abcd"}}},
				}
			}
		}
		return repos
	}
	out := filepath.Join(t.TempDir(), "public")
	build(t, out, withResults())
	held := read(t, out, "tooo/aurora/1.4.0/index.html")
	for _, want := range []string{`Last checked <time datetime="2026-11-30T12:00:00Z">2026-11-30 12:00 UTC</time>`, "Every check held.", "still points at this digest", "signature present"} {
		if !strings.Contains(held, want) {
			t.Errorf("1.4.0 page lacks %q", want)
		}
	}
	failed := read(t, out, "tooo/aurora/1.3.1/index.html")
	for _, want := range []string{"Some checks failed.", "RP405: aurora-image of release 1.3.1: tag ghcr.io/tooo/aurora:1.3.1 now points at", "Some checks could not run"} {
		if !strings.Contains(failed, want) {
			t.Errorf("1.3.1 page lacks %q", want)
		}
	}
	if strings.Contains(failed, "Every check held") {
		t.Error("a failed release must not say every check held")
	}
	// Only a verified signature may be called verified: the page without
	// one must not use the word.
	for _, page := range []string{held} {
		if strings.Contains(strings.ToLower(page[strings.Index(page, `id="checked-h"`):strings.Index(page, `id="artifacts-h"`)]), "verified") {
			t.Error("the verification section must not use the word verified (presence is not verification)")
		}
	}
	signed := failed
	for _, want := range []string{"aurora-image signed by <code>https://github.com/tooo/aurora/.github/workflows/release.yml@refs/tags/v1.3.1 (issuer https://token.actions.githubusercontent.com)</code>, verified on <time datetime=\"2026-11-30T12:00:00Z\">2026-11-30 12:00 UTC</time>",
		"Check it yourself: <code>cosign verify --certificate-identity"} {
		if !strings.Contains(signed, want) {
			t.Errorf("1.3.1 page lacks %q", want)
		}
	}
	plain := filepath.Join(t.TempDir(), "public")
	build(t, plain, orgRepos(t))
	if strings.Contains(read(t, plain, "tooo/aurora/1.4.0/index.html"), "Last checked") {
		t.Error("a site without --verify must not show verification")
	}
	again := filepath.Join(t.TempDir(), "public")
	build(t, again, withResults())
	if read(t, again, "tooo/aurora/1.3.1/index.html") != failed {
		t.Error("the same inputs must render byte-identical pages")
	}
}
