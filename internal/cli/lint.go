package cli

import (
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/baseline"
	"github.com/tooo/relpolicy/lint/report"
)

func lintCmd() *cobra.Command {
	var c common
	var base, baselinePath, writeBaseline string
	var jobs int
	var verbose bool
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Validate release-policy.yaml and lint the repository's public text",
		Long: `Validate each repository's release-policy.yaml against the schema and the
Official Artifact Build and Provenance Policy. PATH is a repository directory
or a policy file; the default is the current directory.`,
		Example: "  relpolicy lint\n  relpolicy lint --format sarif examples/* > relpolicy.sarif\n  relpolicy lint --format github     # annotations in a GitHub Actions log\n  relpolicy lint --base origin/main   # also check the ledger is append-only\n  relpolicy lint -q --fail-on warning # findings only, fail on warnings too",
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, now, scanner, err := c.prepare()
			if err != nil {
				return err
			}
			res, err := lint.Run(cmd.Context(), lint.Options{Paths: args, Config: cfg, Now: now, Base: base, Scanner: scanner, Jobs: jobs})
			if err != nil {
				return err
			}
			if !quiet(cmd) {
				noteSkipped(cmd.ErrOrStderr(), res, verbose)
			}
			lint.Fingerprint(res)
			if writeBaseline != "" {
				if err := baseline.Write(writeBaseline, res.Findings); err != nil {
					return usage("%v", err)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "relpolicy: wrote %d findings to baseline %s\n", len(res.Findings), writeBaseline)
				return nil
			}
			if baselinePath != "" {
				b, err := baseline.Load(baselinePath)
				if err != nil {
					return usage("%v", err)
				}
				var known int
				res.Findings, known = b.Filter(res.Findings)
				if known > 0 && !quiet(cmd) {
					fmt.Fprintf(cmd.ErrOrStderr(), "relpolicy: %d known findings in baseline %s not shown\n", known, baselinePath)
				}
			}
			out, flush, err := styled(cmd, cmd.OutOrStdout(), c.format)
			if err != nil {
				return err
			}
			if err := report.Write(out, c.format, tool(), res.Findings, len(res.Repos)); err != nil {
				return usage("writing report: %v", err)
			}
			if err := flush(); err != nil {
				return usage("writing report: %v", err)
			}
			return exitCode(exitFor(res.Findings, c.failOn))
		},
	}
	c.register(cmd)
	cmd.Flags().StringVar(&base, "base", "", "git ref whose release ledger must be kept (enables RP308)")
	cmd.Flags().IntVar(&jobs, "jobs", 0, "repositories linted in parallel (default: number of CPUs)")
	cmd.Flags().StringVar(&baselinePath, "baseline", "", "report only findings not in this baseline file")
	cmd.Flags().StringVar(&writeBaseline, "write-baseline", "", "write today's findings to this baseline file and exit 0")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every public file left unscanned, with the reason")
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

// noteSkipped tells, on stderr, which public files were not scanned
// (binary, over the size cap, symlinks, unreadable): a count by reason, or
// every file with --verbose.
func noteSkipped(w io.Writer, res *lint.Result, verbose bool) {
	reasons := map[string]int{}
	total := 0
	for _, r := range res.Repos {
		for _, s := range r.Skipped {
			total++
			reasons[s.Reason]++
			if verbose {
				fmt.Fprintf(w, "relpolicy: note: %s not scanned: %s\n", path.Join(filepath.ToSlash(r.Name), s.Path), s.Reason)
			}
		}
	}
	if total == 0 || verbose {
		return
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", reasons[k], k)
	}
	fmt.Fprintf(w, "relpolicy: note: %d public files not scanned (%s); --verbose lists them\n", total, strings.Join(parts, ", "))
}
