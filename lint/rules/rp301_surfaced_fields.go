package rules

import (
	"fmt"
	"slices"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

var rp301 = &Rule{
	ID: "RP301", Severity: finding.Error, Phase: Lint,
	Title:  "required provenance field not surfaced",
	Clause: clauseProvenance, Quote: quoteTraceable,
	Doc: `` + "`provenance.surfaced`" + ` must list every minimum provenance field users can inspect:
` + "`source`" + `, ` + "`revision`" + `, ` + "`version`" + `, ` + "`created`" + ` and ` + "`digest`" + ` (the digest, checksum or
equivalent stable reference).`,
	Example: "provenance:\n  surfaced: [source, revision, version, digest]   # created missing",
	Check: func(c *Context) {
		got := c.Doc.Policy.Provenance.Surfaced
		for _, f := range schema.SurfacedFields {
			if !slices.Contains(got, f) {
				c.At("/provenance/surfaced", fmt.Sprintf("provenance field %q is not surfaced to users", f),
					fmt.Sprintf("publish %s with every artifact (OCI labels, release notes) and add it to provenance.surfaced", f))
			}
		}
	},
}
