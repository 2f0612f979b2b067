// Package site renders the static public site of official artifacts
// (SPEC section 5) from loaded release policies.
//
// The site is presentation only: it renders the model the policy loader
// produced and never re-runs lint rules. The caller lints first and passes
// only policies without lint errors.
//
// Output is deterministic (byte-identical for the same policies, templates
// and Now), self-contained (no external requests; works from file://) and
// written atomically: the new tree is rendered next to the output
// directory, every file is passed through the leak Gate, and only when the
// Gate reports no error does the new tree replace the old one. Files whose
// content did not change are carried over as hard links, so their
// modification times are kept; an unchanged site is not touched at all.
package site

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/schema"
)

// Gate scans a file the site is about to write; the disclosure scanner
// (lint/disclosure) implements it. path is slash-separated and relative to
// the site root.
type Gate interface {
	ScanFile(path string, kind surface.Kind, content []byte) []finding.Finding
}

// GateIdentity is implemented by a Gate whose verdict on a file depends only
// on the file's path and content and on the identity it returns (its
// configuration). The identity joins the build fingerprint, so a re-render
// of an unchanged site keeps the last verdict instead of reading and gating
// every file again.
type GateIdentity interface {
	Identity() string
}

// GateFunc adapts a function to a Gate.
type GateFunc func(path string, kind surface.Kind, content []byte) []finding.Finding

// ScanFile implements Gate.
func (f GateFunc) ScanFile(path string, kind surface.Kind, content []byte) []finding.Finding {
	return f(path, kind, content)
}

// Options configure Build.
type Options struct {
	// Out is the output directory. It is created when missing; when it
	// exists it must be empty or hold a site written by Build (it has
	// api/v1/index.json), because Build replaces it as a whole.
	Out string
	// BaseURL, when set, is the absolute URL the site is served from. It is
	// only used for absolute links in feeds and canonical links; pages link
	// relatively so the site works under any path and from file://.
	BaseURL string
	// Templates is an optional overlay directory: its files replace the
	// embedded templates and assets of the same name (package templates).
	Templates string
	// Now is the build time (from SOURCE_DATE_EPOCH for reproducible
	// builds). It is only used as the "updated" time of a feed without
	// entries; everything else derives from the policies.
	Now time.Time
	// Gate scans every file before anything is written. Nil scans nothing;
	// the CLI always passes the disclosure scanner.
	Gate Gate
	// Workers bounds the rendering goroutines; 0 means GOMAXPROCS. The
	// output does not depend on it.
	Workers int
	// CacheDir, when set, keeps a small build state per output directory
	// (outside the site) so that re-rendering an unchanged organisation
	// only reads and gates the existing files. The CLI uses the user cache
	// directory; empty always renders.
	CacheDir string
	// Compliance, when set, adds the compliance dashboard
	// (compliance/index.html) and the rule page (compliance/rules.html)
	// of an organisation sweep.
	Compliance *Compliance
}

// Repo is one repository to publish.
type Repo struct {
	// Policy is the repository's loaded release-policy.yaml, free of lint
	// errors.
	Policy *schema.Policy
	// Dir is the repository's directory, used in error messages. Links to
	// files in the repository point at Policy.Repository.URL.
	Dir string
	// Verified, when set, holds the result of relpolicy verify for each
	// release version; release pages show it (site --verify REPORT).
	Verified map[string]*Verification
}

// Verification is what relpolicy verify showed for one release.
type Verification struct {
	// At is when the release was verified.
	At time.Time
	// Held are the checks that passed, in words.
	Held []string
	// Failed are the checks that failed, "RULE: message".
	Failed []string
	// Unreached are the checks that could not run.
	Unreached []string
	// Signed are the signatures and attestations verified
	// cryptographically against the policy's declared signer.
	Signed []SignedBy
}

// SignedBy is one verified signature or attestation.
type SignedBy struct {
	// What is "app-image signed", "app.tar.gz attested".
	What string
	// Identity is the verified signer.
	Identity string
	// Command lets a user check it themselves.
	Command string
}

// Report says what Build did.
type Report struct {
	// Out is the absolute output directory.
	Out string
	// Written lists the files created or changed, Unchanged those left as
	// they were and Removed the files of the old site that are gone; all
	// slash-separated, relative to Out and sorted.
	Written   []string
	Unchanged []string
	Removed   []string
	// Findings are what the Gate reported, sorted. Any error among them
	// means nothing was written.
	Findings []finding.Finding
	// Reused is true when nothing was rendered: the inputs matched the
	// last build of Out (see Options.CacheDir) and its files were intact.
	Reused bool
}

// Changed reports whether Build changed anything in Out.
func (r *Report) Changed() bool { return len(r.Written) > 0 || len(r.Removed) > 0 }

// ErrDisclosure is returned (wrapped) when the Gate reports an error
// finding in the rendered site; nothing is written then.
var ErrDisclosure = errors.New("site output would disclose internal details")

// ErrNotSite is returned (wrapped) when Out exists, is not empty and was
// not written by Build.
var ErrNotSite = errors.New("output directory does not hold a relpolicy site")

// Build renders the site for repos into opts.Out. On a Gate error it
// returns the report with the findings and an error wrapping
// ErrDisclosure, and Out is untouched; names that would escape the output
// directory or collide fail with ErrUnsafeName before anything is written.
func Build(ctx context.Context, opts Options, repos []Repo) (*Report, error) {
	if opts.Out == "" {
		return nil, errors.New("building site: no output directory")
	}
	base := strings.TrimSuffix(opts.BaseURL, "/")
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("building site: base URL %q is not an absolute http(s) URL without query or fragment", opts.BaseURL)
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	th, err := loadTheme(opts.Templates)
	if err != nil {
		return nil, fmt.Errorf("building site: %w", err)
	}
	m, err := newModel(repos, newMarkdown(), workers)
	if err != nil {
		return nil, fmt.Errorf("building site: %w", err)
	}
	if opts.Compliance != nil {
		m.Compliance = newComplianceModel(opts.Compliance, m, newMarkdown())
	}
	files, err := plan(m, th, base, opts.Now)
	if err != nil {
		return nil, fmt.Errorf("building site: %w", err)
	}
	var fp string
	if opts.CacheDir != "" {
		if fp, err = fingerprint(m, th, base, opts.Now, gateIdentity(opts.Gate)); err != nil {
			return nil, fmt.Errorf("building site: %w", err)
		}
	}
	rep, err := write(ctx, opts.Out, files, opts.Gate, workers, opts.CacheDir, fp)
	if err != nil {
		return rep, fmt.Errorf("building site: %w", err)
	}
	return rep, nil
}
