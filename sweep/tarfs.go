package sweep

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"

	"github.com/tooo/relpolicy/lint/surface"
)

// Read reports whether lint reads path's content (as opposed to only
// testing that it exists): the policy and every file at the root (README*,
// SECURITY*, Markdown), docs/**, .github/** (workflows, local actions), and
// YAML anywhere (a builder's ref may name a workflow outside
// .github/workflows). Everything else is kept as a name only.
func Read(p string) bool {
	switch {
	case !strings.Contains(p, "/"), strings.HasPrefix(p, "docs/"), strings.HasPrefix(p, ".github/"):
		return true
	}
	ext := strings.ToLower(path.Ext(p))
	return ext == ".yml" || ext == ".yaml"
}

// TarballFS reads a gzipped tarball of one repository, as GitHub's tarball
// endpoint serves it (every path under one top-level directory, stripped
// here), into an in-memory file system holding every path and the content
// of the files lint reads (Read). A file that lint reads but that is
// larger than surface.MaxSize keeps only its first MaxSize+1 bytes: lint
// skips it by size, without reading it. Symbolic links stay links (lint
// does not follow them). Paths that are not valid fs paths are an error.
func TarballFS(r io.Reader) (fs.FS, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("reading tarball: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	out := fstest.MapFS{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading tarball: %w", err)
		}
		if h.Typeflag == tar.TypeXGlobalHeader || h.Typeflag == tar.TypeXHeader {
			continue
		}
		_, p, ok := strings.Cut(strings.TrimPrefix(h.Name, "./"), "/")
		p = strings.TrimSuffix(p, "/")
		if !ok || p == "" {
			continue // the top-level directory
		}
		if !fs.ValidPath(p) {
			return nil, fmt.Errorf("reading tarball: entry %q is not a valid path", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			out[p] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
		case tar.TypeSymlink:
			out[p] = &fstest.MapFile{Mode: fs.ModeSymlink | 0o777, Data: []byte(h.Linkname)}
		case tar.TypeReg:
			f := &fstest.MapFile{Mode: 0o644}
			if Read(p) {
				b, err := io.ReadAll(io.LimitReader(tr, surface.MaxSize+1))
				if err != nil {
					return nil, fmt.Errorf("reading tarball entry %s: %w", p, err)
				}
				f.Data = b
			}
			out[p] = f
		}
	}
	return out, nil
}
