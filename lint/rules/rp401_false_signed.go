package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp401 = &Rule{
	ID: "RP401", Severity: finding.Error, Phase: Lint,
	Title:  "public text claims signed artifacts while signatures are not used",
	Clause: clauseRule, Quote: quoteRule8,
	Doc: `Reports a claim, in public text (policy Markdown fields, README*,
SECURITY*, docs/**, root Markdown), that the project's own artifacts are
signed while ` + "`provenance.signatures.used`" + ` is false, such as
"we sign every release with cosign" or
"bundles produced while signing the release blob".
A sentence is a claim by its subject and where it stands, not by the
word: text about users' or third-party images, what a tool can do, code
(function signatures, signed integers), protocols (requests, tokens, HMAC,
packets), TLS certificates, commits and sign-offs, secure-boot components,
or history (changelogs) is not one. Honest statements pass: "not signed yet",
"unsigned", "we plan to sign", "signatures are not used". The message quotes
the claim and names its subject; the confidence is high where the sentence
names the project's artifacts (we/our, the project's name with an artifact,
the policy's artifact names, channel locations or checksum file) or its
releases in release, install or security text, medium for a release claim
elsewhere, and low for an unowned "images are signed" outside release text
or anything in a changelog.

With ` + "`lint --verify REPORT`" + ` (a ` + "`relpolicy verify --format json`" + ` report),
the same claims are also reported when signatures are used but the
newest ledger release's signatures did not verify: RP404 of any kind in the
report (absent, not verifying, another signer than declared). The message
says verification failed for that release and why.`,
	Example: "README.md: All release images are signed with cosign.\nrelease-policy.yaml: signatures: {used: false}",
	Check: func(c *Context) {
		if c.Doc.Policy.Provenance.Signatures.Used {
			failed, ok := c.signingFailed(false)
			if !ok {
				return
			}
			reportClaims(c, signClaims,
				func(subject, quote string) string {
					return fmt.Sprintf("signing claim about %s: %q, but %s", subject, quote, failed)
				},
				`sign the release so that relpolicy verify passes (RP404), or qualify the claim until it does`)
			return
		}
		reportClaims(c, signClaims,
			func(subject, quote string) string {
				return fmt.Sprintf("signing claim about %s: %q, but provenance.signatures.used is false", subject, quote)
			},
			`say plainly that artifacts are not signed (users check digests/checksums), or set signatures.used with the method once they are`)
	},
}
