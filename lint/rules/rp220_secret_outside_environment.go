package rules

import (
	"fmt"
	"slices"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp220 = &Rule{
	ID: "RP220", Severity: finding.Warning, Phase: Lint,
	Title:  "release secret used outside a deployment environment",
	Clause: clausePrivileged,
	Quote:  "Privileged builders MUST use least-privilege credentials.",
	Doc: `A release job reads a repository secret (other than ` + "`GITHUB_TOKEN`" + `) but names no
deployment ` + "`environment`" + `. Repository secrets reach every job of every workflow,
on any branch; an environment's secrets reach only jobs that name it, and the
environment can require reviewers and restrict which refs deploy. A warning:
hygiene.

Fix: move the secret into an environment (` + "`environment: release`" + `) protected with
required reviewers and a deployment-tag rule, and name it on the publishing job.`,
	Example: "jobs:\n  release:\n    steps:\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}",
	Check: func(c *Context) {
		for _, r := range c.releases() {
			for _, j := range r.jobs() {
				if j.Environment != "" || j.Uses.S != "" {
					continue
				}
				var names []string
				var at workflow.Pos
				for _, s := range j.Secrets {
					if !s.All && !slices.Contains(names, s.Name) {
						if len(names) == 0 {
							at = s.Pos
						}
						names = append(names, s.Name)
					}
				}
				if len(names) > 0 {
					c.reportAt(r.fileOf(j), at, fmt.Sprintf("job %q reads secrets (%s) without a deployment environment", j.ID, workflow.List(names)),
						"move the secrets to a protected environment and set environment: on the job")
				}
			}
		}
	},
}
