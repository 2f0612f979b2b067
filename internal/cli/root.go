// Package cli is relpolicy's command line: one file per verb, each parsing
// its flags and calling a library package.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/disclosure"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/report"
)

// Version is relpolicy's version; release builds set it with -ldflags.
var Version = "0.1.0"

// Exit codes (SPEC section 4).
const (
	ExitClean    = 0 // no findings at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitUsage    = 2 // usage or I/O error
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usage(format string, args ...any) error {
	return &exitError{ExitUsage, fmt.Errorf(format, args...)}
}

// common are the flags every checking verb shares.
type common struct {
	format, failOn, configPath, now string
}

func (c *common) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&c.format, "format", "text", "output format: "+strings.Join(report.Formats, "|"))
	f.StringVar(&c.failOn, "fail-on", "error", "exit 1 on findings at or above: error|warning|never")
	f.StringVar(&c.configPath, "config", "", "private organisation config (default $"+config.EnvVar+")")
	f.StringVar(&c.now, "now", "", "reference date or RFC 3339 time for date rules (default $SOURCE_DATE_EPOCH, else the clock)")
}

func (c *common) validate() error {
	if !slices.Contains(report.Formats, c.format) {
		return usage("--format %q: want one of %s", c.format, strings.Join(report.Formats, ", "))
	}
	if !slices.Contains([]string{"error", "warning", "never"}, c.failOn) {
		return usage("--fail-on %q: want error, warning or never", c.failOn)
	}
	return nil
}

func (c *common) config() (*config.Config, error) {
	cfg, err := config.Load(c.configPath)
	if err != nil {
		return nil, &exitError{ExitUsage, err}
	}
	return cfg, nil
}

// prepare validates the common flags and loads what every checking verb
// needs: the reference time and the disclosure scanner, which holds the
// org config.
func (c *common) prepare() (time.Time, *disclosure.Scanner, error) {
	if err := c.validate(); err != nil {
		return time.Time{}, nil, err
	}
	cfg, err := c.config()
	if err != nil {
		return time.Time{}, nil, err
	}
	now, err := c.reference()
	if err != nil {
		return time.Time{}, nil, err
	}
	scanner, err := newScanner(cfg)
	if err != nil {
		return time.Time{}, nil, err
	}
	return now, scanner, nil
}

// reference resolves --now, then SOURCE_DATE_EPOCH, then the clock.
func (c *common) reference() (time.Time, error) {
	return ParseNow(c.now, os.Getenv("SOURCE_DATE_EPOCH"), time.Now)
}

// ParseNow resolves the reference time: flag (a date or RFC 3339 time),
// else epoch seconds, else clock().
func ParseNow(flag, epoch string, clock func() time.Time) (time.Time, error) {
	if flag != "" {
		if t, err := time.Parse(time.DateOnly, flag); err == nil {
			return t.UTC(), nil
		}
		if t, err := time.Parse(time.RFC3339, flag); err == nil {
			return t.UTC(), nil
		}
		return time.Time{}, usage("--now %q: want YYYY-MM-DD or an RFC 3339 timestamp", flag)
	}
	if epoch != "" {
		s, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, usage("SOURCE_DATE_EPOCH %q: want seconds since 1970", epoch)
		}
		return time.Unix(s, 0).UTC(), nil
	}
	return clock().UTC(), nil
}

// exitFor returns the exit code for findings under --fail-on.
func exitFor(fs []finding.Finding, failOn string) int {
	threshold := finding.Severity(failOn).Rank()
	if failOn == "never" {
		return ExitClean
	}
	for _, f := range fs {
		if f.Severity.Rank() >= threshold {
			return ExitFindings
		}
	}
	return ExitClean
}

// startProfile writes a CPU profile to path until stop is called; for
// performance work (RELPOLICY_CPUPROFILE=FILE).
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// Main runs relpolicy with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "relpolicy",
		Short:         "Make official software releases legible and trustworthy",
		Long:          "relpolicy lints release-policy.yaml and the repository's public text, renders the public site of official artifacts and looks up digests in it. release-policy.yaml is the record of what source an official artifact came from, which revision, where it was published and which digest or checksum users should rely on.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{ExitUsage, fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath())}
	})
	registerOutputFlags(root)
	root.Example = `  relpolicy init                      # draft release-policy.yaml here
  relpolicy lint                      # check it and the public text
  relpolicy site --out public ~/src   # render the site of an organisation
  relpolicy completion bash > /etc/bash_completion.d/relpolicy`
	root.AddCommand(lintCmd(), verifyCmd(), sweepCmd(), initCmd(), siteCmd(), lookupCmd(), schemaCmd(), explainCmd(), versionCmd())
	if p := os.Getenv("RELPOLICY_CPUPROFILE"); p != "" {
		if stop, err := startProfile(p); err == nil {
			defer stop()
		} else {
			fmt.Fprintln(stderr, "relpolicy: profiling:", err)
		}
	}
	err := root.Execute()
	if err == nil {
		return ExitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "relpolicy:", ee.err)
		}
		return ee.code
	}
	var ue *lint.UsageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "relpolicy:", ue.Err)
		return ExitUsage
	}
	// Cobra's own errors (unknown command, wrong argument count) are usage errors.
	fmt.Fprintln(stderr, "relpolicy:", err)
	return ExitUsage
}
