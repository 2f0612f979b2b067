// Package secrets is relpolicy's credential engine (RP501): it runs
// gitleaks' default rules and reports exactly what `gitleaks dir` reports,
// file by file, without paying for running every rule over every byte.
//
// gitleaks reads a file in fragments (sources.File), wakes a rule when one of
// its keywords occurs anywhere in the fragment, runs the rule's expression
// over the whole fragment, then over each decoding pass of it. Here the
// keyword gate is the same, but a woken rule runs on windows. Every match
// of a rule's expression contains one of its anchors, literals found from
// the expression (anchors.go); for each anchor occurrence, ends
// (ends.go) computes whether a match can run from it and how far;
// the window spans from the earliest offset such a match can start at (the
// expression's reach before the anchor) to the furthest it can end. So
// every match lies inside a window and no match can start in a window other
// than gitleaks' matches there: the expression runs on each window as on
// the whole fragment. Windows end where an ASCII non-word byte follows (at
// line ends for expressions holding multi-line ^ or $), so \b, ^ and $ see
// what they see in the fragment; matchesIn handles \A and \z. Matches then
// become findings as detectRule makes them (findings.go: entropy,
// allowlists, stop words, secret groups, gitleaks:allow), and gitleaks'
// generic-rule de-duplication applies.
//
// A fragment holding a rune that lower-cases or case-folds into ASCII goes
// to gitleaks itself; decoding passes run only when gitleaks' decoder could
// decode something (decode.go). TestGitleaksParity,
// FuzzGitleaksParity and bench/disclosure/compare hold the result to
// gitleaks.
//
// The rule table is generated from gitleaks' own configuration loading
// (table.go, ./gen); Build refuses a table it cannot run, so a caller never
// mistakes a broken engine for a clean scan.
package secrets

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/h2non/filetype"
	"github.com/mholt/archives"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/detect/codec"
	"github.com/zricethezav/gitleaks/v8/report"
	"github.com/zricethezav/gitleaks/v8/sources"
)

// chunkSize is gitleaks' read buffer for files (sources' defaultBufferSize);
// it decides where larger files are split into fragments.
const chunkSize = 100_000

var chunkBuffers = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// Hit is one gitleaks finding in a file.
type Hit struct {
	// Rule is the gitleaks rule ID, e.g. "github-pat".
	Rule string
	// Line is gitleaks' StartLine (1-based): where the match starts.
	Line int
	// Secret is the secret as gitleaks reports it.
	Secret string
	// Offset is the byte offset of the secret in the file; for a secret
	// found in a decoded segment (Decoded), where that segment starts.
	Offset  int
	Decoded bool
}

// Scan returns gitleaks' findings in f, whose keywords the caller has
// reported. An error means a rule could not run: the scan is incomplete.
func (e *Engine) Scan(f *File) ([]Hit, error) {
	hs, err := gitleaksHits(e.rs, &f.t)
	if err != nil {
		return nil, fmt.Errorf("scanning %s for credentials: %w", f.t.path, err)
	}
	out := make([]Hit, len(hs))
	for i, h := range hs {
		out[i] = Hit{Rule: h.rule, Line: h.line, Secret: h.secret, Offset: h.off, Decoded: h.decoded}
	}
	return out, nil
}

// ScanString scans content s of a file at path, finding the keywords
// itself.
func (e *Engine) ScanString(path, s string) ([]Hit, error) {
	var f File
	t := newText(path, s)
	e.rs.gate(t)
	f.t = *t
	return e.Scan(&f)
}

// secretHit is one gitleaks finding.
type secretHit struct {
	rule   string // gitleaks rule ID
	line   int    // gitleaks' StartLine: where the match starts
	secret string
	off    int // offset of the secret in the fragment
	// decoded: the match is in a decoded segment; off is where it starts.
	decoded bool
}

