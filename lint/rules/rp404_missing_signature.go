package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp404 = &Rule{
	ID: "RP404", Severity: finding.Error, Phase: Verify,
	Title:  "claimed signature or attestation not present (verify)",
	Clause: clauseRule, Quote: quoteRule8,
	Doc: `Reported by ` + "`relpolicy verify`" + `: the policy says signatures or attestations are
used, but the registry holds no signature or attestation for a published
digest. A claim must be true for the artifact actually published.`,
	Example: "provenance:\n  signatures: {used: true, method: cosign-keyless}\n# but no sha256-<digest>.sig in the registry",
}
