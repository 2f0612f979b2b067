package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp001 = &Rule{
	ID: "RP001", Severity: finding.Error, Phase: Load,
	Title:  "policy file missing, unreadable, or not valid YAML",
	Clause: clauseAudit, Quote: quoteAudit,
	Doc: `The repository has no readable ` + "`release-policy.yaml`" + ` at its root, or the file is
not a single valid YAML mapping: empty, binary, not UTF-8, larger than 4 MiB, a
symlink out of the repository, several YAML documents, duplicate keys, nesting
deeper than 64 levels, or aliases that expand past a million values.

The policy requires every repository that produces official artifacts to keep
a minimal record of how it builds and publishes them; this file is that record.

Fix: create the file (` + "`relpolicy init`" + ` writes a starter) or repair the YAML at the
position given.`,
	Example: "version: 1\nrepository:\n\tname: tooo/aurora   # a tab: invalid YAML",
}
