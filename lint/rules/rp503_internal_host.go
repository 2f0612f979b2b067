package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp503 = &Rule{
	ID: "RP503", Severity: finding.Error, Phase: Lint,
	Title:  "internal hostname or URL",
	Clause: clauseDisclosure, Quote: quoteDisclosure, TextOnly: true,
	Doc: `A host under a reserved internal name (.internal, .corp, .local, .lan,
.intranet, .private, .localdomain, .home.arpa) or under a domain the private
config lists in internal_domains.

` + docScanned + "\n\n" + docWeighed("RP503"),
	Example: "Artifacts are staged on build01.corp before publication.",
	Check:   func(c *Context) { c.Forward(c.Disclosure()) },
}
