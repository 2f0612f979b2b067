// Package finding defines what every relpolicy check reports: a rule ID, a
// severity, a position and a message with a hint.
package finding

import (
	"cmp"
	"slices"
)

// Severity of a finding.
type Severity string

// Severities, most severe first.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rank orders severities: higher is more severe.
func (s Severity) Rank() int {
	switch s {
	case Error:
		return 2
	case Warning:
		return 1
	}
	return 0
}

// Confidence says how sure a heuristic rule is that a finding is real:
// whether a value is the organisation's own infrastructure rather than an
// example in a tutorial, or whether a sentence claims something about the
// project's own artifacts. Rules that decide exactly (schema, references,
// dates) leave it empty, which reads as High.
type Confidence string

// Confidences, most confident first.
const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// Rank orders confidences: higher is more confident; empty ranks as High.
func (c Confidence) Rank() int {
	switch c {
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 3
}

// Level returns c, or High when c is empty.
func (c Confidence) Level() Confidence {
	if c == "" {
		return High
	}
	return c
}

// Finding is one problem at one position. Line and Column are 1-based; Line
// is 0 only where no position exists (a missing file).
type Finding struct {
	Repo     string   `json:"repo"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Path     string   `json:"path"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint"`
	// Confidence is how sure the rule is (see Confidence); empty is High.
	Confidence Confidence `json:"confidence,omitempty"`
	// Fingerprint identifies the finding across unrelated edits (baselines).
	Fingerprint string `json:"fingerprint,omitempty"`
}

// Compare orders findings by repo, path, line, column, rule and message.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Repo, b.Repo),
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort sorts findings in place into their report order and drops exact duplicates.
func Sort(fs []Finding) []Finding {
	slices.SortFunc(fs, Compare)
	return slices.CompactFunc(fs, func(a, b Finding) bool { return a == b })
}

// Count returns the number of errors and warnings.
func Count(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		switch f.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}
