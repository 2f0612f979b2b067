package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp405 = &Rule{
	ID: "RP405", Severity: finding.Error, Phase: Verify,
	Title:  "recorded digest missing from the registry, or tag moved (verify)",
	Clause: clauseProvenance, Quote: quoteTraceable,
	Doc: `Reported by ` + "`relpolicy verify`" + `: a ledger digest is not in the registry, or the
release's tag now points at another digest. Users pinning the recorded digest
would get nothing, or the tag no longer means the official release.`,
	Example: "reference: ghcr.io/tooo/app:1.4.0\ndigest: sha256:...   # the tag now resolves elsewhere",
}
