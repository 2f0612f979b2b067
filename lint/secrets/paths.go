package secrets

import (
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/zricethezav/gitleaks/v8/config"
)

// Path allowlists run for every file scanned, and gitleaks' joined
// expression of two dozen unanchored alternatives costs about 25 µs a path:
// a third of the gate's time on a large rendered site. allowsPath puts a
// literal prefilter in front of it: for each of the allowlist's
// expressions, literals one of which every match must contain, compared
// case-folded (Allowlist.Validate joins the paths as "(?:A|B|...)", so a
// (?i) in one alternative carries into later ones; folding everything is
// sound either way). A path holding none of them cannot match; any other
// path gets gitleaks' own answer. TestPathAllowedMatchesGitleaks checks the
// two agree.

// pathLiteral is a lower-case string every match contains, ignoring case.
type pathLiteral = string

var pathPrefilters sync.Map // *config.Allowlist → []pathLiteral (nil: none)

func prefilterFor(a *config.Allowlist) []pathLiteral {
	if v, ok := pathPrefilters.Load(a); ok {
		return v.([]pathLiteral)
	}
	var lits []pathLiteral
	for _, re := range a.Paths {
		t, err := syntax.Parse(re.String(), syntax.Perl)
		var l []pathLiteral
		if err == nil {
			l = requiredLiterals(t.Simplify())
		}
		if l == nil {
			lits = nil // one expression without a requirement: no prefilter
			break
		}
		lits = append(lits, l...)
	}
	pathPrefilters.Store(a, lits)
	return lits
}

// allowsPath is a.PathAllowed(path), answered early when the prefilter
// rules a match out.
func allowsPath(a *config.Allowlist, path string) bool {
	if a == nil || path == "" || len(a.Paths) == 0 {
		return false
	}
	if lits := prefilterFor(a); lits != nil && isASCII(path) {
		lower := strings.ToLower(path)
		possible := false
		for _, l := range lits {
			if strings.Contains(lower, l) {
				possible = true
				break
			}
		}
		if !possible {
			return false
		}
	}
	return a.PathAllowed(path)
}

// isASCII reports whether s is ASCII: case folding there is plain
// lower-casing (elsewhere (?i)s also matches ſ, and k matches K).
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// requiredLiterals returns literals one of which every match of re
// contains, lower-cased, or nil when it cannot tell.
func requiredLiterals(re *syntax.Regexp) []pathLiteral {
	if set, ok := exactStrings(re); ok && !slices.Contains(set, "") {
		return set
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		// Every child's requirement holds for the whole, and so does the
		// product of each run of children with exact string sets; keep
		// the strongest candidate.
		var best []pathLiteral
		consider := func(l []pathLiteral) {
			if l != nil && !slices.Contains(l, "") && (best == nil || shortest(l) > shortest(best)) {
				best = l
			}
		}
		var run []string
		for _, sub := range re.Sub {
			if set, ok := exactStrings(sub); ok {
				if run == nil {
					run = set
				} else if run = crossProduct(run, set); run == nil {
					run = set // too many: restart the run here
				}
				consider(run)
				continue
			}
			run = nil
			consider(requiredLiterals(sub))
		}
		return best
	case syntax.OpAlternate:
		// Each match takes one alternative: all must have a requirement.
		var all []pathLiteral
		for _, sub := range re.Sub {
			l := requiredLiterals(sub)
			if l == nil {
				return nil
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

// maxExact bounds an exact string set.
const maxExact = 64

// exactStrings returns every string re matches, lower-cased, when they are
// few, finite and ASCII.
func exactStrings(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		s := string(re.Rune)
		if !isASCII(s) {
			return nil, false // Unicode folding is not plain lower-casing
		}
		return []string{strings.ToLower(s)}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if r >= utf8.RuneSelf || len(out) >= 8 {
					return nil, false
				}
				if c := strings.ToLower(string(r)); !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return exactStrings(re.Sub[0])
	case syntax.OpQuest:
		set, ok := exactStrings(re.Sub[0])
		if !ok {
			return nil, false
		}
		return append(set, ""), true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set, ok := exactStrings(sub)
			if !ok || len(out)+len(set) > maxExact {
				return nil, false
			}
			out = append(out, set...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			set, ok := exactStrings(sub)
			if !ok {
				return nil, false
			}
			if out = crossProduct(out, set); out == nil {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// crossProduct concatenates every a with every b, or returns nil past maxExact.
func crossProduct(a, b []string) []string {
	if len(a)*len(b) > maxExact {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func shortest(lits []pathLiteral) int {
	n := 1 << 30
	for _, l := range lits {
		n = min(n, len(l))
	}
	return n
}
