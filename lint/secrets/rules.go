package secrets

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/regexp"
)

// DecodeDepth is the gitleaks CLI's default --max-decode-depth.
const DecodeDepth = 5

const gitleaksDecodeDepth = DecodeDepth

// ruleSet is a rule table ready to scan with: keywords indexed, the
// keyword automaton built, rule paths and global allowlists compiled, each
// rule's expression compiled on first use (compiling all of gitleaks'
// rules costs about 35 ms, and a repository's docs wake a handful).
// Allowlists are built without their stop-word automaton (8 ms for the
// generic rule's 1,446 words): their methods then search stop words one by
// one, with the same answers, and only for the few matches that reach an
// allowlist. TestGitleaksParity checks the result against gitleaks itself.
type ruleSet struct {
	rules    []*glRule
	index    map[string]int // rule ID -> index in rules
	keywords []string       // distinct lower-case keywords
	kwIndex  map[string]int
	trie     *ahocorasick.Trie
	byKW     [][]int // keyword index -> indexes of the rules it wakes
	always   []int   // rules without keywords: gitleaks runs them on everything
	global   []*config.Allowlist
}

// glRule is one gitleaks rule, compiled on first use.
type glRule struct {
	id       string
	keywords []string
	path     *regexp.Regexp // nil: every path
	src      *Rule

	once     sync.Once
	compiled *compiledRule
	err      error
}

// compiledRule is a rule ready to run.
type compiledRule struct {
	rule config.Rule
	// branches anchor the rule; nil runs it on whole fragments.
	branches []branch
	// edges are the text-edge assertions in the rule's expression;
	// withoutEdges[mask] compiles it with those in mask never holding.
	edges        int
	withoutEdges [4]func() (*regexp.Regexp, error)
	// lineEdges: the expression holds multi-line ^ or $.
	lineEdges bool
}

// newRuleSet indexes a table. Errors name the rule or allowlist at fault.
func newRuleSet(t *Table) (*ruleSet, error) {
	if t == nil || len(t.Rules) == 0 {
		return nil, errors.New("the rule table holds no rules")
	}
	rs := &ruleSet{index: map[string]int{}, kwIndex: map[string]int{}}
	for i, a := range t.Allowlists {
		al, err := allowlist(a)
		if err != nil {
			return nil, fmt.Errorf("compiling global allowlist %d: %w", i+1, err)
		}
		rs.global = append(rs.global, al)
	}
	for i := range t.Rules {
		tr := &t.Rules[i]
		if strings.TrimSpace(tr.ID) == "" {
			return nil, fmt.Errorf("rule %d: no id", i+1)
		}
		if _, dup := rs.index[tr.ID]; dup {
			return nil, fmt.Errorf("rule %s: defined twice", tr.ID)
		}
		if tr.Regex == "" && tr.Path == "" {
			return nil, fmt.Errorf("rule %s: both regex and path are empty", tr.ID)
		}
		r := &glRule{id: tr.ID, src: tr}
		if tr.Path != "" {
			p, err := compile(tr.Path)
			if err != nil {
				return nil, fmt.Errorf("rule %s: compiling path: %w", tr.ID, err)
			}
			r.path = p
		}
		for _, k := range tr.Keywords {
			k = strings.ToLower(k)
			if slices.Contains(r.keywords, k) {
				continue
			}
			r.keywords = append(r.keywords, k)
			ki, ok := rs.kwIndex[k]
			if !ok {
				ki = len(rs.keywords)
				rs.kwIndex[k] = ki
				rs.keywords = append(rs.keywords, k)
				rs.byKW = append(rs.byKW, nil)
			}
			rs.byKW[ki] = append(rs.byKW[ki], i)
		}
		if len(r.keywords) == 0 {
			rs.always = append(rs.always, i)
		}
		rs.index[r.id] = i
		rs.rules = append(rs.rules, r)
	}
	rs.trie = ahocorasick.NewTrieBuilder().AddStrings(rs.keywords).Build()
	return rs, nil
}

