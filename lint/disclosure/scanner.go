// Package disclosure finds internal infrastructure details in public text:
// credentials (RP501, gitleaks' default rules), private addresses (RP502),
// internal hosts (RP503), runner registration details (RP504) and
// break-glass, secret-storage and network-topology details (RP505). It
// enforces the policy's "Public disclosure controls".
//
// One Aho-Corasick pass over the lower-cased text finds every keyword any
// detector cares about; detectors then look only around their keywords. The
// gitleaks rules run only where their keywords occur, on a few lines around
// literal anchors derived from each rule's expression, and report exactly
// what the gitleaks CLI reports (see rp501_credentials.go).
package disclosure

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/secrets"
	"github.com/tooo/relpolicy/lint/surface"
)

// Scanner scans public text for disclosures. It is safe for concurrent use.
type Scanner struct {
	cfg       *Config
	engine    *secrets.Engine
	detectors []*detector
	// prefilter is built on first scan.
	prefilter func() (*prefilter, error)
	pool      sync.Pool // *text
}

// detector finds one rule's problems.
type detector struct {
	rule string
	// words are lower-case ASCII strings; the scan reports where they occur.
	words []string
	// workflows: the detector also reads workflow files.
	workflows bool
	scan      func(t *text, hits []hit) []finding.Finding
}

// hit is one occurrence of a detector's word: its offset and its index in
// the detector's words.
type hit struct {
	off, word int
}

// prefilter finds every detector's words and gitleaks' keywords in one pass.
type prefilter struct {
	trie *ahocorasick.Trie
	// owners[pattern] lists who asked for the pattern.
	owners [][]owner
	// nKeywords is the number of the engine's keywords.
	nKeywords int
}

// owner is a detector (index into Scanner.detectors) and word index, or
// gitleaks (detector -1) and keyword index.
type owner struct{ detector, word int }

// New builds a scanner for the organisation config cfg (nil: empty) with
// the credential engine for gitleaks' default rules. An engine that cannot
// be built is an error: the scan never runs without RP501. The keyword
// automaton is built on the first scan and shared.
func New(cfg *Config) (*Scanner, error) {
	e, err := secrets.Default()
	if err != nil {
		return nil, fmt.Errorf("building the credential scan (RP501): %w", err)
	}
	return NewWithEngine(cfg, e)
}

// NewWithEngine is New with a given credential engine (non-nil).
func NewWithEngine(cfg *Config, e *secrets.Engine) (*Scanner, error) {
	if e == nil {
		return nil, errors.New("building the disclosure scanner: no credential engine")
	}
	if cfg == nil {
		cfg = &Config{}
	}
	s := &Scanner{cfg: cfg, engine: e}
	s.detectors = []*detector{
		newAddresses(),
		newHosts(cfg.InternalDomains),
		newRunners(cfg.InternalRunnerLabels),
		newOperations(),
	}
	s.prefilter = sync.OnceValues(s.buildPrefilter)
	s.pool.New = func() any { return &text{} }
	return s, nil
}

func (s *Scanner) buildPrefilter() (*prefilter, error) {
	keywords := s.engine.Keywords()
	p := &prefilter{nKeywords: len(keywords)}
	index := map[string]int{}
	var words []string
	add := func(w string, o owner) {
		i, ok := index[w]
		if !ok {
			i = len(words)
			index[w] = i
			words = append(words, w)
			p.owners = append(p.owners, nil)
		}
		p.owners[i] = append(p.owners[i], o)
	}
	for k, w := range keywords {
		add(w, owner{-1, k})
	}
	for d, det := range s.detectors {
		for k, w := range det.words {
			add(w, owner{d, k})
		}
	}
	p.trie = ahocorasick.NewTrieBuilder().AddStrings(words).Build()
	return p, nil
}

// ScanFile scans one file's content. path is the repo-relative slash path
// the findings carry; kind says how to read it: workflow files are read for
// runner details only. Findings come in report order with Repo empty.
func (s *Scanner) ScanFile(path string, kind surface.Kind, content []byte) []finding.Finding {
	fs, err := s.scanFile(path, kind, content)
	if err != nil {
		// Only a credential rule that cannot run gets here, which
		// TestGitleaksRules rules out for the generated table; report it
		// (a finding blocks the file) rather than pass silently.
		return []finding.Finding{{
			Rule: "RP501", Severity: finding.Error, Path: path,
			Message: "credential scan failed: " + err.Error(),
			Hint:    "report this as a relpolicy bug",
		}}
	}
	return fs
}

