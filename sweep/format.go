package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tooo/relpolicy/lint/report"
)

// Formats are the report formats.
var Formats = []string{"text", "json", "sarif", "markdown"}

// Write renders rep in format: json (the report, docs/spec.md), sarif (the
// findings, one run), text (a table of repositories, then the summary) or
// markdown (the same table for $GITHUB_STEP_SUMMARY).
func Write(w io.Writer, format string, rep *Report) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "sarif":
		return report.Write(w, "sarif", report.Tool{Name: rep.Tool, Version: rep.Version}, rep.Findings, rep.Summary.Repos)
	case "text":
		return writeText(w, rep)
	case "markdown":
		return writeMarkdown(w, rep)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// SummaryLine is one line: repositories by status and findings by severity.
func SummaryLine(rep *Report) string {
	s := rep.Summary
	return fmt.Sprintf("%d repositories: %d compliant, %d with findings, %d missing policy, %d error, %d skipped; %d errors, %d warnings",
		s.Repos, s.Compliant, s.Findings, s.MissingPolicy, s.Error, s.Skipped, s.Errors, s.Warnings)
}

func writeText(w io.Writer, rep *Report) error {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REPOSITORY\tSTATUS\tERRORS\tWARNINGS\tREVISION\tNOTE")
	for _, e := range rep.Repos {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", report.EscapeControl(e.Repo), e.Status, e.Errors, e.Warnings, short(e.Revision), report.EscapeControl(e.Error))
	}
	tw.Flush()
	fmt.Fprintln(&b, SummaryLine(rep))
	_, err := w.Write(b.Bytes())
	return err
}

func writeMarkdown(w io.Writer, rep *Report) error {
	var b strings.Builder
	title := "relpolicy sweep of " + mdCell(rep.Org)
	if rep.Shard != "" {
		title += " (shard " + rep.Shard + ")"
	}
	fmt.Fprintf(&b, "### %s\n\n%s\n\n", title, SummaryLine(rep))
	b.WriteString("| repository | status | errors | warnings | note |\n|---|---|---:|---:|---|\n")
	for _, e := range rep.Repos {
		if e.Status == Compliant || e.Status == Skipped {
			continue // the summary counts them; the table lists what needs work
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %s |\n", mdCell(e.Repo), e.Status, e.Errors, e.Warnings, mdCell(e.Error))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes s safe in a Markdown table cell.
func mdCell(s string) string {
	s = report.EscapeControl(s)
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "`", "'")
	return r.Replace(s)
}
