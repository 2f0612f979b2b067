package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp201 = &Rule{
	ID: "RP201", Severity: finding.Error, Phase: Lint,
	Title:  "trusted release context not protected",
	Clause: clauseSource,
	Quote:  "Official artifacts MUST be produced only from trusted release contexts. (Definitions: Trusted release context — a controlled source context authorized to produce official artifacts, such as a protected branch, approved tag, or equivalent repository-defined release ref.)",
	Doc: `A release context with ` + "`protected: false`" + `. An unprotected tag or branch lets anyone
with push access cut an official release without review. Protect it with a
branch protection rule or ruleset (tag protection for tags), then set
` + "`protected: true`" + `.`,
	Example: "contexts:\n  - type: tag\n    pattern: \"v*\"\n    protected: false",
	Check: func(c *Context) {
		for i, x := range c.Doc.Policy.Release.Contexts {
			if !x.Protected {
				c.At(ptr("release", "contexts", i, "protected"), fmt.Sprintf("release context %s %q is not protected", x.Type, x.Pattern),
					"protect matching refs with a ruleset, then set protected: true")
			}
		}
	},
}
