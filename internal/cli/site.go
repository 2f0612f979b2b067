package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/report"
	"github.com/tooo/relpolicy/site"
	"github.com/tooo/relpolicy/verify"
)

// siteMemoryLimit is the default soft memory limit of relpolicy site.
const siteMemoryLimit = 400 << 20

func siteCmd() *cobra.Command {
	var c common
	var out, baseURL, templates, verifyReport, sweepReport string
	var strict, noCache, keepGoing bool
	cmd := &cobra.Command{
		Use:   "site --out DIR [--base-url URL] PATH...",
		Short: "Render the static public site: official channels, digests, checksums, build instructions",
		Long: `Render a self-contained static site from release policies. PATH is a
repository directory, a policy file, or a directory of repository directories
(an organisation checkout). Policies with lint errors are reported and left out:
the site is written for the rest and the command exits 1, naming each
repository left out and why (--keep-going exits 0 instead; --strict stops
before writing anything). Every rendered file is scanned for internal details
(RP5xx) before anything is written; on an error nothing changes in --out.`,
		Example: "  relpolicy site --out public examples\n  relpolicy site --out public --base-url https://releases.example.org ~/src/tooo",
		Args: func(cmd *cobra.Command, args []string) error {
			if sweepReport != "" {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.MinimumNArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usage("site needs --out DIR")
			}
			if sweepReport != "" {
				return siteFromSweep(cmd, &c, out, baseURL, templates, sweepReport, noCache, keepGoing)
			}
			// A large organisation's site plan is a few hundred MiB of live
			// data; without a limit the collector lets the heap grow to
			// twice that. A soft limit keeps the peak near the live size at
			// some extra GC work, unless the user chose one ($GOMEMLIMIT).
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(siteMemoryLimit)
			}
			now, scanner, err := c.prepare()
			if err != nil {
				return err
			}
			verified, err := loadVerified(verifyReport)
			if err != nil {
				return usage("--verify: %v", err)
			}
			dirs, err := site.Discover(args)
			if err != nil {
				return usage("%v", err)
			}
			if len(dirs) == 0 {
				return usage("no release-policy.yaml found under %v", args)
			}
			// A repository is left out for lint errors at the lint default
			// confidence; the render gate below refuses any RP5xx error in the
			// rendered site whatever its confidence (fail closed).
			res, err := lint.Run(cmd.Context(), lint.Options{Paths: dirs, Now: now, Scanner: scanner, RunnerLabels: scanner.RunnerLabels(), MinConfidence: finding.Medium})
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			var repos []site.Repo
			var left []finding.Finding
			var leftNames []string
			for _, r := range res.Repos {
				if errs, _ := finding.Count(r.Findings); errs > 0 || r.Doc == nil || r.Doc.Policy == nil {
					left = append(left, r.Findings...)
					leftNames = append(leftNames, r.Name)
					fmt.Fprintf(stderr, "relpolicy: left out %s: its policy has lint errors (%s)\n", report.EscapeControl(r.Name), errorRules(r.Findings))
					continue
				}
				repos = append(repos, site.Repo{Policy: r.Doc.Policy, Dir: r.Dir, Verified: verified[string(r.Doc.Policy.Repository.Name)]})
			}
			if len(left) > 0 {
				if err := report.Write(stderr, "text", tool(), left, len(res.Repos)-len(repos)); err != nil {
					return usage("writing report: %v", err)
				}
				if strict {
					return &exitError{ExitFindings, errors.New("--strict: not rendering while policies have lint errors")}
				}
			}
			opts := site.Options{Out: out, BaseURL: baseURL, Templates: templates, Now: now, Gate: scanner}
			if !noCache {
				if dir, err := os.UserCacheDir(); err == nil {
					opts.CacheDir = filepath.Join(dir, "relpolicy", "site")
				}
			}
			rep, err := site.Build(cmd.Context(), opts, repos)
			if rep != nil && len(rep.Findings) > 0 {
				if werr := report.Write(cmd.OutOrStdout(), c.format, tool(), rep.Findings, len(repos)); werr != nil {
					return usage("writing report: %v", werr)
				}
			}
			if errors.Is(err, site.ErrDisclosure) {
				return &exitError{ExitFindings, fmt.Errorf("%v: nothing written to %s", err, out)}
			}
			if err != nil {
				return usage("%v", err)
			}
			state := fmt.Sprintf("%d written, %d unchanged, %d removed", len(rep.Written), len(rep.Unchanged), len(rep.Removed))
			if !quiet(cmd) {
				fmt.Fprintf(stderr, "relpolicy: site of %s in %s (%s)\n", report.Plural(len(repos), "repository", "repositories"), rep.Out, state)
			}
			if len(leftNames) > 0 && !keepGoing {
				return &exitError{ExitFindings, fmt.Errorf("the site leaves out %d of %d repositories for lint errors: %s (fix them, or pass --keep-going to publish the rest with exit 0)",
					len(leftNames), len(res.Repos), report.EscapeControl(strings.Join(leftNames, ", ")))}
			}
			return nil
		},
	}
	c.register(cmd)
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "output directory (replaced atomically)")
	f.StringVar(&baseURL, "base-url", "", "absolute URL the site is served from (feeds, canonical links)")
	f.StringVar(&templates, "templates", "", "directory of templates overriding the embedded ones")
	f.BoolVar(&strict, "strict", false, "exit 1 without rendering when any policy has lint errors")
	f.BoolVar(&keepGoing, "keep-going", false, "exit 0 when the site was written although policies with lint errors were left out")
	f.BoolVar(&noCache, "no-cache", false, "always render, ignoring the build state cache")
	f.StringVar(&sweepReport, "sweep", "", "a relpolicy sweep JSON report: render every repository whose policy loaded, and the compliance dashboard (no PATH)")
	f.StringVar(&verifyReport, "verify", "", "a relpolicy verify --format json report: release pages show when each release was checked and what held")
	return cmd
}

// errorRules lists the distinct rule IDs of the error findings, for the
// "left out" line: "RP201, RP306".
func errorRules(fs []finding.Finding) string {
	var ids []string
	for _, f := range fs {
		if f.Severity == finding.Error && !slices.Contains(ids, f.Rule) {
			ids = append(ids, f.Rule)
		}
	}
	if len(ids) == 0 {
		return "no policy could be loaded"
	}
	slices.Sort(ids)
	return strings.Join(ids, ", ")
}

// loadVerified reads a verify JSON report into per-repository, per-version
// results for the site; "" means none.
func loadVerified(path string) (map[string]map[string]*site.Verification, error) {
	if path == "" {
		return nil, nil
	}
	rep, err := readVerifyReport(path)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*site.Verification{}
	for repo, byVersion := range verify.Results(rep) {
		out[repo] = map[string]*site.Verification{}
		for v, r := range byVersion {
			sv := &site.Verification{At: r.VerifiedAt, Held: r.Held, Failed: r.Failed, Unreached: r.Unreached}
			for _, s := range r.Signed {
				sv.Signed = append(sv.Signed, site.SignedBy{What: s.What, Identity: s.Identity, Command: s.Command})
			}
			out[repo][v] = sv
		}
	}
	return out, nil
}