// gitleaksHits returns gitleaks' findings in t, offsets relative to t.
func gitleaksHits(rs *ruleSet, t *text) ([]secretHit, error) {
	if len(t.s) <= chunkSize {
		// One fragment, the whole file, as sources.File reads it, unless its
		// name says archive or its first bytes say binary.
		if len(t.s) == 0 || skippedBySources(t) {
			return nil, nil
		}
		return scanFragment(rs, t, 1)
	}
	buf := chunkBuffers.Get().(*[]byte)
	defer chunkBuffers.Put(buf)
	src := &sources.File{Content: strings.NewReader(t.s), Path: t.path, Buffer: *buf}
	var out []secretHit
	off := 0
	err := src.Fragments(context.Background(), func(f sources.Fragment, err error) error {
		if err != nil {
			return err
		}
		ft := t
		if len(f.Raw) != len(t.s) {
			ft = newText(t.path, f.Raw)
			rs.gate(ft)
		}
		hs, err := scanFragment(rs, ft, f.StartLine)
		if err != nil {
			return err
		}
		for _, h := range hs {
			h.off += off
			out = append(out, h)
		}
		off += len(f.Raw)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// skippedBySources reports whether sources.File yields nothing for t: a
// file named like an archive (with --max-archive-depth 0), or one whose
// first chunk filetype calls an application format.
func skippedBySources(t *text) bool {
	if format, _, err := archives.Identify(context.Background(), t.path, nil); err == nil && format != nil {
		return true
	}
	head := unsafe.Slice(unsafe.StringData(t.s), min(len(t.s), chunkSize))
	kind, err := filetype.Match(head)
	return err != nil || kind.MIME.Type == "application"
}

// scanFragment is gitleaks' Detector.DetectContext for one fragment, whose
// keywords and kwHits are set.
func scanFragment(rs *ruleSet, ft *text, startLine int) ([]secretHit, error) {
	if pathAllowed(rs.global, ft.path) {
		return nil, nil
	}
	if hasFoldRunes(ft.s) {
		return viaGitleaks(rs, ft, startLine)
	}
	var hits []secretHit
	for _, i := range rs.woken(ft.keywords, ft.path) {
		c, err := rs.compile(i)
		if err != nil {
			return nil, err
		}
		switch {
		case pathAllowed(c.rule.Allowlists, ft.path):
			continue
		case c.rule.Regex == nil:
			// A rule on file names alone (woken only by a matching path).
			hits = append(hits, secretHit{rule: c.rule.RuleID, decoded: true})
			continue
		}
		if ms := c.matches(ft, true); len(ms) > 0 {
			hits = append(hits, c.hitsIn(rs.global, ft, startLine, 0, ms)...)
		}
	}
	if mayDecode(ft.s) {
		hs, err := decodedPasses(rs, ft, startLine)
		if err != nil {
			return nil, err
		}
		hits = append(hits, hs...)
	}
	return dropGenericDuplicates(hits), nil
}

// decodedPasses are gitleaks' decoding passes over a fragment: the text
// with its encoded segments decoded, scanned again, keeping matches that
// touch a decoded segment; up to gitleaksDecodeDepth times.
func decodedPasses(rs *ruleSet, ft *text, startLine int) ([]secretHit, error) {
	var hits []secretHit
	raw, dec := ft.s, codec.NewDecoder()
	var segments []*codec.EncodedSegment
	for range gitleaksDecodeDepth {
		if raw, segments = dec.Decode(raw, segments); len(segments) == 0 {
			break
		}
		dt := newText(ft.path, raw)
		anchored := !hasFoldRunes(raw)
		if anchored {
			rs.gate(dt)
		} else {
			dt.keywords = make([]bool, len(rs.keywords))
			rs.trie.Walk([]byte(strings.ToLower(raw)), func(end, n, pattern int64) bool {
				dt.keywords[pattern] = true
				return true
			})
		}
		for _, i := range rs.woken(dt.keywords, ft.path) {
			c, err := rs.compile(i)
			if err != nil {
				return nil, err
			}
			if c.rule.Regex == nil || pathAllowed(c.rule.Allowlists, ft.path) {
				continue
			}
			for _, m := range c.matches(dt, anchored) {
				if h, ok := c.decodedHit(rs.global, ft, raw, segments, m, startLine); ok {
					hits = append(hits, h)
				}
			}
		}
	}
	return hits, nil
}

// gate sets ft's keywords and kwHits.
func (rs *ruleSet) gate(ft *text) {
	ft.keywords = resetBools(ft.keywords, len(rs.keywords))
	ft.kwHits = ft.kwHits[:0]
	rs.trie.Walk(ft.lower, func(end, n, pattern int64) bool {
		ft.keywords[pattern] = true
		ft.kwHits = append(ft.kwHits, hit{int(end - n + 1), int(pattern)})
		return true
	})
}

// resetBools returns b resized to n, all false.
func resetBools(b []bool, n int) []bool {
	b = slices.Grow(b[:0], n)[:n]
	clear(b)
	return b
}

// woken returns, in configuration order, the rules gitleaks would run on a
// fragment at path holding the marked keywords.
func (rs *ruleSet) woken(keywords []bool, path string) []int {
	var idx []int
	for k, ok := range keywords {
		if ok {
			idx = append(idx, rs.byKW[k]...)
		}
	}
	idx = append(idx, rs.always...)
	slices.Sort(idx)
	idx = slices.Compact(idx)
	return slices.DeleteFunc(idx, func(i int) bool {
		p := rs.rules[i].path
		return p != nil && !p.MatchString(path)
	})
}

// windows returns the sorted, disjoint spans of ft the rule must run on.
// A span starts after and ends before an ASCII byte that is no word
// character, or at a line boundary when lineEdges (the expression holds
// multi-line ^ or $), so that \b, \B, ^ and $ see at its ends what they
// see in ft.
func windows(branches []branch, ft *text, lineEdges bool) [][2]int {
	ws, at := ft.winBuf[:0], ft.anchorBuf[:0]
	defer func() { ft.winBuf, ft.anchorBuf = ws[:0], at[:0] }()
	ft.ends.reset(ft.s, ft.lower)
	for _, b := range branches {
		at = at[:0]
		if b.keywords != nil {
			// The anchors are gitleaks keywords: the keyword scan found them.
			for _, h := range ft.kwHits {
				if b.keywords[h.word] {
					at = append(at, h.off)
				}
			}
		} else {
			for _, l := range b.lits {
				if l.fold {
					at = appendByteIndexes(at, ft.lower, l.b)
				} else {
					at = appendIndexes(at, ft.s, l.s)
				}
			}
		}
		slices.Sort(at)
		at = slices.Compact(at)
		for _, p := range at {
			end := len(ft.s)
			if offs, ok := ft.ends.run(b.prog, p); !ok {
				// Too costly to tell: assume the furthest end.
			} else if len(offs) == 0 {
				continue
			} else {
				end = offs[len(offs)-1]
			}
			start := 0
			if b.before.bytes != unbounded {
				start = max(0, p-b.before.bytes)
			}
			if b.before.lines != unbounded {
				start = max(start, ft.linesUp(p, b.before.lines))
			}
			if lineEdges {
				start, end = ft.lineStart(start), ft.lineEnd(end)
			} else {
				for start > 0 && !asciiNonWord(ft.s[start-1]) {
					start--
				}
				for end < len(ft.s) && !asciiNonWord(ft.s[end]) {
					end++
				}
			}
			ws = append(ws, [2]int{start, end})
		}
	}
	slices.SortFunc(ws, func(a, b [2]int) int { return a[0] - b[0] })
	out := ws[:0]
	for _, w := range ws {
		if n := len(out); n > 0 && w[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], w[1])
			continue
		}
		out = append(out, w)
	}
	return out
}

// asciiNonWord reports whether c is an ASCII byte that is no word
// character: a rune boundary where \b sees a non-word character.
func asciiNonWord(c byte) bool {
	return c < utf8.RuneSelf && !isWordByte(c)
}

// appendIndexes appends the offset of every occurrence of lit in hay,
// overlapping ones included.
func appendIndexes(at []int, hay, lit string) []int {
	for i := 0; ; {
		j := strings.Index(hay[i:], lit)
		if j < 0 {
			return at
		}
		at = append(at, i+j)
		i += j + 1
	}
}

// appendByteIndexes is appendIndexes for a byte slice.
func appendByteIndexes(at []int, hay, lit []byte) []int {
	for i := 0; ; {
		j := bytes.Index(hay[i:], lit)
		if j < 0 {
			return at
		}
		at = append(at, i+j)
		i += j + 1
	}
}

// matches returns the rule's matches in t, as its expression finds them
// over all of t: on the rule's windows when anchored, else over all of t.
func (c *compiledRule) matches(t *text, anchored bool) [][]int {
	if c.branches == nil || !anchored {
		return c.rule.Regex.FindAllStringIndex(t.s, -1)
	}
	var out [][]int
	for _, w := range windows(c.branches, t, c.lineEdges) {
		ms, ok := c.matchesIn(t, w[0], w[1])
		if !ok {
			return c.rule.Regex.FindAllStringIndex(t.s, -1)
		}
		for _, m := range ms {
			out = append(out, []int{w[0] + m[0], w[0] + m[1]})
		}
	}
	return out
}

// matchesIn returns the rule's matches in ft.s[ws:we], or false when they
// may differ from its matches there within all of ft. Inside ft, away from
// its ends, \A and \z never hold; at the window's own ends the other
// assertions agree with ft (see windows).
func (c *compiledRule) matchesIn(ft *text, ws, we int) ([][]int, bool) {
	w := ft.s[ws:we]
	found := c.rule.Regex.FindAllStringIndex(w, -1)
	mask := 0
	if ws > 0 {
		mask |= c.edges & beginEdge
	}
	if we < len(ft.s) {
		mask |= c.edges & endEdge
	}
	// \A can only start a match at the window's start, \z only end one at
	// its end; matches clear of both are matches inside ft too.
	if mask == 0 || !slices.ContainsFunc(found, func(m []int) bool {
		return mask&beginEdge != 0 && m[0] == 0 || mask&endEdge != 0 && m[1] == len(w)
	}) {
		return found, true
	}
	inside, err := c.withoutEdges[mask]()
	if err != nil {
		return nil, false
	}
	return found, slices.EqualFunc(found, inside.FindAllStringIndex(w, -1), slices.Equal)
}

// toHit locates a gitleaks finding on a span of ft starting at offset ws and
// line first. gitleaks counts a match's column from the newline before its
// line (from the span start on its first line).
func toHit(rule config.Rule, ft *text, ws, first int, f report.Finding) secretHit {
	prev := ws
	if li := f.StartLine - first; li > 0 {
		prev = ft.lines.Newlines(ft.s)[ft.lineIndex(ws)+li-1]
	}
	start := min(max(prev+f.StartColumn-1, 0), len(ft.s))
	// gitleaks trims newlines off a match but not off its start.
	for start < len(ft.s) && ft.s[start] == '\n' && !strings.HasPrefix(ft.s[start:], f.Match) {
		start++
	}
	off := start
	if strings.HasPrefix(ft.s[start:], f.Match) {
		off += secretOffset(rule, f.Match, f.Secret)
	}
	return secretHit{rule: f.RuleID, line: f.StartLine, secret: f.Secret, off: off, decoded: off == start && !strings.HasPrefix(ft.s[start:], f.Match)}
}

// secretOffset finds the secret in its match the way gitleaks picks it: the
// rule's secret group, else the first non-empty group.
func secretOffset(rule config.Rule, match, secret string) int {
	if rule.Regex != nil {
		if m := rule.Regex.FindStringSubmatchIndex(match); len(m) >= 4 {
			g := rule.SecretGroup
			if g == 0 {
				for i := 1; 2*i < len(m); i++ {
					if m[2*i+1] > m[2*i] {
						g = i
						break
					}
				}
			}
			if g > 0 && 2*g < len(m) && m[2*g] >= 0 && match[m[2*g]:m[2*g+1]] == secret {
				return m[2*g]
			}
		}
	}
	return max(strings.Index(match, secret), 0)
}

// viaGitleaks scans a fragment with gitleaks itself, holding only the rules
// a keyword in some decoding pass wakes.
func viaGitleaks(rs *ruleSet, ft *text, startLine int) ([]secretHit, error) {
	keywords := make([]bool, len(rs.keywords))
	raw, dec := ft.s, codec.NewDecoder()
	var segments []*codec.EncodedSegment
	for depth := 0; ; depth++ {
		rs.trie.Walk([]byte(strings.ToLower(raw)), func(end, n, pattern int64) bool {
			keywords[pattern] = true
			return true
		})
		if depth == gitleaksDecodeDepth {
			break
		}
		if raw, segments = dec.Decode(raw, segments); len(segments) == 0 {
			break
		}
	}
	idx := rs.woken(keywords, ft.path)
	if len(idx) == 0 {
		return nil, nil
	}
	d, err := rs.detector(idx)
	if err != nil {
		return nil, err
	}
	var hits []secretHit
	//lint:ignore SA1019 gitleaks v8's detector takes detect.Fragment (sources.Fragment is for v9)
	for _, f := range d.Detect(detect.Fragment{Raw: ft.s, FilePath: ft.path, StartLine: startLine}) {
		c, err := rs.compile(rs.index[f.RuleID])
		if err != nil {
			return nil, err
		}
		hits = append(hits, toHit(c.rule, ft, 0, startLine, f))
	}
	return hits, nil
}

// dropGenericDuplicates is gitleaks' filter: a generic rule's finding gives
// way to a specific rule's finding on the same line whose secret contains
// it.
func dropGenericDuplicates(hs []secretHit) []secretHit {
	generic := func(id string) bool { return strings.Contains(strings.ToLower(id), "generic") }
	out := hs[:0:0]
	for _, h := range hs {
		if generic(h.rule) && slices.ContainsFunc(hs, func(o secretHit) bool {
			return o.line == h.line && o.rule != h.rule && !generic(o.rule) && strings.Contains(o.secret, h.secret)
		}) {
			continue
		}
		out = append(out, h)
	}
	return out
}
