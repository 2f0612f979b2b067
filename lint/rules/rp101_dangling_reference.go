package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

var rp101 = &Rule{
	ID: "RP101", Severity: finding.Error, Phase: Lint,
	Title:  "dangling reference",
	Clause: clauseAudit, Quote: quoteAudit,
	Doc: `An id that names nothing: an artifact's ` + "`channels`" + ` or ` + "`build`" + `, an exception's
` + "`artifacts`" + `, or a release's ` + "`artifacts[].id`" + `. The record must connect each
artifact to the channel it is published through and the entrypoint that builds it.`,
	Example: "artifacts:\n  - id: app\n    channels: [dockerhub]   # no channel with id dockerhub",
	Check: func(c *Context) {
		p := c.Doc.Policy
		channels := ids(p.Channels, func(x schema.Channel) schema.Slug { return x.ID })
		entry := ids(p.Build.Entrypoints, func(x schema.Entrypoint) schema.Slug { return x.ID })
		arts := ids(p.Artifacts, func(x schema.Artifact) schema.Slug { return x.ID })
		miss := func(ptr, kind string, id schema.Slug, known []string) {
			c.At(ptr, fmt.Sprintf("%s %q is not declared", kind, id), fmt.Sprintf("use one of: %s", strings.Join(known, ", ")))
		}
		for i, a := range p.Artifacts {
			for j, ch := range a.Channels {
				if !slices.Contains(channels, string(ch)) {
					miss(ptr("artifacts", i, "channels", j), "channel", ch, channels)
				}
			}
			if !slices.Contains(entry, string(a.Build)) {
				miss(ptr("artifacts", i, "build"), "entrypoint", a.Build, entry)
			}
		}
		for i, e := range p.Exceptions {
			for j, id := range e.Artifacts {
				if !slices.Contains(arts, string(id)) {
					miss(ptr("exceptions", i, "artifacts", j), "artifact", id, arts)
				}
			}
		}
		for i, r := range p.Releases {
			for j, ra := range r.Artifacts {
				if !slices.Contains(arts, string(ra.ID)) {
					miss(ptr("releases", i, "artifacts", j, "id"), "artifact", ra.ID, arts)
				}
			}
		}
	},
}

func ids[T any](xs []T, id func(T) schema.Slug) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, string(id(x)))
	}
	return out
}
