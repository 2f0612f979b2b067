package rules

import (
	"fmt"
	"slices"

	"github.com/tooo/relpolicy/lint/finding"
)

// ApprovalRoles are the roles every exception needs.
var ApprovalRoles = []string{"repository-admins", "platform-security"}

var rp210 = &Rule{
	ID: "RP210", Severity: finding.Error, Phase: Lint,
	Title:  "expired or unapproved exception",
	Clause: clauseExceptions,
	Quote:  "Any exception must: be approved by repository administrators and the org platform/security owner; be time-limited; be documented with: reason, scope, impacted artifacts, corrective actions.",
	Doc: `An exception whose ` + "`expires`" + ` date has passed, or whose ` + "`approved_by`" + ` lacks
` + "`repository-admins`" + ` or ` + "`platform-security`" + `. Remove resolved exceptions; renew a
still-needed one with both approvals and a new expiry.`,
	Example: "exceptions:\n  - id: exc-1\n    approved_by: [repository-admins]\n    expires: 2026-06-30",
	Check: func(c *Context) {
		for i, e := range c.Doc.Policy.Exceptions {
			if exp, ok := e.Expires.Time(); ok && today(c.Now).After(exp) {
				c.At(ptr("exceptions", i, "expires"), fmt.Sprintf("exception %q expired on %s", e.ID, e.Expires),
					"remove the exception once resolved, or renew it with both approvals and a new expiry")
			}
			for _, role := range ApprovalRoles {
				if !slices.Contains(e.ApprovedBy, role) {
					c.At(ptr("exceptions", i, "approved_by"), fmt.Sprintf("exception %q lacks approval by %s", e.ID, role),
						"exceptions need both repository-admins and platform-security in approved_by")
				}
			}
		}
	},
}
