package rules

import (
	"fmt"
	"slices"

	"github.com/tooo/relpolicy/lint/policy"
	"github.com/tooo/relpolicy/lint/workflow"
	"github.com/tooo/relpolicy/schema"
)

// WorkflowRefs returns the refs of the policy's workflow builders, so the
// workflow model holds them even outside .github/workflows.
func WorkflowRefs(doc *policy.Document) []string {
	if doc == nil || doc.Policy == nil {
		return nil
	}
	var out []string
	for _, b := range doc.Policy.Release.Builders {
		if b.Kind == "workflow" {
			out = append(out, b.Ref)
		}
	}
	return out
}

// release is one declared workflow builder with its workflow and the
// workflows joined to it by local reusable-workflow calls.
type release struct {
	// I is the builder's index in release.builders.
	I int
	B schema.Builder
	F *workflow.File
	// Callers run F (transitively) through `uses:`; Callees are run by it.
	Callers, Callees []*workflow.File
}

// jobs returns the release's jobs: F's and its callees', in file order.
func (r release) jobs() []*workflow.Job {
	out := slices.Clone(r.F.Jobs)
	for _, g := range r.Callees {
		out = append(out, g.Jobs...)
	}
	return out
}

// fileOf returns the file a job belongs to among F and its callees.
func (r release) fileOf(j *workflow.Job) *workflow.File {
	for _, g := range append([]*workflow.File{r.F}, r.Callees...) {
		if slices.Contains(g.Jobs, j) {
			return g
		}
	}
	return r.F
}

// releases returns the workflow builders whose files parsed. Missing
// files are RP104's; unreadable ones RP207's.
func (c *Context) releases() []release {
	if c.Workflows == nil {
		return nil
	}
	m := c.Workflows()
	var out []release
	for i, b := range c.Doc.Policy.Release.Builders {
		if b.Kind != "workflow" {
			continue
		}
		f := m.Files[workflow.Clean(b.Ref)]
		if f == nil {
			continue
		}
		out = append(out, release{I: i, B: b, F: f, Callers: m.Callers(f), Callees: m.Callees(f)})
	}
	return out
}

// reportAt reports a finding in a workflow file.
func (c *Context) reportAt(f *workflow.File, p workflow.Pos, msg, hint string) {
	c.Report(f.Path, p.Line, p.Column, msg, hint)
}

// entry is an event that starts a release workflow, with the file that
// declares it (the workflow itself or a caller).
type entry struct {
	F *workflow.File
	T workflow.Trigger
}

// entries returns the events that start the release: F's own (but
// workflow_call) and its callers'.
func (r release) entries() []entry {
	var out []entry
	for _, t := range r.F.Triggers {
		if t.Event != "workflow_call" {
			out = append(out, entry{r.F, t})
		}
	}
	for _, g := range r.Callers {
		for _, t := range g.Triggers {
			if t.Event != "workflow_call" {
				out = append(out, entry{g, t})
			}
		}
	}
	return out
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return workflow.List(q)
}
