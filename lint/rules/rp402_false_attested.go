package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp402 = &Rule{
	ID: "RP402", Severity: finding.Error, Phase: Lint,
	Title:  "public text claims attestations while attestations are not used",
	Clause: clauseRule, Quote: quoteRule8,
	Doc: `Public text claims that this project's own artifacts are attested or carry
provenance or SBOM attestations (SLSA provenance, in-toto, a SLSA level
badge, "we publish build provenance for every release binary"), while
` + "`provenance.attestations.used`" + ` is false. As for RP401, the subject and the
place decide: a build tool's feature guide ("BuildKit supports creating
attestations") or a scanner's ("can discover VEX attestations") claims
nothing about the project's releases. Negated or future statements
("attestations are planned") pass. Confidence as for RP401.`,
	Example: "docs/security.md: Every release ships SLSA provenance attestations.",
	Check: func(c *Context) {
		if c.Doc.Policy.Provenance.Attestations.Used {
			return
		}
		reportClaims(c, attestClaims,
			func(subject, quote string) string {
				return fmt.Sprintf("attestation claim about %s: %q, but provenance.attestations.used is false", subject, quote)
			},
			"remove the claim or say attestations are not published yet; set attestations.used once they are")
	},
}
