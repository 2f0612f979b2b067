// Package sweep lints every repository of an organisation, or every
// checkout under a directory, with exactly the rules of package lint, and
// reports one status per repository (docs/spec.md, "sweep").
//
// It is an offline library: repositories come from a Source (the GitHub
// adapter lives in internal/github; DirSource reads local checkouts), and
// per-repository results are kept in a Store keyed by head commit, so an
// unchanged repository is neither fetched nor linted again and an
// interrupted sweep resumes where it stopped.
package sweep

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

// Status is a repository's outcome.
type Status string

// Statuses (docs/spec.md, "sweep").
const (
	// Compliant: a policy is present and no finding is an error.
	Compliant Status = "compliant"
	// HasFindings: at least one error finding.
	HasFindings Status = "findings"
	// MissingPolicy: no release-policy.yaml at the default branch's head.
	MissingPolicy Status = "missing-policy"
	// Failed: the repository could not be read; Entry.Error says why.
	Failed Status = "error"
	// Skipped: archived or a fork, without --include-archived/-forks.
	Skipped Status = "skipped"
)

// Entry is one repository in a report.
type Entry struct {
	// Repo is "owner/name".
	Repo   string `json:"repo"`
	Status Status `json:"status"`
	// Revision is the head commit linted; empty when unknown.
	Revision string `json:"revision"`
	// Errors and Warnings count the repository's findings by severity.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// Error is why the repository could not be read (status error) or
	// why it was skipped; empty otherwise.
	Error string `json:"error"`
	// Policy is the loaded policy, when it loaded (site --sweep renders it).
	Policy *schema.Policy `json:"policy,omitempty"`
}

// Summary counts a report's repositories by status and findings by
// severity.
type Summary struct {
	Repos         int `json:"repos"`
	Compliant     int `json:"compliant"`
	Findings      int `json:"findings"`
	MissingPolicy int `json:"missing_policy"`
	Error         int `json:"error"`
	Skipped       int `json:"skipped"`
	Errors        int `json:"errors"`
	Warnings      int `json:"warnings"`
}

// Report is a sweep's JSON report.
type Report struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	// Org is the organisation swept, or the directory for --dir.
	Org string `json:"org"`
	// SweptAt is when the sweep ran (RFC 3339, UTC).
	SweptAt string `json:"swept_at"`
	// Shard is "K/N" for one shard of a sweep; empty for a whole one.
	Shard    string            `json:"shard,omitempty"`
	Repos    []Entry           `json:"repos"`
	Findings []finding.Finding `json:"findings"`
	Summary  Summary           `json:"summary"`
}

// Finish sorts the repositories and findings and recomputes the summary.
func (r *Report) Finish() {
	slices.SortFunc(r.Repos, func(a, b Entry) int { return strings.Compare(a.Repo, b.Repo) })
	r.Findings = finding.Sort(r.Findings)
	if r.Repos == nil {
		r.Repos = []Entry{}
	}
	if r.Findings == nil {
		r.Findings = []finding.Finding{}
	}
	s := Summary{Repos: len(r.Repos)}
	for _, e := range r.Repos {
		switch e.Status {
		case Compliant:
			s.Compliant++
		case HasFindings:
			s.Findings++
		case MissingPolicy:
			s.MissingPolicy++
		case Failed:
			s.Error++
		case Skipped:
			s.Skipped++
		}
		s.Errors += e.Errors
		s.Warnings += e.Warnings
	}
	r.Summary = s
}

// Merge combines shard reports of one organisation into one report: every
// repository once, the newest swept_at, no shard. Reports of different
// organisations, or naming one repository twice, are an error (named by
// the report's position, 1-based, among the arguments).
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, fmt.Errorf("merging: no reports")
	}
	out := &Report{Tool: reports[0].Tool, Version: reports[0].Version, Org: reports[0].Org}
	seen := map[string]int{}
	for i, r := range reports {
		if r.Org != out.Org {
			return nil, fmt.Errorf("merging report %d: organisation %q, want %q", i+1, r.Org, out.Org)
		}
		if r.SweptAt > out.SweptAt {
			out.SweptAt = r.SweptAt
		}
		for _, e := range r.Repos {
			if j, dup := seen[e.Repo]; dup {
				return nil, fmt.Errorf("merging report %d: %s is also in report %d (overlapping shards?)", i+1, e.Repo, j)
			}
			seen[e.Repo] = i + 1
			out.Repos = append(out.Repos, e)
		}
		out.Findings = append(out.Findings, r.Findings...)
	}
	out.Finish()
	return out, nil
}

// FindingsOf returns the report's findings for one repository.
func (r *Report) FindingsOf(repo string) []finding.Finding {
	var out []finding.Finding
	for _, f := range r.Findings {
		if f.Repo == repo {
			out = append(out, f)
		}
	}
	return out
}
