package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/lint/report"
	"github.com/tooo/relpolicy/lint/rules"
)

func explainCmd() *cobra.Command {
	var all, markdown bool
	cmd := &cobra.Command{
		Use:     "explain RULE",
		Short:   "Print a rule's documentation, including the policy clause it enforces",
		Example: "  relpolicy explain RP201\n  relpolicy explain --all --markdown > docs/rules.md",
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			if all {
				if markdown {
					_, err := io.WriteString(w, report.RulesMarkdown())
					return err
				}
				for _, r := range rules.All {
					fmt.Fprintf(w, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
				}
				return nil
			}
			if len(args) != 1 {
				return usage("explain takes one rule ID, e.g. relpolicy explain RP201 (or --all)")
			}
			r := rules.ByID(args[0])
			if r == nil {
				ids := make([]string, 0, len(rules.All))
				for _, r := range rules.All {
					ids = append(ids, r.ID)
				}
				return usage("unknown rule %q; rules are %s", args[0], strings.Join(ids, ", "))
			}
			out := report.ExplainText(r)
			if markdown {
				out = report.ExplainMarkdown(r)
			}
			_, err := io.WriteString(w, out)
			return err
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list every rule")
	cmd.Flags().BoolVar(&markdown, "markdown", false, "render Markdown")
	return cmd
}
