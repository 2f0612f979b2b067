package secrets

import (
	"regexp/syntax"
	"slices"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// An endsProg computes, for the part of a rule from its anchor on, every
// offset where a match starting at a given offset can end: the set semantics
// of the expression, not Go's leftmost-first choice, which is what an anchor
// check needs (does any match exist, and how far can one reach). It runs
// over sets of offsets on a tree compiled from the expression: a counted
// repetition of a character class, the bulk of gitleaks' expressions, costs
// one scan along the text, and small sets of literals compare bytes after a
// first-byte test. Assertions see the whole text.
//
// Fragments holding a rune that case-folds into ASCII never come here (see
// hasFoldRunes), so folded ASCII literals compare lower-cased.
type endsProg struct {
	root *enode
	// gap, when set, is a cheap necessary condition: a byte marked in
	// gapFirst (in the lower-cased text) or gapFirstExact (in the text)
	// occurs gapMin to gapMax bytes after the anchor offset.
	gap            bool
	gapMin, gapMax int
	gapFirst       [256]bool
	gapFirstExact  [256]bool
}

type enodeOp uint8

const (
	eNone   enodeOp = iota // matches nothing
	eEmpty                 // matches the empty string
	eAssert                // an empty-width assertion
	eLits                  // one of a few ASCII literals
	eRunes                 // a literal with non-ASCII runes
	eClass                 // class{min,max}
	eConcat
	eAlt
	eRepeat // sub{min,max}
)

type enode struct {
	op       enodeOp
	subs     []*enode
	min, max int // eClass, eRepeat; max -1: unbounded
	class    *runeClass
	lits     []literal // eLits
	first    [256]bool // eLits: first bytes (of the lower-cased text for folded ones)
	anyEmpty bool      // eLits: holds the empty string
	runes    []rune    // eRunes
	fold     bool      // eRunes
	assert   syntax.Op
}

// runeClass is a character class with an ASCII table.
type runeClass struct {
	ascii  [utf8.RuneSelf]bool
	ranges []rune
}

func newRuneClass(re *syntax.Regexp) *runeClass {
	c := &runeClass{}
	switch re.Op {
	case syntax.OpAnyChar:
		c.ranges = []rune{0, unicode.MaxRune}
	case syntax.OpAnyCharNotNL:
		c.ranges = []rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune}
	default:
		c.ranges = re.Rune
	}
	for i := 0; i < len(c.ranges); i += 2 {
		for r := c.ranges[i]; r <= c.ranges[i+1] && r < utf8.RuneSelf; r++ {
			c.ascii[r] = true
		}
	}
	return c
}

func (c *runeClass) has(r rune) bool {
	if r < utf8.RuneSelf {
		return c.ascii[r]
	}
	for i := 0; i < len(c.ranges); i += 2 {
		if c.ranges[i] <= r && r <= c.ranges[i+1] {
			return true
		}
	}
	return false
}

// compileEnds compiles the anchor (pieces anchor) and the rest (after).
func compileEnds(anchor, after []*syntax.Regexp) *endsProg {
	p := &endsProg{root: compileENode(&syntax.Regexp{Op: syntax.OpConcat, Sub: append(slices.Clip(anchor), after...)})}
	// The gap test: the first piece after the anchor that is a small set of
	// non-empty literals, and how far from the anchor it may start.
	lo, hi := reachOf(anchor...), reachOf(anchor...)
	lo.bytes = minReach(anchor...)
	for _, a := range after {
		if lits, ok := finite(a); ok && len(lits) > 0 && minLen(lits) > 0 && hi.bytes != unbounded {
			p.gap, p.gapMin, p.gapMax = true, lo.bytes, hi.bytes
			for _, l := range lits {
				if l.fold {
					p.gapFirst[l.s[0]] = true
				} else {
					p.gapFirstExact[l.s[0]] = true
				}
			}
			break
		}
		hi = hi.plus(reachOne(a))
		lo.bytes += minReach(a)
	}
	return p
}

// minReach is the fewest bytes the concatenation of subs can match.
func minReach(subs ...*syntax.Regexp) int {
	n := 0
	for _, re := range subs {
		switch re.Op {
		case syntax.OpLiteral:
			n += len(re.Rune)
		case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			n++
		case syntax.OpCapture, syntax.OpConcat:
			n += minReach(re.Sub...)
		case syntax.OpPlus:
			n += minReach(re.Sub[0])
		case syntax.OpRepeat:
			n += re.Min * minReach(re.Sub[0])
		case syntax.OpAlternate:
			m := -1
			for _, sub := range re.Sub {
				if k := minReach(sub); m < 0 || k < m {
					m = k
				}
			}
			n += max(m, 0)
		}
	}
	return n
}

