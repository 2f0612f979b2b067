// Command measure runs a command repeatedly and reports the median and 90th
// percentile wall time and the peak resident memory of the whole process:
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
	var walls []time.Duration
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
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
			peak = ru.Maxrss // KiB on Linux
		}
	}
	slices.Sort(walls)
	med := walls[len(walls)/2]
	p90 := walls[len(walls)*9/10]
	fmt.Printf("%-28s runs=%d median=%.1fms p90=%.1fms peak_rss=%.1fMiB\n", *label, len(walls),
		float64(med.Microseconds())/1000, float64(p90.Microseconds())/1000, float64(peak)/1024)
}
