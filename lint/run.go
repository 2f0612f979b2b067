// Package lint runs relpolicy's rules over repositories: it loads each
// repository's release-policy.yaml, runs every rule of package rules, applies
// inline suppressions and returns the findings in report order.
package lint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/policy"
	"github.com/tooo/relpolicy/lint/rules"
	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/lint/workflow"
)

// Scanner is the disclosure scan (RP5xx) over a repository's public
// surfaces as selected (surface.ListSelected): findings in report order and
// what it read.
type Scanner interface {
	Scan(fsys fs.FS, sel surface.Selection) ([]finding.Finding, surface.Coverage, error)
}

// Options configure a run.
type Options struct {
	// Paths are repository directories or policy files; default ".".
	// RunFS ignores them.
	Paths []string
	// Now is the reference time for date rules.
	Now time.Time
	// Base is a git ref whose ledger the current one must extend (RP308).
	// It needs repositories on disk: RunFS refuses it.
	Base string
	// Scanner runs RP5xx; nil skips them.
	Scanner Scanner
	// Jobs bounds parallelism; 0 means GOMAXPROCS.
	Jobs int
	// RunnerLabels are the organisation's own self-hosted runner labels
	// (the private config's internal_runner_labels), for RP219.
	RunnerLabels []string
	// MinConfidence drops findings less confident than it (counted in
	// RepoResult.BelowConfidence); empty keeps all.
	MinConfidence finding.Confidence
	// Signing are a verify report's facts about each repository's newest
	// ledger release, keyed by the policy's repository.name
	// ("owner/name"), for RP401-RP403 (lint --verify); nil without one.
	Signing map[string]*rules.SigningFacts
}

// RepoResult is one repository's outcome.
type RepoResult struct {
	// Name is the repository as the user named it.
	Name string
	// Dir is its directory; empty for a repository linted through RunFS.
	Dir string
	// Origin is the repository's identity where known (Repo.Origin).
	Origin string
	// Doc is the loaded policy (Doc.Policy nil when invalid); nil when
	// unreadable. Once the rules have run only the typed model is kept:
	// Doc.Root and Doc.Source are dropped, so a run over a thousand
	// repositories does not hold a thousand YAML trees.
	Doc *policy.Document
	// Findings are this repository's findings, in report order.
	Findings []finding.Finding
	// Skipped are public files left unscanned, with the reason.
	Skipped []surface.Skipped
	// Scanned counts the public files the disclosure scan read (the
	// claim rules' files when no scanner ran).
	Scanned int
	// Exempted counts findings dropped by the policy's lint.ignore.
	Exempted int
	// BelowConfidence counts findings dropped by Options.MinConfidence.
	BelowConfidence int

	// fsys is the repository's file system, for fingerprints.
	fsys fs.FS
}

// Repo is one repository to lint through its file system: a checkout, an
// archive, an API tree or an in-memory fstest.MapFS.
type Repo struct {
	// Name is the repository as the caller names it; findings carry it.
	Name string
	// FS is the repository's file system, rooted at its top. Paths in
	// findings are slash paths in it.
	FS fs.FS
	// Origin is the repository's identity where known, e.g.
	// "github.com/owner/name"; empty when unknown.
	Origin string
	// Policy is the policy file's path in FS; default release-policy.yaml.
	Policy string
}

// Result is a run's outcome.
type Result struct {
	Repos    []*RepoResult
	Findings []finding.Finding
}

// UsageError is a problem with the invocation or environment (exit 2), as
// opposed to a finding.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// target is one repository to lint.
type target struct {
	name, dir, file string
}

// Targets resolves PATH arguments into repositories. A path that does not
// exist is a UsageError.
func targets(paths []string) ([]target, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	out := make([]target, 0, len(paths))
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, &UsageError{fmt.Errorf("reading %s: %w", p, errors.Unwrap(err))}
		}
		name := filepath.Clean(p)
		if info.IsDir() {
			out = append(out, target{name: name, dir: p, file: surface.PolicyFile})
		} else {
			out = append(out, target{name: filepath.Dir(name), dir: filepath.Dir(p), file: filepath.Base(p)})
		}
	}
	return out, nil
}