func compileENode(re *syntax.Regexp) *enode {
	switch re.Op {
	case syntax.OpNoMatch:
		return &enode{op: eNone}
	case syntax.OpEmptyMatch:
		return &enode{op: eEmpty}
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return &enode{op: eAssert, assert: re.Op}
	case syntax.OpCapture:
		return compileENode(re.Sub[0])
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return &enode{op: eClass, class: newRuneClass(re), min: 1, max: 1}
	}
	if lits, ok := finite(re); ok {
		n := &enode{op: eLits, lits: lits}
		for _, l := range lits {
			if l.s == "" {
				n.anyEmpty = true
			} else {
				n.first[l.s[0]] = true
			}
		}
		return n
	}
	switch re.Op {
	case syntax.OpLiteral:
		return &enode{op: eRunes, runes: re.Rune, fold: re.Flags&syntax.FoldCase != 0}
	case syntax.OpConcat, syntax.OpAlternate:
		n := &enode{op: eConcat}
		if re.Op == syntax.OpAlternate {
			n.op = eAlt
		}
		for _, sub := range re.Sub {
			n.subs = append(n.subs, compileENode(sub))
		}
		return n
	}
	// Repetitions.
	lo, hi := 0, -1
	switch re.Op {
	case syntax.OpQuest:
		hi = 1
	case syntax.OpPlus:
		lo = 1
	case syntax.OpRepeat:
		lo, hi = re.Min, re.Max
	}
	sub := compileENode(re.Sub[0])
	if sub.op == eClass && sub.min == 1 && sub.max == 1 {
		return &enode{op: eClass, class: sub.class, min: lo, max: hi}
	}
	return &enode{op: eRepeat, subs: []*enode{sub}, min: lo, max: hi}
}

// finite expands re into its few ASCII strings, exactly: no assertions, no
// runes that need decoding. Folded strings are lower-case.
func finite(re *syntax.Regexp) ([]literal, bool) {
	switch re.Op {
	case syntax.OpLiteral, syntax.OpConcat, syntax.OpAlternate, syntax.OpQuest, syntax.OpCapture:
	case syntax.OpCharClass:
		n := 0
		for i := 0; i < len(re.Rune); i += 2 {
			n += int(re.Rune[i+1]-re.Rune[i]) + 1
		}
		if n > 4 {
			return nil, false
		}
	case syntax.OpRepeat:
		if re.Max < 0 || re.Max > 3 {
			return nil, false
		}
	default:
		return nil, false
	}
	for _, sub := range re.Sub {
		if _, ok := finite(sub); !ok {
			return nil, false
		}
	}
	lits, ok := expand(re)
	if !ok || len(lits) > 16 {
		return nil, false
	}
	for _, l := range lits {
		for i := 0; i < len(l.s); i++ {
			if l.s[i] >= utf8.RuneSelf {
				return nil, false
			}
		}
	}
	return lits, true
}

// ends runs endsProg programs over one text.
type ends struct {
	s      string
	lower  string // s lower-cased (ASCII)
	budget int
	seen   []uint32 // generation marks, by offset
	gen    uint32
	// buf holds every offset set of a check: eval appends its result and
	// returns it capped, so appending to a result never overwrites.
	buf []int
}

// checkBudget bounds the steps of one anchor check; past it the check
// assumes the furthest end.
const checkBudget = 1 << 16

// errBudget stops a check that costs too much.
type errBudget struct{}

// reset points e at s (lower: s lower-cased).
func (e *ends) reset(s string, lower []byte) {
	e.s, e.lower = s, unsafe.String(unsafe.SliceData(lower), len(lower))
	if cap(e.seen) < len(s)+1 {
		e.seen = make([]uint32, len(s)+1)
		e.gen = 0
	}
	e.seen = e.seen[:len(s)+1]
}

// run returns the offsets where p, started at from, can end; ok is false
// when the budget ran out.
func (e *ends) run(p *endsProg, from int) (out []int, ok bool) {
	if p.gap && !e.gapOK(p, from) {
		return nil, true
	}
	e.budget = checkBudget
	e.buf = append(e.buf[:0], from)
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(errBudget); !is {
				panic(r)
			}
			out, ok = nil, false
		}
	}()
	return e.eval(p.root, e.buf[0:1:1]), true
}

// result returns what eval appended to buf since start.
func (e *ends) result(start int) []int {
	return e.buf[start:len(e.buf):len(e.buf)]
}

func (e *ends) gapOK(p *endsProg, from int) bool {
	hi := min(from+p.gapMax, len(e.s)-1)
	for o := from + p.gapMin; o <= hi; o++ {
		if p.gapFirst[e.lower[o]] || p.gapFirstExact[e.s[o]] {
			return true
		}
	}
	return false
}

func (e *ends) spend(n int) {
	if e.budget -= n; e.budget < 0 {
		panic(errBudget{})
	}
}

