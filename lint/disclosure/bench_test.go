package disclosure

import (
	"context"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/sources"

	"github.com/tooo/relpolicy/bench/disclosure/tree"
	"github.com/tooo/relpolicy/lint/secrets"
	"github.com/tooo/relpolicy/lint/surface"
)

// The benchmark trees of bench/disclosure: a typical repository and a
// docs tree of 5,000 Markdown files, about 50 MB (bench/disclosure/run.sh
// runs the same trees through the gitleaks CLI).
var (
	typicalTree = sync.OnceValue(func() fstest.MapFS { return mapFS(tree.Typical(1)) })
	docsTree    = sync.OnceValue(func() fstest.MapFS { return mapFS(tree.Docs(1, 5000, 9300, 40)) })
)

func mapFS(f tree.Files) fstest.MapFS {
	m := fstest.MapFS{}
	for p, b := range f {
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
	}
	return m
}

func size(fsys fstest.MapFS) int64 {
	var n int64
	for _, f := range fsys {
		n += int64(len(f.Data))
	}
	return n
}

// BenchmarkScanTypical scans a typical repository (policy, README,
// SECURITY, 30 docs, a workflow) with a warm scanner.
func BenchmarkScanTypical(b *testing.B) { benchScan(b, typicalTree()) }

// BenchmarkScanDocs scans the 50 MB docs tree.
func BenchmarkScanDocs(b *testing.B) { benchScan(b, docsTree()) }

func benchScan(b *testing.B, fsys fstest.MapFS) {
	s, err := New(testConfig)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size(fsys))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.ScanFS(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// reference is gitleaks itself, configured as the CLI configures it.
var reference = sync.OnceValue(func() *detect.Detector {
	d, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		panic(err)
	}
	d.MaxDecodeDepth = secrets.DecodeDepth
	return d
})

// BenchmarkGitleaksDocs runs gitleaks' detector, configured as its CLI,
// over the same docs tree on every core: the in-process reference for
// BenchmarkScanDocs (RP501 only, so it flatters gitleaks).
func BenchmarkGitleaksDocs(b *testing.B) {
	fsys := docsTree()
	d := reference()
	files, _, err := surface.List(fsys)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size(fsys))
	for b.Loop() {
		next := make(chan string)
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range next {
					data, _ := fs.ReadFile(fsys, p)
					src := &sources.File{Content: strings.NewReader(string(data)), Path: p}
					_ = src.Fragments(context.Background(), func(f sources.Fragment, err error) error {
						//lint:ignore SA1019 gitleaks v8's detector takes detect.Fragment; this compares with it
						d.Detect(detect.Fragment(f))
						return nil
					})
				}
			}()
		}
		for _, f := range files {
			next <- f.Path
		}
		close(next)
		wg.Wait()
	}
}
