package lint

import (
	"bytes"
	"io/fs"
	"path"
	"path/filepath"
	"slices"

	"github.com/tooo/relpolicy/lint/baseline"
)

// maxFingerprintFile caps a file read for the text of a finding's line.
const maxFingerprintFile = 8 << 20

// Fingerprint sets the Fingerprint of every finding in res.Findings (see
// package baseline). Their repository part is the policy's owner/name when
// it loads, else the directory's name, so a baseline matches however the
// path was typed (lint . or lint ../aurora). The lines are read through
// each repository's file system.
func Fingerprint(res *Result) {
	keyOf := map[string]string{} // repository as named → stable key
	fsOf := map[string]fs.FS{}   // stable key → file system
	for _, r := range res.Repos {
		key := path.Base(filepath.ToSlash(r.Name))
		if r.Dir != "" {
			key = filepath.Base(absOr(r.Dir))
		}
		if r.Doc != nil && r.Doc.Policy != nil {
			key = string(r.Doc.Policy.Repository.Name)
		}
		keyOf[r.Name], fsOf[key] = key, r.fsys
	}
	stable := slices.Clone(res.Findings)
	for i := range stable {
		stable[i].Repo = keyOf[stable[i].Repo]
	}
	type file struct{ repo, path string }
	lines := map[file][][]byte{}
	baseline.Assign(stable, func(repo, name string, line int) string {
		f := file{repo, name}
		ls, ok := lines[f]
		if !ok {
			ls = readLines(fsOf[repo], name)
			lines[f] = ls
		}
		if line < 1 || line > len(ls) {
			return ""
		}
		return string(ls[line-1])
	})
	for i := range stable {
		res.Findings[i].Fingerprint = stable[i].Fingerprint
	}
}

// readLines returns a file's lines, or nil when it cannot be read or is
// larger than maxFingerprintFile.
func readLines(fsys fs.FS, name string) [][]byte {
	if fsys == nil || !fs.ValidPath(name) {
		return nil
	}
	if info, err := fs.Stat(fsys, name); err != nil || !info.Mode().IsRegular() || info.Size() > maxFingerprintFile {
		return nil
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil || len(b) > maxFingerprintFile {
		return nil
	}
	return bytes.Split(b, []byte("\n"))
}

func absOr(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
