package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp104 = &Rule{
	ID: "RP104", Severity: finding.Error, Phase: Lint,
	Title:  "workflow builder file does not exist",
	Clause: clausePrivileged,
	Quote:  "Privileged builders MUST be attributable to a specific automation identity, release workflow, or named release procedure.",
	Doc: `A builder of kind ` + "`workflow`" + ` whose ` + "`ref`" + ` names no file in the repository. The
release workflow must be version-controlled so it follows normal change
control and can be attributed.`,
	Example: "builders:\n  - id: release\n    kind: workflow\n    ref: .github/workflows/release.yml   # missing",
	Check: func(c *Context) {
		for i, b := range c.Doc.Policy.Release.Builders {
			if b.Kind == "workflow" && !c.Exists(b.Ref) {
				c.At(ptr("release", "builders", i, "ref"), fmt.Sprintf("release workflow %q does not exist in the repository", b.Ref),
					"commit the workflow file, or correct ref (relative to the repository root)")
			}
		}
	},
}
