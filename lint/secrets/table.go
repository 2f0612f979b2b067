package secrets

import (
	"fmt"
	"sync"

	"github.com/zricethezav/gitleaks/v8/config"
)

//go:generate go run ./gen -o gitleaks_table.go

// Table is a gitleaks configuration in plain data, as gitleaks' own
// loading (config.ViperConfig.Translate) leaves it: keywords lower-cased,
// allowlists that target rules moved into those rules, stop words
// lower-cased and de-duplicated. The default table, gitleaksTable, is
// generated from gitleaks' embedded default configuration by ./gen and
// committed; TestTableFresh fails when it differs from a fresh generation
// and TestTableVersion when go.mod moves gitleaks without regenerating.
type Table struct {
	// Gitleaks is the version of the gitleaks module the table was
	// generated from, e.g. "v8.30.1".
	Gitleaks string
	// Allowlists are the global allowlists.
	Allowlists []Allowlist
	// Rules are the rules in the configuration's order.
	Rules []Rule
}

// Rule is one gitleaks rule (config.Rule with its expressions as text).
type Rule struct {
	ID          string
	Description string
	// Regex is the rule's expression; Path restricts it to matching file
	// paths. At least one is set.
	Regex string
	Path  string
	// SecretGroup is the capture group holding the secret (0: the first
	// non-empty group, else the whole match).
	SecretGroup int
	// Entropy is the minimum Shannon entropy, in bits per character, a
	// secret must have (0: none).
	Entropy float64
	// Keywords are lower case: a rule runs on a fragment holding one (no
	// keywords: on every fragment).
	Keywords []string
	Tags     []string
	// Allowlists are the rule's own, then the global ones that target it.
	Allowlists []Allowlist
	SkipReport bool
}

// Allowlist is one gitleaks allowlist (config.Allowlist with its
// expressions as text).
type Allowlist struct {
	Description string
	Condition   config.AllowlistMatchCondition
	Commits     []string
	Paths       []string
	// RegexTarget is "" (the secret), "match" or "line".
	RegexTarget string
	Regexes     []string
	StopWords   []string
}

// Engine runs a rule table over files and reports what `gitleaks dir`
// reports for them (see engine.go). It is safe for concurrent use.
type Engine struct {
	rs *ruleSet
}

// Build prepares an engine from a table: it indexes the keywords and
// compiles the rules' path expressions and the global allowlists; each
// rule's expression is compiled on first use. A table without rules, with
// duplicate or empty rule IDs, or with an expression that does not compile
// is an error: the engine never runs a partial table.
func Build(t *Table) (*Engine, error) {
	rs, err := newRuleSet(t)
	if err != nil {
		return nil, fmt.Errorf("building the gitleaks rule table: %w", err)
	}
	return &Engine{rs: rs}, nil
}

var defaultEngine = sync.OnceValues(func() (*Engine, error) { return Build(&gitleaksTable) })

// Default returns the engine for gitleaks' default rules (gitleaksTable),
// built once and shared.
func Default() (*Engine, error) { return defaultEngine() }

// Keywords returns the engine's distinct lower-case keywords; File.Keyword
// takes indexes into it. The caller must not modify it.
func (e *Engine) Keywords() []string { return e.rs.keywords }
