package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/surface"
)

// Discover turns the paths given to `relpolicy site` into repository
// directories (directories holding a release-policy.yaml), sorted and
// without duplicates:
//
//   - a release-policy.yaml file stands for its directory;
//   - a directory with a release-policy.yaml is a repository;
//   - any other directory is an organisation checkout: its immediate
//     subdirectories that are repositories, and for owner/repo layouts the
//     subdirectories of those that are not, one level down. Hidden
//     directories (.git) are skipped.
//
// A path that does not exist, a file of another name, or a directory with
// no repository is an error.
func Discover(paths []string) ([]string, error) {
	var dirs []string
	for _, p := range paths {
		found, err := discover(p)
		if err != nil {
			return nil, err
		}
		dirs = append(dirs, found...)
	}
	for i, d := range dirs {
		dirs[i] = filepath.Clean(d)
	}
	slices.Sort(dirs)
	return slices.Compact(dirs), nil
}

func discover(p string) ([]string, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("discovering repositories: %w", err)
	}
	if !fi.IsDir() {
		if filepath.Base(p) != surface.PolicyFile {
			return nil, fmt.Errorf("discovering repositories: %s is a file but not a %s", p, surface.PolicyFile)
		}
		return []string{filepath.Dir(p)}, nil
	}
	if isRepo(p) {
		return []string{p}, nil
	}
	var found []string
	subs, err := subdirs(p)
	if err != nil {
		return nil, err
	}
	for _, s := range subs {
		if isRepo(s) {
			found = append(found, s)
			continue
		}
		inner, err := subdirs(s)
		if err != nil {
			return nil, err
		}
		for _, in := range inner {
			if isRepo(in) {
				found = append(found, in)
			}
		}
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("discovering repositories: no %s in %s or the directories below it", surface.PolicyFile, p)
	}
	return found, nil
}

func isRepo(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, surface.PolicyFile))
	return err == nil && fi.Mode().IsRegular()
}

// subdirs lists the non-hidden directories in dir (following symlinks).
func subdirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, nil
		}
		return nil, fmt.Errorf("discovering repositories: %w", err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			out = append(out, p)
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				out = append(out, p)
			}
		}
	}
	return out, nil
}
