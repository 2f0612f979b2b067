package github

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tooo/relpolicy/internal/github/githubtest"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/sweep"
)

// TestBenchSweep is make bench-sweep: a 1,000-repository organisation on
// the fake with 20 ms per request, swept cold then warm with the default
// concurrency of 8. Bounds (issue 13): cold at most 3 rate-limited requests
// per repository on average and under 15 s; warm at least 95% of requests
// answered 304, no tarball downloaded, under 5 s. It runs only with
// RELPOLICY_BENCH_SWEEP=1 (it takes some 15 s of wall time).
func TestBenchSweep(t *testing.T) {
	if os.Getenv("RELPOLICY_BENCH_SWEEP") == "" {
		t.Skip("set RELPOLICY_BENCH_SWEEP=1 (make bench-sweep)")
	}
	const repos = 1000
	s := githubtest.New()
	t.Cleanup(s.Close)
	s.Token = token
	api := readTree(t, "../../examples/aurora-api")
	broken := readTree(t, "../../testdata/demo/broken")
	for i := range repos {
		r := s.AddRepo("tooo", fmt.Sprintf("repo-%04d", i))
		switch i % 10 {
		case 0:
			r.Files = broken
		case 1:
			r.Files = map[string][]byte{"README.md": []byte("# no policy yet\n")}
		default:
			r.Files = api
		}
	}
	s.Prebuild() // the server's compression is not the client's cost
	s.SetDelay(benchDelay())
	cache := t.TempDir()
	rt := httpx.New(httpx.Options{UserAgent: "relpolicy-bench"})
	results, err := sweep.OpenStore(filepath.Join(cache, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{BaseURL: s.URL(), Token: token, Transport: &httpx.Cache{Dir: cache, Base: rt}})
	if err != nil {
		t.Fatal(err)
	}
	opts := sweep.Options{Org: "tooo", Lint: lint.Options{Now: sweepNow}, Tool: "relpolicy", Version: "bench",
		Results: results, Key: "bench"}
	var cpu time.Duration // process CPU time of the last run (client and fake)
	run := func() (*sweep.Report, time.Duration) {
		start, cpu0 := time.Now(), cpuTime()
		rep, err := sweep.Run(context.Background(), c.Org("tooo"), opts)
		if err != nil {
			t.Fatal(err)
		}
		cpu = cpuTime() - cpu0
		return rep, time.Since(start)
	}
	coldRep, cold := run()
	coldCPU := cpu
	coldCharged, coldReq, coldBytes := s.Charged(), s.Total(), s.Bytes()
	if coldRep.Summary.Repos != repos || coldRep.Summary.Error != 0 {
		t.Fatalf("cold: %s", sweep.SummaryLine(coldRep))
	}
	s.ResetCounts()
	warmRep, warm := run()
	st := s.Statuses()
	warmReq, warmBytes, warmCharged := s.Total(), s.Bytes(), s.Charged()-coldCharged
	tarballs := 0
	for k, n := range s.Requests() {
		if strings.Contains(k, "tarball") {
			tarballs += n
		}
	}
	share := float64(st[304]) / float64(warmReq)
	fmt.Printf("sweep bench: %d repositories, 20 ms per request, concurrency 8\n", repos)
	var load [3]float64
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Sscan(string(b), &load[0], &load[1], &load[2])
	}
	fmt.Printf("  load average %.1f\n", load[0])
	fmt.Printf("  cold: %.2f s (CPU %.2f s), %d requests (%d rate-limited, %.2f per repository), %d KiB downloaded\n",
		cold.Seconds(), coldCPU.Seconds(), coldReq, coldCharged, float64(coldCharged)/repos, coldBytes>>10)
	fmt.Printf("  warm: %.2f s (CPU %.2f s), %d requests, %d answered 304 (%.1f%%), %d rate-limited, %d tarball requests, %d KiB of bodies\n",
		warm.Seconds(), cpu.Seconds(), warmReq, st[304], 100*share, warmCharged, tarballs, warmBytes>>10)
	fmt.Printf("  %s\n", sweep.SummaryLine(warmRep))
	if per := float64(coldCharged) / repos; per > 3 {
		t.Errorf("cold: %.2f rate-limited requests per repository, want <= 3", per)
	}
	if cold > 15*time.Second {
		t.Errorf("cold: %s, want < 15 s", cold)
	}
	if share < 0.95 || tarballs != 0 || warmCharged != 0 {
		t.Errorf("warm: %.1f%% 304s, %d tarball requests, %d charged", 100*share, tarballs, warmCharged)
	}
	if warm > 5*time.Second {
		t.Errorf("warm: %s, want < 5 s", warm)
	}
}

// benchDelay is 20 ms, or RELPOLICY_BENCH_DELAY (to separate the cost of
// latency from the rest).
func benchDelay() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("RELPOLICY_BENCH_DELAY")); err == nil {
		return d
	}
	return 20 * time.Millisecond
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
