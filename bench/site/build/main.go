// Benchmark driver, built only with -tags bench so that `go install ./...`
// (pre-commit's golang hooks) builds relpolicy alone.

//go:build bench

// Command build calls site.Build directly, without the CLI's lint: it
// discovers the repositories under its arguments, loads each policy with
// the real loader and renders, gated by the disclosure scanner like
// relpolicy site (-no-gate measures rendering alone). bench/site/run.sh
// measures the CLI itself and uses this driver for -load-only, the policy
// loading part of its re-render floor; it also takes CPU and memory
// profiles.
//
//	go run ./bench/site/build -out /tmp/public /tmp/org
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/tooo/relpolicy/lint/disclosure"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/policy"
	"github.com/tooo/relpolicy/schema"
	"github.com/tooo/relpolicy/site"
)

func main() {
	out := flag.String("out", "public", "output directory")
	baseURL := flag.String("base-url", "", "absolute URL of the site")
	workers := flag.Int("workers", 0, "rendering goroutines (0: GOMAXPROCS)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	noGate := flag.Bool("no-gate", false, "skip the disclosure gate relpolicy site always runs (to measure rendering alone)")
	memprofile := flag.String("memprofile", "", "write an allocation profile to this file")
	cache := flag.String("cache", "", "build state directory (site.Options.CacheDir); empty always renders")
	loadOnly := flag.Bool("load-only", false, "discover and decode the policies, then stop (the input-reading floor of a re-render)")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatal("usage: build -out DIR PATH...")
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	dirs, err := site.Discover(flag.Args())
	if err != nil {
		log.Fatal(err)
	}
	repos := make([]site.Repo, len(dirs))
	errs := make([]error, len(dirs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				p, err := load(filepath.Join(dirs[i], "release-policy.yaml"))
				repos[i], errs[i] = site.Repo{Policy: p, Dir: dirs[i]}, err
			}
		})
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			log.Fatal(err)
		}
	}
	loaded := time.Since(start)
	if *loadOnly {
		fmt.Printf("repos=%d load=%s\n", len(repos), loaded.Round(time.Millisecond))
		return
	}
	now := time.Unix(0, 0).UTC()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		var sec int64
		if _, err := fmt.Sscan(s, &sec); err == nil {
			now = time.Unix(sec, 0).UTC()
		}
	}
	opts := site.Options{Out: *out, BaseURL: *baseURL, Now: now, Workers: *workers, CacheDir: *cache}
	if !*noGate {
		sc, err := disclosure.New(nil)
		if err != nil {
			log.Fatal(err)
		}
		opts.Gate = sc
	}
	rep, err := site.Build(context.Background(), opts, repos)
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
	for _, f := range reportFindings(rep) {
		fmt.Fprintf(os.Stderr, "%s:%d:%d: %s %s: %s\n", f.Path, f.Line, f.Column, f.Severity, f.Rule, f.Message)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("repos=%d files=%d written=%d unchanged=%d removed=%d reused=%v load=%s total=%s\n",
		len(repos), len(rep.Written)+len(rep.Unchanged), len(rep.Written), len(rep.Unchanged), len(rep.Removed), rep.Reused,
		loaded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

func reportFindings(rep *site.Report) []finding.Finding {
	if rep == nil {
		return nil
	}
	return rep.Findings
}

// load reads a policy with the real loader (lint/policy).
func load(path string) (*schema.Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, fs := policy.Parse("release-policy.yaml", b)
	if d == nil || d.Policy == nil {
		return nil, fmt.Errorf("loading %s: %v", path, fs)
	}
	return d.Policy, nil
}
