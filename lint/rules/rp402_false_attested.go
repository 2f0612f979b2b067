package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp402 = &Rule{
	ID: "RP402", Severity: finding.Error, Phase: Lint,
	Title:  "public text claims attestations while attestations are not used",
	Clause: clauseRule, Quote: quoteRule8,
	Doc: `Public text calls artifacts attested, or claims provenance or SBOM
attestations (SLSA provenance, in-toto), while ` + "`provenance.attestations.used`" + ` is
false. Negated or future statements ("attestations are planned") pass.`,
	Example: "docs/security.md: Every release ships SLSA provenance attestations.",
	Check: func(c *Context) {
		if c.Doc.Policy.Provenance.Attestations.Used {
			return
		}
		reportClaims(c, attestClaims,
			func(w string) string {
				return fmt.Sprintf("text claims %q but provenance.attestations.used is false", w)
			},
			"remove the claim or say attestations are not published yet; set attestations.used once they are")
	},
}
