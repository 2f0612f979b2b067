package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/internal/github"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/sweep"
	"golang.org/x/term"
)

func sweepCmd() *cobra.Command {
	var c common
	var org, dir, out, shard, cacheDir, githubURL string
	var repos, skip []string
	var concurrency int
	var includeArchived, includeForks, require bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "sweep (--org ORG | --dir DIR)",
		Short: "Lint every repository of an organisation (GitHub API) or every checkout under a directory",
		Long: `Lint every repository of a GitHub organisation (--org, through the REST API with
GITHUB_TOKEN; --github-url for GitHub Enterprise) or every checkout under a
directory (--dir) at its default branch's head, with exactly lint's rules,
and report one status per repository: compliant, findings, missing-policy,
error (it could not be read; the sweep goes on) or skipped (archived, fork).

Each repository costs at most three rate-limited requests (head commit,
tarball link; the tarball itself comes from the download host), and an
unchanged one a single 304: ETags and results by head commit are kept in
--cache. A spent rate limit is waited out, with a progress line saying so.
Exit 2 only when the organisation cannot be listed or the token is refused.`,
		Example: "  GITHUB_TOKEN=... relpolicy sweep --org tooo --out sweep.json --format markdown >> \"$GITHUB_STEP_SUMMARY\"\n  relpolicy sweep --org tooo --shard 2/8 --out shard-2.json\n  relpolicy sweep merge shard-*.json --out sweep.json\n  relpolicy sweep --dir ~/src/tooo --require",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (org == "") == (dir == "") {
				return usage("want exactly one of --org ORG and --dir DIR")
			}
			format := c.format
			c.format = "text" // validated below: sweep has its own formats
			if !slices.Contains(sweep.Formats, format) {
				return usage("--format %q: want one of %s", format, strings.Join(sweep.Formats, ", "))
			}
			now, scanner, err := c.prepare()
			if err != nil {
				return err
			}
			if concurrency < 1 {
				return usage("--concurrency %d: want at least 1", concurrency)
			}
			var sh sweep.Shard
			if shard != "" {
				if sh, err = sweep.ParseShard(shard); err != nil {
					return usage("--shard: %v", err)
				}
			}
			if cacheDir == "" {
				base, err := os.UserCacheDir()
				if err != nil {
					return usage("--cache: no user cache directory (%v); name one", err)
				}
				cacheDir = filepath.Join(base, "relpolicy", "sweep")
			}
			stderr := cmd.ErrOrStderr()
			prog := newSweepProgress(stderr)
			defer prog.finish()
			token := os.Getenv("GITHUB_TOKEN")
			opts := sweep.Options{
				Lint:        lint.Options{Now: now, Scanner: scanner, RunnerLabels: scanner.RunnerLabels()},
				Concurrency: concurrency, IncludeArchived: includeArchived, IncludeForks: includeForks,
				Repos: repos, Skip: skip, Shard: sh, Tool: "relpolicy", Version: Version,
				Key:      resultsKey(c.configPath, now),
				Progress: prog.repo,
			}
			results, err := sweep.OpenStore(filepath.Join(cacheDir, "results.jsonl"))
			if err != nil {
				return usage("--cache: %v", err)
			}
			defer results.Close()
			opts.Results = results
			var src sweep.Source
			if org != "" {
				opts.Org = org
				rt := httpx.New(httpx.Options{Timeout: timeout, UserAgent: "relpolicy/" + Version, MaxWait: 65 * time.Minute, OnWait: prog.wait})
				prog.rt, prog.host = rt, apiHost(githubURL)
				etags := &httpx.Cache{Dir: cacheDir, Base: rt}
				defer etags.Close()
				gh, err := github.New(github.Options{BaseURL: githubURL, Token: token, Transport: etags, UserAgent: "relpolicy/" + Version})
				if err != nil {
					return usage("--github-url: %v", redact(err.Error(), token))
				}
				src = gh.Org(org)
			} else {
				opts.Org = filepath.Base(filepath.Clean(dir))
				src = sweep.DirSource{Dir: dir}
				// A checkout's files may differ from its HEAD commit
				// (uncommitted edits): results by commit would be stale.
				opts.Results = nil
			}
			rep, err := sweep.Run(cmd.Context(), src, opts)
			prog.finish()
			if err != nil {
				var le *sweep.ListError
				if errors.As(err, &le) {
					return usage("cannot list %s: %s", opts.Org, redact(le.Error(), token))
				}
				return usage("%s", redact(err.Error(), token))
			}
			if err := emit(cmd.OutOrStdout(), out, format, rep, token); err != nil {
				return err
			}
			fmt.Fprintln(stderr, "relpolicy:", sweep.SummaryLine(rep))
			return exitCode(sweepExit(rep, c.failOn, require))
		},
	}
	c.register(cmd)
	f := cmd.Flags()
	f.Lookup("format").Usage = "output format: " + strings.Join(sweep.Formats, "|")
	f.StringVar(&org, "org", "", "GitHub organisation to sweep")
	f.StringVar(&dir, "dir", "", "directory whose subdirectories are checkouts to sweep")
	f.StringVar(&out, "out", "", "write the JSON report to FILE (atomically); --format still goes to stdout")
	f.StringVar(&shard, "shard", "", "sweep only shard K of N (K/N, by a stable hash of owner/name)")
	f.StringVar(&cacheDir, "cache", "", "ETag and result cache (default: the user cache directory)/relpolicy/sweep")
	f.StringVar(&githubURL, "github-url", github.DefaultURL, "GitHub REST API base (GitHub Enterprise: https://HOST/api/v3)")
	f.StringArrayVar(&repos, "repo", nil, "sweep only repositories matching GLOB (owner/name or name; repeatable)")
	f.StringArrayVar(&skip, "skip", nil, "leave out repositories matching GLOB (repeatable)")
	f.IntVar(&concurrency, "concurrency", 8, "repositories in flight at once")
	f.BoolVar(&includeArchived, "include-archived", false, "sweep archived repositories instead of skipping them")
	f.BoolVar(&includeForks, "include-forks", false, "sweep forks instead of skipping them")
	f.BoolVar(&require, "require", false, "a repository without release-policy.yaml fails the sweep")
	f.DurationVar(&timeout, "timeout", 60*time.Second, "limit for each request, retries aside")
	cmd.AddCommand(sweepMergeCmd())
	return cmd
}

