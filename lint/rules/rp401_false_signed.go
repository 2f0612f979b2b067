package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp401 = &Rule{
	ID: "RP401", Severity: finding.Error, Phase: Lint,
	Title:  "public text claims signed artifacts while signatures are not used",
	Clause: clauseRule, Quote: quoteRule8,
	Doc: `Public text (policy Markdown fields, README*, SECURITY*, docs/**, root
Markdown) calls artifacts signed, or speaks of their signatures, while
` + "`provenance.signatures.used`" + ` is false. Honest statements pass: "not signed yet",
"unsigned", "we plan to sign", "signatures are not used", as do signed commits,
sign-offs and text in code blocks.`,
	Example: "README.md: All release images are signed with cosign.\nrelease-policy.yaml: signatures: {used: false}",
	Check: func(c *Context) {
		if c.Doc.Policy.Provenance.Signatures.Used {
			return
		}
		reportClaims(c, signClaims,
			func(w string) string {
				return fmt.Sprintf("text claims artifacts are %q but provenance.signatures.used is false", w)
			},
			`say plainly that artifacts are not signed (users check digests/checksums), or set signatures.used with the method once they are`)
	},
}