// Run lints the repositories named by opts.Paths, on disk: a thin wrapper
// over RunFS that adds --base (git) and reads each repository through an
// os.Root, so no link leads outside it.
func Run(ctx context.Context, opts Options) (*Result, error) {
	ts, err := targets(opts.Paths)
	if err != nil {
		return nil, err
	}
	return run(ctx, opts, len(ts), func(i int) (*RepoResult, error) {
		return lintRepo(opts, ts[i])
	})
}

// RunFS lints repositories given as file systems. Results come in the
// order of repos. opts.Paths is ignored; opts.Base is a UsageError (it
// needs git and a directory). A disclosure scan that cannot run is an
// error, never a clean result.
func RunFS(ctx context.Context, opts Options, repos []Repo) (*Result, error) {
	if opts.Base != "" {
		return nil, &UsageError{fmt.Errorf("--base %q: needs repositories on disk", opts.Base)}
	}
	for _, r := range repos {
		if r.FS == nil {
			return nil, &UsageError{fmt.Errorf("linting %s: no file system", r.Name)}
		}
	}
	return run(ctx, opts, len(repos), func(i int) (*RepoResult, error) {
		r := repos[i]
		file := r.Policy
		if file == "" {
			file = surface.PolicyFile
		}
		return lintFS(opts, r, "", file, nil)
	})
}

// run lints n repositories, lint(i) the i-th, opts.Jobs at a time.
func run(ctx context.Context, opts Options, n int, lint func(i int) (*RepoResult, error)) (*Result, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	res := &Result{Repos: make([]*RepoResult, n)}
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			res.Repos[i], errs[i] = lint(i)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, r := range res.Repos {
		res.Findings = append(res.Findings, r.Findings...)
	}
	return res, nil
}

func lintRepo(opts Options, t target) (*RepoResult, error) {
	root, err := os.OpenRoot(t.dir)
	if err != nil {
		return nil, &UsageError{fmt.Errorf("opening repository %s: %w", t.name, errors.Unwrap(err))}
	}
	defer root.Close()
	var base *policy.Document
	if opts.Base != "" {
		base, err = loadBase(t.dir, t.file, opts.Base)
		if err != nil {
			return nil, err
		}
	}
	rr, err := lintFS(opts, Repo{Name: t.name, FS: root.FS(), Origin: GitOrigin(root.FS())}, t.dir, t.file, base)
	if rr != nil {
		// The root closes on return; fingerprints read the files later.
		rr.fsys = os.DirFS(t.dir)
	}
	return rr, err
}

