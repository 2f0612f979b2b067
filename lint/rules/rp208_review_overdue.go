package rules

import (
	"fmt"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
)

const day = 24 * time.Hour

var rp208 = &Rule{
	ID: "RP208", Severity: finding.Error, Phase: Lint,
	Title:  "privileged builder review overdue",
	Clause: clauseAudit,
	Quote:  "Privileged builder scope and publication controls SHOULD be reviewed periodically (at least quarterly) and whenever a repository makes major build or release changes.",
	Doc: `` + "`review.last`" + ` plus ` + "`review.interval_days`" + ` (default 90) lies before today (` + "`--now`" + `,
else ` + "`SOURCE_DATE_EPOCH`" + `, else the clock). Review who and what can publish official
artifacts, then update ` + "`review.last`" + `.`,
	Example: "review:\n  last: 2025-01-10\n  interval_days: 90",
	Check: func(c *Context) {
		p := c.Doc.Policy
		last, ok := p.Review.Last.Time()
		if !ok {
			return
		}
		due := last.Add(time.Duration(p.ReviewInterval()) * day)
		if today(c.Now).After(due) {
			c.At("/review/last", fmt.Sprintf("builder review overdue: last %s, due %s", p.Review.Last, due.Format(time.DateOnly)),
				"review privileged builders and publication controls, then set review.last to the review date")
		}
	},
}

// today truncates t to its UTC date.
func today(t time.Time) time.Time {
	return t.UTC().Truncate(day)
}
