package verify

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/tooo/relpolicy/schema"
)

// Sources are the network behind Collect; a nil source is reported as an
// error for each check that needs it.
type Sources struct {
	Registry Registry
	Releases Releases
	Fetcher  Fetcher
	// Checker verifies signatures and attestations cryptographically; nil
	// checks presence only, and nothing is ever called verified.
	Checker Checker
	// Attestations reads GitHub's artifact attestations; nil skips them.
	Attestations AttestationFinder
}

// CollectOptions tune Collect.
type CollectOptions struct {
	// Concurrency bounds the checks in flight (default 8).
	Concurrency int
	// Releases keeps only the newest N ledger releases; 0 means all.
	Releases int
	// Deep downloads every file asset and hashes it.
	Deep bool
	// Wrap, when set, wraps each --deep download (for a progress bar);
	// size is -1 when unknown. It is called from several goroutines.
	Wrap func(name string, size int64, r io.Reader) io.Reader
	// SignatureSigner and AttestationSigner are who the policy says must
	// have made signatures and attestations (see Signers); Run sets them
	// per repository.
	SignatureSigner, AttestationSigner *Signer
}

// Collect gathers the facts of p's ledger. repo names the repository as
// the user gave it. Failures to reach a registry or API are recorded in the
// facts' Errors (see Report.Errors), never as findings.
func Collect(ctx context.Context, src Sources, opts CollectOptions, repo string, p *schema.Policy) *RepoFacts {
	rf := &RepoFacts{Repo: repo, Name: string(p.Repository.Name)}
	n := len(p.Releases)
	if opts.Releases > 0 && opts.Releases < n {
		n = opts.Releases
	}
	conc := opts.Concurrency
	if conc <= 0 {
		conc = 8
	}
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	run := func(f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			f()
		}()
	}
	c := &collector{src: src, opts: opts, p: p, releases: map[string]*ghRelease{}}
	for i := 0; i < n; i++ {
		le := p.Releases[i]
		rel := &ReleaseFacts{Index: i, Version: string(le.Version), Tag: le.Tag}
		rf.Releases = append(rf.Releases, rel)
		for j, ra := range le.Artifacts {
			a, ok := p.Artifact(ra.ID)
			if !ok {
				continue // RP101 in lint
			}
			if a.IsOCI() {
				o := &OCIFacts{Artifact: j, ID: string(ra.ID), Reference: ra.Reference, Digest: string(ra.Digest),
					WantSignatures: p.Provenance.Signatures.Used, WantAttestations: p.Provenance.Attestations.Used}
				rel.OCI = append(rel.OCI, o)
				run(func() { c.oci(ctx, o) })
				continue
			}
			for _, chID := range a.Channels {
				ch, ok := p.Channel(chID)
				if !ok || (ch.Type != schema.GitHubRelease && ch.Type != schema.Download) || len(ra.Files) == 0 {
					continue
				}
				f := &FileFacts{Artifact: j, ID: string(ra.ID), Channel: string(ch.Type)}
				rel.Files = append(rel.Files, f)
				run(func() { c.files(ctx, f, le, ra, ch) })
			}
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		for _, rel := range rf.Releases {
			for _, o := range rel.OCI {
				if !o.Found && o.Manifest == nil && len(o.Errors) == 0 {
					o.Errors = append(o.Errors, fmt.Sprintf("checking %s: %v", o.Reference, err))
				}
			}
		}
	}
	return rf
}

type collector struct {
	src  Sources
	opts CollectOptions
	p    *schema.Policy

	mu       sync.Mutex
	releases map[string]*ghRelease
}

type ghRelease struct {
	once sync.Once
	rel  *Release
	err  error
}

// oci collects one OCI artifact's facts.
func (c *collector) oci(ctx context.Context, o *OCIFacts) {
	if c.src.Registry == nil {
		o.Errors = append(o.Errors, "no registry client")
		return
	}
	ref, err := name.ParseReference(o.Reference)
	if err != nil {
		o.Errors = append(o.Errors, fmt.Sprintf("parsing reference %q: %v", o.Reference, err))
		return
	}
	repo := ref.Context().Name()
	if tag, ok := ref.(name.Tag); ok {
		m, err := c.src.Registry.Tagged(ctx, repo, tag.TagStr())
		switch {
		case isNotFound(err):
			o.TagMissing = true
		case err != nil:
			// The registry did not answer: asking it again would only
			// fail again, slower.
			o.Errors = append(o.Errors, fmt.Sprintf("resolving %s: %v", o.Reference, err))
			return
		default:
			o.TagDigest = m.Digest
			if m.Digest == o.Digest {
				o.Found, o.Manifest = true, m
			}
		}
	}
	if !o.Found {
		m, err := c.src.Registry.Manifest(ctx, repo, o.Digest)
		switch {
		case isNotFound(err):
		case err != nil:
			o.Errors = append(o.Errors, fmt.Sprintf("fetching %s@%s: %v", repo, o.Digest, err))
			return
		default:
			o.Found, o.Manifest = true, m
		}
	}
	if o.Found && (o.WantSignatures || o.WantAttestations) {
		at, err := c.src.Registry.Attachments(ctx, repo, o.Digest, o.WantSignatures, o.WantAttestations)
		if err != nil {
			o.Errors = append(o.Errors, fmt.Sprintf("listing signatures and attestations of %s@%s: %v", repo, o.Digest, err))
			return
		}
		o.Attachments = at
		mats := at.Material
		if o.WantAttestations {
			gh := c.ghAttestations(ctx, o.Digest, &o.Errors)
			if len(gh) > 0 {
				at.Attestations = append(at.Attestations, fmt.Sprintf("GitHub attestations API (%d)", len(gh)))
			}
			mats = append(mats, gh...)
		}
		o.Signature, o.Attestation = c.verdicts(ctx, mats, o.Digest, &o.Errors)
	}
}

