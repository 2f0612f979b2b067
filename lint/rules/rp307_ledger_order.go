package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp307 = &Rule{
	ID: "RP307", Severity: finding.Warning, Phase: Lint,
	Title:  "release published in the future, or ledger not newest-first",
	Clause: clauseProvenance, Quote: quoteTraceable,
	Doc: `A ledger entry's ` + "`published`" + ` lies after now (` + "`--now`" + `, else ` + "`SOURCE_DATE_EPOCH`" + `, else
the clock), or an entry was published after the one listed above it. The
publication timestamp is part of an artifact's minimum provenance; a wrong one
misleads users, and the newest-first order is what the site shows.`,
	Example: "releases:\n  - version: 1.0.0\n    published: 2026-01-01T00:00:00Z\n  - version: 1.1.0   # newer, but listed below\n    published: 2026-03-01T00:00:00Z",
	Check: func(c *Context) {
		p := c.Doc.Policy
		for i, r := range p.Releases {
			t, ok := r.Published.Time()
			if !ok {
				continue
			}
			if t.After(c.Now) {
				c.At(ptr("releases", i, "published"), fmt.Sprintf("release %s published %s is in the future", r.Version, r.Published),
					"record the actual publication time (UTC, RFC 3339)")
			}
			if i == 0 {
				continue
			}
			if prev, ok := p.Releases[i-1].Published.Time(); ok && t.After(prev) {
				c.At(ptr("releases", i, "published"), fmt.Sprintf("ledger is not newest-first: %s (%s) is listed after %s (%s)", r.Version, r.Published, p.Releases[i-1].Version, p.Releases[i-1].Published),
					"list releases newest first; add new releases at the top")
			}
		}
	},
}
