package secrets

import (
	"cmp"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file derives, from a gitleaks rule's regular expression, literal
// anchors that every match must contain and bounds on how far a match can
// reach around them. With them a rule runs its regular expression on a few
// lines around each anchor instead of on the whole file, and still finds
// exactly what gitleaks finds (see windows in rp501_credentials.go for the
// argument, and TestGitleaksParity for the check).

// maxAnchorStrings caps how many literal strings one anchor may expand to.
const maxAnchorStrings = 64

// unbounded marks a bound that does not exist.
const unbounded = -1

// reach bounds the text a piece of a regular expression can match: at most
// bytes bytes holding at most lines newlines; either may be unbounded.
type reach struct{ bytes, lines int }

func (a reach) plus(b reach) reach {
	return reach{addBound(a.bytes, b.bytes), addBound(a.lines, b.lines)}
}

func (a reach) or(b reach) reach {
	return reach{maxBound(a.bytes, b.bytes), maxBound(a.lines, b.lines)}
}

func (a reach) times(n int) reach {
	return reach{mulBound(a.bytes, n), mulBound(a.lines, n)}
}

func addBound(a, b int) int {
	if a == unbounded || b == unbounded {
		return unbounded
	}
	return a + b
}

func maxBound(a, b int) int {
	if a == unbounded || b == unbounded {
		return unbounded
	}
	return max(a, b)
}

func mulBound(a, n int) int {
	switch {
	case a == 0:
		return 0
	case a == unbounded || n == unbounded:
		return unbounded
	}
	return a * n
}

// literal is one anchor string. Folded literals are lower-case and searched
// in the ASCII lower-cased text; others are searched as they are.
type literal struct {
	s    string
	fold bool
	b    []byte // s, for searching the lower-cased text
}

// branch is one way a rule's expression can match: before, then one of
// lits, then the rest. re is the anchor and the rest, which ends runs from
// each anchor occurrence (classes are its class tables); before bounds the
// part before the anchor.
type branch struct {
	lits   []literal
	prog   *endsProg
	before reach
	// keywords marks the gitleaks keywords that are the anchors, when all
	// are: their occurrences come from the keyword scan.
	keywords []bool
}

// Edges of the text a window may not share with its fragment.
const (
	beginEdge = 1 << iota // \A, or ^ outside multi-line mode
	endEdge               // \z, or $ outside multi-line mode
)

// edgesOf reports which text-edge assertions re holds.
func edgesOf(re *syntax.Regexp) int {
	e := 0
	switch re.Op {
	case syntax.OpBeginText:
		e = beginEdge
	case syntax.OpEndText:
		e = endEdge
	}
	for _, sub := range re.Sub {
		e |= edgesOf(sub)
	}
	return e
}

// withoutEdges returns a copy of re in which the text-edge assertions named
// by mask never hold.
func withoutEdges(re *syntax.Regexp, mask int) *syntax.Regexp {
	if re.Op == syntax.OpBeginText && mask&beginEdge != 0 || re.Op == syntax.OpEndText && mask&endEdge != 0 {
		return &syntax.Regexp{Op: syntax.OpNoMatch}
	}
	if edgesOf(re)&mask == 0 {
		return re
	}
	cp := *re
	cp.Sub = make([]*syntax.Regexp, len(re.Sub))
	for i, sub := range re.Sub {
		cp.Sub[i] = withoutEdges(sub, mask)
	}
	return &cp
}

// compileWithoutEdges compiles expr with the text-edge assertions named by
// mask never holding.
func compileWithoutEdges(expr string, mask int) (*regexp.Regexp, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return regexp.Compile(withoutEdges(re, mask).String())
}

// anchorRegexp analyses expr. It returns nil when no useful anchor exists;
// the rule then runs on whole fragments, as gitleaks runs it.
func anchorRegexp(expr string) ([]branch, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	parts := decompose(re)
	if parts == nil {
		return nil, nil
	}
	out := make([]branch, 0, len(parts))
	for _, p := range parts {
		// After the anchor \A never holds.
		after := make([]*syntax.Regexp, len(p.after))
		for i, a := range p.after {
			after[i] = withoutEdges(a, beginEdge)
		}
		for i := range p.lits {
			p.lits[i].b = []byte(p.lits[i].s)
		}
		out = append(out, branch{
			lits:   p.lits,
			prog:   compileEnds(p.anchor, after),
			before: reachOf(p.before...),
		})
	}
	return out, nil
}

// part is a decomposition of an expression into before, anchor and after.
type part struct {
	before, anchor, after []*syntax.Regexp
	lits                  []literal
}

// decompose splits re into parts whose union is re. It returns nil when
// some alternative has no literal anchor of at least two bytes.
func decompose(re *syntax.Regexp) []part {
	switch re.Op {
	case syntax.OpCapture:
		return decompose(re.Sub[0])
	case syntax.OpAlternate:
		var out []part
		for _, sub := range re.Sub {
			ps := decompose(sub)
			if ps == nil {
				return nil
			}
			out = append(out, ps...)
		}
		return out
	case syntax.OpConcat:
		subs := re.Sub
		if i, j, lits := bestRun(subs); lits != nil {
			return []part{{before: subs[:i], anchor: subs[i:j], after: subs[j:], lits: lits}}
		}
		for i, sub := range subs {
			ps := decompose(sub)
			if ps == nil {
				continue
			}
			for k := range ps {
				ps[k].before = append(slices.Clip(subs[:i]), ps[k].before...)
				ps[k].after = append(slices.Clip(ps[k].after), subs[i+1:]...)
			}
			return ps
		}
		return nil
	}
	if lits, ok := expand(re); ok && minLen(lits) >= 2 {
		return []part{{anchor: []*syntax.Regexp{re}, lits: lits}}
	}
	return nil
}

// bestRun finds the run of consecutive concatenated pieces that expands to
// the most selective literal set: longest shortest string, then fewest
// strings, then earliest.
func bestRun(subs []*syntax.Regexp) (int, int, []literal) {
	var (
		bi, bj int
		best   []literal
	)
	for i := range subs {
		lits := []literal{{}}
		for j := i; j < len(subs); j++ {
			next, ok := expand(subs[j])
			if !ok {
				break
			}
			lits = product(lits, next)
			if lits == nil {
				break
			}
			if minLen(lits) < 2 {
				continue
			}
			if best == nil || minLen(lits) > minLen(best) ||
				minLen(lits) == minLen(best) && len(lits) < len(best) {
				bi, bj, best = i, j+1, lits
			}
		}
	}
	return bi, bj, best
}

// expand returns the finite set of strings re matches, or false when it is
// not small and finite. Empty-width assertions expand to the empty string:
// the check expression still enforces them. Runes outside ASCII are refused,
// except the two that case-fold into ASCII letters (U+017F, U+212A), which
// are left out: fragments holding them never use anchors (see foldRunes).
func expand(re *syntax.Regexp) ([]literal, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []literal{{}}, true
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		var b strings.Builder
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return nil, false
			}
			if fold {
				r = toLowerASCII(r)
			}
			b.WriteRune(r)
		}
		return []literal{{s: b.String(), fold: fold}}, true
	case syntax.OpCharClass:
		var out []literal
		for i := 0; i < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if r == 0x17F || r == 0x212A {
					continue
				}
				if r >= utf8.RuneSelf || len(out) == 8 {
					return nil, false
				}
				out = append(out, literal{s: string(r)})
			}
		}
		return out, len(out) > 0
	case syntax.OpCapture:
		return expand(re.Sub[0])
	case syntax.OpQuest:
		sub, ok := expand(re.Sub[0])
		return append(sub, literal{}), ok
	case syntax.OpRepeat:
		if re.Max == -1 || re.Max > 4 {
			return nil, false
		}
		sub, ok := expand(re.Sub[0])
		if !ok {
			return nil, false
		}
		var out []literal
		for n := re.Min; n <= re.Max; n++ {
			acc := []literal{{}}
			for range n {
				if acc = product(acc, sub); acc == nil {
					return nil, false
				}
			}
			out = append(out, acc...)
		}
		return out, len(out) <= maxAnchorStrings
	case syntax.OpConcat:
		acc := []literal{{}}
		for _, sub := range re.Sub {
			next, ok := expand(sub)
			if !ok {
				return nil, false
			}
			if acc = product(acc, next); acc == nil {
				return nil, false
			}
		}
		return acc, true
	case syntax.OpAlternate:
		var out []literal
		for _, sub := range re.Sub {
			next, ok := expand(sub)
			if !ok {
				return nil, false
			}
			out = append(out, next...)
		}
		return out, len(out) <= maxAnchorStrings
	}
	return nil, false
}

