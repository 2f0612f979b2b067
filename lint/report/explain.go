package report

import (
	"fmt"
	"strings"

	"github.com/tooo/relpolicy/lint/rules"
)

// ExplainText renders a rule's documentation for a terminal.
func ExplainText(r *rules.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n\n", r.ID, r.Severity, r.Title)
	fmt.Fprintf(&b, "Policy clause: %s\n", r.Clause)
	fmt.Fprintf(&b, "  %q\n\n", r.Quote)
	b.WriteString(strings.TrimSpace(r.Doc))
	b.WriteString("\n")
	if r.Example != "" {
		b.WriteString("\nExample:\n")
		for _, l := range strings.Split(r.Example, "\n") {
			b.WriteString("    " + l + "\n")
		}
	}
	if r.Phase == rules.Verify {
		b.WriteString("\nReported by: relpolicy verify\n")
	}
	return b.String()
}

// ExplainMarkdown renders a rule's documentation as a Markdown section.
func ExplainMarkdown(r *rules.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s — %s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "Severity: **%s** · Reported by: `relpolicy %s`\n\n", r.Severity, phaseCommand(r.Phase))
	fmt.Fprintf(&b, "Policy clause: *%s*\n\n> %s\n\n", r.Clause, r.Quote)
	b.WriteString(strings.TrimSpace(r.Doc))
	b.WriteString("\n")
	if r.Example != "" {
		b.WriteString("\nExample:\n\n```\n" + r.Example + "\n```\n")
	}
	return b.String()
}

func phaseCommand(p rules.Phase) string {
	if p == rules.Verify {
		return "verify"
	}
	return "lint"
}

// RulesMarkdown renders docs/rules.md: every rule, in registry order.
func RulesMarkdown() string {
	var b strings.Builder
	b.WriteString("# relpolicy rules\n\n")
	b.WriteString("<!-- Generated from lint/rules by `make generate`; do not edit. -->\n\n")
	var wf []string
	for _, r := range rules.All {
		if r.ID == "RP207" || (r.ID > "RP210" && r.ID < "RP300") {
			wf = append(wf, r.ID)
		}
	}
	if len(wf) > 0 {
		fmt.Fprintf(&b, "The release-workflow checks (%s) read the workflows as GitHub runs them; [workflows.md](workflows.md) describes the model, the SPEC-style rows and the comparison with zizmor and Scorecard.\n\n", strings.Join(wf, ", "))
	}
	b.WriteString("| ID | severity | finds |\n|---|---|---|\n")
	for _, r := range rules.All {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", r.ID, anchor(r), r.Severity, r.Title)
	}
	for _, r := range rules.All {
		b.WriteString("\n")
		b.WriteString(ExplainMarkdown(r))
	}
	return b.String()
}

func anchor(r *rules.Rule) string {
	s := strings.ToLower(r.ID + " — " + r.Title)
	var out []rune
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			out = append(out, c)
		case c == ' ':
			out = append(out, '-')
		}
	}
	return string(out)
}
