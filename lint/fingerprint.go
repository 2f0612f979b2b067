package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"

	"github.com/tooo/relpolicy/lint/baseline"
)

// maxFingerprintFile caps a file read for the text of a finding's line.
const maxFingerprintFile = 8 << 20

// Fingerprint sets the Fingerprint of every finding in res.Findings (see
// package baseline). Their repository part is the policy's owner/name when
// it loads, else the directory's name, so a baseline matches however the
// path was typed (lint . or lint ../aurora).
func Fingerprint(res *Result) {
	keyOf := map[string]string{} // repository as named → stable key
	dirOf := map[string]string{} // stable key → directory
	for _, r := range res.Repos {
		key := filepath.Base(absOr(r.Dir))
		if r.Doc != nil && r.Doc.Policy != nil {
			key = string(r.Doc.Policy.Repository.Name)
		}
		keyOf[r.Name], dirOf[key] = key, r.Dir
	}
	stable := slices.Clone(res.Findings)
	for i := range stable {
		stable[i].Repo = keyOf[stable[i].Repo]
	}
	lines := map[string][][]byte{}
	baseline.Assign(stable, func(repo, path string, line int) string {
		file := filepath.Join(dirOf[repo], filepath.FromSlash(path))
		ls, ok := lines[file]
		if !ok {
			if b, err := os.ReadFile(file); err == nil && len(b) <= maxFingerprintFile {
				ls = bytes.Split(b, []byte("\n"))
			}
			lines[file] = ls
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

func absOr(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
