package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp502 = &Rule{
	ID: "RP502", Severity: finding.Error, Phase: Lint,
	Title:  "private or internal IP address",
	Clause: clauseDisclosure, Quote: quoteDisclosure, TextOnly: true,
	Doc: `A private (RFC 1918), link-local, CGNAT (100.64.0.0/10) or IPv6 ULA address
or CIDR. Loopback, documentation (RFC 5737, RFC 3849) and public addresses are
not reported; neither are version numbers or digests.

` + docScanned + "\n\n" + docWeighed("RP502"),
	Example: "Builders reach the cache at 10.20.30.40.",
	Check:   func(c *Context) { c.Forward(c.Disclosure()) },
}
