package rules

import (
	"fmt"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp218 = &Rule{
	ID: "RP218", Severity: finding.Error, Phase: Lint,
	Title:  "checkout credentials uploaded in an artifact",
	Clause: clausePrivileged,
	Quote:  "Credentials SHOULD be short-lived where feasible and MUST NOT be written to logs or embedded in build artifacts.",
	Doc: `A release job runs ` + "`actions/checkout`" + ` without ` + "`persist-credentials: false`" + `, so the job's
token is written into ` + "`.git/config`" + `, and then uploads the workspace (or a path that
contains it: ` + "`.`" + `, ` + "`./`" + `, ` + "`*`" + `, ` + "`**`" + `, ` + "`${{ github.workspace }}`" + `) with ` + "`actions/upload-artifact`" + `.
The token is then inside an artifact anyone with read access can download
("artipacked").

Fix: set ` + "`persist-credentials: false`" + ` on the checkout, and upload only the build
outputs (` + "`path: dist/`" + `).`,
	Example: "steps:\n  - uses: actions/checkout@<sha>\n  - uses: actions/upload-artifact@<sha>\n    with:\n      path: .",
	Check: func(c *Context) {
		for _, r := range c.releases() {
			for _, j := range r.jobs() {
				persisted := false
				for _, s := range j.Steps {
					if s.Is("actions/checkout") && strings.ToLower(strings.TrimSpace(s.With["persist-credentials"].S)) != "false" {
						persisted = true
					}
					if persisted && s.Is("actions/upload-artifact") && uploadsWorkspace(s.With["path"]) {
						c.reportAt(r.fileOf(j), s.Pos, fmt.Sprintf("job %q uploads the workspace after a checkout that persisted its token (persist-credentials not false)", j.ID),
							"set persist-credentials: false on actions/checkout and upload only build outputs")
						break
					}
				}
			}
		}
	},
}

// uploadsWorkspace reports whether an upload path includes the workspace
// root (and so .git/config).
func uploadsWorkspace(v workflow.Value) bool {
	for _, line := range strings.Split(v.S, "\n") {
		p := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(line), " ", ""))
		p = strings.TrimPrefix(p, "${{github.workspace}}")
		p = strings.TrimPrefix(p, "$github_workspace")
		p = strings.TrimPrefix(strings.TrimPrefix(p, "./"), "/")
		switch p {
		case "", ".", "*", "**", ".*", "**/*":
			if strings.TrimSpace(line) != "" {
				return true
			}
		}
	}
	return false
}
