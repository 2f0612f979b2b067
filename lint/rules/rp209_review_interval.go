package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp209 = &Rule{
	ID: "RP209", Severity: finding.Warning, Phase: Lint,
	Title:   "review interval longer than a quarter",
	Clause:  clauseAudit,
	Quote:   "Privileged builder scope and publication controls SHOULD be reviewed periodically (at least quarterly) and whenever a repository makes major build or release changes.",
	Doc:     `` + "`review.interval_days`" + ` is more than 92 days: the policy expects at least quarterly reviews.`,
	Example: "review:\n  last: 2026-10-01\n  interval_days: 180",
	Check: func(c *Context) {
		if n := c.Doc.Policy.Review.IntervalDays; n > 92 {
			c.At("/review/interval_days", fmt.Sprintf("review interval of %d days is longer than a quarter", n),
				"set interval_days to 92 or less")
		}
	},
}
