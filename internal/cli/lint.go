package cli

import (
	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/report"
)

func lintCmd() *cobra.Command {
	var c common
	var base string
	var jobs int
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Validate release-policy.yaml and lint the repository's public text",
		Long: `Validate each repository's release-policy.yaml against the schema and the
Official Artifact Build and Provenance Policy. PATH is a repository directory
or a policy file; the default is the current directory.`,
		Example: "  relpolicy lint\n  relpolicy lint --format sarif examples/*\n  relpolicy lint --base origin/main   # also check the ledger is append-only",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := c.validate(); err != nil {
				return err
			}
			cfg, err := c.config()
			if err != nil {
				return err
			}
			now, err := c.reference()
			if err != nil {
				return err
			}
			scanner, err := newScanner(cfg)
			if err != nil {
				return err
			}
			res, err := lint.Run(cmd.Context(), lint.Options{Paths: args, Config: cfg, Now: now, Base: base, Scanner: scanner, Jobs: jobs})
			if err != nil {
				return err
			}
			if err := report.Write(cmd.OutOrStdout(), c.format, tool(), res.Findings, len(res.Repos)); err != nil {
				return usage("writing report: %v", err)
			}
			return exitCode(exitFor(res.Findings, c.failOn))
		},
	}
	c.register(cmd)
	cmd.Flags().StringVar(&base, "base", "", "git ref whose release ledger must be kept (enables RP308)")
	cmd.Flags().IntVar(&jobs, "jobs", 0, "repositories linted in parallel (default: number of CPUs)")
	return cmd
}

func tool() report.Tool { return report.Tool{Name: "relpolicy", Version: Version} }

// exitCode returns nil for a clean exit, so cobra reports success.
func exitCode(code int) error {
	if code == ExitClean {
		return nil
	}
	return &exitError{code: code}
}
