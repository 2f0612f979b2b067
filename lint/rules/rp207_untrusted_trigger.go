package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp207 = &Rule{
	ID: "RP207", Severity: finding.Error, Phase: Lint,
	Title:  "release workflow runs on untrusted triggers with privileges",
	Clause: clausePrivileged,
	Quote:  "Release credentials MUST NOT be exposed to forked pull requests or other untrusted execution paths.",
	Doc: `A builder of kind ` + "`workflow`" + ` whose workflow runs on an event outsiders
drive — ` + "`pull_request_target`" + `, ` + "`pull_request`" + `, ` + "`pull_request_review(_comment)`" + `,
` + "`issue_comment`" + `, ` + "`issues`" + `, ` + "`discussion(_comment)`" + `, ` + "`workflow_run`" + ` — while a job it
runs holds secrets (` + "`${{ secrets.X }}`" + `, ` + "`toJSON(secrets)`" + `, ` + "`secrets: inherit`" + `), write
permissions, ` + "`id-token: write`" + `, or no ` + "`permissions`" + ` at all (the job's token then has the
repository default, which may include write). Permissions are read per job: a
job's own block replaces the workflow's. A ` + "`workflow_call`" + ` release workflow is
checked through its callers in the repository, with the calling job's token and
the secrets it passes. Jobs gated by ` + "`if:`" + ` to tag refs or push events, or
guarded by a deployment ` + "`environment`" + `, are honoured as gated (relpolicy cannot
read the environment's protection rules; keep required reviewers on it).

A workflow relpolicy cannot read (unreadable, larger than 1 MiB, not YAML) is
reported here too: a check that cannot run must not read as clean.

Fix: trigger releases only on pushes of protected tags or branches (or
` + "`workflow_dispatch`" + ` from them), and keep pull-request validation in a separate
workflow with ` + "`permissions: contents: read`" + ` and no secrets.`,
	Example: "on:\n  pull_request_target:\npermissions:\n  contents: write",
	Check: func(c *Context) {
		m := c.Workflows()
		for _, b := range c.Doc.Policy.Release.Builders {
			if b.Kind != "workflow" {
				continue
			}
			if p := m.Problem(b.Ref); p != nil {
				c.Report(p.Path, p.Line, p.Column, fmt.Sprintf("release workflow of builder %q cannot be checked: %s", b.ID, p.Msg),
					"make the workflow readable YAML under 1 MiB; relpolicy does not treat an unchecked workflow as safe")
			}
		}
		hint := "trigger releases only on protected tags/branches; validate pull requests in a separate workflow with permissions: contents: read and no secrets"
		for _, r := range c.releases() {
			if job, h, n := exposed(r.jobs()); job != nil {
				for _, t := range r.F.UntrustedTriggers() {
					c.reportAt(r.F, t.Pos, fmt.Sprintf("release workflow of builder %q runs on %s while job %q holds %s%s", r.B.ID, t.Event, job.ID, h, more(n)), hint)
				}
			}
			call := r.F.Trigger("workflow_call")
			at := workflow.Pos{Line: 1, Column: 1}
			if call != nil {
				at = call.Pos
			}
			for _, g := range r.Callers {
				ts := g.UntrustedTriggers()
				if len(ts) == 0 {
					continue
				}
				var callers []*workflow.Job
				for _, j := range g.Jobs {
					if _, ok := workflow.LocalCall(j.Uses.S); ok {
						callers = append(callers, j)
					}
				}
				if job, h, n := exposed(callers); job != nil {
					c.reportAt(r.F, at, fmt.Sprintf("release workflow of builder %q is called from %s (on %s) by job %q holding %s%s", r.B.ID, g.Path, ts[0].Event, job.ID, h, more(n)), hint)
				}
			}
		}
	},
}

// exposed returns the first ungated privileged job, what it holds, and
// how many other such jobs there are.
// Exposed returns the first job of jobs that holds release credentials
// (Holds.Privileged) and is not gated (Job.Gated), or nil: the job RP207 and
// RP219's isolated check report, and relpolicy init drafts isolated by.
func Exposed(jobs []*workflow.Job) *workflow.Job {
	j, _, _ := exposed(jobs)
	return j
}

func exposed(jobs []*workflow.Job) (*workflow.Job, string, int) {
	var first *workflow.Job
	var holds string
	n := 0
	for _, j := range jobs {
		h := j.Holds()
		if !h.Privileged() || j.Gated() {
			continue
		}
		if first == nil {
			first, holds = j, h.String()
		} else {
			n++
		}
	}
	return first, holds, n
}

func more(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " (and 1 more job)"
	}
	return fmt.Sprintf(" (and %d more jobs)", n)
}
