package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp215 = &Rule{
	ID: "RP215", Severity: finding.Error, Phase: Lint,
	Title:  "every release secret handed to a reusable workflow in another repository",
	Clause: clausePrivileged,
	Quote:  "Privileged builders MUST use least-privilege credentials.",
	Doc: `A job of a release workflow (or of a workflow calling it) calls a reusable
workflow in another repository with ` + "`secrets: inherit`" + ` or passes ` + "`${{ toJSON(secrets) }}`" + `:
every secret of the repository (and of the organization, and of the
environment) goes to code the repository does not control. A local call
(` + "`uses: ./.github/workflows/…`" + `) is followed instead.

Fix: pass only the secrets the called workflow declares
(` + "`secrets: {registry-token: ${{ secrets.REGISTRY_TOKEN }}}`" + `), and pin the call to a commit.`,
	Example: "jobs:\n  publish:\n    uses: other-org/workflows/.github/workflows/publish.yml@v1\n    secrets: inherit",
	Check: func(c *Context) {
		for _, r := range c.releases() {
			files := append([]*workflow.File{r.F}, r.Callees...)
			files = append(files, r.Callers...)
			for _, f := range files {
				for _, j := range f.Jobs {
					if j.Uses.S == "" {
						continue
					}
					if _, local := workflow.LocalCall(j.Uses.S); local {
						continue
					}
					for _, s := range j.Secrets {
						if s.All {
							how := "secrets: inherit"
							if !j.SecretsInherit {
								how = "the whole secrets context"
							}
							c.reportAt(f, s.Pos, fmt.Sprintf("job %q hands %s to %s, a workflow in another repository", j.ID, how, clip(j.Uses.S)),
								"pass only the secrets the called workflow declares, by name")
							break
						}
					}
				}
			}
		}
	},
}
