package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp408 = &Rule{
	ID: "RP408", Severity: finding.Error, Phase: Verify,
	Title:  "OCI image's provenance labels contradict the ledger (verify)",
	Clause: clauseProvenance, Quote: quoteTraceable,
	Doc: `Reported by ` + "`relpolicy verify`" + `: the published image's
` + "`org.opencontainers.image.source`, `.revision` or `.version`" + ` (an annotation on the
index or manifest, on a platform's manifest, or a config label) disagrees with
the ledger's ` + "`repository.url`" + `, the release's ` + "`revision`" + ` or its ` + "`version`" + `. The image says
it came from elsewhere: another repository, another commit or another release,
so the ledger no longer traces what was published. Source URLs are compared
ignoring a trailing ` + "`.git`" + ` or slash; a revision may be abbreviated to 7 or more
hex digits; versions may differ by a leading ` + "`v`" + `.`,
	Example: "releases:\n  - version: 1.4.0\n    revision: 3f2c...   # the image's org.opencontainers.image.revision is 9a1b...",
}
