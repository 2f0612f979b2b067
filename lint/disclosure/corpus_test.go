package disclosure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// corpusDir holds the labelled corpus: JSON lines of
// {"text": ..., "rules": [...], "kind": "markdown|text|policy|workflow", "note": ...},
// one file per rule plus hard negatives and mixed snippets.
const corpusDir = "../../testdata/disclosure"

// corpusRules are the rules the corpus measures.
var corpusRules = []string{"RP501", "RP502", "RP503", "RP504", "RP505"}

// minScore is the precision and recall every rule must reach.
const minScore = 0.97

type corpusCase struct {
	Text  string   `json:"text"`
	Rules []string `json:"rules"`
	Kind  string   `json:"kind,omitempty"`
	Note  string   `json:"note,omitempty"`
	line  int
}

func parseCorpus(b []byte) ([]corpusCase, error) {
	var out []corpusCase
	for i, line := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var c corpusCase
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		c.line = i + 1
		out = append(out, c)
	}
	return out, nil
}

func (c corpusCase) kind() surface.Kind {
	switch c.Kind {
	case "workflow":
		return surface.Workflow
	case "policy":
		return surface.Policy
	case "text":
		return surface.Text
	}
	return surface.Markdown
}

// score counts one rule's outcomes over the corpus.
type score struct {
	tp, fp, fn int
	misses     []string
}

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// evaluate scans every snippet and scores each rule: a snippet counts once
// per rule, as a true positive when the rule is labelled and raised.
// Findings below min do not count (empty: every finding counts).
func evaluate(t *testing.T, min finding.Confidence) (map[string]*score, int) {
	t.Helper()
	cases := loadCorpusFiles(t)
	scores := map[string]*score{}
	for _, r := range corpusRules {
		scores[r] = &score{}
	}
	for _, c := range cases {
		path := "docs/corpus.md"
		switch c.kind() {
		case surface.Workflow:
			path = ".github/workflows/corpus.yml"
		case surface.Policy:
			path = surface.PolicyFile
		}
		fs := testScanner().ScanFile(path, c.kind(), []byte(c.Text))
		checkFindings(t, c.Text, path, fs)
		if min != "" {
			fs = slices.DeleteFunc(fs, func(f finding.Finding) bool { return f.Confidence.Rank() < min.Rank() })
		}
		for _, r := range corpusRules {
			want := slices.Contains(c.Rules, r)
			got := len(ofRule(fs, r)) > 0
			s := scores[r]
			switch {
			case want && got:
				s.tp++
			case got:
				s.fp++
				s.misses = append(s.misses, fmt.Sprintf("FP %s: %q", c.Note, trim(c.Text)))
			case want:
				s.fn++
				s.misses = append(s.misses, fmt.Sprintf("FN %s: %q", c.Note, trim(c.Text)))
			}
		}
	}
	return scores, len(cases)
}

func trim(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}

// TestCorpus holds every rule to minScore twice: counting findings at any
// confidence, and at the CLI's default --min-confidence (medium), which is
// what users get.
func TestCorpus(t *testing.T) {
	for _, min := range []finding.Confidence{"", finding.Medium} {
		scores, n := evaluate(t, min)
		if n < 200 {
			t.Errorf("corpus has %d snippets, want at least 200", n)
		}
		at := "any confidence"
		if min != "" {
			at = "confidence >= " + string(min)
		}
		for _, r := range corpusRules {
			s := scores[r]
			if s.tp == 0 {
				t.Errorf("%s at %s: no positives in the corpus", r, at)
			}
			if s.precision() < minScore || s.recall() < minScore {
				t.Errorf("%s at %s: precision %.3f recall %.3f, want >= %.2f\n  %s",
					r, at, s.precision(), s.recall(), minScore, strings.Join(s.misses, "\n  "))
			}
		}
	}
}

// TestEval prints the per-rule table (make eval runs it with -v).
func TestEval(t *testing.T) {
	for _, min := range []finding.Confidence{"", finding.Medium} {
		eval(t, min)
	}
}

func eval(t *testing.T, min finding.Confidence) {
	scores, n := evaluate(t, min)
	var b strings.Builder
	at := "any confidence"
	if min != "" {
		at = "confidence >= " + string(min)
	}
	fmt.Fprintf(&b, "disclosure corpus: %d snippets in %s, findings at %s\n", n, corpusDir, at)
	fmt.Fprintf(&b, "%-6s %4s %4s %4s %9s %7s\n", "rule", "TP", "FP", "FN", "precision", "recall")
	for _, r := range corpusRules {
		s := scores[r]
		fmt.Fprintf(&b, "%-6s %4d %4d %4d %9.3f %7.3f\n", r, s.tp, s.fp, s.fn, s.precision(), s.recall())
	}
	for _, r := range corpusRules {
		for _, m := range scores[r].misses {
			fmt.Fprintf(&b, "%s %s\n", r, m)
		}
	}
	t.Log("\n" + b.String())
}
