package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp205 = &Rule{
	ID: "RP205", Severity: finding.Warning, Phase: Lint,
	Title:  "builder with long-lived credentials",
	Clause: clausePrivileged,
	Quote:  "Credentials SHOULD be short-lived where feasible and MUST NOT be written to logs or embedded in build artifacts.",
	Doc: `A builder holds long-lived release credentials. Prefer short-lived,
federated credentials (OIDC to the registry or cloud, keyless signing). Where
a long-lived key is unavoidable (an HSM-held firmware key), suppress with a
reason: ` + "`# relpolicy:ignore RP205 -- reason`" + `.

For a workflow builder whose jobs use only OIDC (` + "`id-token: write`" + `) and no stored
credential secret, the message says so: the declaration looks stale.`,
	Example: "builders:\n  - id: release\n    credentials: long-lived",
	Check: func(c *Context) {
		oidcOnly := map[int]bool{}
		for _, r := range c.releases() {
			stored, oidc := false, false
			for _, j := range r.jobs() {
				oidc = oidc || j.Holds().IDToken
				for _, s := range j.Secrets {
					stored = stored || s.All || workflow.StoredCredential(s.Name)
				}
			}
			oidcOnly[r.I] = oidc && !stored
		}
		for i, b := range c.Doc.Policy.Release.Builders {
			if b.Credentials == "long-lived" {
				msg := fmt.Sprintf("builder %q uses long-lived credentials", b.ID)
				if oidcOnly[i] {
					msg += "; its workflow uses only OIDC (id-token: write) and no stored credential, so the declaration may be stale"
				}
				c.At(ptr("release", "builders", i, "credentials"), msg,
					"switch to short-lived credentials (OIDC federation, keyless signing) where feasible")
			}
		}
	},
}
