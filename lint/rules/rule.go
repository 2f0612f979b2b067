// Package rules holds relpolicy's rules: one file per rule, each a single
// struct literal with its ID, severity, the policy clause it enforces, its
// documentation and its check. All lists them explicitly.
package rules

import (
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/policy"
	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/lint/workflow"
)

// Phase says where a rule's findings come from.
type Phase string

// Phases.
const (
	// Load rules are reported by the policy loader (RP001-RP004).
	Load Phase = "load"
	// Lint rules run on a loaded repository.
	Lint Phase = "lint"
	// Verify rules need the network and run under relpolicy verify.
	Verify Phase = "verify"
)

// Rule is one check with its documentation.
type Rule struct {
	// ID is the stable rule ID, e.g. RP201.
	ID string
	// Severity of its findings.
	Severity finding.Severity
	// Title says in a few lowercase words what the rule finds.
	Title string
	// Clause names the policy section the rule enforces.
	Clause string
	// Quote is the policy text of the clause, verbatim.
	Quote string
	// Doc is Markdown: what the rule finds, why, and how to fix it.
	Doc string
	// Example is a YAML or Markdown snippet that triggers the rule.
	Example string
	// Phase says who reports the rule.
	Phase Phase
	// TextOnly rules read public text, not the policy's meaning, so they
	// run even when the policy file is invalid or missing.
	TextOnly bool
	// Check runs the rule; nil for Load and Verify rules.
	Check func(*Context)
}

// Context is one repository under lint.
type Context struct {
	// Repo is the repository as the user named it.
	Repo string
	// Origin is the repository the file lives in as "host/owner/name"
	// (lint: the git origin remote; sweep: the GitHub repository); empty
	// when unknown. RP105 compares the policy with it.
	Origin string
	// FS is the repository's file system, rooted at its top.
	FS fs.FS
	// Doc is the policy; Doc.Policy is nil when the file is invalid.
	Doc *policy.Document
	// Base is the policy at --base REF, or nil.
	Base *policy.Document
	// Now is the reference time for date rules.
	Now time.Time
	// RunnerLabels are the organisation's own self-hosted runner labels
	// (the private config's internal_runner_labels), for RP219.
	RunnerLabels []string
	// Public calls visit with each of the repository's public text files
	// (not the policy, not workflows), in path order; the content is only
	// valid during the call.
	Public func(visit func(TextFile))
	// Disclosure returns the disclosure scan's findings, computed once.
	Disclosure func() []finding.Finding
	// Workflows returns the repository's workflow model, computed once.
	Workflows func() *workflow.Model
	// Signing is what a verify report showed for the newest ledger
	// release's signatures and attestations (lint --verify); nil without
	// a report or when the report does not cover this repository.
	Signing *SigningFacts

	rule       *Rule
	out        []finding.Finding
	claimsOnce sync.Once
	claims     map[string][]publicClaim // claim kind → claims in public files
}

// TextFile is a public text file's content.
type TextFile struct {
	Path    string
	Kind    surface.Kind
	Content []byte
}

// Findings returns what the checks reported.
func (c *Context) Findings() []finding.Finding { return c.out }

// Run runs rule r on the context.
func (c *Context) Run(r *Rule) {
	if r.Check == nil {
		return
	}
	c.rule = r
	r.Check(c)
	c.rule = nil
}

// Report adds a finding of the running rule at path:line:col.
func (c *Context) Report(path string, line, col int, msg, hint string) {
	c.out = append(c.out, finding.Finding{
		Repo: c.Repo, Rule: c.rule.ID, Severity: c.rule.Severity,
		Path: path, Line: line, Column: col, Message: msg, Hint: hint,
	})
}

// At reports a finding at the value at a JSON pointer in the policy.
func (c *Context) At(ptr, msg, hint string) {
	line, col := c.Doc.Pos(ptr)
	c.Report(c.Doc.Path, line, col, msg, hint)
}

// AtKey reports a finding at the key naming the value at a JSON pointer.
func (c *Context) AtKey(ptr, msg, hint string) {
	line, col := c.Doc.KeyPos(ptr)
	c.Report(c.Doc.Path, line, col, msg, hint)
}

// Forward re-reports findings of this rule's ID computed elsewhere (the
// disclosure scan), keeping their positions and confidence.
func (c *Context) Forward(fs []finding.Finding) {
	for _, f := range fs {
		if f.Rule == c.rule.ID {
			c.Report(f.Path, f.Line, f.Column, f.Message, f.Hint)
			c.out[len(c.out)-1].Confidence = f.Confidence
		}
	}
}

// Exists reports whether a repo-relative path names an existing file or
// directory inside the repository ("./x" is "x").
func (c *Context) Exists(p string) bool {
	p = workflow.Clean(p)
	if !fs.ValidPath(p) {
		return false
	}
	_, err := fs.Stat(c.FS, p)
	return err == nil
}

// ptr builds a JSON pointer from path tokens.
func ptr(toks ...any) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteByte('/')
		s := fmt.Sprint(t)
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1"))
	}
	return b.String()
}
