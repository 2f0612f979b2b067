package lint_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tooo/relpolicy/lint"
)

// workflowRepo copies examples/aurora-api and adds workflows until the
// repository holds n: validation, nightly and docs workflows of realistic
// size (jobs with matrix, caches, several steps and expressions).
func workflowRepo(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../examples/aurora-api")); err != nil {
		b.Fatal(err)
	}
	wf := filepath.Join(dir, ".github", "workflows")
	have, _ := os.ReadDir(wf)
	for i := len(have); i < n; i++ {
		src := fmt.Sprintf(`name: check-%[1]d
on:
  pull_request:
    paths: ["svc%[1]d/**"]
  push:
    branches: [main]
permissions:
  contents: read
concurrency:
  group: check-%[1]d-${{ github.ref }}
  cancel-in-progress: true
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-24.04, macos-14]
        go: ["1.25", "1.26"]
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - uses: actions/setup-go@b7ad1dad31e06c5925ef5d2fc7ad053ef454303e # v7.0.0
        with:
          go-version: ${{ matrix.go }}
          cache: true
      - name: Test svc%[1]d
        run: |
          go vet ./svc%[1]d/...
          go test -race -count=1 ./svc%[1]d/...
        env:
          CGO_ENABLED: "1"
          GOFLAGS: -mod=readonly
      - if: failure() && github.event_name == 'push'
        run: echo "svc%[1]d failed on ${{ github.sha }}"
  lint:
    runs-on: ubuntu-24.04
    needs: test
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - run: make lint SERVICE=svc%[1]d
`, i)
		if err := os.WriteFile(filepath.Join(wf, fmt.Sprintf("check-%02d.yml", i)), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLint30Workflows lints one repository with 30 workflows (the
// aurora-api example plus 28 generated validation workflows).
func BenchmarkLint30Workflows(b *testing.B) {
	dir := workflowRepo(b, 30)
	opts := lint.Options{Paths: []string{dir}, Now: goldenNow, Scanner: benchScanner(b)}
	b.ResetTimer()
	for b.Loop() {
		if _, err := lint.Run(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
}
