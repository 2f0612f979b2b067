package starter

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/rules"
	"github.com/tooo/relpolicy/lint/workflow"
	"github.com/tooo/relpolicy/schema"
)

// declare drafts each builder's infrastructure, credentials and isolated
// values, and notes its triggers broader than the drafted contexts, from
// the same workflow model and helpers the lint rules judge them by
// (RP219, RP213, RP205): what lint reads, init reads, so a value drafted
// "# from" the workflow is one lint does not contradict. A conflict or an
// unclear fact becomes a TODO naming what to check. Call it after the
// contexts are drafted.
func (f *Facts) declare(fsys fs.FS) {
	refs := make([]string, 0, len(f.Builders))
	for _, b := range f.Builders {
		refs = append(refs, b.Ref)
	}
	m := workflow.Load(fsys, refs...)
	contexts := make([]schema.Context, 0, len(f.Contexts))
	for _, c := range f.Contexts {
		contexts = append(contexts, schema.Context{Type: "tag", Pattern: c.Pattern})
	}
	for i := range f.Builders {
		b := &f.Builders[i]
		file := m.Files[workflow.Clean(b.Ref)]
		if file == nil {
			continue // unparsable: the defaults keep their TODOs
		}
		jobs := slices.Clone(file.Jobs)
		for _, g := range m.Callees(file) {
			jobs = append(jobs, g.Jobs...)
		}
		var triggers []workflow.Trigger
		for _, g := range append([]*workflow.File{file}, m.Callers(file)...) {
			for _, t := range g.Triggers {
				if t.Event != "workflow_call" {
					triggers = append(triggers, t)
				}
			}
		}
		b.declareInfrastructure(jobs)
		b.declareCredentials(jobs)
		b.declareIsolated(jobs, triggers)
		b.declareTriggers(jobs, triggers, contexts)
	}
}

// declareInfrastructure drafts infrastructure from the jobs' runs-on as
// RP219 reads it: Job.SelfHosted (the self-hosted label, a runner group, or
// any label GitHub does not host) means organization-controlled.
func (b *Builder) declareInfrastructure(jobs []*workflow.Job) {
	var self, unclear, hosted, expr []string
	for _, j := range jobs {
		switch {
		case j.Uses.S != "" || len(j.RunsOn) == 0 && j.RunnerGroup == "" && !j.RunsOnExpr:
		case j.RunsOnExpr:
			expr = append(expr, j.ID)
		case !j.SelfHosted():
			hosted = append(hosted, j.ID+" ("+strings.Join(j.RunsOn, ", ")+")")
		case j.RunnerGroup != "" || slices.Contains(j.RunsOn, "self-hosted"):
			self = append(self, j.ID)
		default:
			for _, l := range j.RunsOn {
				if !workflow.GitHubHosted(l) {
					unclear = append(unclear, fmt.Sprintf("job %s label %q", j.ID, clip(l, 60)))
					break
				}
			}
		}
	}
	switch {
	case len(self)+len(unclear) > 0 && len(hosted) > 0:
		b.Infrastructure = "organization-controlled"
		b.InfraNote = todo(fmt.Sprintf("jobs run on both organization runners (%s) and GitHub-hosted ones (%s): split the builder, or move the jobs to one kind", workflow.List(append(self, unclear...)), workflow.List(hosted)))
	case len(unclear) > 0:
		b.Infrastructure = "organization-controlled"
		b.InfraNote = todo(workflow.List(unclear) + " is neither GitHub-hosted nor plainly self-hosted (lint counts it as self-hosted): check who runs that runner")
	case len(self) > 0:
		b.Infrastructure = "organization-controlled"
		b.InfraNote = from("runs-on of job " + workflow.List(self) + ": self-hosted")
	case len(expr) > 0:
		b.Infrastructure = "third-party-hosted"
		b.InfraNote = todo("runs-on of job " + workflow.List(expr) + " is an expression: check which runners it picks")
	case len(hosted) > 0:
		b.Infrastructure = "third-party-hosted"
		b.InfraNote = from("runs-on: " + workflow.List(hosted))
	default:
		b.Infrastructure = "third-party-hosted"
		b.InfraNote = todo("no job names its runner here: who runs the release machines")
	}
}

// declareCredentials drafts credentials from the secrets the jobs read, by
// workflow.StoredCredential (RP219, RP205) and the OIDC token (Holds.IDToken).
func (b *Builder) declareCredentials(jobs []*workflow.Job) {
	var stored []string
	all, oidc := "", false
	for _, j := range jobs {
		oidc = oidc || j.Holds().IDToken
		for _, s := range j.Secrets {
			switch {
			case s.All && all == "":
				all = j.ID
			case !s.All && workflow.StoredCredential(s.Name) && !slices.Contains(stored, s.Name):
				stored = append(stored, s.Name)
			}
		}
	}
	switch {
	case len(stored) > 0:
		b.Credentials = "long-lived"
		b.CredNote = todo("its jobs read the stored secrets " + workflow.List(stored) + ": federate with OIDC and set short-lived, or keep long-lived")
	case all != "":
		b.Credentials = "long-lived"
		b.CredNote = todo("job " + all + " reads every secret (secrets: inherit or toJSON(secrets)): check none is a stored credential, then set short-lived")
	case oidc:
		b.Credentials = "short-lived"
		b.CredNote = from("its jobs request an OIDC token (id-token: write) and read no stored credential")
	default:
		b.Credentials = "short-lived"
		b.CredNote = todo("long-lived if it holds static keys or tokens")
	}
}

// declareIsolated drafts isolated: false when the workflow also runs on
// pull-request events and has a job holding credentials that no gate
// keeps from them (rules.Exposed), as RP219 reads it.
func (b *Builder) declareIsolated(jobs []*workflow.Job, triggers []workflow.Trigger) {
	b.Isolated, b.IsolatedNote = true, todo("true only if validation CI never runs on these runners")
	job := rules.Exposed(jobs)
	if job == nil {
		return
	}
	for _, t := range triggers {
		if t.Event == "pull_request" || t.Event == "pull_request_target" {
			b.Isolated = false
			b.IsolatedNote = todo(fmt.Sprintf("the workflow also runs on %s and job %s holds credentials ungated: validate pull requests in a separate workflow, then set true", t.Event, job.ID))
			return
		}
	}
}

// declareTriggers notes the triggers that start the builder's workflow
// beyond the drafted contexts, by rules.Broader as RP213 reads them.
func (b *Builder) declareTriggers(jobs []*workflow.Job, triggers []workflow.Trigger, contexts []schema.Context) {
	ungated := slices.ContainsFunc(jobs, func(j *workflow.Job) bool { return j.Holds().Privileged() && !j.TagGated() })
	if !ungated {
		return
	}
	var wide []string
	for _, t := range triggers {
		if why := rules.Broader(t, contexts); why != "" {
			wide = appendNew(wide, t.Event+" ("+why+")")
		}
	}
	if len(wide) > 0 {
		b.TriggerNote = todo("the workflow also runs on " + workflow.List(wide) + ": narrow its triggers, gate the publishing jobs to tags, or declare (and protect) that context")
	}
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
