package site

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tooo/relpolicy/schema"
)

// ErrUnsafeName reports an owner, repository name, version or file name that
// cannot be used as part of an output path or a SHA256SUMS line.
var ErrUnsafeName = errors.New("unsafe name")

// Names are checked with the schema's own patterns (schema.VersionPattern,
// schema.OwnerNamePattern, schema.FileNamePattern through their Valid
// methods), so the site accepts exactly the names a policy that loaded can
// hold. The site adds one limit of its own: maxSegment on the owner and the
// repository name, which the schema leaves unbounded.

// maxSegment caps a path segment; file systems refuse names over 255 bytes.
const maxSegment = 200

// checkSegment reports whether s is safe as one output path segment: a
// release version or a template file name. The segment rule is the schema's
// release version rule (schema.Version.Valid: letters, digits, '.', '_',
// '+', '-'; no slash, no "..", no leading or trailing dot).
func checkSegment(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%s is empty: %w", what, ErrUnsafeName)
	case len(s) > maxSegment:
		return fmt.Errorf("%s %q is longer than %d bytes: %w", what, s, maxSegment, ErrUnsafeName)
	case !schema.Version(s).Valid():
		return fmt.Errorf("%s %q must be %s: %w", what, s, schema.PatternDescriptions[schema.VersionPattern], ErrUnsafeName)
	}
	return nil
}

// splitName splits and checks a repository "owner/name": it must be one
// the schema accepts (schema.OwnerName.Valid, which refuses ".github"), and
// each half at most maxSegment bytes.
func splitName(name string) (owner, repo string, err error) {
	if !schema.OwnerName(name).Valid() {
		return "", "", fmt.Errorf("repository name %q is not %s: %w", name, schema.PatternDescriptions[schema.OwnerNamePattern], ErrUnsafeName)
	}
	owner, repo, _ = strings.Cut(name, "/")
	if len(owner) > maxSegment {
		return "", "", fmt.Errorf("repository owner %q is longer than %d bytes: %w", owner, maxSegment, ErrUnsafeName)
	}
	if len(repo) > maxSegment {
		return "", "", fmt.Errorf("repository name %q is longer than %d bytes: %w", repo, maxSegment, ErrUnsafeName)
	}
	return owner, repo, nil
}

// checkFileName reports whether a release file name can appear in a
// SHA256SUMS line: schema.FileName.Valid, one plain name, no directories,
// no control characters (sha256sum would escape them, or a newline would
// forge a line), and never "-" (which sha256sum -c reads as standard
// input). The refusal of "-" lives in schema.FileNamePattern.
func checkFileName(name string) error {
	if !schema.FileName(name).Valid() {
		return fmt.Errorf("file name %q is not %s: %w", name, schema.PatternDescriptions[schema.FileNamePattern], ErrUnsafeName)
	}
	return nil
}
