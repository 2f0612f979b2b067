package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/lint/report"
	"github.com/tooo/relpolicy/lint/rules"
	"github.com/tooo/relpolicy/site"
	"github.com/tooo/relpolicy/sweep"
)

// siteFromSweep renders the site straight from a sweep report: a page for
// every repository whose policy loaded (findings or not: the dashboard
// shows them), and compliance/index.html. The disclosure gate still
// applies to every page.
func siteFromSweep(cmd *cobra.Command, c *common, out, baseURL, templates, reportPath string, noCache, keepGoing bool) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(siteMemoryLimit)
	}
	now, scanner, err := c.prepare()
	if err != nil {
		return err
	}
	rep, err := ReadSweepReport(reportPath)
	if err != nil {
		return usage("--sweep: %v", err)
	}
	comp := sweepCompliance(rep)
	// Only what lint passes is published as official, as when the site is
	// rendered from checkouts: a repository whose policy has error findings
	// appears on the compliance dashboard only.
	var repos []site.Repo
	var left []string
	for _, e := range rep.Repos {
		switch {
		case e.Policy == nil:
		case e.Errors > 0:
			left = append(left, e.Repo)
		default:
			repos = append(repos, site.Repo{Policy: e.Policy})
		}
	}
	opts := site.Options{Out: out, BaseURL: baseURL, Templates: templates, Now: now, Gate: scanner, Compliance: comp}
	if !noCache {
		if dir, err := os.UserCacheDir(); err == nil {
			opts.CacheDir = filepath.Join(dir, "relpolicy", "site")
		}
	}
	res, err := site.Build(cmd.Context(), opts, repos)
	if res != nil && len(res.Findings) > 0 {
		if werr := report.Write(cmd.OutOrStdout(), c.format, tool(), res.Findings, len(repos)); werr != nil {
			return usage("writing report: %v", werr)
		}
	}
	if errors.Is(err, site.ErrDisclosure) {
		return &exitError{ExitFindings, fmt.Errorf("%v: nothing written to %s", err, out)}
	}
	if err != nil {
		return usage("%v", err)
	}
	if !quiet(cmd) {
		fmt.Fprintf(cmd.ErrOrStderr(), "relpolicy: site of %s and the compliance dashboard of %d in %s (%d written, %d unchanged, %d removed)\n",
			report.Plural(len(repos), "repository", "repositories"), len(rep.Repos), res.Out, len(res.Written), len(res.Unchanged), len(res.Removed))
	}
	if len(left) > 0 && !keepGoing {
		return &exitError{ExitFindings, fmt.Errorf("the site leaves out %d of %d repositories whose policies have lint errors (listed on the compliance dashboard only): %s (pass --keep-going to publish the rest with exit 0)",
			len(left), len(rep.Repos), report.EscapeControl(strings.Join(left, ", ")))}
	}
	return nil
}

// sweepCompliance turns a sweep report into the dashboard's input, with
// the documentation of every rule the findings name.
func sweepCompliance(rep *sweep.Report) *site.Compliance {
	comp := &site.Compliance{Org: rep.Org, SweptAt: rep.SweptAt, Findings: rep.Findings}
	for _, e := range rep.Repos {
		cr := site.ComplianceRepo{Repo: e.Repo, Status: string(e.Status), Revision: e.Revision, Errors: e.Errors, Warnings: e.Warnings, Error: e.Error}
		if e.Policy != nil {
			cr.Policy = string(e.Policy.Repository.Name)
		}
		comp.Repos = append(comp.Repos, cr)
	}
	named := map[string]bool{}
	for _, f := range rep.Findings {
		named[f.Rule] = true
	}
	for _, r := range rules.All {
		if named[r.ID] {
			comp.Rules = append(comp.Rules, site.ComplianceRule{ID: r.ID, Severity: string(r.Severity), Title: r.Title, Doc: report.ExplainMarkdown(r)})
		}
	}
	return comp
}
