package rules

import (
	"fmt"
	"strings"

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
("can be verified by logging in") are not claims. Confidence as for RP401.

With ` + "`lint --verify REPORT`" + `, "verified" claims are also reported when
every kind the policy uses (signatures, attestations) failed verification
for the newest ledger release in the report: nothing published for it
verifies.`,
	Example: "README.md: Our builds are verified and tamper-proof.",
	Check: func(c *Context) {
		pv := c.Doc.Policy.Provenance
		if pv.Signatures.Used || pv.Attestations.Used {
			var why []string
			for _, k := range []struct{ used, att bool }{{pv.Signatures.Used, false}, {pv.Attestations.Used, true}} {
				if !k.used {
					continue
				}
				failed, ok := c.signingFailed(k.att)
				if !ok {
					return // one used kind verified: the artifact is verified
				}
				why = append(why, failed)
			}
			reportClaims(c, verifyClaims,
				func(subject, quote string) string {
					return fmt.Sprintf("verification claim about %s: %q, but %s", subject, quote, strings.Join(why, "; "))
				},
				"make the release verify (relpolicy verify, RP404), or say what users can check until it does")
			return
		}
		reportClaims(c, verifyClaims,
			func(subject, quote string) string {
				return fmt.Sprintf("verification claim about %s: %q, but neither signatures nor attestations are used", subject, quote)
			},
			`describe what users can actually check (digest, checksum) instead of "verified"`)
	},
}