// release returns the GitHub release owner/repo@tag, asking the API once.
func (c *collector) release(ctx context.Context, owner, repo, tag string) (*Release, error) {
	key := owner + "/" + repo + "@" + tag
	c.mu.Lock()
	r := c.releases[key]
	if r == nil {
		r = &ghRelease{}
		c.releases[key] = r
	}
	c.mu.Unlock()
	r.once.Do(func() { r.rel, r.err = c.src.Releases.ReleaseByTag(ctx, owner, repo, tag) })
	return r.rel, r.err
}

// files collects one file artifact's facts on one channel.
func (c *collector) files(ctx context.Context, f *FileFacts, le schema.LedgerEntry, ra schema.ReleaseArtifact, ch schema.Channel) {
	alg, hexLen := "sha256", 64
	if cs := c.p.Provenance.Checksums; cs != nil {
		f.ChecksumFile = cs.File
		if cs.Algorithm == "sha512" {
			alg, hexLen = "sha512", 128
		}
	}
	tag := le.Tag
	if tag == "" {
		tag = string(le.Version)
	}
	switch ch.Type {
	case "github-release":
		if c.src.Releases == nil {
			f.Errors = append(f.Errors, "no GitHub client")
			return
		}
		owner, repo, err := ownerRepo(ch.Location)
		if err != nil {
			f.Errors = append(f.Errors, err.Error())
			return
		}
		f.Where = fmt.Sprintf("%s/%s release %s", owner, repo, tag)
		rel, err := c.release(ctx, owner, repo, tag)
		if isNotFound(err) {
			f.ReleaseMissing = true
			return
		}
		if err != nil {
			f.Errors = append(f.Errors, fmt.Sprintf("reading release %s of %s/%s: %v", tag, owner, repo, err))
			return
		}
		if rel.URL != "" {
			f.Where = rel.URL
		}
		f.Assets = rel.Assets
		byName := map[string]Asset{}
		for _, a := range rel.Assets {
			byName[a.Name] = a
		}
		if f.ChecksumFile != "" {
			a, ok := byName[f.ChecksumFile]
			if !ok {
				f.ChecksumMissing = true
			} else {
				body, err := c.src.Releases.Download(ctx, owner, repo, a.ID)
				c.readSums(f, body, err, hexLen, fmt.Sprintf("%s of release %s", f.ChecksumFile, tag))
			}
		}
		c.fileSignatures(ctx, f, ra, owner, repo, byName)
		if c.opts.Deep {
			for _, file := range ra.Files {
				a, ok := byName[string(file.Name)]
				if !ok {
					continue
				}
				body, err := c.src.Releases.Download(ctx, owner, repo, a.ID)
				c.hashInto(f, string(file.Name), a.Size, alg, file, body, err)
			}
		}
	case "download":
		if c.src.Fetcher == nil {
			f.Errors = append(f.Errors, "no HTTPS client")
			return
		}
		dir := ""
		if len(ra.Files) > 0 {
			dir = urlDir(string(ra.Files[0].URL))
		}
		f.Where = dir
		if f.ChecksumFile != "" && dir != "" {
			u := dir + url.PathEscape(f.ChecksumFile)
			body, err := c.src.Fetcher.Fetch(ctx, u)
			if isNotFound(err) {
				f.ChecksumMissing = true
			} else {
				c.readSums(f, body, err, hexLen, u)
			}
		}
		if c.opts.Deep {
			for _, file := range ra.Files {
				body, err := c.src.Fetcher.Fetch(ctx, string(file.URL))
				c.hashInto(f, string(file.Name), file.Size, alg, file, body, err)
			}
		}
	}
}

func (c *collector) readSums(f *FileFacts, body io.ReadCloser, err error, hexLen int, what string) {
	if isNotFound(err) {
		f.ChecksumMissing = true
		return
	}
	if err != nil {
		f.Errors = append(f.Errors, fmt.Sprintf("downloading %s: %v", what, err))
		return
	}
	defer body.Close()
	sums, err := ParseChecksums(body, hexLen)
	if err != nil {
		f.ChecksumProblem = err.Error()
		return
	}
	f.Sums = sums
}

