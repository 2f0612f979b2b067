package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// Repo is one repository a Source lists.
type Repo struct {
	// Owner and Name make "owner/name".
	Owner, Name string
	// DefaultBranch is the branch swept.
	DefaultBranch string
	Archived      bool
	Fork          bool
	// Origin is "host/owner/name" (RP105); empty when unknown.
	Origin string
}

// FullName is "owner/name", or the name alone without an owner.
func (r Repo) FullName() string {
	if r.Owner == "" {
		return r.Name
	}
	return r.Owner + "/" + r.Name
}

// Source lists repositories and reads them at their head.
type Source interface {
	// List returns every repository of the organisation. An error means
	// the organisation cannot be listed (a ListError when it is because
	// the organisation does not exist or the token is refused).
	List(ctx context.Context) ([]Repo, error)
	// Head returns the default branch's head commit; "" when the source
	// has no revisions (then results are not cached).
	Head(ctx context.Context, r Repo) (string, error)
	// Open returns the repository's files at rev. The file system may
	// implement io.Closer; it is closed after linting.
	Open(ctx context.Context, r Repo, rev string) (fs.FS, error)
}

// ListError is why an organisation cannot be listed.
type ListError struct {
	// Reason is "unknown organisation", "token refused" or another short
	// phrase.
	Reason string
	Err    error
}

func (e *ListError) Error() string { return e.Reason + ": " + e.Err.Error() }
func (e *ListError) Unwrap() error { return e.Err }

// Store keeps per-repository results between runs (a cache).
type Store interface {
	Get(key string) ([]byte, bool)
	Put(key string, value []byte) error
}

// Options configure a sweep.
type Options struct {
	// Org names the organisation (or directory) in the report.
	Org string
	// Lint is passed to lint.RunFS for every repository (Now, Scanner,
	// RunnerLabels); Paths, Base and Jobs are ignored.
	Lint lint.Options
	// Concurrency bounds repositories in flight (default 8).
	Concurrency int
	// IncludeArchived and IncludeForks sweep archived repositories and
	// forks instead of listing them as skipped.
	IncludeArchived, IncludeForks bool
	// Repos and Skip are path.Match globs on "owner/name" or on the name:
	// with Repos only matching repositories are swept; Skip drops matches.
	Repos, Skip []string
	// Shard keeps one part of the organisation.
	Shard Shard
	// Results caches results by repository and head commit; nil caches
	// nothing.
	Results Store
	// Key distinguishes results that depend on more than the commit: the
	// tool version, the configuration, the reference day. Results cached
	// under another key are not reused.
	Key string
	// Tool and Version name the producer in the report.
	Tool, Version string
	// Progress, when set, is called after each repository (done of
	// total, the entry); calls are serialised.
	Progress func(done, total int, e Entry)
}

// Run sweeps the repositories src lists. Only a failure to list them is an
// error: a repository that cannot be read is an entry with status error.
// When ctx is cancelled Run returns its error; results finished so far are
// in opts.Results, so a re-run resumes.
func Run(ctx context.Context, src Source, opts Options) (*Report, error) {
	for _, g := range append(append([]string{}, opts.Repos...), opts.Skip...) {
		if _, err := path.Match(g, ""); err != nil {
			return nil, fmt.Errorf("glob %q: %w", g, err)
		}
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.Lint.Now.IsZero() {
		opts.Lint.Now = time.Now()
	}
	opts.Lint.Jobs = 1
	all, err := src.List(ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].FullName() < all[j].FullName() })
	rep := &Report{Tool: opts.Tool, Version: opts.Version, Org: opts.Org, Shard: opts.Shard.String(),
		SweptAt: opts.Lint.Now.UTC().Format(time.RFC3339)}
	var todo []Repo
	for _, r := range all {
		name := r.FullName()
		if !opts.Shard.Has(name) || !selected(opts, r) {
			continue
		}
		switch {
		case r.Archived && !opts.IncludeArchived:
			rep.Repos = append(rep.Repos, Entry{Repo: name, Status: Skipped, Error: "archived (--include-archived sweeps it)"})
		case r.Fork && !opts.IncludeForks:
			rep.Repos = append(rep.Repos, Entry{Repo: name, Status: Skipped, Error: "fork (--include-forks sweeps it)"})
		default:
			todo = append(todo, r)
		}
	}
	total := len(rep.Repos) + len(todo)
	var mu sync.Mutex
	done := 0
	report := func(e Entry, fs []finding.Finding) {
		mu.Lock()
		defer mu.Unlock()
		rep.Repos = append(rep.Repos, e)
		rep.Findings = append(rep.Findings, fs...)
		done++
		if opts.Progress != nil {
			opts.Progress(done, total, e)
		}
	}
	for _, e := range rep.Repos {
		done++
		if opts.Progress != nil {
			opts.Progress(done, total, e)
		}
	}
	// Requests in flight are bounded by Concurrency; linting, which is CPU
	// work, by the processors, and a repository being linted does not
	// hold a request slot.
	sem := make(chan struct{}, opts.Concurrency)
	cpu := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, r := range todo {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, fs := sweepOne(ctx, src, opts, r, sem, cpu)
			if ctx.Err() != nil {
				return // interrupted: not a result
			}
			report(e, fs)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sweeping %s: interrupted after %d of %d repositories: %w", opts.Org, done, total, err)
	}
	rep.Finish()
	return rep, nil
}

