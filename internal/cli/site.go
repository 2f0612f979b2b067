package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/report"
	"github.com/tooo/relpolicy/site"
)

// siteMemoryLimit is the default soft memory limit of relpolicy site.
const siteMemoryLimit = 400 << 20

func siteCmd() *cobra.Command {
	var c common
	var out, baseURL, templates string
	var strict, noCache bool
	cmd := &cobra.Command{
		Use:   "site --out DIR [--base-url URL] PATH...",
		Short: "Render the static public site: official channels, digests, checksums, build instructions",
		Long: `Render a self-contained static site from release policies. PATH is a
repository directory, a policy file, or a directory of repository directories
(an organisation checkout). Policies with lint errors are reported and left out
(--strict stops instead). Every rendered file is scanned for internal details
(RP5xx) before anything is written; on an error nothing changes in --out.`,
		Example: "  relpolicy site --out public examples\n  relpolicy site --out public --base-url https://releases.example.org ~/src/tooo",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usage("site needs --out DIR")
			}
			// A large organisation's site plan is a few hundred MiB of live
			// data; without a limit the collector lets the heap grow to
			// twice that. A soft limit keeps the peak near the live size at
			// some extra GC work, unless the user chose one ($GOMEMLIMIT).
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(siteMemoryLimit)
			}
			cfg, now, scanner, err := c.prepare()
			if err != nil {
				return err
			}
			dirs, err := site.Discover(args)
			if err != nil {
				return usage("%v", err)
			}
			if len(dirs) == 0 {
				return usage("no release-policy.yaml found under %v", args)
			}
			res, err := lint.Run(cmd.Context(), lint.Options{Paths: dirs, Config: cfg, Now: now, Scanner: scanner})
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			var repos []site.Repo
			var left []finding.Finding
			for _, r := range res.Repos {
				if errs, _ := finding.Count(r.Findings); errs > 0 || r.Doc == nil || r.Doc.Policy == nil {
					left = append(left, r.Findings...)
					fmt.Fprintf(stderr, "relpolicy: left out %s: its policy has lint errors\n", r.Name)
					continue
				}
				repos = append(repos, site.Repo{Policy: r.Doc.Policy, Dir: r.Dir})
			}
			if len(left) > 0 {
				report.Write(stderr, "text", tool(), left, len(res.Repos)-len(repos))
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
				fmt.Fprintf(stderr, "relpolicy: site of %d repositories in %s (%s)\n", len(repos), rep.Out, state)
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
	f.BoolVar(&noCache, "no-cache", false, "always render, ignoring the build state cache")
	return cmd
}
