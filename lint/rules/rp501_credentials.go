package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp501 = &Rule{
	ID: "RP501", Severity: finding.Error, Phase: Lint,
	Title:  "credential or secret in public text",
	Clause: clauseDisclosure, Quote: quoteDisclosure, TextOnly: true,
	Doc: `A credential or secret matched by the gitleaks default rule set (API keys,
tokens, private keys, passwords in URLs). The secret is redacted in every
output. Revoke and rotate it: removing it from the file does not remove it
from history or from anyone who copied it.

` + docScanned + ` Suppress a reviewed false positive with
` + "`# relpolicy:ignore RP501 -- reason`" + ` (YAML) or
` + "`<!-- relpolicy:ignore RP501 -- reason -->`" + ` (Markdown).`,
	Example: "token: ghp_...   # a GitHub token",
	Check:   func(c *Context) { c.Forward(c.Disclosure()) },
}