// set returns offs sorted without duplicates.
func (e *ends) set(offs []int) []int {
	if e.gen++; e.gen == 0 {
		clear(e.seen) // the marks wrapped around
		e.gen = 1
	}
	out := offs[:0]
	for _, o := range offs {
		if e.seen[o] != e.gen {
			e.seen[o] = e.gen
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return out
}

// eval returns the sorted offsets where n can end, started at from (sorted).
func (e *ends) eval(n *enode, from []int) []int {
	if len(from) == 0 {
		return nil
	}
	e.spend(len(from))
	start := len(e.buf)
	switch n.op {
	case eNone:
		return nil
	case eEmpty:
		return from
	case eAssert:
		for _, o := range from {
			if e.assert(n.assert, o) {
				e.buf = append(e.buf, o)
			}
		}
		return e.result(start)
	case eLits:
		for _, o := range from {
			if n.anyEmpty {
				e.buf = append(e.buf, o)
			}
			if o >= len(e.s) || !n.first[e.lower[o]] && !n.first[e.s[o]] {
				continue
			}
			for _, l := range n.lits {
				hay := e.s
				if l.fold {
					hay = e.lower
				}
				if l.s != "" && len(hay)-o >= len(l.s) && hay[o:o+len(l.s)] == l.s {
					e.buf = append(e.buf, o+len(l.s))
				}
			}
		}
		if len(from) > 1 || len(n.lits) > 1 {
			return e.set(e.result(start))
		}
		return e.result(start)
	case eRunes:
		for _, o := range from {
			if k, ok := e.runes(n, o); ok {
				e.buf = append(e.buf, o+k)
			}
		}
		return e.result(start)
	case eClass:
		return e.class(n, from)
	case eConcat:
		cur := from
		for _, sub := range n.subs {
			if cur = e.eval(sub, cur); len(cur) == 0 {
				return nil
			}
		}
		return cur
	case eAlt:
		parts := make([][]int, 0, len(n.subs))
		for _, sub := range n.subs {
			parts = append(parts, e.eval(sub, from))
		}
		start = len(e.buf)
		for _, p := range parts {
			e.buf = append(e.buf, p...)
		}
		return e.set(e.result(start))
	case eRepeat:
		return e.repeat(n, from)
	}
	panic("ends: unknown node")
}

// union returns the set of a and b.
func (e *ends) union(a, b []int) []int {
	start := len(e.buf)
	e.buf = append(append(e.buf, a...), b...)
	return e.set(e.result(start))
}

// repeat evaluates sub{min,max} level by level: the offsets after exactly k
// repetitions, accumulated from min on, until a level adds nothing new.
func (e *ends) repeat(n *enode, from []int) []int {
	sub, cur := n.subs[0], from
	for range n.min {
		next := e.eval(sub, cur)
		if len(next) == 0 {
			return nil
		}
		if slices.Equal(next, cur) {
			return next // every further level is this one
		}
		cur = next
	}
	out := cur
	for k := n.min; n.max < 0 || k < n.max; k++ {
		next := e.eval(sub, cur)
		before := len(out)
		if out = e.union(out, next); len(out) == before {
			break
		}
		cur = next
	}
	return out
}

// class evaluates class{min,max} with one scan along the text per start.
func (e *ends) class(n *enode, from []int) []int {
	start := len(e.buf)
	for _, o := range from {
		k, p := 0, o
		if n.min == 0 {
			e.buf = append(e.buf, p)
		}
		for p < len(e.s) && (n.max < 0 || k < n.max) {
			r, size := rune(e.s[p]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(e.s[p:])
			}
			if !n.class.has(r) {
				break
			}
			p += size
			k++
			if k >= n.min {
				e.buf = append(e.buf, p)
			}
		}
		e.spend(k)
	}
	if len(from) > 1 {
		return e.set(e.result(start))
	}
	return e.result(start)
}

// runes matches a literal holding non-ASCII runes at offset o.
func (e *ends) runes(n *enode, o int) (int, bool) {
	p := o
	for _, want := range n.runes {
		if p >= len(e.s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(e.s[p:])
		if r != want && !(n.fold && foldEqual(r, want)) {
			return 0, false
		}
		p += size
	}
	return p - o, true
}

func foldEqual(a, b rune) bool {
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// assert evaluates an empty-width assertion at offset o.
func (e *ends) assert(op syntax.Op, o int) bool {
	s := e.s
	switch op {
	case syntax.OpBeginLine:
		return o == 0 || s[o-1] == '\n'
	case syntax.OpEndLine:
		return o == len(s) || s[o] == '\n'
	case syntax.OpBeginText:
		return o == 0
	case syntax.OpEndText:
		return o == len(s)
	}
	before := o > 0 && isWordByte(s[o-1])
	after := o < len(s) && isWordByte(s[o])
	if op == syntax.OpWordBoundary {
		return before != after
	}
	return before == after
}
