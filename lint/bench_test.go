package lint_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tooo/relpolicy/lint"
)

// BenchmarkLintExample lints one example repository in process (policy,
// README, docs, workflows), as `relpolicy lint examples/aurora-api` does.
func BenchmarkLintExample(b *testing.B) {
	opts := lint.Options{Paths: []string{"../examples/aurora-api"}, Now: goldenNow, Scanner: benchScanner(b)}
	for b.Loop() {
		if _, err := lint.Run(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLint1000 lints 1,000 repositories (copies of the examples) in
// one run.
func BenchmarkLint1000(b *testing.B) {
	examples, _ := filepath.Glob("../examples/*")
	if len(examples) == 0 {
		b.Skip("no examples")
	}
	dir := b.TempDir()
	var paths []string
	for i := 0; i < 1000; i++ {
		dst := filepath.Join(dir, "repo"+strconv.Itoa(i))
		if err := os.CopyFS(dst, os.DirFS(examples[i%len(examples)])); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, dst)
	}
	opts := lint.Options{Paths: paths, Now: goldenNow, Scanner: benchScanner(b)}
	b.ResetTimer()
	for b.Loop() {
		if _, err := lint.Run(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
}
