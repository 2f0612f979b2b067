package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/filterpattern"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

var rp305 = &Rule{
	ID: "RP305", Severity: finding.Error, Phase: Lint,
	Title:  "release tag matches no trusted release context",
	Clause: clauseSource,
	Quote:  "Official artifacts MUST be produced only from trusted release contexts.",
	Doc: `A ledger entry's ` + "`tag`" + ` matches no ` + "`release.contexts`" + ` entry: neither a ` + "`tag`" + ` context
whose pattern matches the tag name nor a ` + "`ref`" + ` context matching ` + "`refs/tags/<tag>`" + `.
Patterns use GitHub's filter-pattern syntax, as in ` + "`on.push.tags`" + ` (` + "`*`" + `, ` + "`**`" + `, ` + "`?`" + `, ` + "`+`" + `,
` + "`[]`" + `, ` + "`\\`" + `); a pattern starting with ` + "`!`" + ` excludes what the contexts of the same
type before it matched, as in a workflow's tag list. Either the release did not come from a trusted context, or the contexts are
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

// tagTrusted applies the tag contexts to the tag name and the ref contexts
// to refs/tags/<tag>, each as one ordered GitHub filter (later ! patterns
// exclude what earlier ones matched).
func tagTrusted(ctxs []schema.Context, tag string) bool {
	var tags, refs []string
	for _, x := range ctxs {
		switch x.Type {
		case "tag":
			tags = append(tags, x.Pattern)
		case "ref":
			refs = append(refs, x.Pattern)
		}
	}
	return filterpattern.MatchList(tags, tag) || filterpattern.MatchList(refs, "refs/tags/"+tag)
}
