package site

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrUnsafeName reports an owner, repository name, version or file name that
// cannot be used as part of an output path or a SHA256SUMS line.
var ErrUnsafeName = errors.New("unsafe name")

// segmentRE is the allowlist for every name that becomes a path segment of
// the site: owners, repository names and release versions.
var segmentRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`)

// maxSegment caps a path segment; file systems refuse names over 255 bytes.
const maxSegment = 200

// checkSegment reports whether s is safe as one output path segment.
func checkSegment(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%s is empty: %w", what, ErrUnsafeName)
	case len(s) > maxSegment:
		return fmt.Errorf("%s %q is longer than %d bytes: %w", what, s, maxSegment, ErrUnsafeName)
	case strings.Contains(s, ".."):
		return fmt.Errorf("%s %q contains \"..\": %w", what, s, ErrUnsafeName)
	case !segmentRE.MatchString(s):
		return fmt.Errorf("%s %q must match %s (letters, digits, '.', '_', '+', '-'; no slashes): %w", what, s, segmentRE, ErrUnsafeName)
	}
	return nil
}

// splitName splits and checks a repository "owner/name".
func splitName(name string) (owner, repo string, err error) {
	owner, repo, ok := strings.Cut(name, "/")
	if !ok {
		return "", "", fmt.Errorf("repository name %q is not \"owner/name\": %w", name, ErrUnsafeName)
	}
	if err := checkSegment("repository owner", owner); err != nil {
		return "", "", err
	}
	if err := checkSegment("repository name", repo); err != nil {
		return "", "", err
	}
	return owner, repo, nil
}

// checkFileName reports whether a release file name can appear in a
// SHA256SUMS line: one plain name, no directories, no control characters
// (sha256sum would escape them, or a newline would forge a line).
func checkFileName(name string) error {
	if name == "" || name == "." || name == ".." || name == "-" {
		return fmt.Errorf("file name %q is not a plain file name (sha256sum -c reads \"-\" as standard input): %w", name, ErrUnsafeName)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return fmt.Errorf("file name %q contains a slash, backslash or control character: %w", name, ErrUnsafeName)
		}
	}
	return nil
}

// ParseReference splits an OCI reference "registry/repo:tag@sha256:..."
// into the repository, the tag and the digest. A colon only starts a tag
// after the last slash, so "localhost:5000/x" has no tag.
func ParseReference(ref string) (repository, tag, digest string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref, digest = ref[:i], ref[i+1:]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref, tag = ref[:i], ref[i+1:]
	}
	return ref, tag, digest
}
