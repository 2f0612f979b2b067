package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp212 = &Rule{
	ID: "RP212", Severity: finding.Error, Phase: Lint,
	Title:  "attacker-controlled context interpolated into a release script",
	Clause: clausePrivileged,
	Quote:  "Release credentials MUST NOT be exposed to forked pull requests or other untrusted execution paths.",
	Doc: `A job of a release workflow that holds release credentials (writes, secrets,
` + "`id-token: write`" + `, the default token) interpolates an attacker-controllable context —
` + "`github.event.head_commit.message`" + ` (a squash-merged pull request's title),
` + "`github.event.pull_request.title/body/head.ref`" + `, ` + "`github.head_ref`" + `, issue and comment
bodies, ` + "`workflow_run.head_branch`" + ` … — into a ` + "`run:`" + ` script (or an ` + "`actions/github-script`" + `
script). The value is pasted into the shell before it runs, so a crafted title
runs commands with the job's credentials. The contexts are actionlint's
untrusted-input list plus workflow_run's head fields; expressions are parsed, so
` + "`contains(github.event.issue.title, 'x')`" + ` is not reported.

Fix: pass the value through ` + "`env:`" + ` and quote the variable (` + "`\"$TITLE\"`" + `).`,
	Example: "on:\n  push:\n    tags: ['v*']\npermissions:\n  contents: write\njobs:\n  r:\n    steps:\n      - run: gh release create \"$GITHUB_REF_NAME\" --notes \"${{ github.event.head_commit.message }}\"",
	Check: func(c *Context) {
		for _, r := range c.releases() {
			for _, j := range r.jobs() {
				h := j.Holds()
				if !h.Privileged() {
					continue
				}
				for _, u := range j.Untrusted {
					c.reportAt(r.fileOf(j), u.Pos, fmt.Sprintf("job %q interpolates attacker-controllable %q into a script while holding %s", j.ID, u.Path, h),
						"pass the value through env: (e.g. env: {TITLE: ${{ … }}}) and use \"$TITLE\" in the script")
				}
			}
		}
	},
}
