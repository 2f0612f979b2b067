package site

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
)

// Compliance is an organisation sweep's outcome (relpolicy sweep's report)
// for the dashboard compliance/index.html and the rule page
// compliance/rules.html.
type Compliance struct {
	// Org is the organisation swept; SweptAt when (RFC 3339).
	Org, SweptAt string
	// Repos is every repository swept, with its status.
	Repos []ComplianceRepo
	// Findings are every repository's findings (Repo is "owner/name").
	Findings []finding.Finding
	// Rules documents the rules the findings name: the dashboard links
	// each rule to its entry on compliance/rules.html.
	Rules []ComplianceRule
}

// ComplianceRepo is one repository of a sweep.
type ComplianceRepo struct {
	// Repo is "owner/name".
	Repo string
	// Status is compliant, findings, missing-policy, error or skipped.
	Status string
	// Revision is the head commit swept.
	Revision         string
	Errors, Warnings int
	// Error is why the repository could not be read or was skipped.
	Error string
	// Policy is the repository.name of its loaded policy, whose page the
	// dashboard links; empty when none loaded.
	Policy string
}

// ComplianceRule is one rule's documentation.
type ComplianceRule struct {
	ID, Severity, Title string
	// Doc is Markdown.
	Doc string
}

// statusRank orders statuses worst first.
var statusRank = map[string]int{"error": 0, "findings": 1, "missing-policy": 2, "compliant": 3, "skipped": 4}

type complianceModel struct {
	Org, SweptAt string
	Repos        []*complianceRepoModel
	Rules        []*ruleCountModel
	Statuses     []statusCount
	Errors       int
	Warnings     int
	Docs         []*ruleDocModel

	raw *Compliance
}

type statusCount struct {
	Status string
	Count  int
	Anchor string // id of the first row of the status
}

type complianceRepoModel struct {
	ComplianceRepo
	Page     string // site-relative repository page; empty when none
	Rank     int
	Anchor   string // id when first of its status
	Findings []finding.Finding
}

type ruleCountModel struct {
	ID, Severity, Title string
	Findings, Repos     int
	Anchor              string
}

type ruleDocModel struct {
	ID, Severity, Title, Anchor string
	Doc                         template.HTML
}

// newComplianceModel orders the repositories worst first, counts findings
// per rule and renders the rules' documentation.
func newComplianceModel(c *Compliance, m *siteModel, md *markdown) *complianceModel {
	cm := &complianceModel{Org: c.Org, SweptAt: c.SweptAt, raw: c}
	pages := map[string]string{}
	for _, r := range m.Repos {
		pages[strings.ToLower(r.Name)] = r.Dir + "index.html"
	}
	byRepo := map[string][]finding.Finding{}
	rules := map[string]*ruleCountModel{}
	repos := map[string]map[string]bool{}
	for _, f := range c.Findings {
		byRepo[f.Repo] = append(byRepo[f.Repo], f)
		rc := rules[f.Rule]
		if rc == nil {
			rc = &ruleCountModel{ID: f.Rule, Severity: string(f.Severity), Anchor: strings.ToLower(f.Rule)}
			rules[f.Rule] = rc
			repos[f.Rule] = map[string]bool{}
		}
		rc.Findings++
		repos[f.Rule][f.Repo] = true
	}
	titles := map[string]string{}
	for _, r := range c.Rules {
		titles[r.ID] = r.Title
		cm.Docs = append(cm.Docs, &ruleDocModel{ID: r.ID, Severity: r.Severity, Title: r.Title, Anchor: strings.ToLower(r.ID), Doc: md.HTML(r.Doc, "")})
	}
	for id, rc := range rules {
		rc.Repos = len(repos[id])
		rc.Title = titles[id]
		cm.Rules = append(cm.Rules, rc)
	}
	slices.SortFunc(cm.Rules, func(a, b *ruleCountModel) int {
		return cmp.Or(cmp.Compare(b.Repos, a.Repos), strings.Compare(a.ID, b.ID))
	})
	counts := map[string]int{}
	for _, r := range c.Repos {
		rank, ok := statusRank[r.Status]
		if !ok {
			rank = len(statusRank)
		}
		cm.Repos = append(cm.Repos, &complianceRepoModel{ComplianceRepo: r, Page: pages[strings.ToLower(r.Policy)], Rank: rank, Findings: byRepo[r.Repo]})
		counts[r.Status]++
		cm.Errors += r.Errors
		cm.Warnings += r.Warnings
	}
	slices.SortFunc(cm.Repos, func(a, b *complianceRepoModel) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(b.Errors, a.Errors), strings.Compare(a.Repo, b.Repo))
	})
	seen := map[string]bool{}
	for _, r := range cm.Repos {
		if !seen[r.Status] {
			seen[r.Status] = true
			r.Anchor = "status-" + r.Status
			cm.Statuses = append(cm.Statuses, statusCount{Status: r.Status, Count: counts[r.Status], Anchor: r.Anchor})
		}
	}
	return cm
}

// fingerprintCompliance is the dashboard's input, for the build cache.
func fingerprintCompliance(c *Compliance) (string, error) {
	if c == nil {
		return "", nil
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("hashing the sweep report: %w", err)
	}
	return string(b), nil
}
