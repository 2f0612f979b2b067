package verify

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/policy"
	"github.com/tooo/relpolicy/lint/surface"
)

// Options configure Run.
type Options struct {
	CollectOptions
	// Paths are repository directories or policy files; default ".".
	Paths []string
	// Now is recorded as the report's VerifiedAt.
	Now time.Time
	// Tool and Version name the producer.
	Tool, Version string
}

// UsageError is an unreadable PATH (exit 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Run loads each PATH's policy, collects the facts of its ledger and
// evaluates them. Policies that do not load are reported with their load
// findings (RP001-RP004) and not verified. Failures to reach a registry or
// API are in Report.Errors; the rest is verified regardless.
func Run(ctx context.Context, src Sources, opts Options) (*Report, error) {
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	rep := &Report{Tool: opts.Tool, Version: opts.Version, VerifiedAt: opts.Now.UTC(), Findings: []finding.Finding{}}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, &UsageError{fmt.Errorf("reading %s: %w", p, errors.Unwrap(err))}
		}
		name, dir, file := filepath.Clean(p), p, surface.PolicyFile
		if !info.IsDir() {
			name, dir, file = filepath.Dir(filepath.Clean(p)), filepath.Dir(p), filepath.Base(p)
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, &UsageError{fmt.Errorf("opening repository %s: %w", name, errors.Unwrap(err))}
		}
		doc, loadFindings := policy.Load(root.FS(), file)
		copts := opts.CollectOptions
		if doc != nil && doc.Policy != nil {
			copts.SignatureSigner, copts.AttestationSigner, err = Signers(doc.Policy, func(p string) ([]byte, error) {
				return fs.ReadFile(root.FS(), path.Clean(strings.TrimPrefix(p, "./")))
			})
		}
		root.Close()
		if err != nil {
			return nil, &UsageError{fmt.Errorf("repository %s: %w", name, err)}
		}
		for i := range loadFindings {
			loadFindings[i].Repo = name
		}
		rep.Findings = append(rep.Findings, loadFindings...)
		if doc == nil || doc.Policy == nil {
			continue
		}
		rf := Collect(ctx, src, copts, name, doc.Policy)
		rep.Repos = append(rep.Repos, rf)
		for _, rel := range rf.Releases {
			rel.Findings = finding.Sort(Evaluate(doc, &RepoFacts{Repo: rf.Repo, Name: rf.Name, Releases: []*ReleaseFacts{rel}}))
			rep.Findings = append(rep.Findings, rel.Findings...)
		}
	}
	rep.Findings = finding.Sort(rep.Findings)
	e, w := finding.Count(rep.Findings)
	rep.Errors = Errors(rep.Repos)
	rep.Summary = Summary{Repos: len(paths), Errors: e, Warnings: w, Unreached: len(rep.Errors)}
	return rep, nil
}
