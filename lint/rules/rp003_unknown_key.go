package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp003 = &Rule{
	ID: "RP003", Severity: finding.Error, Phase: Load,
	Title:  "unknown key",
	Clause: clauseAudit, Quote: quoteAudit,
	Doc: `A key the schema does not know. Typos must not pass silently: a misspelt
` + "`protectd: true`" + ` would otherwise leave the context unprotected without a word.
The hint names the nearest known key.`,
	Example: "chanels:   # did you mean \"channels\"?\n  - id: ghcr",
}
