package rules

import (
	"fmt"
	"regexp"

	"github.com/tooo/relpolicy/lint/finding"
)

var fullSHA = regexp.MustCompile(`^(?:[0-9a-f]{40}|[0-9a-f]{64})$`)

var rp304 = &Rule{
	ID: "RP304", Severity: finding.Error, Phase: Lint,
	Title:  "release lacks traceability",
	Clause: clauseAudit,
	Quote:  "A repository MUST be able to answer, for an official artifact: what source it came from, what exact revision produced it, where it was officially published, and what stable artifact identity users should rely on.",
	Doc: `A ledger entry that cannot answer those questions: an OCI artifact without
` + "`reference`" + ` or ` + "`digest`" + `, a file artifact without ` + "`files`" + `, a file without ` + "`sha256`" + `, or a
` + "`revision`" + ` that is not a full lowercase commit SHA (40 or 64 hex digits). Short
SHAs are ambiguous and can collide.`,
	Example: "releases:\n  - version: 1.0.0\n    revision: 3f2c1ab   # not a full SHA",
	Check: func(c *Context) {
		p := c.Doc.Policy
		for i, r := range p.Releases {
			if !fullSHA.MatchString(r.Revision) {
				c.At(ptr("releases", i, "revision"), fmt.Sprintf("release %s revision %q is not a full commit SHA", r.Version, r.Revision),
					"record the full 40- (or 64-) hex commit SHA: git rev-parse <tag>^{commit}")
			}
			for j, ra := range r.Artifacts {
				a, ok := p.Artifact(ra.ID)
				if !ok {
					continue // RP101
				}
				switch {
				case a.IsOCI():
					if ra.Digest == "" {
						c.At(ptr("releases", i, "artifacts", j), fmt.Sprintf("release %s artifact %q has no digest", r.Version, ra.ID),
							"record the manifest digest (sha256:...) the release pushed")
					}
					if ra.Reference == "" {
						c.At(ptr("releases", i, "artifacts", j), fmt.Sprintf("release %s artifact %q has no reference", r.Version, ra.ID),
							"record the reference as published, e.g. ghcr.io/org/app:1.0.0")
					}
				case len(ra.Files) == 0:
					c.At(ptr("releases", i, "artifacts", j), fmt.Sprintf("release %s artifact %q lists no files", r.Version, ra.ID),
						"list every published file with its url and sha256")
				default:
					for k, f := range ra.Files {
						if f.SHA256 == "" {
							c.At(ptr("releases", i, "artifacts", j, "files", k), fmt.Sprintf("release %s file %q has no sha256", r.Version, f.Name),
								"record the file's SHA-256 (sha256sum FILE)")
						}
					}
				}
			}
		}
	},
}
