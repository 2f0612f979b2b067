package secrets

import (
	"math"
	"strings"

	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect/codec"
)

// This file turns one rule's matches in a window into findings the way
// gitleaks' Detector.detectRule does for a plain fragment (no decoding
// pass, no commit, no composite rule), so a window costs one pass of the
// rule's expression instead of the three a call to Detect costs. The code
// follows gitleaks v8.30.1 detect/detect.go, detect/location.go and
// detect/utils.go (MIT License); TestGitleaksParity holds it to gitleaks.

// gitleaksAllow is the inline marker that silences gitleaks on a line.
const gitleaksAllow = "gitleaks:allow"

// hitsIn reports the findings of matches, offsets into ft.s[at:] (ft
// starts on line startLine). Lines and columns count as gitleaks counts them
// in the whole fragment: matches are placed in their lines with the newline
// before and after, as there.
func (c *compiledRule) hitsIn(global []*config.Allowlist, ft *text, startLine, at int, matches [][]int) []secretHit {
	ws := ft.lineStart(at + matches[0][0])
	if ws > 0 {
		ws-- // the newline before
	}
	we := min(ft.lineEnd(at+matches[len(matches)-1][1])+1, len(ft.s))
	w := ft.s[ws:we]
	first := startLine + ft.lineIndex(ws)
	var nl []int
	for _, o := range ft.lines.Newlines(ft.s)[ft.lineIndex(ws):] {
		if o >= we {
			break
		}
		nl = append(nl, o-ws)
	}
	var out []secretHit
	for _, m := range matches {
		m := []int{m[0] + at - ws, m[1] + at - ws}
		// gitleaks trims newlines off a match, and keeps its start.
		match := strings.Trim(w[m[0]:m[1]], "\n")
		start, end := m[0], m[0]+len(match)
		lead := len(w[m[0]:m[1]]) - len(strings.TrimLeft(w[m[0]:m[1]], "\n"))
		loc := location(nl, w, start, end)
		line := w[loc.startLineIndex:max(loc.endLineIndex, end)]
		if strings.Contains(line, gitleaksAllow) {
			continue
		}
		secret, in, ok := c.secretAt(match)
		if !ok {
			continue
		}
		if c.rule.Entropy != 0 && shannonEntropy(secret) <= c.rule.Entropy {
			continue
		}
		if findingAllowed(global, ft.path, secret, match, line) || findingAllowed(c.rule.Allowlists, ft.path, secret, match, line) {
			continue
		}
		out = append(out, secretHit{rule: c.rule.RuleID, line: first + loc.startLine, secret: secret, off: ws + start + lead + in})
	}
	return out
}

// decodedHit is detectRule's handling of match m in raw, a decoding pass
// over ft whose decoded segments are segments: the match must touch one,
// and is placed where that segment's encoded form is in ft.
func (c *compiledRule) decodedHit(global []*config.Allowlist, ft *text, raw string, segments []*codec.EncodedSegment, m []int, startLine int) (secretHit, bool) {
	match := strings.Trim(raw[m[0]:m[1]], "\n")
	touched := codec.SegmentsWithDecodedOverlap(segments, m[0], m[1])
	if len(touched) == 0 {
		return secretHit{}, false
	}
	at := codec.AdjustMatchIndex(touched, []int{m[0], m[1]})
	current := codec.CurrentLine(touched, raw)
	start, end := min(max(at[0], 0), len(ft.s)), min(max(at[1], 0), len(ft.s))
	loc := location(ft.lines.Newlines(ft.s), ft.s, start, end)
	line := ft.s[loc.startLineIndex:max(loc.endLineIndex, end)]
	if strings.Contains(line, gitleaksAllow) {
		return secretHit{}, false
	}
	if current == "" {
		current = line
	}
	secret, ok := c.secret(match)
	if !ok || c.rule.Entropy != 0 && shannonEntropy(secret) <= c.rule.Entropy ||
		findingAllowed(global, ft.path, secret, match, current) || findingAllowed(c.rule.Allowlists, ft.path, secret, match, current) {
		return secretHit{}, false
	}
	return secretHit{rule: c.rule.RuleID, line: startLine + loc.startLine, secret: secret, off: start, decoded: true}, true
}