// hashInto streams one download and records its digest in f.Deep as
// "<alg>:<hex>", using the algorithm the ledger gives a sum for.
func (c *collector) hashInto(f *FileFacts, fname string, size int64, alg string, file schema.ReleaseFile, body io.ReadCloser, err error) {
	if f.Deep == nil {
		f.Deep = map[string]string{}
	}
	if isNotFound(err) {
		f.Deep[fname] = "missing"
		return
	}
	if err != nil {
		f.Errors = append(f.Errors, fmt.Sprintf("downloading %s: %v", fname, err))
		return
	}
	defer body.Close()
	if file.SHA256 == "" && file.SHA512 != "" {
		alg = "sha512"
	} else if file.SHA256 != "" {
		alg = "sha256"
	}
	var h hash.Hash = sha256.New()
	if alg == "sha512" {
		h = sha512.New()
	}
	var r io.Reader = body
	if c.opts.Wrap != nil {
		if size == 0 {
			size = -1
		}
		r = c.opts.Wrap(fname, size, r)
	}
	if _, err := io.Copy(h, r); err != nil {
		f.Errors = append(f.Errors, fmt.Sprintf("downloading %s: %v", fname, err))
		return
	}
	f.Deep[fname] = alg + ":" + hex.EncodeToString(h.Sum(nil))
}

// ownerRepo takes owner and repository from the first two path segments
// of a github-release channel location (https://github.com/OWNER/REPO/...,
// or the same on a GitHub Enterprise host).
func ownerRepo(location string) (string, string, error) {
	u, err := url.Parse(location)
	if err != nil || u.Host == "" {
		return "", "", fmt.Errorf("github-release channel location %q is not a URL", location)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", "", fmt.Errorf("github-release channel location %q has no OWNER/REPO path", location)
	}
	return parts[0], strings.TrimSuffix(parts[1], ".git"), nil
}

// urlDir is the URL of the directory holding u, with a trailing slash.
func urlDir(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	p.Path = path.Dir(p.Path)
	if !strings.HasSuffix(p.Path, "/") {
		p.Path += "/"
	}
	p.RawPath, p.RawQuery, p.Fragment = "", "", ""
	return p.String()
}

// isNotFound accepts ErrNotFound and any error with a true NotFound
// method (internal/httpx's status errors).
func isNotFound(err error) bool {
	if errors.Is(err, ErrNotFound) {
		return true
	}
	var nf interface{ NotFound() bool }
	return errors.As(err, &nf) && nf.NotFound()
}

// Suffixes of release assets holding a file's Sigstore bundle
// (cosign sign-blob --bundle, sigstore-python, GoReleaser).
var bundleSuffixes = []string{".sigstore.json", ".sigstore", ".bundle"}

// fileSignatures checks each ledger file's Sigstore bundles published as
// release assets, and its GitHub artifact attestations, against the file's
// ledger sha256. Nothing is done unless a Checker and a declared signer
// are there: files may be signed by methods relpolicy does not check.
func (c *collector) fileSignatures(ctx context.Context, f *FileFacts, ra schema.ReleaseArtifact, owner, repo string, byName map[string]Asset) {
	if c.src.Checker == nil || (!c.opts.SignatureSigner.Declared() && !c.opts.AttestationSigner.Declared()) {
		return
	}
	for _, file := range ra.Files {
		sum := strings.ToLower(string(file.SHA256))
		if sum == "" {
			continue
		}
		digest := "sha256:" + sum
		var mats []Material
		for _, suf := range bundleSuffixes {
			a, ok := byName[string(file.Name)+suf]
			if !ok {
				continue
			}
			body, err := c.src.Releases.Download(ctx, owner, repo, a.ID)
			if err != nil {
				f.Errors = append(f.Errors, fmt.Sprintf("downloading %s: %v", a.Name, err))
				continue
			}
			data, err := io.ReadAll(io.LimitReader(body, 4<<20))
			body.Close()
			if err != nil {
				f.Errors = append(f.Errors, fmt.Sprintf("downloading %s: %v", a.Name, err))
				continue
			}
			// A bundle around a DSSE envelope is an attestation
			// (cosign attest-blob); one around a message signature is a
			// signature (cosign sign-blob).
			mats = append(mats, Material{Kind: MaterialBundle, Where: "asset " + a.Name, Data: data,
				Attestation: strings.Contains(string(data), `"dsseEnvelope"`)})
		}
		mats = append(mats, c.ghAttestations(ctx, digest, &f.Errors)...)
		fs := &FileSignatures{Name: string(file.Name), Digest: digest}
		for _, m := range mats {
			if m.Attestation {
				fs.Attestations = append(fs.Attestations, m.Where)
			} else {
				fs.Signatures = append(fs.Signatures, m.Where)
			}
		}
		fs.Signature, fs.Attestation = c.verdicts(ctx, mats, digest, &f.Errors)
		f.Signed = append(f.Signed, fs)
	}
}
