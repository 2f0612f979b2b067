package lint_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/rules"
)

// TestVerifyFactsFireClaimRules: with a verify report's facts (lint
// --verify), RP401-RP403 report the example's signing, attestation and
// "verified" claims when the policy uses signatures and attestations but
// the newest release's did not verify, and only then.
func TestVerifyFactsFireClaimRules(t *testing.T) {
	fsys := mapFSOf(t, "../examples/aurora-api")
	fsys["docs/trust.md"] = &fstest.MapFile{Data: []byte("# Trust\n\nOur builds are verified and tamper-proof.\n"), Mode: 0o644}
	sigFail := []string{"api-image: no signature verifies against identity https://github.com/tooo/aurora-api/.github/workflows/release.yml"}
	attFail := []string{"api-image: no attestation is present"}
	cases := []struct {
		name    string
		signing map[string]*rules.SigningFacts
		want    map[string]string // rule → a message fragment every finding of it has
	}{
		{"no report", nil, nil},
		{"all verified", map[string]*rules.SigningFacts{"tooo/aurora-api": {Release: "2.4.0"}}, nil},
		{"another repository failed", map[string]*rules.SigningFacts{"tooo/other": {Release: "1.0.0", Signatures: sigFail, Attestations: attFail}}, nil},
		{"signatures failed", map[string]*rules.SigningFacts{"tooo/aurora-api": {Release: "2.4.0", Signatures: sigFail}},
			map[string]string{"RP401": "but signature verification failed for release 2.4.0 (api-image: no signature verifies against identity"}},
		{"attestations failed", map[string]*rules.SigningFacts{"tooo/aurora-api": {Release: "2.4.0", Attestations: attFail}},
			map[string]string{"RP402": "but attestation verification failed for release 2.4.0 (api-image: no attestation is present)"}},
		{"both failed", map[string]*rules.SigningFacts{"tooo/aurora-api": {Release: "2.4.0", Signatures: sigFail, Attestations: attFail}},
			map[string]string{"RP401": "signature verification failed for release 2.4.0", "RP402": "attestation verification failed for release 2.4.0",
				"RP403": "signature verification failed for release 2.4.0 (api-image: no signature verifies against identity https://github.com/tooo/aurora-api/.github/workflows/release.yml); attestation verification failed"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := lint.RunFS(context.Background(), lint.Options{Signing: tc.signing}, []lint.Repo{{Name: "aurora-api", FS: fsys}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Rule, "RP40") {
					got[f.Rule] = append(got[f.Rule], f.Path+": "+f.Message)
				}
			}
			var rulesGot []string
			for r := range got {
				rulesGot = append(rulesGot, r)
			}
			sort.Strings(rulesGot)
			if len(got) != len(tc.want) {
				t.Fatalf("rules %v, want %d rules %v:\n%v", rulesGot, len(tc.want), tc.want, got)
			}
			for rule, frag := range tc.want {
				if len(got[rule]) == 0 {
					t.Errorf("no %s finding; got %v", rule, got)
				}
				for _, m := range got[rule] {
					if !strings.Contains(m, frag) {
						t.Errorf("%s: %q lacks %q", rule, m, frag)
					}
				}
			}
			if tc.want["RP403"] != "" && !strings.Contains(strings.Join(got["RP403"], "\n"), "docs/trust.md: verification claim") {
				t.Errorf("RP403 should report docs/trust.md's claim: %v", got["RP403"])
			}
		})
	}
}
