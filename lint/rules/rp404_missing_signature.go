package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp404 = &Rule{
	ID: "RP404", Severity: finding.Error, Phase: Verify,
	Title:  "claimed signature or attestation not present (verify)",
	Clause: clauseRule, Quote: quoteRule8,
	Doc: `Reported by ` + "`relpolicy verify`" + `: the policy says signatures or attestations are
used, but the registry holds no signature or attestation for a published
digest. A claim must be true for the artifact actually published.

Where the policy declares the signer (` + "`provenance.signatures.key`" + ` or ` + "`.identity`" + `,
` + "`provenance.attestations.identity`" + `), what is found (OCI referrers, cosign
` + "`.sig`/`.att`" + ` tags, ` + "`<file>.sigstore.json`" + ` release assets, the GitHub API
that lists them) is checked with sigstore-go, and RP404 also fires when nothing passes:
present but not verifying (bad signature, tampered payload,
untrusted root, certificate outside its validity without a trusted
timestamp), verifying for another digest, made by another identity than
declared (the message names both), or an attestation of another predicate
type. See docs/signing.md.`,
	Example: "provenance:\n  signatures: {used: true, method: cosign-keyless}\n# but no sha256-<digest>.sig in the registry",
}
