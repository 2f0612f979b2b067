package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp303 = &Rule{
	ID: "RP303", Severity: finding.Warning, Phase: Lint,
	Title:  "file artifacts without a checksum file",
	Clause: clauseProvenance,
	Quote:  "For file artifacts, a checksum file (for example SHA-256) SHOULD accompany the release.",
	Doc: `The repository publishes file-type artifacts (anything but oci-image and
oci-artifact) but declares no ` + "`provenance.checksums`" + ` file published with every release.`,
	Example: "provenance:\n  checksums:\n    algorithm: sha256\n    file: SHA256SUMS",
	Check: func(c *Context) {
		p := c.Doc.Policy
		if p.Provenance.Checksums != nil {
			return
		}
		for i, a := range p.Artifacts {
			if !a.IsOCI() {
				c.At(ptr("artifacts", i, "type"), fmt.Sprintf("file artifact %q but no provenance.checksums", a.ID),
					"publish a checksum file (e.g. SHA256SUMS) with every release and declare it in provenance.checksums")
				return
			}
		}
	},
}
