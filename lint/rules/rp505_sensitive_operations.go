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

` + docScanned + "\n\n" + docWeighed("RP505"),
	Example: "Break-glass: ssh to the bastion and read secret/data/release/signing.",
	Check:   func(c *Context) { c.Forward(c.Disclosure()) },
}
