package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp502 = &Rule{
	ID: "RP502", Severity: finding.Error, Phase: Lint,
	Title:  "private or internal IP address",
	Clause: clauseDisclosure, Quote: quoteDisclosure, TextOnly: true,
	Doc: `A private (RFC 1918), link-local, CGNAT (100.64.0.0/10) or IPv6 ULA address
or CIDR. Loopback, documentation (RFC 5737, RFC 3849) and public addresses are
not reported; neither are version numbers or digests.

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
` + "`# relpolicy:ignore RP502 -- reason`" + ` (YAML) or
` + "`<!-- relpolicy:ignore RP502 -- reason -->`" + ` (Markdown).`,
	Example: "Builders reach the cache at 10.20.30.40.",
	Check:   func(c *Context) { c.Forward(c.Disclosure()) },
}
