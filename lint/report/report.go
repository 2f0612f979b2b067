// Package report renders findings as text, JSON, SARIF 2.1.0 or GitHub
// workflow commands, and rule documentation as text or Markdown. Everything
// about a rule comes from its entry in package rules.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
)

// Formats are the output formats.
var Formats = []string{"text", "json", "sarif", "github"}

// Tool names the producer in JSON and SARIF.
type Tool struct {
	Name    string
	Version string
}

// Coverage says what a lint run read: every format reports it when given.
type Coverage struct {
	// Scanned counts the public files read.
	Scanned int `json:"scanned"`
	// Skipped lists public files left unread, with the reason; Path
	// includes the repository as DisplayPath does.
	Skipped []SkippedFile `json:"skipped"`
	// Exempted counts findings dropped by release-policy.yaml lint.ignore.
	Exempted int `json:"exempted"`
	// MinConfidence is the --min-confidence threshold; BelowConfidence
	// counts the findings it hid.
	MinConfidence   finding.Confidence `json:"min_confidence,omitempty"`
	BelowConfidence int                `json:"below_confidence"`
}

// SkippedFile is one public file left unread.
type SkippedFile struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Write renders findings from repos repositories in format.
func Write(w io.Writer, format string, tool Tool, fs []finding.Finding, repos int) error {
	return WriteCoverage(w, format, tool, fs, repos, nil)
}

// WriteCoverage renders findings as Write does and, when cov is not nil,
// what the run read: a closing line in text and github output, a
// "coverage" object in JSON, run properties in SARIF.
func WriteCoverage(w io.Writer, format string, tool Tool, fs []finding.Finding, repos int, cov *Coverage) error {
	if fs == nil {
		fs = []finding.Finding{}
	}
	if cov != nil && cov.Skipped == nil {
		cov.Skipped = []SkippedFile{}
	}
	switch format {
	case "text":
		return writeText(w, fs, repos, cov)
	case "json":
		return writeJSON(w, tool, fs, repos, cov)
	case "sarif":
		return writeSARIF(w, tool, fs, cov)
	case "github":
		return writeGitHub(w, fs, repos, cov)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// CoverageLine is text output's line on what was read: files scanned,
// skipped (counted by reason), exempted and hidden findings.
func CoverageLine(c *Coverage) string {
	line := "scanned " + plural(c.Scanned, "public file", "public files")
	if len(c.Skipped) > 0 {
		reasons := map[string]int{}
		var order []string
		for _, s := range c.Skipped {
			if reasons[s.Reason] == 0 {
				order = append(order, s.Reason)
			}
			reasons[s.Reason]++
		}
		sort.Strings(order)
		parts := make([]string, len(order))
		for i, r := range order {
			parts[i] = fmt.Sprintf("%d %s", reasons[r], r)
		}
		line += fmt.Sprintf("; %d not scanned (%s)", len(c.Skipped), strings.Join(parts, ", "))
	}
	if c.Exempted > 0 {
		line += "; " + plural(c.Exempted, "finding", "findings") + " exempted by release-policy.yaml"
	}
	if c.BelowConfidence > 0 {
		line += fmt.Sprintf("; %s below --min-confidence %s not shown", plural(c.BelowConfidence, "finding", "findings"), c.MinConfidence)
	}
	return line
}

// confidenceNote is what text and annotations add to a finding less than
// highly confident: " (confidence: medium)".
func confidenceNote(f finding.Finding) string {
	if c := f.Confidence.Level(); c != finding.High {
		return " (confidence: " + string(c) + ")"
	}
	return ""
}

// DisplayPath joins a finding's repo and path for humans and CI tools,
// which resolve it from the working directory.
func DisplayPath(f finding.Finding) string {
	if f.Repo == "" || f.Repo == "." {
		return f.Path
	}
	return path.Join(strings.ReplaceAll(f.Repo, "\\", "/"), f.Path)
}

func writeText(w io.Writer, fs []finding.Finding, repos int, cov *Coverage) error {
	for _, f := range fs {
		pos := DisplayPath(f)
		if f.Line > 0 {
			pos = fmt.Sprintf("%s:%d:%d", pos, f.Line, f.Column)
		}
		line := fmt.Sprintf("%s: %s %s: %s%s", pos, f.Severity, f.Rule, f.Message, confidenceNote(f))
		if f.Hint != "" {
			line += " (hint: " + f.Hint + ")"
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	if cov != nil {
		if _, err := fmt.Fprintln(w, CoverageLine(cov)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, Summary(fs, repos))
	return err
}

// Summary is the closing line of text output.
func Summary(fs []finding.Finding, repos int) string {
	e, wn := finding.Count(fs)
	where := plural(repos, "repository", "repositories")
	if e+wn == 0 {
		return "no findings in " + where
	}
	return fmt.Sprintf("%s, %s in %s", plural(e, "error", "errors"), plural(wn, "warning", "warnings"), where)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// JSONReport is the JSON output shape (SPEC section 4).
type JSONReport struct {
	Tool     string            `json:"tool"`
	Version  string            `json:"version"`
	Findings []finding.Finding `json:"findings"`
	Summary  JSONSummary       `json:"summary"`
	// Coverage is what lint read; absent where no scan ran (site).
	Coverage *Coverage `json:"coverage,omitempty"`
}

// JSONSummary counts repositories and findings.
type JSONSummary struct {
	Repos    int `json:"repos"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

func writeJSON(w io.Writer, tool Tool, fs []finding.Finding, repos int, cov *Coverage) error {
	e, wn := finding.Count(fs)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(JSONReport{Tool: tool.Name, Version: tool.Version, Findings: fs, Summary: JSONSummary{Repos: repos, Errors: e, Warnings: wn}, Coverage: cov})
}

// writeGitHub prints workflow commands, which GitHub turns into annotations.
func writeGitHub(w io.Writer, fs []finding.Finding, repos int, cov *Coverage) error {
	for _, f := range fs {
		level := "error"
		if f.Severity == finding.Warning {
			level = "warning"
		}
		props := "file=" + ghProp(DisplayPath(f))
		if f.Line > 0 {
			props += fmt.Sprintf(",line=%d,col=%d", f.Line, f.Column)
		}
		props += ",title=" + ghProp(f.Rule)
		msg := f.Message + confidenceNote(f)
		if f.Hint != "" {
			msg += "\nhint: " + f.Hint
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, props, ghData(msg)); err != nil {
			return err
		}
	}
	if cov != nil {
		if _, err := fmt.Fprintln(w, CoverageLine(cov)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, Summary(fs, repos))
	return err
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
