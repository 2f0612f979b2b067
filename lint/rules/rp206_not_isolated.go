package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp206 = &Rule{
	ID: "RP206", Severity: finding.Warning, Phase: Lint,
	Title:  "builder not isolated from validation CI",
	Clause: clausePrivileged,
	Quote:  "Where feasible, privileged release builders SHOULD use isolated execution environments separate from general-purpose CI validation jobs.",
	Doc: `A privileged builder shares its execution environment with general CI
validation. Run releases in a separate workflow, environment or runner pool
that validation jobs cannot reach.`,
	Example: "builders:\n  - id: release\n    isolated: false",
	Check: func(c *Context) {
		for i, b := range c.Doc.Policy.Release.Builders {
			if !b.Isolated {
				c.At(ptr("release", "builders", i, "isolated"), fmt.Sprintf("builder %q is not isolated from validation CI", b.ID),
					"run releases in a separate workflow or runner pool with its own environment")
			}
		}
	},
}
