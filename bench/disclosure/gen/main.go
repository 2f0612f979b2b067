// Benchmark driver, built only with -tags bench so that `go install ./...`
// (pre-commit's golang hooks) builds relpolicy alone.

//go:build bench

// Command gen writes a disclosure benchmark tree (see package tree).
//
//	go run ./bench/disclosure/gen -kind typical -out DIR
//	go run ./bench/disclosure/gen -kind docs -out DIR [-files 5000] [-size 10000] [-leak-every 40]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/tooo/relpolicy/bench/disclosure/tree"
)

func main() {
	kind := flag.String("kind", "docs", "typical or docs")
	out := flag.String("out", "", "directory to write (must not exist)")
	files := flag.Int("files", 5000, "docs: number of Markdown files")
	size := flag.Int("size", 9_300, "docs: average file size in bytes")
	leakEvery := flag.Int("leak-every", 40, "docs: one file in this many holds credentials")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: -out is required")
		os.Exit(2)
	}
	var f tree.Files
	switch *kind {
	case "typical":
		f = tree.Typical(*seed)
	case "docs":
		f = tree.Docs(*seed, *files, *size, *leakEvery)
	default:
		fmt.Fprintf(os.Stderr, "gen: unknown kind %q\n", *kind)
		os.Exit(2)
	}
	if err := write(*out, f); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
	fmt.Printf("%s: %d files, %.1f MB\n", *out, len(f), float64(f.Size())/1e6)
}

func write(dir string, f tree.Files) error {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("writing %s: already exists", dir)
	}
	paths := make([]string, 0, len(f))
	for p := range f {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", full, err)
		}
		if err := os.WriteFile(full, f[p], 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", full, err)
		}
	}
	return nil
}
