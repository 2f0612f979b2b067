package rules

import (
	"github.com/tooo/relpolicy/lint/finding"
)

const quoteAttributable = "Privileged builders MUST be attributable to a specific automation identity, release workflow, or named release procedure."

var rp221 = &Rule{
	ID: "RP221", Severity: finding.Warning, Phase: Lint,
	Title:  "the policy says signing is used but names no signer",
	Clause: clausePrivileged, Quote: quoteAttributable,
	Doc: `` + "`provenance.signatures`" + ` or ` + "`provenance.attestations`" + ` says ` + "`used: true`" + ` but names neither a
public ` + "`key`" + ` (a repository path to the PEM key, for ` + "`cosign-key`" + `) nor a keyless
` + "`identity`" + ` (OIDC ` + "`issuer`" + ` and certificate ` + "`subject`" + ` or ` + "`subject_regexp`" + `). A signature
proves nothing until it is checked against who should have made it: without
one, ` + "`relpolicy verify`" + ` can only see that a signature exists, never call it
verified. Other methods (gpg, minisign) are not checked by relpolicy, which
only checks Sigstore and cosign material. See docs/signing.md.`,
	Example: "provenance:\n  signatures:\n    used: true\n    method: cosign-keyless\n    # no identity: {issuer: ..., subject: ...}",
	Check: func(c *Context) {
		pv := c.Doc.Policy.Provenance
		if s := pv.Signatures; s.Used && (s.Method == "cosign-keyless" || s.Method == "cosign-key") && s.Key == "" && (s.Identity == nil || s.Identity.Subject == "" && s.Identity.SubjectRegexp == "") {
			c.At(ptr("provenance", "signatures", "used"), "signatures are used but nothing says who must have made them",
				"declare provenance.signatures.key (cosign-key) or provenance.signatures.identity {issuer, subject} (cosign-keyless)")
		}
		if a := pv.Attestations; a.Used && a.Key == "" && (a.Identity == nil || a.Identity.Subject == "" && a.Identity.SubjectRegexp == "") {
			c.At(ptr("provenance", "attestations", "used"), "attestations are used but nothing says who must have made them",
				"declare provenance.attestations.identity {issuer, subject} (the release workflow) or provenance.attestations.key")
		}
	},
}
