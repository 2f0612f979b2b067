package rules

import (
	"fmt"
	"path"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

var rp305 = &Rule{
	ID: "RP305", Severity: finding.Error, Phase: Lint,
	Title:  "release tag matches no trusted release context",
	Clause: clauseSource,
	Quote:  "Official artifacts MUST be produced only from trusted release contexts.",
	Doc: `A ledger entry's ` + "`tag`" + ` matches no ` + "`release.contexts`" + ` entry: neither a ` + "`tag`" + ` context
whose glob matches the tag name nor a ` + "`ref`" + ` context matching ` + "`refs/tags/<tag>`" + `.
Either the release did not come from a trusted context, or the contexts are
incomplete.`,
	Example: "contexts:\n  - {type: tag, pattern: \"v*\", protected: true}\nreleases:\n  - tag: nightly-2026",
	Check: func(c *Context) {
		p := c.Doc.Policy
		for i, r := range p.Releases {
			if r.Tag != "" && !tagTrusted(p.Release.Contexts, r.Tag) {
				c.At(ptr("releases", i, "tag"), fmt.Sprintf("release %s tag %q matches no trusted release context", r.Version, r.Tag),
					"publish official releases only from protected tags matching release.contexts, or add the context")
			}
		}
	},
}

func tagTrusted(ctxs []schema.Context, tag string) bool {
	for _, x := range ctxs {
		var name string
		switch x.Type {
		case "tag":
			name = tag
		case "ref":
			name = "refs/tags/" + tag
		default:
			continue
		}
		if ok, _ := path.Match(x.Pattern, name); ok {
			return true
		}
	}
	return false
}
