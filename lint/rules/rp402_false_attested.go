package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp402 = &Rule{
	ID: "RP402", Severity: finding.Error, Phase: Lint,
	Title:  "public text claims attestations while attestations are not used",
	Clause: clauseRule, Quote: quoteRule8,
	Doc: `Reports a claim, in public text, that the project's own artifacts
are attested or carry SBOM or SLSA provenance attestations (in-toto, a SLSA
level badge, "we publish build provenance for every release binary") while
` + "`provenance.attestations.used`" + ` is false. As for RP401, the subject and the
place decide: a build tool's feature guide or a scanner's description of
what it can discover is not a claim about the project's releases. Negated
or future statements ("attestations are planned") pass. Confidence as for
RP401. With ` + "`lint --verify REPORT`" + `, the same claims are also reported when
attestations are used but the newest ledger release's attestations did
not verify (RP404 of any kind, including another predicate type).`,
	Example: "docs/security.md: Every release ships SLSA provenance attestations.",
	Check: func(c *Context) {
		if c.Doc.Policy.Provenance.Attestations.Used {
			failed, ok := c.signingFailed(true)
			if !ok {
				return
			}
			reportClaims(c, attestClaims,
				func(subject, quote string) string {
					return fmt.Sprintf("attestation claim about %s: %q, but %s", subject, quote, failed)
				},
				"attest the release so that relpolicy verify passes (RP404), or qualify the claim until it does")
			return
		}
		reportClaims(c, attestClaims,
			func(subject, quote string) string {
				return fmt.Sprintf("attestation claim about %s: %q, but provenance.attestations.used is false", subject, quote)
			},
			"remove the claim or say attestations are not published yet; set attestations.used once they are")
	},
}