func selected(opts Options, r Repo) bool {
	match := func(globs []string) bool {
		for _, g := range globs {
			if ok, _ := path.Match(g, r.FullName()); ok {
				return true
			}
			if ok, _ := path.Match(g, r.Name); ok {
				return true
			}
		}
		return false
	}
	if len(opts.Repos) > 0 && !match(opts.Repos) {
		return false
	}
	return !match(opts.Skip)
}

// cached is a result as the Store keeps it.
type cached struct {
	Entry    Entry             `json:"entry"`
	Findings []finding.Finding `json:"findings"`
}

// resultKey names a repository's result at rev under opts.Key.
func resultKey(opts Options, name, rev string) string {
	sum := sha256.Sum256([]byte(opts.Key + "\x00" + strings.ToLower(name) + "\x00" + rev))
	return hex.EncodeToString(sum[:])
}

// sweepOne reads and lints one repository. It is called holding a slot
// of sem, which it gives back once the repository is read; it lints
// holding a slot of cpu.
func sweepOne(ctx context.Context, src Source, opts Options, r Repo, sem, cpu chan struct{}) (Entry, []finding.Finding) {
	name := r.FullName()
	var once sync.Once
	release := func() { once.Do(func() { <-sem }) }
	defer release()
	fail := func(rev string, err error) (Entry, []finding.Finding) {
		return Entry{Repo: name, Status: Failed, Revision: rev, Error: err.Error()}, nil
	}
	rev, err := src.Head(ctx, r)
	if err != nil {
		return fail("", fmt.Errorf("reading head of %s: %w", r.DefaultBranch, err))
	}
	key := resultKey(opts, name, rev)
	if rev != "" && opts.Results != nil {
		if b, ok := opts.Results.Get(key); ok {
			var c cached
			if json.Unmarshal(b, &c) == nil && c.Entry.Repo == name && c.Entry.Revision == rev {
				return c.Entry, c.Findings
			}
		}
	}
	fsys, err := src.Open(ctx, r, rev)
	if err != nil {
		return fail(rev, fmt.Errorf("reading files at %s: %w", short(rev), err))
	}
	if c, ok := fsys.(io.Closer); ok {
		defer c.Close()
	}
	release()
	cpu <- struct{}{}
	e, fs, err := Lint(ctx, opts.Lint, name, r.Origin, rev, fsys)
	<-cpu
	if err != nil {
		return fail(rev, err)
	}
	if rev != "" && opts.Results != nil {
		if b, err := json.Marshal(cached{Entry: e, Findings: fs}); err == nil {
			opts.Results.Put(key, b) // a cache that cannot be written costs only a re-run
		}
	}
	return e, fs
}

// Lint lints one repository's files exactly as lint.RunFS does and makes
// its entry: findings fingerprinted as lint's, the status from them.
func Lint(ctx context.Context, opts lint.Options, name, origin, rev string, fsys fs.FS) (Entry, []finding.Finding, error) {
	res, err := lint.RunFS(ctx, opts, []lint.Repo{{Name: name, FS: fsys, Origin: origin}})
	if err != nil {
		return Entry{}, nil, fmt.Errorf("linting: %w", err)
	}
	lint.Fingerprint(res)
	rr := res.Repos[0]
	e := Entry{Repo: name, Revision: rev}
	_, statErr := fs.Stat(fsys, surface.PolicyFile)
	missing := errors.Is(statErr, fs.ErrNotExist)
	var out []finding.Finding
	for _, f := range res.Findings { // fingerprinted (rr.Findings are not)
		if missing && f.Rule == "RP001" && f.Path == surface.PolicyFile {
			continue // the status says it
		}
		out = append(out, f)
		switch f.Severity {
		case finding.Error:
			e.Errors++
		case finding.Warning:
			e.Warnings++
		}
	}
	if rr.Doc != nil && rr.Doc.Policy != nil {
		e.Policy = rr.Doc.Policy
	}
	switch {
	case missing:
		e.Status = MissingPolicy
	case e.Errors > 0:
		e.Status = HasFindings
	default:
		e.Status = Compliant
	}
	return e, out, nil
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
