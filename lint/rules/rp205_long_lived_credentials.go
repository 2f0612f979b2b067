package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp205 = &Rule{
	ID: "RP205", Severity: finding.Warning, Phase: Lint,
	Title:  "builder with long-lived credentials",
	Clause: clausePrivileged,
	Quote:  "Credentials SHOULD be short-lived where feasible and MUST NOT be written to logs or embedded in build artifacts.",
	Doc: `A builder holds long-lived release credentials. Prefer short-lived,
federated credentials (OIDC to the registry or cloud, keyless signing). Where
a long-lived key is unavoidable (an HSM-held firmware key), suppress with a
reason: ` + "`# relpolicy:ignore RP205 -- reason`" + `.`,
	Example: "builders:\n  - id: release\n    credentials: long-lived",
	Check: func(c *Context) {
		for i, b := range c.Doc.Policy.Release.Builders {
			if b.Credentials == "long-lived" {
				c.At(ptr("release", "builders", i, "credentials"), fmt.Sprintf("builder %q uses long-lived credentials", b.ID),
					"switch to short-lived credentials (OIDC federation, keyless signing) where feasible")
			}
		}
	},
}
