// Package baseline lets a team adopt relpolicy on a repository with history
// and fail only on new findings: it fingerprints findings so that edits
// elsewhere in a file do not change them, records the fingerprints of the
// findings accepted today, and filters those out of later runs.
//
// A fingerprint hashes the rule, the repository, the path and the text of
// the finding's line with its whitespace collapsed, not the line number:
// lines added or removed above a finding leave it alone, while editing the
// line itself makes it new. Findings alike in all four are numbered in
// report order. The baseline file holds hashes only, never line text, so it
// cannot leak what a finding found.
package baseline

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
)

// Version is the baseline file format version.
const Version = 1

// maxSize caps a baseline file.
const maxSize = 64 << 20

// Baseline is a set of accepted findings.
type Baseline struct {
	Version  int     `json:"version"`
	Tool     string  `json:"tool"`
	Findings []Entry `json:"findings"`

	set map[string]bool
}

// Entry is one accepted finding. Rule, repo and path are there for people
// reading the file; matching uses the fingerprint alone.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Repo        string `json:"repo,omitempty"`
	Path        string `json:"path,omitempty"`
}

// Assign sets the Fingerprint of every finding. line returns the text of a
// line of a file in a repository (any text for line 0 or a file it cannot
// read; "" is fine).
func Assign(fs []finding.Finding, line func(repo, path string, line int) string) {
	type key struct{ rule, repo, path, text string }
	order := make([]int, len(fs))
	texts := make([]string, len(fs))
	for i := range fs {
		order[i] = i
		if fs[i].Line > 0 {
			texts[i] = normalize(line(fs[i].Repo, fs[i].Path, fs[i].Line))
		}
	}
	// Number alike findings in report order.
	slices.SortStableFunc(order, func(a, b int) int { return finding.Compare(fs[a], fs[b]) })
	seen := map[key]int{}
	for _, i := range order {
		f := &fs[i]
		k := key{f.Rule, f.Repo, f.Path, texts[i]}
		n := seen[k]
		seen[k] = n + 1
		f.Fingerprint = fingerprint(k.rule, k.repo, k.path, k.text, n)
	}
}

// normalize collapses runs of white space and trims the ends, so that
// re-indenting a line keeps its findings.
func normalize(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func fingerprint(rule, repo, path, text string, n int) string {
	h := sha256.New()
	for _, part := range []string{rule, repo, path, text, strconv.Itoa(n)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Load reads a baseline file.
func Load(path string) (*Baseline, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	if len(b) > maxSize {
		return nil, fmt.Errorf("reading baseline %s: larger than %d MiB", path, maxSize>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var bl Baseline
	if err := dec.Decode(&bl); err != nil {
		return nil, fmt.Errorf("parsing baseline %s: %w", path, err)
	}
	if bl.Version != Version {
		return nil, fmt.Errorf("parsing baseline %s: unsupported version %d (want %d)", path, bl.Version, Version)
	}
	bl.set = make(map[string]bool, len(bl.Findings))
	for _, e := range bl.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("parsing baseline %s: entry without a fingerprint", path)
		}
		bl.set[e.Fingerprint] = true
	}
	return &bl, nil
}

// Write records the findings (with fingerprints assigned) as a baseline at
// path: sorted, so the same findings always write the same bytes, and
// replaced atomically.
func Write(path string, fs []finding.Finding) error {
	bl := Baseline{Version: Version, Tool: "relpolicy", Findings: []Entry{}}
	for _, f := range fs {
		if f.Fingerprint == "" {
			return fmt.Errorf("writing baseline %s: finding %s at %s:%d has no fingerprint (call Assign first)", path, f.Rule, f.Path, f.Line)
		}
		bl.Findings = append(bl.Findings, Entry{Fingerprint: f.Fingerprint, Rule: f.Rule, Repo: f.Repo, Path: f.Path})
	}
	slices.SortFunc(bl.Findings, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	bl.Findings = slices.Compact(bl.Findings)
	b, err := json.MarshalIndent(bl, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding baseline: %w", err)
	}
	b = append(b, '\n')
	tmp, err := os.CreateTemp(filepath.Dir(path), ".baseline-*")
	if err != nil {
		return fmt.Errorf("writing baseline %s: %w", path, err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing baseline %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing baseline %s: %w", path, err)
	}
	return nil
}

// Filter drops the findings the baseline accepts and counts them. Findings
// without a fingerprint are kept.
func (b *Baseline) Filter(fs []finding.Finding) (kept []finding.Finding, suppressed int) {
	kept = make([]finding.Finding, 0, len(fs))
	for _, f := range fs {
		if f.Fingerprint != "" && b.set[f.Fingerprint] {
			suppressed++
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed
}
