package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp204 = &Rule{
	ID: "RP204", Severity: finding.Error, Phase: Lint,
	Title:  "heavy artifacts but no documented continuity path",
	Clause: clauseContinuity,
	Quote:  "Each repository that produces official heavy artifacts MUST maintain at least one documented organization-controlled release path.",
	Doc: `The repository publishes heavy artifacts but has no ` + "`release.continuity`" + `: the
document describing how to cut an official release on organization-controlled
infrastructure, and when that path was last revalidated.`,
	Example: "release:\n  continuity:\n    path: docs/release/heavy-release.md\n    revalidated: 2026-10-01",
	Check: func(c *Context) {
		p := c.Doc.Policy
		heavy := firstHeavy(c)
		if heavy < 0 || p.Release.Continuity != nil {
			return
		}
		c.AtKey("/release", fmt.Sprintf("heavy artifact %q but release.continuity is missing", p.Artifacts[heavy].ID),
			"document the organization-controlled release path and add release.continuity {path, revalidated}")
	},
}
