// Package report renders findings as text, JSON, SARIF 2.1.0 or GitHub
// workflow commands, and rule documentation as text or Markdown. Everything
// about a rule comes from its entry in package rules.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tooo/relpolicy/lint/finding"
)

// Formats are the output formats.
var Formats = []string{"text", "json", "sarif", "github"}

// Tool names the producer in JSON and SARIF.
type Tool struct {
	Name    string
	Version string
	// SrcRoot is the directory SARIF's %SRCROOT% stands for; artifact URIs
	// are relative to it. Empty means the working directory.
	SrcRoot string
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
	line := "scanned " + Plural(c.Scanned, "public file", "public files")
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
		line += "; " + Plural(c.Exempted, "finding", "findings") + " exempted by release-policy.yaml"
	}
	if c.BelowConfidence > 0 {
		line += fmt.Sprintf("; %s below --min-confidence %s not shown", Plural(c.BelowConfidence, "finding", "findings"), c.MinConfidence)
	}
	return EscapeControl(line)
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

// writeText writes one line per finding, "path:line:col: severity RULE:
// message (hint: hint)", then the summary. Control characters in any part
// are escaped (EscapeControl), so a file name or key with a newline cannot
// split a finding over two lines or forge another one.
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
		line = EscapeControl(line)
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

