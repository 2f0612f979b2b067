package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp203 = &Rule{
	ID: "RP203", Severity: finding.Error, Phase: Lint,
	Title:  "heavy artifacts but no organization-controlled builder",
	Clause: clauseRule,
	Quote:  "4. Official heavy-artifact release capability MUST remain operable on organization-controlled build infrastructure and MUST NOT depend exclusively on third-party hosted CI execution.",
	Doc: `The repository publishes heavy artifacts (os-image, installer, firmware and
airgap-bundle are heavy unless ` + "`heavy: false`" + `) but every builder is
` + "`third-party-hosted`" + `. An outage of the hosted CI would stop official heavy releases.
Add a builder on organization-controlled infrastructure.`,
	Example: "artifacts:\n  - id: os\n    type: os-image\nrelease:\n  builders:\n    - infrastructure: third-party-hosted",
	Check: func(c *Context) {
		p := c.Doc.Policy
		heavy := firstHeavy(c)
		if heavy < 0 {
			return
		}
		for _, b := range p.Release.Builders {
			if b.Infrastructure == "organization-controlled" {
				return
			}
		}
		c.AtKey("/release/builders", fmt.Sprintf("heavy artifact %q has no organization-controlled builder", p.Artifacts[heavy].ID),
			"add a builder with infrastructure: organization-controlled so heavy releases do not depend only on hosted CI")
	},
}

// firstHeavy returns the index of the first heavy artifact, or -1.
func firstHeavy(c *Context) int {
	for i, a := range c.Doc.Policy.Artifacts {
		if a.IsHeavy() {
			return i
		}
	}
	return -1
}
