// Package report renders findings as text, JSON, SARIF 2.1.0 or GitHub
// workflow commands, and rule documentation as text or Markdown. Everything
// about a rule comes from its entry in package rules.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

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

// Write renders findings from repos repositories in format.
func Write(w io.Writer, format string, tool Tool, fs []finding.Finding, repos int) error {
	if fs == nil {
		fs = []finding.Finding{}
	}
	switch format {
	case "text":
		return writeText(w, fs, repos)
	case "json":
		return writeJSON(w, tool, fs, repos)
	case "sarif":
		return writeSARIF(w, tool, fs)
	case "github":
		return writeGitHub(w, fs, repos)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// DisplayPath joins a finding's repo and path for humans and CI tools,
// which resolve it from the working directory.
func DisplayPath(f finding.Finding) string {
	if f.Repo == "" || f.Repo == "." {
		return f.Path
	}
	return path.Join(strings.ReplaceAll(f.Repo, "\\", "/"), f.Path)
}

func writeText(w io.Writer, fs []finding.Finding, repos int) error {
	for _, f := range fs {
		pos := DisplayPath(f)
		if f.Line > 0 {
			pos = fmt.Sprintf("%s:%d:%d", pos, f.Line, f.Column)
		}
		line := fmt.Sprintf("%s: %s %s: %s", pos, f.Severity, f.Rule, f.Message)
		if f.Hint != "" {
			line += " (hint: " + f.Hint + ")"
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
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
}

// JSONSummary counts repositories and findings.
type JSONSummary struct {
	Repos    int `json:"repos"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

func writeJSON(w io.Writer, tool Tool, fs []finding.Finding, repos int) error {
	e, wn := finding.Count(fs)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(JSONReport{Tool: tool.Name, Version: tool.Version, Findings: fs, Summary: JSONSummary{Repos: repos, Errors: e, Warnings: wn}})
}

// writeGitHub prints workflow commands, which GitHub turns into annotations.
func writeGitHub(w io.Writer, fs []finding.Finding, repos int) error {
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
		msg := f.Message
		if f.Hint != "" {
			msg += "\nhint: " + f.Hint
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, props, ghData(msg)); err != nil {
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