// EscapeControl makes control characters visible: "\n", "\r" and "\t" as
// those two-character escapes, other C0 and C1 controls, DEL and the Unicode
// line and paragraph separators (U+2028, U+2029) as "\x1b" or "\u2028". It
// is how text and GitHub output keep one finding per line.
func EscapeControl(s string) string {
	if !hasControl(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\x%02x`, r)
		case r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasC1 reports whether UTF-8 text b has a C1 control (U+0080-U+009F,
// encoded as 0xC2 0x80-0x9F).
func hasC1(b []byte) bool {
	for {
		i := bytes.IndexByte(b, 0xc2)
		if i < 0 || i+1 >= len(b) {
			return false
		}
		if b[i+1] >= 0x80 && b[i+1] < 0xa0 {
			return true
		}
		b = b[i+1:]
	}
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

// Summary is the closing line of text output.
func Summary(fs []finding.Finding, repos int) string {
	e, wn := finding.Count(fs)
	where := Plural(repos, "repository", "repositories")
	if e+wn == 0 {
		return "no findings in " + where
	}
	return fmt.Sprintf("%s, %s in %s", Plural(e, "error", "errors"), Plural(wn, "warning", "warnings"), where)
}

// Plural counts n of a thing: "1 repository", "3 repositories".
func Plural(n int, one, many string) string {
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
	return encodeJSON(w, JSONReport{Tool: tool.Name, Version: tool.Version, Findings: fs, Summary: JSONSummary{Repos: repos, Errors: e, Warnings: wn}, Coverage: cov})
}

// encodeJSON writes v as indented JSON with every control character
// escaped: encoding/json escapes C0 controls and U+2028/U+2029 itself;
// DEL and the C1 controls (U+0080-U+009F), which JSON allows raw, are
// written as \u escapes too. The decoded values are the same.
func encodeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	out := b.Bytes()
	if bytes.IndexByte(out, 0x7f) >= 0 || hasC1(out) {
		var e bytes.Buffer
		for len(out) > 0 {
			r, n := utf8.DecodeRune(out)
			if r == 0x7f || (r >= 0x80 && r < 0xa0) {
				fmt.Fprintf(&e, `\u%04x`, r)
			} else {
				e.Write(out[:n])
			}
			out = out[n:]
		}
		out = e.Bytes()
	}
	_, err := w.Write(out)
	return err
}

// GitHubMaxAnnotations is how many error annotations, and how many warning
// annotations, GitHub shows for one step; it drops the rest silently.
const GitHubMaxAnnotations = 10

// maxSummaryRows caps the Markdown table written to $GITHUB_STEP_SUMMARY,
// which GitHub limits to 1 MiB per step.
const maxSummaryRows = 1000

// writeGitHub prints workflow commands, which GitHub turns into annotations:
// the first GitHubMaxAnnotations errors and warnings. The rest are counted
// in a ::notice line and, when $GITHUB_STEP_SUMMARY names a file (as in a
// GitHub Actions step), listed there as a Markdown table.
func writeGitHub(w io.Writer, fs []finding.Finding, repos int, cov *Coverage) error {
	shown := map[string]int{}
	var rest []finding.Finding
	for _, f := range fs {
		lv := level(f.Severity)
		if shown[lv] >= GitHubMaxAnnotations {
			rest = append(rest, f)
			continue
		}
		shown[lv]++
		props := "file=" + ghProp(DisplayPath(f))
		if f.Line > 0 {
			props += fmt.Sprintf(",line=%d,col=%d", f.Line, f.Column)
		}
		props += ",title=" + ghProp(f.Rule)
		msg := f.Message + confidenceNote(f)
		if f.Hint != "" {
			msg += "\nhint: " + f.Hint
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", lv, props, ghData(msg)); err != nil {
			return err
		}
	}
	if len(rest) > 0 {
		e, wn := finding.Count(rest)
		where := "run relpolicy lint with --format text or sarif to see them"
		if path := os.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
			if err := appendStepSummary(path, fs, rest, repos); err != nil {
				return err
			}
			where = "the job summary lists them"
		}
		note := fmt.Sprintf("%s and %s are not shown as annotations (GitHub shows at most %d of each per step); %s",
			Plural(e, "more error", "more errors"), Plural(wn, "more warning", "more warnings"), GitHubMaxAnnotations, where)
		if _, err := fmt.Fprintf(w, "::notice title=relpolicy::%s\n", ghData(note)); err != nil {
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

// appendStepSummary appends a Markdown section for the findings not shown
// as annotations to the step summary file at path.
func appendStepSummary(path string, all, rest []finding.Finding, repos int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### relpolicy: %s\n\n", mdCell(Summary(all, repos)))
	fmt.Fprintf(&b, "GitHub shows at most %d error and %d warning annotations per step; these %d findings have none:\n\n", GitHubMaxAnnotations, GitHubMaxAnnotations, len(rest))
	b.WriteString("| Severity | Rule | Location | Message |\n|---|---|---|---|\n")
	for i, f := range rest {
		if i == maxSummaryRows {
			fmt.Fprintf(&b, "\n%d more are not listed: run relpolicy lint with --format text, json or sarif for all of them.\n", len(rest)-i)
			break
		}
		pos := DisplayPath(f)
		if f.Line > 0 {
			pos = fmt.Sprintf("%s:%d:%d", pos, f.Line, f.Column)
		}
		msg := f.Message
		if f.Hint != "" {
			msg += " (hint: " + f.Hint + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", f.Severity, mdCell(f.Rule), mdCell(pos), mdCell(msg))
	}
	b.WriteString("\n")
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("opening $GITHUB_STEP_SUMMARY: %w", err)
	}
	if _, err := file.WriteString(b.String()); err != nil {
		file.Close()
		return fmt.Errorf("writing $GITHUB_STEP_SUMMARY: %w", err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("writing $GITHUB_STEP_SUMMARY: %w", err)
	}
	return nil
}

// mdCell makes text safe in a GitHub-flavoured Markdown table cell: control
// characters escaped, HTML special characters as entities, and Markdown
// punctuation (including "|", which would end the cell) backslash-escaped.
func mdCell(s string) string {
	s = EscapeControl(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '|', '#', '!', '~', '(', ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ghData escapes a workflow command's message: "%", CR and LF as GitHub
// decodes them, other control characters made visible (EscapeControl).
func ghData(s string) string {
	return EscapeControl(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// ghProp escapes a workflow command's property value, as ghData and also
// ":" and ",".
func ghProp(s string) string {
	return EscapeControl(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}
