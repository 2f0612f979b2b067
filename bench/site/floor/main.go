// Benchmark driver, built only with -tags bench so that `go install ./...`
// (pre-commit's golang hooks) builds relpolicy alone.

//go:build bench

// Command floor measures what the site benchmark compares against:
//
//	floor -src SITE -manifest FILE   record every file of SITE and its size
//	floor -manifest FILE -out DIR    create the same tree, same sizes (the "floor")
//	floor -read SITE                 read every file of SITE (the re-render floor)
//
// Creating the files is the least any generator of that site must do; the
// benchmark reports the site build's wall time as a multiple of it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	src := flag.String("src", "", "site to record")
	manifest := flag.String("manifest", "", "manifest file (path and size per line)")
	out := flag.String("out", "", "directory to create the recorded tree in")
	read := flag.String("read", "", "site to read completely")
	flag.Parse()
	switch {
	case *src != "" && *manifest != "":
		check(record(*src, *manifest))
	case *manifest != "" && *out != "":
		check(create(*manifest, *out))
	case *read != "":
		check(readAll(*read))
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func record(src, manifest string) error {
	f, err := os.Create(manifest)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		_, err = fmt.Fprintf(w, "%d %s\n", fi.Size(), filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// create writes the tree sequentially, creating each directory once.
func create(manifest, out string) error {
	b, err := os.ReadFile(manifest)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = 'x'
	}
	made := map[string]bool{}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		sizeStr, rel, _ := strings.Cut(line, " ")
		size, err := strconv.Atoi(sizeStr)
		if err != nil {
			return fmt.Errorf("manifest line %q: %w", line, err)
		}
		p := filepath.Join(out, filepath.FromSlash(rel))
		if dir := filepath.Dir(p); !made[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			made[dir] = true
		}
		for size > len(buf) {
			buf = append(buf, buf...)
		}
		if err := os.WriteFile(p, buf[:size], 0o644); err != nil {
			return err
		}
		n++
	}
	fmt.Printf("created %d files\n", n)
	return nil
}

func readAll(root string) error {
	n, total := 0, int64(0)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		m, err := io.Copy(io.Discard, f)
		f.Close()
		n++
		total += m
		return err
	})
	fmt.Printf("read %d files, %d bytes\n", n, total)
	return err
}
