package sweep

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tooo/relpolicy/lint"
)

// DirSource sweeps local checkouts: every subdirectory of Dir is one
// repository, named owner/name after its origin remote when it has one
// (else by the directory's name), at the commit its .git HEAD names.
type DirSource struct{ Dir string }

// List returns the subdirectories of Dir (hidden ones aside).
func (d DirSource) List(ctx context.Context) ([]Repo, error) {
	entries, err := os.ReadDir(d.Dir)
	if err != nil {
		return nil, &ListError{Reason: "unreadable directory", Err: err}
	}
	var out []Repo
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		r := Repo{Name: e.Name()}
		if root, err := os.OpenRoot(filepath.Join(d.Dir, e.Name())); err == nil {
			r.Origin = lint.GitOrigin(root.FS())
			root.Close()
		}
		if parts := strings.Split(r.Origin, "/"); len(parts) == 3 {
			r.Owner, r.Name = parts[1], parts[2]
		}
		r.DefaultBranch = "HEAD"
		out = append(out, r)
	}
	return out, nil
}

func (d DirSource) dir(r Repo) string {
	// List named the repository after its origin; find its directory.
	entries, _ := os.ReadDir(d.Dir)
	for _, e := range entries {
		p := filepath.Join(d.Dir, e.Name())
		if e.Name() == r.Name && r.Owner == "" {
			return p
		}
		if root, err := os.OpenRoot(p); err == nil {
			o := lint.GitOrigin(root.FS())
			root.Close()
			if o != "" && o == r.Origin {
				return p
			}
		}
	}
	return filepath.Join(d.Dir, r.Name)
}

// Head returns the commit .git/HEAD names, resolving a branch through
// .git/refs or .git/packed-refs; "" when the directory is not a git
// checkout (its result is then not cached).
func (d DirSource) Head(ctx context.Context, r Repo) (string, error) {
	root, err := os.OpenRoot(d.dir(r))
	if err != nil {
		return "", err
	}
	defer root.Close()
	fsys := root.FS()
	b, err := fs.ReadFile(fsys, ".git/HEAD")
	if err != nil {
		return "", nil
	}
	head := strings.TrimSpace(string(b))
	ref, ok := strings.CutPrefix(head, "ref: ")
	if !ok {
		return head, nil
	}
	if b, err := fs.ReadFile(fsys, ".git/"+ref); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if b, err := fs.ReadFile(fsys, ".git/packed-refs"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if sha, name, ok := strings.Cut(sc.Text(), " "); ok && name == ref {
				return sha, nil
			}
		}
	}
	return "", fmt.Errorf("resolving %s: not in .git/refs or .git/packed-refs", ref)
}

// Open returns the checkout through an os.Root, as lint reads it (no link
// leads outside); the caller closes it.
func (d DirSource) Open(ctx context.Context, r Repo, rev string) (fs.FS, error) {
	root, err := os.OpenRoot(d.dir(r))
	if err != nil {
		return nil, err
	}
	return rootFS{FS: root.FS(), root: root}, nil
}

type rootFS struct {
	fs.FS
	root *os.Root
}

func (r rootFS) Close() error { return r.root.Close() }

func (r rootFS) ReadFile(name string) ([]byte, error)       { return fs.ReadFile(r.FS, name) }
func (r rootFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(r.FS, name) }
func (r rootFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(r.FS, name) }
