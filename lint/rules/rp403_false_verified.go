package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp403 = &Rule{
	ID: "RP403", Severity: finding.Error, Phase: Lint,
	Title:  "public text claims verified artifacts without signatures or attestations",
	Clause: clauseRule,
	Quote:  quoteRule8 + " (Provenance and traceability controls: the absence of signing MUST NOT be misrepresented as verified provenance.)",
	Doc: `Public text claims this project's artifacts, provenance, builds or releases
are verified (or verifiable) while neither signatures nor attestations are
used. Checking a checksum or digest is honest and passes ("verify the
download with sha256sum -c"); "verified builds" without any signature is
not. Compound labels ("Build-verified" support tiers) and checks of a setup
("can be verified by logging in") are not claims. Confidence as for RP401.`,
	Example: "README.md: Our builds are verified and tamper-proof.",
	Check: func(c *Context) {
		pv := c.Doc.Policy.Provenance
		if pv.Signatures.Used || pv.Attestations.Used {
			return
		}
		reportClaims(c, verifyClaims,
			func(subject, quote string) string {
				return fmt.Sprintf("verification claim about %s: %q, but neither signatures nor attestations are used", subject, quote)
			},
			`describe what users can actually check (digest, checksum) instead of "verified"`)
	},
}