// lintFS lints one repository. dir is its directory on disk, if any.
func lintFS(opts Options, repo Repo, dir, file string, base *policy.Document) (*RepoResult, error) {
	name, fsys := repo.Name, repo.FS
	rr := &RepoResult{Name: name, Dir: dir, Origin: repo.Origin, fsys: fsys}
	doc, loadFindings := policy.Load(fsys, file)
	rr.Doc = doc
	files := newFileCache(fsys)
	if doc != nil {
		files.note(doc.Path, doc.Source)
	}
	c := &rules.Context{
		Repo: name, Origin: repo.Origin, FS: fsys, Doc: doc, Base: base, Now: opts.Now, RunnerLabels: opts.RunnerLabels,
	}
	if doc != nil && doc.Policy != nil {
		c.Signing = opts.Signing[string(doc.Policy.Repository.Name)]
	}
	// Public text is streamed: the claim rules take it in one pass, and a
	// second call (below, for suppression markers) only walks it if no
	// rule did.
	var walked sync.Once
	sel, ignores := lintSection(doc)
	publicFiles := 0
	c.Public = func(visit func(rules.TextFile)) {
		walked.Do(func() { publicFiles = files.public(rr, sel, visit) })
	}
	// A disclosure scan that fails fails the run: its rules must never read
	// as clean.
	var scanErr error
	scanned := false
	c.Disclosure = sync.OnceValue(func() []finding.Finding {
		if opts.Scanner == nil {
			return nil
		}
		fs, cov, err := opts.Scanner.Scan(fsys, sel)
		rr.Skipped = append(rr.Skipped, cov.Skipped...)
		rr.Scanned, scanned = cov.Scanned, true
		if err != nil {
			scanErr = fmt.Errorf("linting %s: %w", name, err)
		}
		return fs
	})
	c.Workflows = sync.OnceValue(func() *workflow.Model { return workflow.Load(fsys, rules.WorkflowRefs(doc)...) })
	for _, r := range rules.All {
		if r.Phase != rules.Lint {
			continue
		}
		if (doc == nil || doc.Policy == nil) && !r.TextOnly {
			continue // without a valid policy only the text scans can run
		}
		c.Run(r)
	}
	if scanErr != nil {
		return nil, scanErr
	}
	// Suppression markers live in any public file; read them all so a
	// marker without a reason is reported even where no rule looked.
	c.Public(func(rules.TextFile) {})
	all := append(loadFindings, c.Findings()...)
	for i := range all {
		all[i].Repo = name
	}
	all = suppress(all, files, name)
	all, rr.Exempted = exempt(all, ignores)
	all, rr.BelowConfidence = atLeast(all, opts.MinConfidence)
	rr.Findings = finding.Sort(all)
	if !scanned {
		rr.Scanned = publicFiles
	}
	if doc != nil {
		rr.Doc = &policy.Document{Path: doc.Path, Policy: doc.Policy}
	}
	// The claim rules and the disclosure scan both list the surfaces.
	slices.SortFunc(rr.Skipped, func(a, b surface.Skipped) int { return strings.Compare(a.Path, b.Path) })
	rr.Skipped = slices.Compact(rr.Skipped)
	return rr, nil
}

// ignore is one lint.ignore entry of the policy.
type ignore struct {
	rules, paths []string
}

// lintSection reads the policy's lint section: the public-text selection
// and the reviewed exemptions. A missing or invalid policy has neither.
func lintSection(doc *policy.Document) (surface.Selection, []ignore) {
	var sel surface.Selection
	if doc == nil || doc.Policy == nil || doc.Policy.Lint == nil {
		return sel, nil
	}
	l := doc.Policy.Lint
	for _, g := range l.PublicText {
		sel.PublicText = append(sel.PublicText, string(g))
	}
	for _, g := range l.Exclude {
		sel.Exclude = append(sel.Exclude, string(g))
	}
	var out []ignore
	for _, ig := range l.Ignore {
		var x ignore
		for _, r := range ig.Rules {
			x.rules = append(x.rules, string(r))
		}
		for _, g := range ig.Paths {
			x.paths = append(x.paths, string(g))
		}
		out = append(out, x)
	}
	return sel, out
}

// exempt drops the findings a lint.ignore entry covers (its rule, a path
// matching one of its globs) and counts them. Findings about the policy
// file itself are never exempted: the exemption lives there.
func exempt(fs []finding.Finding, ignores []ignore) ([]finding.Finding, int) {
	if len(ignores) == 0 {
		return fs, 0
	}
	out := fs[:0]
	n := 0
	for _, f := range fs {
		if f.Path != surface.PolicyFile && slices.ContainsFunc(ignores, func(ig ignore) bool {
			return slices.Contains(ig.rules, f.Rule) && slices.ContainsFunc(ig.paths, func(g string) bool {
				ok, _ := doublestar.Match(g, f.Path)
				return ok
			})
		}) {
			n++
			continue
		}
		out = append(out, f)
	}
	return out, n
}

// atLeast drops findings less confident than min and counts them.
func atLeast(fs []finding.Finding, min finding.Confidence) ([]finding.Finding, int) {
	if min == "" {
		return fs, 0
	}
	out := fs[:0]
	n := 0
	for _, f := range fs {
		if f.Confidence.Rank() < min.Rank() {
			n++
			continue
		}
		out = append(out, f)
	}
	return out, n
}
