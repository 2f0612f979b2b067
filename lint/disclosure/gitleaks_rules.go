package disclosure

import (
	"bytes"
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/pelletier/go-toml/v2"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/regexp"
)

// gitleaksDecodeDepth is the gitleaks CLI's default --max-decode-depth.
const gitleaksDecodeDepth = 5

// ruleSet is gitleaks' default configuration (config.DefaultConfig),
// decoded once and compiled rule by rule on first use: compiling all of its
// rules costs about 35 ms, and a repository's docs wake a handful. It reads
// the file as gitleaks' config.ViperConfig.Translate does, without viper
// (whose decoding alone costs 5 ms), and builds allowlists without their
// stop-word automaton (8 ms for the generic rule's 1,446 words): their
// methods then search stop words one by one, with the same answers, and
// only for the few matches that reach an allowlist.
// TestGitleaksParity checks the result against gitleaks' own loading.
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
	src      tomlRule
	targeted []tomlAllowlist // global allowlists that name this rule

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

// The layout of a gitleaks configuration file (config.ViperConfig).
type (
	tomlConfig struct {
		Title       string          `toml:"title"`
		Description string          `toml:"description"`
		MinVersion  string          `toml:"minVersion"`
		Extend      map[string]any  `toml:"extend"`
		AllowList   *tomlAllowlist  `toml:"allowlist"`
		Allowlists  []tomlAllowlist `toml:"allowlists"`
		Rules       []tomlRule      `toml:"rules"`
	}
	tomlRule struct {
		ID          string          `toml:"id"`
		Description string          `toml:"description"`
		Path        string          `toml:"path"`
		Regex       string          `toml:"regex"`
		SecretGroup int             `toml:"secretGroup"`
		Entropy     float64         `toml:"entropy"`
		Keywords    []string        `toml:"keywords"`
		Tags        []string        `toml:"tags"`
		AllowList   *tomlAllowlist  `toml:"allowlist"`
		Allowlists  []tomlAllowlist `toml:"allowlists"`
		Required    []any           `toml:"required"`
		SkipReport  bool            `toml:"skipReport"`
	}
	tomlAllowlist struct {
		Description string   `toml:"description"`
		Condition   string   `toml:"condition"`
		Commits     []string `toml:"commits"`
		Paths       []string `toml:"paths"`
		RegexTarget string   `toml:"regexTarget"`
		Regexes     []string `toml:"regexes"`
		StopWords   []string `toml:"stopwords"`
		TargetRules []string `toml:"targetRules"`
	}
)

var gitleaksRules = sync.OnceValues(loadRuleSet)

func loadRuleSet() (*ruleSet, error) {
	var tc tomlConfig
	dec := toml.NewDecoder(bytes.NewReader([]byte(config.DefaultConfig)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tc); err != nil {
		return nil, fmt.Errorf("decoding gitleaks default config: %w", err)
	}
	if len(tc.Extend) > 0 {
		return nil, fmt.Errorf("decoding gitleaks default config: [extend] is not supported")
	}
	if tc.AllowList != nil {
		if len(tc.Allowlists) > 0 {
			return nil, fmt.Errorf("decoding gitleaks default config: [allowlist] alongside [[allowlists]]")
		}
		tc.Allowlists = append(tc.Allowlists, *tc.AllowList)
	}
	rs := &ruleSet{index: map[string]int{}, kwIndex: map[string]int{}}
	for _, a := range tc.Allowlists {
		if len(a.TargetRules) > 0 {
			continue
		}
		al, err := allowlist(a)
		if err != nil {
			return nil, fmt.Errorf("compiling gitleaks global allowlist: %w", err)
		}
		rs.global = append(rs.global, al)
	}
	for i, tr := range tc.Rules {
		if len(tr.Required) > 0 {
			return nil, fmt.Errorf("gitleaks rule %s: composite rules are not supported", tr.ID)
		}
		r := &glRule{id: tr.ID, src: tr}
		for _, a := range tc.Allowlists {
			if slices.Contains(a.TargetRules, tr.ID) {
				r.targeted = append(r.targeted, a)
			}
		}
		if tr.Path != "" {
			r.path = regexp.MustCompile(tr.Path)
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
		if _, dup := rs.index[r.id]; dup {
			return nil, fmt.Errorf("gitleaks rule %s: defined twice", r.id)
		}
		rs.index[r.id] = i
		rs.rules = append(rs.rules, r)
	}
	for _, a := range tc.Allowlists {
		for _, id := range a.TargetRules {
			if _, ok := rs.index[id]; !ok {
				return nil, fmt.Errorf("gitleaks allowlist targets unknown rule %s", id)
			}
		}
	}
	rs.trie = ahocorasick.NewTrieBuilder().AddStrings(rs.keywords).Build()
	return rs, nil
}

// allowlist builds an allowlist as ViperConfig.parseAllowlist and
// Allowlist.Validate do, except the stop-word automaton.
func allowlist(a tomlAllowlist) (*config.Allowlist, error) {
	al := &config.Allowlist{Description: a.Description, Commits: a.Commits}
	switch strings.ToUpper(a.Condition) {
	case "AND", "&&":
		al.MatchCondition = config.AllowlistMatchAnd
	case "", "OR", "||":
		al.MatchCondition = config.AllowlistMatchOr
	default:
		return nil, fmt.Errorf("unknown allowlist condition %q", a.Condition)
	}
	switch a.RegexTarget {
	case "", "secret":
	case "match", "line":
		al.RegexTarget = a.RegexTarget
	default:
		return nil, fmt.Errorf("unknown allowlist regexTarget %q", a.RegexTarget)
	}
	for _, re := range a.Regexes {
		al.Regexes = append(al.Regexes, regexp.MustCompile(re))
	}
	for _, p := range a.Paths {
		al.Paths = append(al.Paths, regexp.MustCompile(p))
	}
	if len(a.Commits) == 0 && len(a.Paths) == 0 && len(a.Regexes) == 0 && len(a.StopWords) == 0 {
		return nil, fmt.Errorf("allowlist must contain at least one check for: commits, paths, regexes, or stopwords")
	}
	// Validate joins the paths and the expressions into one expression
	// each; stop words are added after it, so it builds no automaton.
	if len(a.Commits)+len(a.Paths)+len(a.Regexes) > 0 {
		if err := al.Validate(); err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for _, w := range a.StopWords {
		if w = strings.ToLower(w); !seen[w] {
			seen[w] = true
			al.StopWords = append(al.StopWords, w)
		}
	}
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
		Tags: tr.Tags, SkipReport: tr.SkipReport,
	}
	if rule.Tags == nil {
		rule.Tags = []string{}
	}
	if rule.Keywords == nil {
		rule.Keywords = []string{}
	}
	if tr.Regex != "" {
		rule.Regex = regexp.MustCompile(tr.Regex)
	}
	if rule.Regex == nil && rule.Path == nil {
		return nil, fmt.Errorf("both regex and path are empty")
	}
	if rule.Regex != nil && rule.SecretGroup > rule.Regex.NumSubexp() {
		return nil, fmt.Errorf("invalid regex secret group %d, max %d", rule.SecretGroup, rule.Regex.NumSubexp())
	}
	lists := tr.Allowlists
	if tr.AllowList != nil {
		if len(lists) > 0 {
			return nil, fmt.Errorf("[rules.allowlist] alongside [[rules.allowlists]]")
		}
		lists = []tomlAllowlist{*tr.AllowList}
	}
	for _, a := range append(slices.Clip(lists), r.targeted...) {
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
