// Benchmark driver, built only with -tags bench so that `go install ./...`
// (pre-commit's golang hooks) builds relpolicy alone.

//go:build bench

// Command scan runs the disclosure scanner (lint/disclosure) over a
// directory as a repository and reports the findings count, time,
// throughput and peak memory. It stands in for `relpolicy lint` in the
// disclosure benchmarks.
//
//	go run ./bench/disclosure/scan [-config FILE] [-json FILE] DIR
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/lint/disclosure"
	"github.com/tooo/relpolicy/lint/surface"
)

func main() {
	cfgPath := flag.String("config", "", "private organisation config")
	jsonOut := flag.String("json", "", "write the findings as JSON to this file")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "scan:", err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "scan:", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: scan [-config FILE] [-json FILE] DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *cfgPath, *jsonOut); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(2)
	}
}

func run(dir, cfgPath, jsonOut string) error {
	start := time.Now()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	s, err := disclosure.New(cfg)
	if err != nil {
		return err
	}
	fsys := os.DirFS(dir)
	findings, skipped, err := s.ScanFS(fsys)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	var bytes int64
	files, _, err := surface.List(fsys)
	if err != nil {
		return err
	}
	for _, f := range files {
		if !cfg.Allowed(f.Path) {
			bytes += f.Size
		}
	}
	byRule := map[string]int{}
	for _, f := range findings {
		byRule[f.Rule]++
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("files=%d skipped=%d bytes=%d findings=%d %v time=%.3fs throughput=%.1fMB/s peak_rss=%.1fMB\n",
		len(files), len(skipped), bytes, len(findings), byRule, elapsed.Seconds(),
		float64(bytes)/1e6/elapsed.Seconds(), float64(ru.Maxrss)/1024)
	if jsonOut == "" {
		return nil
	}
	b, err := json.MarshalIndent(findings, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding findings: %w", err)
	}
	if err := os.WriteFile(jsonOut, b, 0o644); err != nil {
		return fmt.Errorf("writing findings: %w", err)
	}
	return nil
}
