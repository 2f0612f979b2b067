// Package workflow models GitHub Actions workflows the way GitHub runs them:
// triggers, jobs, steps, `uses`, `with`, `env`, `runs-on`, permissions at
// workflow and job level, environments, `if:` conditions and the secrets
// each job can reach, with positions.
//
// Parsing is done by github.com/rhysd/actionlint (its Parse and expression
// parser), the maintained Go parser of workflow syntax: it resolves YAML
// anchors and aliases, knows every event's filters and keeps positions.
// This package is the adapter that owns that dependency; rules see only the
// types below.
package workflow

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/rhysd/actionlint"
)

// MaxSize caps a workflow file in bytes; GitHub itself rejects workflows
// over 512 KiB, so a larger file is reported, not read.
const MaxSize = 1 << 20

// Dir is where GitHub looks for workflows.
const Dir = ".github/workflows"

// Pos is a 1-based line and column in a workflow file.
type Pos struct{ Line, Column int }

// Trigger is one event in the workflow's `on:` with its filters.
type Trigger struct {
	Event string
	Pos
	// Branches, Tags are the push/pull_request filters (nil: no filter).
	// BranchesIgnore, TagsIgnore are the negative forms.
	Branches, BranchesIgnore, Tags, TagsIgnore []string
	// Types are the activity types, if filtered.
	Types []string
	// Workflows names the workflows a workflow_run follows.
	Workflows []string
}

// Permissions is a `permissions:` block. All is "read-all", "write-all"
// or "" for the mapping form; Scopes maps scope name to "read", "write" or
// "none". An empty mapping `{}` gives Scopes of length 0 and All "".
type Permissions struct {
	Pos
	All    string
	Scopes map[string]string
}

