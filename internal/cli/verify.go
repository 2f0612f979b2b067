package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/internal/github"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/internal/registry"
	"github.com/tooo/relpolicy/internal/sigstore"
	"github.com/tooo/relpolicy/lint/report"
	"github.com/tooo/relpolicy/verify"
	"golang.org/x/term"
)

func verifyCmd() *cobra.Command {
	var c common
	var githubURL string
	var concurrency, releases int
	var timeout time.Duration
	var deep bool
	var trustedRoot string
	cmd := &cobra.Command{
		Use:   "verify [PATH...]",
		Short: "Check the release ledger against the live registries and release pages (RP404-RP408)",
		Long: `Check every ledger release of each repository's release-policy.yaml against
what is published: OCI digests, tags, provenance labels, signatures and
attestations in the registry (credentials from the Docker config), and files
and checksum files on GitHub releases (GITHUB_TOKEN, --github-url) or next to
download URLs. Where the policy declares who must have made signatures and
attestations (provenance.signatures.key or .identity, provenance.attestations
.identity), each one found (OCI referrers, cosign .sig/.att tags,
<file>.sigstore.json release assets, GitHub's attestations API) is verified
with sigstore-go against the trusted root (--trusted-root, else Sigstore's
public-good root through TUF, cached), the exact digest and the declared
signer; otherwise signatures are only reported present. A registry or API
that cannot be reached is exit 2, after everything else has been verified
and reported.`,
		Example: "  relpolicy verify\n  relpolicy verify --releases 3 --format json examples/aurora-api > verify.json\n  relpolicy verify --deep --github-url https://ghe.example.com/api/v3 .",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := c.validate(); err != nil {
				return err
			}
			now, err := c.reference()
			if err != nil {
				return err
			}
			if concurrency < 1 {
				return usage("--concurrency %d: want at least 1", concurrency)
			}
			if releases < 0 {
				return usage("--releases %d: want 0 (all) or more", releases)
			}
			token := os.Getenv("GITHUB_TOKEN")
			rt := httpx.New(httpx.Options{Timeout: timeout, UserAgent: "relpolicy/" + Version})
			reg, err := registry.New(rt, nil)
			if err != nil {
				return usage("%v", err)
			}
			reg.Material = true
			checker := sigstore.NewPublicGood("")
			if trustedRoot != "" {
				if checker, err = sigstore.NewFromFile(trustedRoot); err != nil {
					return usage("--trusted-root: %v", err)
				}
			}
			gh, err := github.New(github.Options{BaseURL: githubURL, Token: token, Transport: rt, UserAgent: "relpolicy/" + Version})
			if err != nil {
				return usage("--github-url: %v", redact(err.Error(), token))
			}
			opts := verify.Options{
				CollectOptions: verify.CollectOptions{Concurrency: concurrency, Releases: releases, Deep: deep},
				Paths:          args, Now: now, Tool: "relpolicy", Version: Version,
			}
			stderr := cmd.ErrOrStderr()
			if deep {
				if bar := progressBar(stderr); bar != nil {
					opts.Wrap = func(_ string, _ int64, r io.Reader) io.Reader { return io.TeeReader(r, bar) }
					defer bar.Finish()
				}
			}
			rep, err := verify.Run(cmd.Context(), verify.Sources{Registry: reg, Releases: gh, Fetcher: httpx.Fetcher{Transport: rt}, Checker: checker, Attestations: gh}, opts)
			if err != nil {
				return usage("%v", err)
			}
			if err := writeVerify(cmd.OutOrStdout(), c.format, rep, token); err != nil {
				return usage("writing report: %v", err)
			}
			if len(rep.Errors) > 0 {
				for _, e := range rep.Errors {
					fmt.Fprintln(stderr, "relpolicy: cannot verify:", redact(e, token))
				}
				return &exitError{code: ExitUsage, err: fmt.Errorf("%d checks could not reach their registry or API; the findings above are incomplete", len(rep.Errors))}
			}
			return exitCode(exitFor(rep.Findings, c.failOn))
		},
	}
	c.register(cmd)
	f := cmd.Flags()
	// verify has no date rules and reads no organisation config.
	f.Lookup("now").Usage = "time recorded as the report's verified_at (default $SOURCE_DATE_EPOCH, else the clock)"
	f.MarkHidden("config")
	f.StringVar(&githubURL, "github-url", github.DefaultURL, "GitHub REST API base (GitHub Enterprise: https://HOST/api/v3)")
	f.IntVar(&concurrency, "concurrency", 8, "checks in flight at once")
	f.DurationVar(&timeout, "timeout", 30*time.Second, "limit for each request, retries aside")
	f.IntVar(&releases, "releases", 0, "verify only the newest N ledger releases (0: all)")
	f.BoolVar(&deep, "deep", false, "download every file asset and compare its hash with the ledger")
	f.StringVar(&trustedRoot, "trusted-root", "", "Sigstore trusted_root.json to verify signatures against, fully offline (default: Sigstore's public-good root through TUF, cached)")
	return cmd
}

// progressBar returns a byte counter drawn on w when w is a terminal, else
// nil (quiet in CI and pipes).
func progressBar(w io.Writer) *progressbar.ProgressBar {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("verify --deep: downloading"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}

// writeVerify prints the report: the verify report (facts included) for
// json, the findings for the other formats.
func writeVerify(w io.Writer, format string, rep *verify.Report, token string) error {
	var b strings.Builder
	if format == "json" {
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		if err := report.Write(&b, format, tool(), rep.Findings, rep.Summary.Repos); err != nil {
			return err
		}
		if n := rep.Summary.Unreached; n > 0 {
			// The summary above counts only what was checked: say on the
			// report itself, not only on stderr, that it is incomplete.
			line := fmt.Sprintf("incomplete: %s could not reach their registry or API; nothing above vouches for them", report.Plural(n, "check", "checks"))
			if format == "github" {
				line = "::error title=relpolicy verify::" + line
			}
			b.WriteString(line + "\n")
		}
	}
	_, err := io.WriteString(w, redact(b.String(), token))
	return err
}

// redact removes a secret from text meant for output.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}
