package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp004 = &Rule{
	ID: "RP004", Severity: finding.Error, Phase: Load,
	Title:  "unsupported version",
	Clause: clauseAudit, Quote: quoteAudit,
	Doc: `The file's ` + "`version`" + ` is not one this relpolicy reads. Only version 1 exists.
Nothing else in the file is checked, since its meaning depends on the version.`,
	Example: "version: 2",
}
