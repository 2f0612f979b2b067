package rules

import (
	"fmt"
	"slices"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp219 = &Rule{
	ID: "RP219", Severity: finding.Error, Phase: Lint,
	Title:  "builder declaration contradicted by its workflow",
	Clause: clauseAudit,
	Quote:  quoteAudit,
	Doc: `The policy's record of a workflow builder says one thing and the workflow
GitHub runs does another; the record must describe the real builder.

- ` + "`infrastructure: third-party-hosted`" + ` but a release job runs on a self-hosted runner
  (the ` + "`self-hosted`" + ` label, a runner group, a label of the organization config's
  ` + "`internal_runner_labels`" + `, or any label GitHub does not host); or
  ` + "`organization-controlled`" + ` but a job runs on a GitHub-hosted label (` + "`ubuntu-latest`" + `).
- ` + "`credentials: short-lived`" + ` but a release job reads a stored credential secret (a name
  with PASSWORD, TOKEN, KEY, SECRET, PAT or CREDENTIAL). (The opposite, ` + "`long-lived`" + `
  while the jobs use only OIDC, over-declares and exposes nothing: RP205 says
  so in its warning.)
- ` + "`isolated: true`" + ` but the release workflow also runs on pull-request events and has
  an ungated job holding release credentials, so the release job shares its
  workflow with pull-request validation.

Reported in the workflow, at the job, secret or trigger that contradicts.

Fix: correct the declaration, or change the workflow to match it.`,
	Example: "# release-policy.yaml: infrastructure: organization-controlled\njobs:\n  release:\n    runs-on: ubuntu-latest",
	Check: func(c *Context) {
		internal := c.RunnerLabels
		for _, r := range c.releases() {
			jobs := r.jobs()
			for _, j := range jobs {
				if j.Uses.S != "" || j.RunsOnExpr {
					continue
				}
				orgRunner := j.SelfHosted() || slices.ContainsFunc(j.RunsOn, func(l string) bool { return slices.Contains(internal, l) })
				switch {
				case r.B.Infrastructure == "third-party-hosted" && orgRunner:
					c.reportAt(r.fileOf(j), j.RunsOnPos, fmt.Sprintf("builder %q declares infrastructure: third-party-hosted but job %q runs on a self-hosted runner (%s)", r.B.ID, j.ID, runnerDesc(j)),
						"declare infrastructure: organization-controlled, or run the job on GitHub-hosted runners")
				case r.B.Infrastructure == "organization-controlled" && !orgRunner && len(j.RunsOn) > 0:
					c.reportAt(r.fileOf(j), j.RunsOnPos, fmt.Sprintf("builder %q declares infrastructure: organization-controlled but job %q runs on GitHub-hosted %s", r.B.ID, j.ID, runnerDesc(j)),
						"run the job on the organization's runners (runs-on: [self-hosted, …] or a runner group), or declare infrastructure: third-party-hosted")
				}
			}
			for _, j := range jobs {
				for _, s := range j.Secrets {
					if s.All || !workflow.StoredCredential(s.Name) {
						continue
					}
					if r.B.Credentials == "short-lived" {
						c.reportAt(r.fileOf(j), s.Pos, fmt.Sprintf("builder %q declares credentials: short-lived but job %q reads the stored secret %s", r.B.ID, j.ID, s.Name),
							"federate with OIDC (id-token: write) instead of a stored password or token, or declare credentials: long-lived")
						break
					}
				}
			}
			if job, _, _ := exposed(jobs); r.B.Isolated && job != nil {
				for _, e := range r.entries() {
					if e.T.Event == "pull_request" || e.T.Event == "pull_request_target" {
						c.reportAt(e.F, e.T.Pos, fmt.Sprintf("builder %q declares isolated: true but its workflow also runs on %s, shared with pull-request validation", r.B.ID, e.T.Event),
							"validate pull requests in a separate workflow, or declare isolated: false")
					}
				}
			}
		}
	},
}

func runnerDesc(j *workflow.Job) string {
	if j.RunnerGroup != "" {
		return "group " + clip(j.RunnerGroup)
	}
	return quoteList(j.RunsOn)
}
