package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp211 = &Rule{
	ID: "RP211", Severity: finding.Error, Phase: Lint,
	Title:  "release workflow builds untrusted pull request code",
	Clause: clauseRule,
	Quote:  "5. Privileged builders MUST NOT execute untrusted public pull request code with release credentials or privileged network/storage access.",
	Doc: `The "pwn request": a release workflow runs on an event that carries the base
repository's privileges (` + "`pull_request_target`" + `, ` + "`workflow_run`" + `, ` + "`issue_comment`" + `, …), a job
checks out the pull request's head (` + "`actions/checkout`" + ` with ` + "`ref:`" + ` from
` + "`github.event.pull_request.head.*`" + `, ` + "`github.head_ref`" + `, ` + "`refs/pull/…`" + `, ` + "`workflow_run.head_*`" + `,
or ` + "`gh pr checkout`" + `) or downloads a ` + "`workflow_run`" + ` artifact, and a later step runs code
(a ` + "`run:`" + ` step or a local action), while the job holds a token with writes, secrets,
` + "`id-token: write`" + `, writes a cache, or runs on a self-hosted runner. The pull request's
code then runs with release credentials. It also contradicts a builder's
` + "`runs_untrusted_code: false`" + `. Jobs gated by ` + "`if:`" + ` to tag refs or by a deployment
environment are honoured as gated.

Fix: build pull requests in a ` + "`pull_request`" + ` workflow with ` + "`permissions: contents: read`" + `
and no secrets; if a privileged follow-up is needed, pass only data (never code)
through an artifact and treat it as untrusted.`,
	Example: "on: pull_request_target\npermissions:\n  contents: write\njobs:\n  b:\n    steps:\n      - uses: actions/checkout@<sha>\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: make",
	Check: func(c *Context) {
		for _, r := range c.releases() {
			events := map[string]bool{}
			for _, e := range r.entries() {
				if slices.Contains(workflow.BaseContext, e.T.Event) {
					events[e.T.Event] = true
				}
			}
			if len(events) == 0 {
				continue
			}
			for _, j := range r.jobs() {
				h := j.Holds()
				if j.Gated() || !(h.Privileged() || h.SelfHosted || h.Cache) {
					continue
				}
				for i, s := range j.Steps {
					what := fetchesUntrusted(s, events["workflow_run"])
					if what == "" || !runsLater(j.Steps[i+1:]) {
						continue
					}
					decl := ""
					if !r.B.RunsUntrustedCode {
						decl = fmt.Sprintf("; builder %q declares runs_untrusted_code: false", r.B.ID)
					}
					at := s.Uses.Pos
					if s.Uses.S == "" {
						at = s.Run.Pos
					}
					c.reportAt(r.fileOf(j), at, fmt.Sprintf("job %q %s and runs it while %s%s", j.ID, what, holdsOrRunner(h), decl),
						"build pull requests in an unprivileged pull_request workflow (contents: read, no secrets); pass only data, never code, to privileged jobs")
					break
				}
			}
		}
	},
}

var headRefs = []string{
	"github.event.pull_request.head", "github.head_ref", "github.event.workflow_run",
	"github.event.pull_request.merge_commit_sha", "github.event.issue.number", "github.event.pull_request.number",
}

// fetchesUntrusted says how a step brings untrusted code in, or "".
func fetchesUntrusted(s *workflow.Step, workflowRun bool) string {
	if s.Is("actions/checkout") {
		for _, k := range []string{"ref", "repository"} {
			v := s.With[k]
			if workflow.Mentions(v, headRefs...) || strings.Contains(v.S, "refs/pull/") {
				return "checks out the pull request head (" + k + ": " + clip(v.S) + ")"
			}
		}
	}
	if workflowRun && (s.Is("actions/download-artifact") || s.Is("dawidd6/action-download-artifact")) {
		return "downloads an artifact of the triggering workflow run"
	}
	run := strings.ToLower(s.Run.S)
	if strings.Contains(run, "gh pr checkout") || strings.Contains(run, "git fetch origin pull/") ||
		(strings.Contains(run, "git checkout") && workflow.Mentions(s.Run, headRefs...)) {
		return "checks out the pull request head in a script"
	}
	return ""
}

// runsLater reports whether a later step executes code from the workspace.
func runsLater(steps []*workflow.Step) bool {
	for _, s := range steps {
		if s.Run.S != "" || strings.HasPrefix(s.Uses.S, "./") || s.Is("docker/build-push-action") {
			return true
		}
	}
	return false
}

// holdsOrRunner says what a job holds as a phrase after "while":
// "holding … and …, on a self-hosted runner".
func holdsOrRunner(h workflow.Holds) string {
	var parts []string
	if s := h.String(); s != "" {
		parts = append(parts, s)
	}
	if h.Cache {
		parts = append(parts, "cache writes")
	}
	out := ""
	if len(parts) > 0 {
		out = "holding " + strings.Join(parts, " and ")
	}
	if h.SelfHosted {
		if out != "" {
			out += ", "
		}
		out += "on a self-hosted runner"
	}
	return out
}

// clip shortens a quoted workflow value for a message.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
