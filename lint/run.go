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

	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/policy"
	"github.com/tooo/relpolicy/lint/rules"
	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/lint/workflow"
)

// Scanner is the disclosure scan (RP5xx) over a repository's public surfaces.
type Scanner interface {
	ScanFS(fsys fs.FS) ([]finding.Finding, []surface.Skipped, error)
}

// Options configure a run.
type Options struct {
	// Paths are repository directories or policy files; default ".".
	Paths []string
	// Config is the private organisation config; nil means empty.
	Config *config.Config
	// Now is the reference time for date rules.
	Now time.Time
	// Base is a git ref whose ledger the current one must extend (RP308).
	Base string
	// Scanner runs RP5xx; nil skips them.
	Scanner Scanner
	// Jobs bounds parallelism; 0 means GOMAXPROCS.
	Jobs int
}

// RepoResult is one repository's outcome.
type RepoResult struct {
	// Name is the repository as the user named it.
	Name string
	// Dir is its directory.
	Dir string
	// Doc is the loaded policy (Doc.Policy nil when invalid); nil when
	// unreadable. Once the rules have run only the typed model is kept:
	// Doc.Root and Doc.Source are dropped, so a run over a thousand
	// repositories does not hold a thousand YAML trees.
	Doc *policy.Document
	// Findings are this repository's findings, in report order.
	Findings []finding.Finding
	// Skipped are public files left unscanned, with the reason.
	Skipped []surface.Skipped
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

// Run lints the repositories named by opts.Paths.
func Run(ctx context.Context, opts Options) (*Result, error) {
	ts, err := targets(opts.Paths)
	if err != nil {
		return nil, err
	}
	if opts.Config == nil {
		opts.Config = &config.Config{}
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	res := &Result{Repos: make([]*RepoResult, len(ts))}
	errs := make([]error, len(ts))
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for i, t := range ts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			res.Repos[i], errs[i] = lintRepo(opts, t)
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
	fsys := root.FS()
	var base *policy.Document
	if opts.Base != "" {
		base, err = loadBase(t.dir, t.file, opts.Base)
		if err != nil {
			return nil, err
		}
	}
	return lintFS(opts, t.name, t.dir, fsys, t.file, base), nil
}

func lintFS(opts Options, name, dir string, fsys fs.FS, file string, base *policy.Document) *RepoResult {
	rr := &RepoResult{Name: name, Dir: dir}
	doc, loadFindings := policy.Load(fsys, file)
	rr.Doc = doc
	files := newFileCache(fsys)
	if doc != nil {
		files.note(doc.Path, doc.Source)
	}
	c := &rules.Context{
		Repo: name, FS: fsys, Doc: doc, Base: base, Config: opts.Config, Now: opts.Now,
	}
	// Public text is streamed: the claim rules take it in one pass, and a
	// second call (below, for suppression markers) only walks it if no
	// rule did.
	var walked sync.Once
	c.Public = func(visit func(rules.TextFile)) {
		walked.Do(func() { files.public(rr, visit) })
	}
	c.Disclosure = sync.OnceValue(func() []finding.Finding {
		if opts.Scanner == nil {
			return nil
		}
		fs, skipped, err := opts.Scanner.ScanFS(fsys)
		rr.Skipped = append(rr.Skipped, skipped...)
		if err != nil {
			rr.Skipped = append(rr.Skipped, surface.Skipped{Path: ".", Reason: "disclosure scan failed: " + err.Error()})
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
	// Suppression markers live in any public file; read them all so a
	// marker without a reason is reported even where no rule looked.
	c.Public(func(rules.TextFile) {})
	all := append(loadFindings, c.Findings()...)
	for i := range all {
		all[i].Repo = name
	}
	rr.Findings = finding.Sort(suppress(all, files, name))
	if doc != nil {
		rr.Doc = &policy.Document{Path: doc.Path, Policy: doc.Policy}
	}
	// The claim rules and the disclosure scan both list the surfaces.
	slices.SortFunc(rr.Skipped, func(a, b surface.Skipped) int { return strings.Compare(a.Path, b.Path) })
	rr.Skipped = slices.Compact(rr.Skipped)
	return rr
}