// Writes lists the scopes granted write ("write-all" when all are).
func (p *Permissions) Writes() []string {
	if p == nil {
		return nil
	}
	if p.All == "write-all" {
		return []string{"write-all"}
	}
	var out []string
	for k, v := range p.Scopes {
		if v == "write" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// IDToken reports whether the block lets the job mint an OIDC token.
func (p *Permissions) IDToken() bool {
	return p != nil && (p.All == "write-all" || p.Scopes["id-token"] == "write")
}

// Value is a string in the workflow with its position and the
// expressions it embeds.
type Value struct {
	S string
	Pos
	Exprs []Expr
}

// Step is one step of a job.
type Step struct {
	Pos
	Name string
	If   string
	// Uses is the action reference ("" for run steps).
	Uses Value
	// With are the action inputs by lowercase name.
	With map[string]Value
	// Run is the script ("" for action steps).
	Run Value
	Env map[string]Value
}

// Job is one job of a workflow.
type Job struct {
	ID string
	Pos
	// Perms is the job's own permissions block, nil when it sets none.
	Perms *Permissions
	// Token is the block the job's GITHUB_TOKEN gets: its own, else the
	// workflow's; nil means the repository default (may include write).
	Token *Permissions
	// RunsOn labels (lowercase), the runner group, and whether runs-on
	// is an expression.
	RunsOn      []string
	RunnerGroup string
	RunsOnExpr  bool
	RunsOnPos   Pos
	// Environment is the deployment environment name ("" when none).
	Environment string
	If          string
	Needs       []string
	// Uses is the reusable workflow a calling job runs ("" otherwise).
	Uses Value
	// SecretsInherit is `secrets: inherit` on a calling job.
	SecretsInherit bool
	Steps          []*Step
	// Secrets are the secrets the job references, in order of position,
	// GITHUB_TOKEN excluded; an entry with All set reads every secret.
	Secrets []Secret
	// Untrusted are attacker-controllable contexts in the job's run:
	// scripts (and github-script scripts).
	Untrusted []Untrusted
}

// Secret is a reference to a secret.
type Secret struct {
	// Name is upper-cased (secret names are case-insensitive); "" with
	// All set for `secrets` as a whole (toJSON(secrets), secrets[expr]).
	Name string
	All  bool
	Pos
}

// Untrusted is an attacker-controllable context used in a script.
type Untrusted struct {
	Path string
	Pos
}

// File is one parsed workflow.
type File struct {
	Path     string
	Name     string
	Triggers []Trigger
	// Perms is the workflow-level permissions block, nil when absent.
	Perms *Permissions
	Jobs  []*Job
	// Calls are the local reusable workflows its jobs call (repo paths).
	Calls []string
	// Callers are the workflow files in the repository that call it.
	Callers []string
}

// Problem is a workflow relpolicy could not read or parse.
type Problem struct {
	Path string
	Pos
	Msg string
}

// Model is every workflow of one repository, computed once and handed to
// every rule.
type Model struct {
	Files    map[string]*File
	Problems []Problem
}

// Load reads every *.yml/*.yaml under .github/workflows plus the extra
// paths (the builders' refs), parses the builders' workflows and every
// other workflow that can bear on them, and links local reusable-workflow
// calls in both directions. Unreadable and oversized files become Problems,
// as do unparsable ones among those parsed, never silently skipped.
//
// A workflow that is not a builder's is parsed only when its text could
// call a local reusable workflow or write a cache on a base-context event
// (mayMatter, a byte-level superset test); parsing all of them costs a
// repository with 30 workflows about 2.5× the lint time.
func Load(fsys fs.FS, extra ...string) *Model {
	m := &Model{Files: map[string]*File{}}
	var paths []string
	entries, err := fs.ReadDir(fsys, Dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		m.Problems = append(m.Problems, Problem{Path: Dir, Pos: Pos{1, 1}, Msg: "reading workflows: " + err.Error()})
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml")) {
			paths = append(paths, Dir+"/"+n)
		}
	}
	var builders []string
	for _, p := range extra {
		if p = Clean(p); fs.ValidPath(p) {
			builders = append(builders, p)
			if !slices.Contains(paths, p) {
				if _, err := fs.Stat(fsys, p); err == nil {
					paths = append(paths, p)
				}
			}
		}
	}
	pending := map[string][]byte{} // read, parsed only if called
	for _, p := range paths {
		src, err := readFile(fsys, p)
		if err != nil {
			m.Problems = append(m.Problems, Problem{Path: p, Pos: Pos{1, 1}, Msg: "reading workflow: " + err.Error()})
			continue
		}
		if !slices.Contains(builders, p) && !mayMatter(src) {
			pending[p] = src
			continue
		}
		f, perr := parse(p, src)
		if perr != nil {
			m.Problems = append(m.Problems, *perr)
			continue
		}
		m.Files[p] = f
	}
	// Parse the reusable workflows that parsed ones call, transitively.
	for queue := slices.Sorted(maps.Keys(m.Files)); len(queue) > 0; {
		f := m.Files[queue[0]]
		queue = queue[1:]
		for _, j := range f.Jobs {
			callee, ok := LocalCall(j.Uses.S)
			src, unparsed := pending[callee]
			if !ok || !unparsed {
				continue
			}
			delete(pending, callee)
			g, perr := parse(callee, src)
			if perr != nil {
				m.Problems = append(m.Problems, *perr)
				continue
			}
			m.Files[callee] = g
			queue = append(queue, callee)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(m.Files)) {
		f := m.Files[p]
		for _, j := range f.Jobs {
			if callee, ok := LocalCall(j.Uses.S); ok {
				if !slices.Contains(f.Calls, callee) {
					f.Calls = append(f.Calls, callee)
				}
				if g := m.Files[callee]; g != nil && !slices.Contains(g.Callers, p) {
					g.Callers = append(g.Callers, p)
				}
			}
		}
	}
	return m
}

// Clean makes a builder ref or `uses:` path repo-relative: "./x" → "x".
func Clean(p string) string {
	p = strings.TrimPrefix(strings.TrimSpace(p), "./")
	if p == "" {
		return ""
	}
	return path.Clean(p)
}

// LocalCall returns the repo path of a reusable workflow call inside the
// repository (`uses: ./.github/workflows/x.yml`).
func LocalCall(uses string) (string, bool) {
	if !strings.HasPrefix(uses, "./") {
		return "", false
	}
	p, _, _ := strings.Cut(uses, "@")
	return Clean(p), true
}

// mayMatter reports whether a non-builder workflow could bear on a
// builder's: it names a local reusable workflow (GitHub requires them under
// ./.github/workflows/), or it names a base-context event and a cache.
func mayMatter(src []byte) bool {
	if bytes.Contains(src, []byte("./.github/workflows/")) {
		return true
	}
	if !bytes.Contains(src, []byte("cache")) {
		return false
	}
	for _, e := range BaseContext {
		if bytes.Contains(src, []byte(e)) {
			return true
		}
	}
	return false
}

func readFile(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("is a directory")
	}
	if info.Size() > MaxSize {
		return nil, fmt.Errorf("larger than %d KiB (%d bytes)", MaxSize>>10, info.Size())
	}
	b := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(b) > MaxSize {
			return nil, fmt.Errorf("larger than %d KiB", MaxSize>>10)
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
	return b, nil
}

// Parse parses one workflow's source. It fails only when the YAML cannot
// be read at all or has no mapping at the top; actionlint's syntax
// diagnostics are GitHub's business, not a reason to look away.
func Parse(src []byte) (*File, error) {
	if len(src) > MaxSize {
		return nil, fmt.Errorf("workflow larger than %d KiB", MaxSize>>10)
	}
	f, p := parse("", src)
	if p != nil {
		return nil, fmt.Errorf("%d:%d: %s", p.Line, p.Column, p.Msg)
	}
	return f, nil
}

func parse(p string, text []byte) (*File, *Problem) {
	w, errs := actionlint.Parse(text)
	if w == nil {
		pr := &Problem{Path: p, Pos: Pos{1, 1}, Msg: "parsing workflow"}
		if len(errs) > 0 {
			pr.Pos = Pos{max(errs[0].Line, 1), max(errs[0].Column, 1)}
			pr.Msg = "parsing workflow: " + errs[0].Message
		}
		return nil, pr
	}
	if w.On == nil && w.Jobs == nil {
		msg := "parsing workflow: no \"on\" and no \"jobs\""
		for _, e := range errs {
			msg = "parsing workflow: " + e.Message
			break
		}
		return nil, &Problem{Path: p, Pos: Pos{1, 1}, Msg: msg}
	}
	f := &File{Path: p, Perms: perms(w.Permissions)}
	src := source(strings.Split(string(text), "\n"))
	if w.Name != nil {
		f.Name = w.Name.Value
	}
	for _, e := range w.On {
		f.Triggers = append(f.Triggers, trigger(e))
	}
	slices.SortStableFunc(f.Triggers, func(a, b Trigger) int { return cmpPos(a.Pos, b.Pos) })
	for _, j := range w.Jobs {
		f.Jobs = append(f.Jobs, src.job(j, f.Perms))
	}
	slices.SortFunc(f.Jobs, func(a, b *Job) int { return cmp.Or(cmpPos(a.Pos, b.Pos), strings.Compare(a.ID, b.ID)) })
	return f, nil
}

func cmpPos(a, b Pos) int {
	return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

func pos(p *actionlint.Pos) Pos {
	if p == nil {
		return Pos{1, 1}
	}
	return Pos{max(p.Line, 1), max(p.Col, 1)}
}

func strs(ss []*actionlint.String) []string {
	var out []string
	for _, s := range ss {
		if s != nil {
			out = append(out, s.Value)
		}
	}
	return out
}

func filter(f *actionlint.WebhookEventFilter) []string {
	if f == nil {
		return nil
	}
	return append([]string{}, strs(f.Values)...)
}

func trigger(e actionlint.Event) Trigger {
	switch e := e.(type) {
	case *actionlint.WebhookEvent:
		return Trigger{Event: e.Hook.Value, Pos: pos(e.Pos),
			Branches: filter(e.Branches), BranchesIgnore: filter(e.BranchesIgnore),
			Tags: filter(e.Tags), TagsIgnore: filter(e.TagsIgnore),
			Types: strs(e.Types), Workflows: strs(e.Workflows)}
	case *actionlint.ScheduledEvent:
		return Trigger{Event: "schedule", Pos: pos(e.Pos)}
	case *actionlint.WorkflowDispatchEvent:
		return Trigger{Event: "workflow_dispatch", Pos: pos(e.Pos)}
	case *actionlint.RepositoryDispatchEvent:
		return Trigger{Event: "repository_dispatch", Pos: pos(e.Pos), Types: strs(e.Types)}
	case *actionlint.WorkflowCallEvent:
		return Trigger{Event: "workflow_call", Pos: pos(e.Pos)}
	case *actionlint.ImageVersionEvent:
		return Trigger{Event: "image_version", Pos: pos(e.Pos)}
	}
	return Trigger{Event: e.EventName()}
}

func perms(p *actionlint.Permissions) *Permissions {
	if p == nil {
		return nil
	}
	out := &Permissions{Pos: pos(p.Pos), Scopes: map[string]string{}}
	if p.All != nil {
		out.All = strings.ToLower(p.All.Value)
	}
	for k, s := range p.Scopes {
		if s != nil && s.Value != nil {
			out.Scopes[strings.ToLower(k)] = strings.ToLower(s.Value.Value)
		}
	}
	return out
}

// blockIndent returns the indentation of a block scalar's content: that
// of its first non-empty line after the indicator line. 0 for other
// strings.
func (src source) blockIndent(line int, s *actionlint.String) int {
	if s.Quoted || !strings.Contains(s.Value, "\n") {
		return 0
	}
	for i := line; i < len(src); i++ { // src[line] is the line after `line`
		if t := strings.TrimLeft(src[i], " "); t != "" {
			return len(src[i]) - len(t)
		}
	}
	return 0
}

// source is a workflow's text by line, to place expressions inside block
// scalars, whose content actionlint hands over dedented.
type source []string

func (src source) val(s *actionlint.String) Value {
	if s == nil {
		return Value{}
	}
	v := Value{S: s.Value, Pos: pos(s.Pos)}
	v.Exprs = Exprs(s.Value, v.Pos, s.Quoted, src.blockIndent(v.Pos.Line, s))
	return v
}

func (src source) job(j *actionlint.Job, top *Permissions) *Job {
	out := &Job{ID: j.ID.Value, Pos: pos(j.Pos), Perms: perms(j.Permissions)}
	if j.ID != nil {
		out.Pos = pos(j.ID.Pos)
	}
	out.Token = cmp.Or(out.Perms, top)
	if r := j.RunsOn; r != nil {
		for _, l := range r.Labels {
			out.RunsOn = append(out.RunsOn, strings.ToLower(l.Value))
			if out.RunsOnPos == (Pos{}) {
				out.RunsOnPos = pos(l.Pos)
			}
		}
		if r.Group != nil {
			out.RunnerGroup = r.Group.Value
			out.RunsOnPos = pos(r.Group.Pos)
		}
		if r.LabelsExpr != nil {
			out.RunsOnExpr = true
			out.RunsOnPos = pos(r.LabelsExpr.Pos)
		}
	}
	if e := j.Environment; e != nil && e.Name != nil {
		out.Environment = e.Name.Value
	}
	if j.If != nil {
		out.If = j.If.Value
	}
	out.Needs = strs(j.Needs)
	var secrets []Secret
	addEnv := func(e *actionlint.Env) map[string]Value {
		if e == nil {
			return nil
		}
		m := map[string]Value{}
		if e.Expression != nil {
			v := src.val(e.Expression)
			secrets = append(secrets, secretsIn(v)...)
		}
		for k, ev := range e.Vars {
			v := src.val(ev.Value)
			m[k] = v
			secrets = append(secrets, secretsIn(v)...)
		}
		return m
	}
	addEnv(j.Env)
	if c := j.Container; c != nil && c.Credentials != nil {
		secrets = append(secrets, secretsIn(src.val(c.Credentials.Password))...)
		secrets = append(secrets, secretsIn(src.val(c.Credentials.Username))...)
	}
	if s := j.Services; s != nil {
		for _, sv := range s.Value {
			if sv.Container != nil && sv.Container.Credentials != nil {
				secrets = append(secrets, secretsIn(src.val(sv.Container.Credentials.Password))...)
			}
		}
	}
	if wc := j.WorkflowCall; wc != nil {
		out.Uses = src.val(wc.Uses)
		out.SecretsInherit = wc.InheritSecrets
		if wc.InheritSecrets {
			secrets = append(secrets, Secret{All: true, Pos: out.Uses.Pos})
		}
		for _, s := range wc.Secrets {
			secrets = append(secrets, secretsIn(src.val(s.Value))...)
		}
		for _, in := range wc.Inputs {
			secrets = append(secrets, secretsIn(src.val(in.Value))...)
		}
	}
	for _, s := range j.Steps {
		st := &Step{Pos: pos(s.Pos)}
		if s.Name != nil {
			st.Name = s.Name.Value
		}
		if s.If != nil {
			st.If = s.If.Value
		}
		st.Env = addEnv(s.Env)
		switch e := s.Exec.(type) {
		case *actionlint.ExecRun:
			st.Run = src.val(e.Run)
			secrets = append(secrets, secretsIn(st.Run)...)
			out.Untrusted = append(out.Untrusted, untrustedIn(st.Run)...)
		case *actionlint.ExecAction:
			st.Uses = src.val(e.Uses)
			st.With = map[string]Value{}
			for k, in := range e.Inputs {
				v := src.val(in.Value)
				st.With[strings.ToLower(k)] = v
				secrets = append(secrets, secretsIn(v)...)
			}
			if strings.HasPrefix(strings.ToLower(st.Uses.S), "actions/github-script@") {
				out.Untrusted = append(out.Untrusted, untrustedIn(st.With["script"])...)
			}
		}
		out.Steps = append(out.Steps, st)
	}
	slices.SortStableFunc(secrets, func(a, b Secret) int { return cmpPos(a.Pos, b.Pos) })
	out.Secrets = secrets
	return out
}

// Untrusted lists the events whose runs are driven by people outside the
// repository's writers: their payload (titles, bodies, branch names,
// comments) or code is attacker-controlled.
var UntrustedEvents = []string{
	"pull_request_target", "pull_request", "pull_request_review", "pull_request_review_comment",
	"issue_comment", "issues", "discussion", "discussion_comment", "workflow_run", "fork", "watch",
}

// BaseContext lists the untrusted events that nevertheless run with the
// base repository's token, secrets and cache scope.
var BaseContext = []string{
	"pull_request_target", "issue_comment", "issues", "discussion", "discussion_comment",
	"pull_request_review_comment", "workflow_run", "fork", "watch",
}

// UntrustedTriggers returns the file's triggers of UntrustedEvents.
func (f *File) UntrustedTriggers() []Trigger {
	var out []Trigger
	for _, t := range f.Triggers {
		if slices.Contains(UntrustedEvents, t.Event) {
			out = append(out, t)
		}
	}
	return out
}

// Trigger returns the file's trigger for an event, or nil.
func (f *File) Trigger(event string) *Trigger {
	for i := range f.Triggers {
		if f.Triggers[i].Event == event {
			return &f.Triggers[i]
		}
	}
	return nil
}

// Callers returns the workflows that call f through local reusable-workflow
// calls, transitively (a caller's callers too), nearest first.
func (m *Model) Callers(f *File) []*File {
	return m.walk(f, func(g *File) []string { return g.Callers })
}

// Callees returns the local reusable workflows f calls, transitively.
func (m *Model) Callees(f *File) []*File { return m.walk(f, func(g *File) []string { return g.Calls }) }

func (m *Model) walk(f *File, next func(*File) []string) []*File {
	seen := map[string]bool{f.Path: true}
	var out []*File
	queue := []*File{f}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		for _, p := range next(g) {
			if h := m.Files[p]; h != nil && !seen[p] {
				seen[p] = true
				out = append(out, h)
				queue = append(queue, h)
			}
		}
	}
	return out
}

// Problem returns the problem recorded for a path, or nil.
func (m *Model) Problem(p string) *Problem {
	p = Clean(p)
	for i := range m.Problems {
		if m.Problems[i].Path == p {
			return &m.Problems[i]
		}
	}
	return nil
}
