package cli

import (
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/baseline"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/report"
)

func lintCmd() *cobra.Command {
	var c common
	var base, baselinePath, writeBaseline, verifyReport string
	var jobs int
	var verbose bool
	var minConfidence string
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Validate release-policy.yaml and lint the repository's public text",
		Long: `Validate each repository's release-policy.yaml against the schema and the
Official Artifact Build and Provenance Policy. PATH is a repository directory
or a policy file; the default is the current directory.`,
		Example: "  relpolicy lint\n  relpolicy lint --format sarif examples/* > relpolicy.sarif\n  relpolicy lint --format github     # annotations in a GitHub Actions log\n  relpolicy lint --base origin/main   # also check the ledger is append-only\n  relpolicy lint -q --fail-on warning # findings only, fail on warnings too",
		RunE: func(cmd *cobra.Command, args []string) error {
			minConf, err := parseConfidence(minConfidence)
			if err != nil {
				return err
			}
			signing, err := loadSigning(verifyReport)
			if err != nil {
				return usage("--verify: %v", err)
			}
			now, scanner, err := c.prepare()
			if err != nil {
				return err
			}
			res, err := lint.Run(cmd.Context(), lint.Options{Paths: args, Now: now, Base: base, Scanner: scanner, Jobs: jobs, RunnerLabels: scanner.RunnerLabels(), MinConfidence: minConf, Signing: signing})
			if err != nil {
				return err
			}
			if !quiet(cmd) {
				noteSkipped(cmd.ErrOrStderr(), res, verbose)
				noteUnverified(cmd.ErrOrStderr(), res, signing, verifyReport)
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
			cov := coverage(res, minConf)
			out, flush, err := styled(cmd, cmd.OutOrStdout(), c.format)
			if err != nil {
				return err
			}
			if err := report.WriteCoverage(out, c.format, tool(), res.Findings, len(res.Repos), cov); err != nil {
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
	cmd.Flags().StringVar(&verifyReport, "verify", "", "a relpolicy verify --format json report: RP401-RP403 also report claims when the newest release's signatures or attestations did not verify")
	cmd.Flags().IntVar(&jobs, "jobs", 0, "repositories linted in parallel (default: number of CPUs)")
	cmd.Flags().StringVar(&baselinePath, "baseline", "", "report only findings not in this baseline file")
	cmd.Flags().StringVar(&writeBaseline, "write-baseline", "", "write today's findings to this baseline file and exit 0")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every public file left unscanned, with the reason")
	cmd.Flags().StringVar(&minConfidence, "min-confidence", string(finding.Medium),
		"report only findings at least this confident: high, medium or low (low also shows example-looking values)")
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

// parseConfidence reads --min-confidence.
func parseConfidence(s string) (finding.Confidence, error) {
	switch c := finding.Confidence(strings.ToLower(s)); c {
	case finding.High, finding.Medium, finding.Low:
		return c, nil
	}
	return "", usage("--min-confidence %q: want high, medium or low", s)
}

// coverage sums what the run read over its repositories.
func coverage(res *lint.Result, min finding.Confidence) *report.Coverage {
	cov := &report.Coverage{MinConfidence: min}
	for _, r := range res.Repos {
		cov.Scanned += r.Scanned
		cov.Exempted += r.Exempted
		cov.BelowConfidence += r.BelowConfidence
		for _, s := range r.Skipped {
			cov.Skipped = append(cov.Skipped, report.SkippedFile{Path: path.Join(filepath.ToSlash(r.Name), s.Path), Reason: s.Reason})
		}
	}
	return cov
}

// noteSkipped lists, on stderr with --verbose, every public file that was
// not scanned (binary, symlinks, unreadable) with the reason; the report's
// coverage line counts them by reason.
func noteSkipped(w io.Writer, res *lint.Result, verbose bool) {
	if !verbose {
		return
	}
	for _, r := range res.Repos {
		for _, s := range r.Skipped {
			fmt.Fprintf(w, "relpolicy: note: %s not scanned: %s\n", path.Join(filepath.ToSlash(r.Name), s.Path), s.Reason)
		}
	}
}
