package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

var rp302 = &Rule{
	ID: "RP302", Severity: finding.Warning, Phase: Lint,
	Title:  "OCI artifact not identified by digest",
	Clause: clauseProvenance,
	Quote:  "For OCI artifacts, the canonical identity SHOULD be the digest.",
	Doc: `An OCI image or artifact whose ` + "`identity`" + ` is not ` + "`digest`" + `. Tags move; digests do not.
Tell users to pin ` + "`registry/repo@sha256:...`" + `.`,
	Example: "artifacts:\n  - id: app\n    type: oci-image\n    identity: version-tag",
	Check: func(c *Context) {
		for i, a := range c.Doc.Policy.Artifacts {
			if a.IsOCI() && a.Identity != schema.ByDigest {
				c.At(ptr("artifacts", i, "identity"), fmt.Sprintf("OCI artifact %q is identified by %s, not digest", a.ID, a.Identity),
					"set identity: digest and document pulling by @sha256:...")
			}
		}
	},
}
