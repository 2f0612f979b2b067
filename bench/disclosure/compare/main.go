// Benchmark driver, built only with -tags bench so that `go install ./...`
// (pre-commit's golang hooks) builds relpolicy alone.

//go:build bench

// Command compare checks that the disclosure scanner's RP501 findings are
// exactly gitleaks' findings on the same tree: the same multiset of (file,
// line of the secret, gitleaks rule).
//
//	compare GITLEAKS_REPORT.json RELPOLICY_FINDINGS.json
//
// The gitleaks report comes from `gitleaks dir . --report-format json` run
// in the tree; the findings from `relpolicy lint --format json` (or a plain
// JSON array of findings, as bench/disclosure/scan -json writes).
// gitleaks reports the line a match starts on; relpolicy the line of the
// secret, so the secret's line is derived from gitleaks' match.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

type gitleaksFinding struct {
	File      string
	StartLine int
	RuleID    string
	Match     string
	Secret    string
}

type relpolicyFinding struct {
	Rule    string `json:"rule"`
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

var gitleaksRule = regexp.MustCompile(`matches gitleaks rule (\S+)$`)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: compare GITLEAKS_REPORT.json RELPOLICY_FINDINGS.json")
		os.Exit(2)
	}
	var theirs []gitleaksFinding
	if err := load(os.Args[1], &theirs); err != nil {
		fail(err)
	}
	var report struct {
		Findings []relpolicyFinding `json:"findings"`
	}
	if err := load(os.Args[2], &report); err != nil {
		if err := load(os.Args[2], &report.Findings); err != nil {
			fail(err)
		}
	}
	ours := report.Findings
	want := map[string]int{}
	for _, f := range theirs {
		file := strings.TrimPrefix(f.File, "./")
		line := f.StartLine
		if i := strings.Index(f.Match, f.Secret); i > 0 {
			line += strings.Count(f.Match[:i], "\n")
		}
		want[fmt.Sprintf("%s:%d %s", file, line, f.RuleID)]++
	}
	got := map[string]int{}
	for _, f := range ours {
		if f.Rule != "RP501" {
			continue
		}
		m := gitleaksRule.FindStringSubmatch(f.Message)
		if m == nil {
			fail(fmt.Errorf("RP501 message without a gitleaks rule: %q", f.Message))
		}
		got[fmt.Sprintf("%s:%d %s", f.Path, f.Line, m[1])]++
	}
	var diffs []string
	for k, n := range want {
		if got[k] != n {
			diffs = append(diffs, fmt.Sprintf("gitleaks %d, relpolicy %d: %s", n, got[k], k))
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("gitleaks 0, relpolicy %d: %s", n, k))
		}
	}
	sort.Strings(diffs)
	total := 0
	for _, n := range want {
		total += n
	}
	if len(diffs) > 0 {
		fmt.Printf("RP501 differs from gitleaks in %d places (gitleaks: %d findings):\n  %s\n", len(diffs), total, strings.Join(diffs, "\n  "))
		os.Exit(1)
	}
	fmt.Printf("RP501 matches gitleaks exactly: %d findings in %d places\n", total, len(want))
}

func load(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parsing %s: %w", path, err)
	}
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compare:", err)
	os.Exit(2)
}