// compile compiles a gitleaks expression, returning an error where
// gitleaks' regexp.MustCompile panics.
func compile(expr string) (re *regexp.Regexp, err error) {
	defer func() {
		if r := recover(); r != nil {
			re, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return regexp.MustCompile(expr), nil
}

// allowlist builds an allowlist as Allowlist.Validate leaves it, except
// the stop-word automaton.
func allowlist(a Allowlist) (*config.Allowlist, error) {
	al := &config.Allowlist{Description: a.Description, MatchCondition: a.Condition, Commits: a.Commits, RegexTarget: a.RegexTarget}
	switch a.Condition {
	case config.AllowlistMatchOr, config.AllowlistMatchAnd:
	default:
		return nil, fmt.Errorf("unknown allowlist condition %d", a.Condition)
	}
	switch a.RegexTarget {
	case "", "match", "line":
	default:
		return nil, fmt.Errorf("unknown allowlist regexTarget %q", a.RegexTarget)
	}
	for _, expr := range a.Regexes {
		re, err := compile(expr)
		if err != nil {
			return nil, fmt.Errorf("compiling allowlist regex: %w", err)
		}
		al.Regexes = append(al.Regexes, re)
	}
	for _, expr := range a.Paths {
		re, err := compile(expr)
		if err != nil {
			return nil, fmt.Errorf("compiling allowlist path: %w", err)
		}
		al.Paths = append(al.Paths, re)
	}
	if len(a.Commits) == 0 && len(a.Paths) == 0 && len(a.Regexes) == 0 && len(a.StopWords) == 0 {
		return nil, errors.New("allowlist must contain at least one check for: commits, paths, regexes, or stopwords")
	}
	// Validate joins the paths and the expressions into one expression
	// each; stop words are added after it, so it builds no automaton.
	if len(a.Commits)+len(a.Paths)+len(a.Regexes) > 0 {
		if err := al.Validate(); err != nil {
			return nil, err
		}
	}
	al.StopWords = a.StopWords
	return al, nil
}

// compile translates and analyses rule i once, as Translate does.
func (rs *ruleSet) compile(i int) (*compiledRule, error) {
	r := rs.rules[i]
	r.once.Do(func() {
		r.compiled, r.err = rs.translate(r)
		if r.err != nil {
			r.err = fmt.Errorf("compiling gitleaks rule %s: %w", r.id, r.err)
		}
	})
	return r.compiled, r.err
}

func (rs *ruleSet) translate(r *glRule) (*compiledRule, error) {
	tr := r.src
	rule := config.Rule{
		RuleID: tr.ID, Description: tr.Description, SecretGroup: tr.SecretGroup,
		Entropy: tr.Entropy, Path: r.path, Keywords: slices.Clone(r.keywords),
		Tags: slices.Clone(tr.Tags), SkipReport: tr.SkipReport,
	}
	if rule.Tags == nil {
		rule.Tags = []string{}
	}
	if rule.Keywords == nil {
		rule.Keywords = []string{}
	}
	if tr.Regex != "" {
		re, err := compile(tr.Regex)
		if err != nil {
			return nil, err
		}
		rule.Regex = re
	}
	if rule.Regex != nil && rule.SecretGroup > rule.Regex.NumSubexp() {
		return nil, fmt.Errorf("invalid regex secret group %d, max %d", rule.SecretGroup, rule.Regex.NumSubexp())
	}
	for _, a := range tr.Allowlists {
		al, err := allowlist(a)
		if err != nil {
			return nil, err
		}
		rule.Allowlists = append(rule.Allowlists, al)
	}
	c := &compiledRule{rule: rule}
	if rule.Regex == nil || rule.SkipReport {
		return c, nil
	}
	expr := rule.Regex.String()
	var err error
	if c.branches, err = anchorRegexp(expr); err != nil {
		return nil, fmt.Errorf("analysing: %w", err)
	}
	for bi := range c.branches {
		c.branches[bi].keywords = rs.keywordSet(c.branches[bi].lits)
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("analysing: %w", err)
	}
	c.edges = edgesOf(re)
	c.lineEdges = hasOp(re, syntax.OpBeginLine) || hasOp(re, syntax.OpEndLine)
	for mask := range c.withoutEdges {
		c.withoutEdges[mask] = sync.OnceValues(func() (*regexp.Regexp, error) {
			return compileWithoutEdges(expr, mask)
		})
	}
	return c, nil
}

// detector returns a detector holding the given rules with their keywords,
// decoding like the gitleaks CLI: gitleaks itself, for the rare fragment the
// anchored scan does not handle.
func (rs *ruleSet) detector(idx []int) (*detect.Detector, error) {
	cfg := config.Config{
		Rules:      map[string]config.Rule{},
		Keywords:   map[string]struct{}{},
		Allowlists: rs.global,
	}
	for _, i := range idx {
		c, err := rs.compile(i)
		if err != nil {
			return nil, err
		}
		cfg.Rules[c.rule.RuleID] = c.rule
		cfg.OrderedRules = append(cfg.OrderedRules, c.rule.RuleID)
		for _, k := range c.rule.Keywords {
			cfg.Keywords[k] = struct{}{}
		}
	}
	d := detect.NewDetector(cfg)
	d.MaxDecodeDepth = gitleaksDecodeDepth
	return d, nil
}

// keywordSet marks the keywords that are the given anchors, lower-cased,
// when every anchor is one; nil otherwise. The keyword scan then finds every
// occurrence of the anchors (and of their other cases, which the check
// turns down).
func (rs *ruleSet) keywordSet(lits []literal) []bool {
	set := make([]bool, len(rs.keywords))
	for _, l := range lits {
		k, ok := rs.kwIndex[strings.ToLower(l.s)]
		if !ok {
			return nil
		}
		set[k] = true
	}
	return set
}

// hasOp reports whether re holds op.
func hasOp(re *syntax.Regexp, op syntax.Op) bool {
	if re.Op == op {
		return true
	}
	for _, sub := range re.Sub {
		if hasOp(sub, op) {
			return true
		}
	}
	return false
}
