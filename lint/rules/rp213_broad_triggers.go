package rules

import (
	"fmt"
	"github.com/tooo/relpolicy/lint/filterpattern"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
	"github.com/tooo/relpolicy/schema"
)

var rp213 = &Rule{
	ID: "RP213", Severity: finding.Error, Phase: Lint,
	Title:  "release workflow triggers broader than the trusted release contexts",
	Clause: clauseSource,
	Quote:  "Official artifacts MUST be produced only from trusted release contexts.",
	Doc: `A release workflow whose jobs hold release credentials starts on refs the
policy does not declare as trusted release contexts (` + "`release.contexts`" + `):
` + "`push`" + ` without branch or tag filters (every branch and tag), branch pushes whose
patterns no ` + "`branch`" + ` context covers, tag patterns wider than the declared ` + "`tag`" + `
contexts (` + "`*`" + ` when ` + "`v*`" + ` is declared), ` + "`workflow_dispatch`" + ` and ` + "`repository_dispatch`" + `
(anyone with write access picks the ref), and ` + "`schedule`" + ` when no branch context is
declared. Events of a calling workflow in the repository count for a
` + "`workflow_call`" + ` release workflow. Pull-request and comment events are RP207's.
A workflow whose privileged jobs are all gated by ` + "`if:`" + ` to tag refs is not reported.

Fix: narrow the triggers (` + "`push: tags: ['v*']`" + `), gate the publishing job with
` + "`if: startsWith(github.ref, 'refs/tags/v')`" + `, or declare (and protect) the context.`,
	Example: "on:\n  push:\n    branches: ['**']\n  workflow_dispatch:\npermissions:\n  packages: write",
	Check: func(c *Context) {
		contexts := c.Doc.Policy.Release.Contexts
		for _, r := range c.releases() {
			ungated := false
			for _, j := range r.jobs() {
				if j.Holds().Privileged() && !j.TagGated() {
					ungated = true
				}
			}
			if !ungated {
				continue
			}
			for _, e := range r.entries() {
				why := Broader(e.T, contexts)
				if why == "" {
					continue
				}
				c.reportAt(e.F, e.T.Pos, fmt.Sprintf("release workflow of builder %q runs on %s: %s, beyond the trusted release contexts (%s)", r.B.ID, e.T.Event, why, contextList(contexts)),
					"trigger only on the declared contexts (e.g. push: tags: ['v*']), gate publishing jobs with if: startsWith(github.ref, 'refs/tags/'), or declare and protect the context")
			}
		}
	},
}

// Broader says how a trigger reaches beyond the declared contexts, or ""
// when it does not: "every branch and tag push", "branch pushes 'main'",
// "tag pattern '*'", "manual or API dispatch from any ref", "scheduled runs
// on the default branch". RP213 reports by it; relpolicy init drafts by it.
func Broader(t workflow.Trigger, contexts []schema.Context) string {
	switch t.Event {
	case "push":
		if t.Branches == nil && t.Tags == nil {
			return "every branch and tag push"
		}
		var wide []string
		for _, b := range t.Branches {
			if !covered(b, "branch", contexts) {
				wide = append(wide, b)
			}
		}
		if len(wide) > 0 {
			return "branch pushes " + quoteList(wide)
		}
		for _, tg := range t.Tags {
			if !covered(tg, "tag", contexts) {
				wide = append(wide, tg)
			}
		}
		if len(wide) > 0 {
			return "tag pattern " + quoteList(wide)
		}
	case "workflow_dispatch", "repository_dispatch":
		return "manual or API dispatch from any ref"
	case "schedule":
		if !slices.ContainsFunc(contexts, func(c schema.Context) bool { return c.Type == "branch" }) {
			return "scheduled runs on the default branch"
		}
	}
	return ""
}

// covered reports whether a trigger pattern matches only refs a declared
// context of the kind matches: equal, or matched by the context's glob.
func covered(pattern, kind string, contexts []schema.Context) bool {
	for _, c := range contexts {
		if c.Type != kind && c.Type != "ref" {
			continue
		}
		want := c.Pattern
		if c.Type == "ref" {
			want = strings.TrimPrefix(strings.TrimPrefix(want, "refs/tags/"), "refs/heads/")
		}
		if want == pattern || want == "**" {
			return true
		}
		if strings.Contains(pattern, "**") {
			continue
		}
		// Contexts are GitHub filter patterns (as RP305 reads them): a
		// trigger pattern the context matches as a name is covered.
		if filterpattern.Match(want, pattern) {
			return true
		}
	}
	return false
}

func contextList(cs []schema.Context) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Type+" "+c.Pattern)
	}
	return workflow.List(out)
}
