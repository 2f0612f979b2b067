package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

var rp102 = &Rule{
	ID: "RP102", Severity: finding.Error, Phase: Lint,
	Title:  "duplicate id or release version",
	Clause: clauseAudit, Quote: quoteAudit,
	Doc: `Two entries of one list share an id (artifacts, channels, entrypoints,
builders, exceptions, a release's artifacts), or the ledger lists one version
twice. References would be ambiguous, and a version must name one release.`,
	Example: "channels:\n  - id: ghcr\n    ...\n  - id: ghcr   # again",
	Check: func(c *Context) {
		p := c.Doc.Policy
		dup := func(list string, keys []string, field string) {
			seen := map[string]int{}
			for i, k := range keys {
				if first, ok := seen[k]; ok {
					c.At(ptr(list, i, field), fmt.Sprintf("duplicate %s %q in %s (first at index %d)", field, k, list, first),
						"give each entry a unique "+field)
					continue
				}
				seen[k] = i
			}
		}
		dup("artifacts", ids(p.Artifacts, func(x schema.Artifact) schema.Slug { return x.ID }), "id")
		dup("channels", ids(p.Channels, func(x schema.Channel) schema.Slug { return x.ID }), "id")
		dup("build/entrypoints", ids(p.Build.Entrypoints, func(x schema.Entrypoint) schema.Slug { return x.ID }), "id")
		dup("release/builders", ids(p.Release.Builders, func(x schema.Builder) schema.Slug { return x.ID }), "id")
		dup("exceptions", ids(p.Exceptions, func(x schema.Exception) schema.Slug { return x.ID }), "id")
		versions := make([]string, len(p.Releases))
		for i, r := range p.Releases {
			versions[i] = string(r.Version)
			dup(fmt.Sprintf("releases/%d/artifacts", i), ids(r.Artifacts, func(x schema.ReleaseArtifact) schema.Slug { return x.ID }), "id")
		}
		dup("releases", versions, "version")
	},
}
