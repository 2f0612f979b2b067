package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp005 = &Rule{
	ID: "RP005", Severity: finding.Warning, Phase: Load,
	Title:  "suppression without a reason",
	Clause: clauseAudit, Quote: quoteAudit,
	Doc: `A ` + "`relpolicy:ignore`" + ` marker without ` + "`-- reason`" + `. Suppressions are part of the
audit record: say why the finding does not apply, so a reviewer can judge it.
The marker still suppresses the findings it names.

YAML: ` + "`# relpolicy:ignore RP205 -- the signing key is held in an HSM`" + ` on the same
or the preceding line. Markdown: ` + "`<!-- relpolicy:ignore RP503 -- reason -->`" + `.`,
	Example: "# relpolicy:ignore RP205\ncredentials: long-lived",
}