func (s *Scanner) scanFile(path string, kind surface.Kind, content []byte) ([]finding.Finding, error) {
	p, err := s.prefilter()
	if err != nil {
		return nil, err
	}
	t := s.pool.Get().(*text)
	t.reset(path, kind, content)
	defer func() {
		t.release()
		s.pool.Put(t)
	}()

	hits := make([][]hit, len(s.detectors))
	t.cred.Reset(path, t.s, t.lower, p.nKeywords)
	p.trie.Walk(t.lower, func(end, n, pattern int64) bool {
		off := int(end - n + 1)
		for _, o := range p.owners[pattern] {
			if o.detector < 0 {
				t.cred.Keyword(off, o.word)
			} else {
				hits[o.detector] = append(hits[o.detector], hit{off, o.word})
			}
		}
		return true
	})

	var out []finding.Finding
	for i, d := range s.detectors {
		if kind == surface.Workflow && !d.workflows {
			continue
		}
		out = append(out, d.scan(t, hits[i])...)
	}
	// Credentials are searched everywhere, workflows included: a token
	// hard-coded in a workflow is as public as one in a README.
	cs, err := scanCredentials(s.engine, t)
	if err != nil {
		return nil, err
	}
	out = append(out, cs...)
	for i := range out {
		if out[i].Confidence == "" {
			out[i].Confidence = finding.High // exact detectors: RP501, RP504
		}
	}
	return finding.Sort(out), nil
}

// ScanFS scans the public surfaces of the repository rooted at fsys (see
// surface.List), except paths the config allows, on every core. It returns
// the findings in report order and the files it did not read.
func (s *Scanner) ScanFS(fsys fs.FS) ([]finding.Finding, []surface.Skipped, error) {
	fs, cov, err := s.Scan(fsys, surface.Selection{})
	if err != nil {
		return nil, nil, err
	}
	return fs, cov.Skipped, nil
}

// Scan scans the public surfaces of the repository rooted at fsys as
// selected by sel (surface.ListSelected), except paths the config allows,
// on every core. Files over surface.MaxSize are read in pieces. It returns
// the findings in report order and what was read and left unread.
func (s *Scanner) Scan(fsys fs.FS, sel surface.Selection) ([]finding.Finding, surface.Coverage, error) {
	files, skipped, err := surface.ListSelected(fsys, sel)
	if err != nil {
		return nil, surface.Coverage{}, fmt.Errorf("listing public surfaces: %w", err)
	}
	if _, err := s.prefilter(); err != nil {
		return nil, surface.Coverage{}, err
	}
	type result struct {
		fs      []finding.Finding
		skipped *surface.Skipped
		err     error
	}
	results := make([]result, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f := files[i]
				var err error
				if f.Size > surface.MaxSize {
					results[i].fs, err = s.scanPieces(fsys, f)
				} else {
					var b []byte
					if b, err = surface.Read(fsys, f.Path); err == nil {
						results[i].fs, results[i].err = s.scanFile(f.Path, f.Kind, b)
					}
				}
				if err != nil {
					results[i].skipped = &surface.Skipped{Path: f.Path, Reason: readReason(err)}
				}
			}
		}()
	}
	scanned := 0
	for i, f := range files {
		if s.cfg.Allowed(f.Path) {
			skipped = append(skipped, surface.Skipped{Path: f.Path, Reason: "allowed by the organisation config"})
			continue
		}
		scanned++
		next <- i
	}
	close(next)
	wg.Wait()
	var out []finding.Finding
	var errs []error
	for _, r := range results {
		out = append(out, r.fs...)
		if r.skipped != nil {
			scanned--
			skipped = append(skipped, *r.skipped)
		}
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, surface.Coverage{}, fmt.Errorf("scanning public surfaces: %w", err)
	}
	return finding.Sort(out), surface.Coverage{Scanned: scanned, Skipped: skipped}, nil
}

// scanPieces scans a file larger than surface.MaxSize piece by piece,
// shifting each piece's findings to the file's lines.
func (s *Scanner) scanPieces(fsys fs.FS, f surface.File) ([]finding.Finding, error) {
	var out []finding.Finding
	err := surface.ReadChunks(fsys, f.Path, func(piece []byte, line int) error {
		fs, err := s.scanFile(f.Path, f.Kind, piece)
		for i := range fs {
			fs[i].Line += line - 1
		}
		out = append(out, fs...)
		return err
	})
	return out, err
}

func readReason(err error) string {
	if errors.Is(err, surface.ErrBinary) {
		return "binary file"
	}
	return "unreadable: " + err.Error()
}

// Identity names what the scanner's verdicts depend on besides a file's
// path and content: the organisation config (the detectors themselves are
// identified with the binary). It implements site.GateIdentity.
func (s *Scanner) Identity() string {
	b, _ := json.Marshal(s.cfg)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// RunnerLabels returns the organisation's own self-hosted runner labels from
// the scanner's config (internal_runner_labels), which RP219 also reads.
func (s *Scanner) RunnerLabels() []string { return s.cfg.InternalRunnerLabels }
