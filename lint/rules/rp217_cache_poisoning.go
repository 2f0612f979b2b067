package rules

import (
	"fmt"
	"slices"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp217 = &Rule{
	ID: "RP217", Severity: finding.Error, Phase: Lint,
	Title:  "release job restores a cache untrusted workflows can write",
	Clause: clauseRule,
	Quote:  "5. Privileged builders MUST NOT execute untrusted public pull request code with release credentials or privileged network/storage access.",
	Doc: `A release job that holds release credentials restores a GitHub Actions cache
(` + "`actions/cache`" + `, a ` + "`setup-*`" + ` action's ` + "`cache:`" + ` input, buildx ` + "`cache-from: type=gha`" + `), and a
workflow in the same repository that runs on an event carrying the base
repository's scope (` + "`pull_request_target`" + `, ` + "`workflow_run`" + `, ` + "`issue_comment`" + `, …) writes
cache entries. Such a run can save a poisoned entry under a key the release job
restores (caches of the default branch are visible to tag builds), and the
release then runs attacker-chosen files with its credentials.

Fix: do not restore caches in release jobs (build clean), or make sure no
workflow on those events writes caches (` + "`actions/cache/restore`" + ` only).`,
	Example: "# release.yml\njobs:\n  r:\n    steps:\n      - uses: actions/cache@<sha>\n# pr.yml: on: pull_request_target, also uses actions/cache",
	Check: func(c *Context) {
		m := c.Workflows()
		var writers []string
		for _, p := range sortedKeys(m.Files) {
			f := m.Files[p]
			if !slices.ContainsFunc(f.Triggers, func(t workflow.Trigger) bool { return slices.Contains(workflow.BaseContext, t.Event) }) {
				continue
			}
			if slices.ContainsFunc(f.Jobs, func(j *workflow.Job) bool { return j.WritesCache() }) {
				writers = append(writers, p)
			}
		}
		if len(writers) == 0 {
			return
		}
		for _, r := range c.releases() {
			for _, j := range r.jobs() {
				h := j.Holds()
				if !h.Privileged() {
					continue
				}
				for _, s := range j.Steps {
					if s.Restores() {
						c.reportAt(r.fileOf(j), s.Pos, fmt.Sprintf("job %q restores a cache that %s can write from untrusted events, while holding %s", j.ID, workflow.List(writers), h),
							"build releases without caches, or stop untrusted-event workflows from saving caches")
						break
					}
				}
			}
		}
	},
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