func sweepMergeCmd() *cobra.Command {
	var out, format, failOn string
	var require bool
	cmd := &cobra.Command{
		Use:     "merge REPORT...",
		Short:   "Combine shard reports of one organisation into one report",
		Example: "  relpolicy sweep merge shard-*.json --out sweep.json --format markdown",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(sweep.Formats, format) {
				return usage("--format %q: want one of %s", format, strings.Join(sweep.Formats, ", "))
			}
			var reps []*sweep.Report
			for _, p := range args {
				r, err := ReadSweepReport(p)
				if err != nil {
					return usage("%v", err)
				}
				reps = append(reps, r)
			}
			rep, err := sweep.Merge(reps...)
			if err != nil {
				return usage("%v", err)
			}
			if err := emit(cmd.OutOrStdout(), out, format, rep, os.Getenv("GITHUB_TOKEN")); err != nil {
				return err
			}
			return exitCode(sweepExit(rep, failOn, require))
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "write the merged JSON report to FILE (atomically)")
	f.StringVar(&format, "format", "text", "output format: "+strings.Join(sweep.Formats, "|"))
	f.StringVar(&failOn, "fail-on", "error", "exit 1 on findings at or above: error|warning|never")
	f.BoolVar(&require, "require", false, "a repository without release-policy.yaml fails")
	return cmd
}

// ReadSweepReport reads a sweep JSON report; unknown fields are an error,
// so a lint report given by mistake is refused.
func ReadSweepReport(p string) (*sweep.Report, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("reading sweep report: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r sweep.Report
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("reading sweep report %s: %w", p, err)
	}
	if r.Tool != "relpolicy" || r.Repos == nil {
		return nil, fmt.Errorf("reading sweep report %s: not a relpolicy sweep report", p)
	}
	return &r, nil
}

// emit writes the JSON report to out (atomically) when set, and the
// report in format to w; the token is redacted from both.
func emit(w io.Writer, out, format string, rep *sweep.Report, token string) error {
	if out != "" {
		var b bytes.Buffer
		if err := sweep.Write(&b, "json", rep); err != nil {
			return usage("writing report: %v", err)
		}
		if err := sweep.WriteFileAtomic(out, []byte(redact(b.String(), token))); err != nil {
			return usage("writing report %s: %v", out, err)
		}
		if format == "json" {
			return nil // the file is the report
		}
	}
	var b bytes.Buffer
	if err := sweep.Write(&b, format, rep); err != nil {
		return usage("writing report: %v", err)
	}
	_, err := io.WriteString(w, redact(b.String(), token))
	return err
}

// sweepExit is 1 when a finding is at or above failOn, when a repository
// could not be read (it is not compliant; unless --fail-on never), or with
// require when a repository has no policy.
func sweepExit(rep *sweep.Report, failOn string, require bool) int {
	if require && rep.Summary.MissingPolicy > 0 {
		return ExitFindings
	}
	if failOn != "never" && rep.Summary.Error > 0 {
		return ExitFindings
	}
	return exitFor(rep.Findings, failOn)
}

// resultsKey keys cached results: a result is reused only by the same
// relpolicy version, the same private config and the same reference day
// (date rules such as RP208 depend on it).
func resultsKey(configPath string, now time.Time) string {
	if configPath == "" {
		configPath = os.Getenv(config.EnvVar)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", Version, now.UTC().Format(time.DateOnly))
	if configPath != "" {
		if b, err := os.ReadFile(configPath); err == nil {
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func apiHost(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	host, _, _ := strings.Cut(u, "/")
	return host
}

// sweepProgress draws a bar on a terminal (repositories done, rate limit
// remaining, waits) and stays quiet otherwise, except for waits, which are
// one line each on stderr: a sweep that stops for the rate limit says so.
type sweepProgress struct {
	w    io.Writer
	bar  *progressbar.ProgressBar
	rt   *httpx.Transport
	host string
	mu   sync.Mutex
	done bool
}

func newSweepProgress(w io.Writer) *sweepProgress {
	p := &sweepProgress{w: w}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("sweep"),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	return p
}

func (p *sweepProgress) repo(done, total int, e sweep.Entry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil || p.done {
		return
	}
	p.bar.ChangeMax(total)
	desc := "sweep"
	if p.rt != nil {
		if n, ok := p.rt.RateRemaining(p.host); ok {
			desc = fmt.Sprintf("sweep (rate limit: %d left)", n)
		}
	}
	p.bar.Describe(desc)
	p.bar.Set(done)
}

func (p *sweepProgress) wait(reason string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	msg := fmt.Sprintf("relpolicy: %s: waiting %s (until %s)", reason, d.Round(time.Second), time.Now().Add(d).UTC().Format(time.TimeOnly))
	if p.bar != nil && !p.done {
		p.bar.Describe(msg)
		return
	}
	fmt.Fprintln(p.w, msg)
}

func (p *sweepProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil && !p.done {
		p.bar.Finish()
	}
	p.done = true
}
