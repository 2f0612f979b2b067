package rules

import (
	"fmt"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp207 = &Rule{
	ID: "RP207", Severity: finding.Error, Phase: Lint,
	Title:  "release workflow runs on untrusted triggers with privileges",
	Clause: clausePrivileged,
	Quote:  "Release credentials MUST NOT be exposed to forked pull requests or other untrusted execution paths.",
	Doc: `A builder of kind ` + "`workflow`" + ` whose workflow file is triggered by
` + "`pull_request_target`" + `, ` + "`issue_comment`" + `, ` + "`workflow_run`" + ` or ` + "`pull_request`" + ` while it holds
secrets (` + "`${{ secrets.X }}`" + `, ` + "`secrets: inherit`" + `), write permissions, ` + "`id-token: write`" + `,
or sets no ` + "`permissions`" + ` at all (the token then has the repository default, which
may include write). Reported at the trigger's line in the workflow.

Fix: trigger releases only on pushes of protected tags or branches (or
` + "`workflow_dispatch`" + ` from them), and keep pull-request validation in a separate
workflow with ` + "`permissions: contents: read`" + ` and no secrets.`,
	Example: "on:\n  pull_request_target:\npermissions:\n  contents: write",
	Check: func(c *Context) {
		for _, b := range c.Doc.Policy.Release.Builders {
			if b.Kind != "workflow" || !c.Exists(b.Ref) {
				continue
			}
			src, err := surface.Read(c.FS, b.Ref)
			if err != nil {
				continue
			}
			w, err := workflow.Parse(src)
			if err != nil {
				continue // RP207 needs the facts; an unparsable workflow fails in GitHub itself
			}
			if !w.Privileged() {
				continue
			}
			var holds []string
			if len(w.Secrets) > 0 {
				holds = append(holds, "secrets ("+strings.Join(w.Secrets, ", ")+")")
			}
			if len(w.Writes) > 0 {
				holds = append(holds, "write permissions ("+strings.Join(w.Writes, ", ")+")")
			}
			if w.DefaultToken {
				holds = append(holds, "the default token (no permissions block)")
			}
			for _, t := range w.UntrustedTriggers() {
				c.Report(b.Ref, t.Line, t.Column,
					fmt.Sprintf("release workflow of builder %q runs on %s while it holds %s", b.ID, t.Event, strings.Join(holds, " and ")),
					"trigger releases only on protected tags/branches; validate pull requests in a separate workflow with permissions: contents: read and no secrets")
			}
		}
	},
}
