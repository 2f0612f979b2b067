package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp002 = &Rule{
	ID: "RP002", Severity: finding.Error, Phase: Load,
	Title:  "schema violation",
	Clause: clauseAudit, Quote: quoteAudit,
	Doc: `A value does not match the schema (` + "`relpolicy schema`" + `): wrong type, a value outside
an enum, a missing required key, an id that is not a slug, a path that is
absolute or leaves the repository, a malformed digest, date or timestamp, a
release context pattern that is not a GitHub filter pattern.
The message leads with the YAML path of the offending value.

Rules that read the policy's meaning (RP1xx-RP4xx) run only on a file without
schema errors, so fix these first.`,
	Example: "release:\n  contexts:\n    - type: tag\n      pattern: \"v*\"\n      protected: \"yes\"   # must be a boolean",
}
