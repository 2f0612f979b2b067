// Benchmark driver, built only with -tags bench so that `go install ./...`
// (pre-commit's golang hooks) builds relpolicy alone.

//go:build bench

// Command measure runs a command repeatedly and reports the median, 90th
// percentile and minimum wall time, the median CPU time (user+sys, steadier
// on a loaded machine) and the peak resident memory of the whole process:
//
//	go run ./bench/measure -n 50 -- bin/relpolicy lint examples/aurora-api
//
// Exit statuses 0 and 1 (findings) count as runs; anything else aborts.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 30, "runs")
	warm := flag.Int("warmup", 3, "unmeasured runs first (page cache)")
	label := flag.String("label", "", "label for the report line")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: measure [-n N] -- command [args...]")
		os.Exit(2)
	}
	var walls, cpus []time.Duration
	var peak int64
	for i := 0; i < *warm+*n; i++ {
		cmd := exec.Command(args[0], args[1:]...)
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		if err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				fmt.Fprintf(os.Stderr, "measure: %v: %v\n", args, err)
				os.Exit(2)
			}
		}
		if i < *warm {
			continue
		}
		walls = append(walls, wall)
		cpus = append(cpus, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
			peak = ru.Maxrss // KiB on Linux
		}
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("%-28s runs=%d median=%.1fms p90=%.1fms min=%.1fms cpu_median=%.1fms peak_rss=%.1fMiB\n", *label, len(walls),
		ms(walls[len(walls)/2]), ms(walls[len(walls)*9/10]), ms(walls[0]), ms(cpus[len(cpus)/2]), float64(peak)/1024)
}