// secretAt picks the secret out of a match as gitleaks does: the rule's
// secret group, else the first non-empty group, else the whole match; and
// its offset in the match. false: the secret group does not exist.
func (c *compiledRule) secretAt(match string) (string, int, bool) {
	groups := c.rule.Regex.FindStringSubmatchIndex(match)
	if len(groups) < 4 {
		return match, 0, true
	}
	if g := c.rule.SecretGroup; g > 0 {
		if 2*g >= len(groups) {
			return "", 0, false
		}
		if groups[2*g] < 0 {
			return "", 0, true
		}
		return match[groups[2*g]:groups[2*g+1]], groups[2*g], true
	}
	for i := 1; 2*i < len(groups); i++ {
		if groups[2*i+1] > groups[2*i] {
			return match[groups[2*i]:groups[2*i+1]], groups[2*i], true
		}
	}
	return match, 0, true
}

func (c *compiledRule) secret(match string) (string, bool) {
	s, _, ok := c.secretAt(match)
	return s, ok
}

// pathAllowed is checkCommitOrPathAllowed with no commit: whether lists
// skip every fragment at path.
func pathAllowed(lists []*config.Allowlist, path string) bool {
	for _, a := range lists {
		if a.MatchCondition == config.AllowlistMatchAnd &&
			(len(a.Commits) > 0 || len(a.Regexes) > 0 || len(a.StopWords) > 0) {
			continue
		}
		if allowsPath(a, path) {
			return true
		}
	}
	return false
}

// findingAllowed is checkFindingAllowed with no commit.
func findingAllowed(lists []*config.Allowlist, path, secret, match, line string) bool {
	for _, a := range lists {
		target := secret
		switch a.RegexTarget {
		case "match":
			target = match
		case "line":
			target = line
		}
		regexAllowed := a.RegexAllowed(target)
		stopWord, _ := a.ContainsStopWord(secret)
		if a.MatchCondition != config.AllowlistMatchAnd {
			if regexAllowed || stopWord {
				return true
			}
			continue
		}
		ok := true
		if len(a.Commits) > 0 {
			ok = false // there is no commit
		}
		if len(a.Paths) > 0 && !a.PathAllowed(path) {
			ok = false
		}
		if len(a.Regexes) > 0 && !regexAllowed {
			ok = false
		}
		if len(a.StopWords) > 0 && !stopWord {
			ok = false
		}
		if ok {
			return true
		}
	}
	return false
}

// span is gitleaks' Location: 0-based lines, and the offsets of the newline
// before the match's first line (0 on the first line) and of the end of
// its last line.
type span struct {
	startLine, endLine           int
	startLineIndex, endLineIndex int
	startColumn, endColumn       int
}

// location is gitleaks' location over the newline offsets nl of raw.
func location(nl []int, raw string, start, end int) span {
	var (
		loc     span
		prev    int
		lineSet bool
		lineNum int
	)
	if len(nl) == 0 {
		nl = []int{len(raw)}
	}
	for i, idx := range nl {
		lineNum = i
		if prev <= start && start < idx {
			lineSet = true
			loc.startLine, loc.endLine = i, i
			loc.startColumn = start - prev + 1
			loc.startLineIndex, loc.endLineIndex = prev, idx
		}
		if prev < end && end <= idx {
			loc.endLine = i
			loc.endColumn = end - prev
			loc.endLineIndex = idx
		}
		prev = idx
	}
	if !lineSet {
		loc.startColumn = start - prev + 1
		loc.endColumn = end - prev
		loc.startLine, loc.endLine = lineNum+1, lineNum+1
		i := 0
		for end+i < len(raw) && raw[end+i] != '\n' && raw[end+i] != '\r' {
			i++
		}
		loc.endLineIndex = end + i
	}
	return loc
}

// shannonEntropy is gitleaks' entropy: per rune, over the byte length.
func shannonEntropy(data string) float64 {
	if data == "" {
		return 0
	}
	counts := map[rune]int{}
	for _, r := range data {
		counts[r]++
	}
	var entropy float64
	inv := 1.0 / float64(len(data))
	for _, n := range counts {
		f := float64(n) * inv
		entropy -= f * math.Log2(f)
	}
	return entropy
}
