package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp504 = &Rule{
	ID: "RP504", Severity: finding.Error, Phase: Lint,
	Title:  "runner registration details",
	Clause: clauseDisclosure, Quote: quoteDisclosure, TextOnly: true,
	Doc: `Runner registration tokens, ` + "`config.sh --url … --token …`" + ` commands, or an
internal runner label from the private config in docs or in a workflow's
` + "`runs-on:`" + `.

` + docScanned + ` Suppress a reviewed false positive with
` + "`# relpolicy:ignore RP504 -- reason`" + ` (YAML) or
` + "`<!-- relpolicy:ignore RP504 -- reason -->`" + ` (Markdown).`,
	Example: "./config.sh --url https://github.com/tooo --token AABBCC...",
	Check:   func(c *Context) { c.Forward(c.Disclosure()) },
}