// product concatenates every string of a with every string of b; nil when
// the result would be too large.
func product(a, b []literal) []literal {
	if len(a)*len(b) > maxAnchorStrings {
		return nil
	}
	out := make([]literal, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			fold := x.fold || y.fold
			xs, ys := x.s, y.s
			if fold {
				xs, ys = strings.ToLower(xs), strings.ToLower(ys)
			}
			out = append(out, literal{s: xs + ys, fold: fold})
		}
	}
	return dedupe(out)
}

func dedupe(ls []literal) []literal {
	slices.SortFunc(ls, func(a, b literal) int {
		return cmp.Or(cmp.Compare(a.s, b.s), cmp.Compare(boolInt(a.fold), boolInt(b.fold)))
	})
	return slices.CompactFunc(ls, func(a, b literal) bool { return a.s == b.s && a.fold == b.fold })
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func minLen(ls []literal) int {
	m := -1
	for _, l := range ls {
		if m < 0 || len(l.s) < m {
			m = len(l.s)
		}
	}
	return m
}

func toLowerASCII(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// reachOf bounds what the concatenation of subs can match.
func reachOf(subs ...*syntax.Regexp) reach {
	var r reach
	for _, sub := range subs {
		r = r.plus(reachOne(sub))
	}
	return r
}

// Fragments holding U+017F or U+212A, which case-fold into ASCII letters,
// never use anchors (see hasFoldRunes), so bounds leave them out: (?i)k
// matches one byte, not three.
func reachOne(re *syntax.Regexp) reach {
	switch re.Op {
	case syntax.OpLiteral:
		var r reach
		for _, c := range re.Rune {
			n := utf8.RuneLen(c)
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
					if !foldRunes[f] {
						n = max(n, utf8.RuneLen(f))
					}
				}
			}
			r.bytes += n
			if c == '\n' {
				r.lines++
			}
		}
		return r
	case syntax.OpCharClass:
		r := reach{bytes: 1}
		for i := 0; i < len(re.Rune); i += 2 {
			for c := re.Rune[i+1]; c >= re.Rune[i]; c-- {
				if !foldRunes[c] {
					r.bytes = max(r.bytes, utf8.RuneLen(c))
					break
				}
			}
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				r.lines = 1
			}
		}
		return r
	case syntax.OpAnyCharNotNL:
		return reach{bytes: utf8.UTFMax}
	case syntax.OpAnyChar:
		return reach{bytes: utf8.UTFMax, lines: 1}
	case syntax.OpCapture, syntax.OpQuest:
		return reachOne(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return reachOne(re.Sub[0]).times(unbounded)
	case syntax.OpRepeat:
		return reachOne(re.Sub[0]).times(re.Max)
	case syntax.OpConcat:
		return reachOf(re.Sub...)
	case syntax.OpAlternate:
		var r reach
		for _, sub := range re.Sub {
			r = r.or(reachOne(sub))
		}
		return r
	}
	// Empty matches and assertions.
	return reach{}
}
