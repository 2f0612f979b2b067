package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp202 = &Rule{
	ID: "RP202", Severity: finding.Error, Phase: Lint,
	Title:  "privileged builder runs untrusted code",
	Clause: clauseRule,
	Quote:  "5. Privileged builders MUST NOT execute untrusted public pull request code with release credentials or privileged network/storage access.",
	Doc: `A builder declares ` + "`runs_untrusted_code: true`" + `. A builder that holds release
credentials must never run code from forks or other untrusted sources; move
pull-request validation to a separate, unprivileged CI job.`,
	Example: "builders:\n  - id: release\n    runs_untrusted_code: true",
	Check: func(c *Context) {
		for i, b := range c.Doc.Policy.Release.Builders {
			if b.RunsUntrustedCode {
				c.At(ptr("release", "builders", i, "runs_untrusted_code"), fmt.Sprintf("privileged builder %q runs untrusted code", b.ID),
					"run pull-request validation in a separate unprivileged job; the release builder must only build trusted release contexts")
			}
		}
	},
}
