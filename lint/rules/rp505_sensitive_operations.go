package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp505 = &Rule{
	ID: "RP505", Severity: finding.Warning, Phase: Lint,
	Title:  "break-glass, secret-storage or network-topology details",
	Clause: clauseDisclosure, Quote: quoteDisclosure, TextOnly: true,
	Doc: `Break-glass procedures, secret-storage mechanics (vault paths, KMS key ARNs,
secret manager names) or network topology (VLANs, bastion or jump hosts).
Public docs may say "organization-controlled build infrastructure"; they must
not map it.

Scanned: release-policy.yaml, README*, SECURITY*, root Markdown, the
documentation roots docs/, doc/, Documentation/, website/, www/ and site/,
.github/workflows/*, and the policy's ` + "`lint.public_text`" + ` globs less
` + "`lint.exclude`" + `; files over 2 MiB are read in pieces. Paths matching the private
config's ` + "`allow`" + ` globs are exempt, and so are reviewed areas listed in
` + "`lint.ignore`" + ` (counted in the output).

Confidence: a configured internal domain is high everywhere. Otherwise the
finding weighs where the value stands (the policy, release workflows,
SECURITY* and release or security docs: high; other workflows: medium; user
docs, READMEs and tutorials: low, medium where the prose speaks of the
organisation's builders or releases) and what surrounds it (example wording,
well-known defaults such as Kubernetes' service CIDR or host.docker.internal,
placeholder hosts: low). ` + "`lint --min-confidence`" + ` (default medium) hides
less confident findings. Suppress a reviewed false positive with
` + "`# relpolicy:ignore RP505 -- reason`" + ` (YAML) or
` + "`<!-- relpolicy:ignore RP505 -- reason -->`" + ` (Markdown).`,
	Example: "Break-glass: ssh to the bastion and read secret/data/release/signing.",
	Check:   func(c *Context) { c.Forward(c.Disclosure()) },
}
