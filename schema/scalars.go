package schema

import (
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/invopop/jsonschema"
)

// Patterns of the constrained strings. RE2 syntax (no look-around): the
// validator and the generated schema share them.
const (
	SlugPattern      = `^[a-z0-9][a-z0-9-]*$`
	OwnerNamePattern = `^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9](?:[A-Za-z0-9_-]|\.[A-Za-z0-9_-])*$`
	// A release version is also a path segment of the public site: no
	// slashes, no "..", no leading or trailing dot.
	VersionPattern = `^[A-Za-z0-9](?:[A-Za-z0-9_+-]|\.[A-Za-z0-9_+-])*$`
	// A published file name: one plain name that becomes a SHA256SUMS line
	// and that sha256sum -c (GNU coreutils) takes literally from a
	// "HEX  NAME" line: not "-" (which it reads as standard input), no
	// newline (lines), no trailing CR (stripped), no backslash (a line of
	// sha256sum's own output that starts with "\" unescapes the name, and
	// other verifiers disagree), no slash, not "." or "..".
	FileNamePattern = `^(?:[^/\\\x00-\x1f\x7f.-]|-[^/\\\x00-\x1f\x7f]|\.[^/\\\x00-\x1f\x7f.]|\.\.[^/\\\x00-\x1f\x7f])[^/\\\x00-\x1f\x7f]*$`
	HTTPSURLPattern = `^https://[^\s/?#]+[^\s]*$`
	DigestPattern   = `^sha256:[a-f0-9]{64}$`
	SHA256Pattern   = `^[a-f0-9]{64}$`
	DatePattern     = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	// A repo-relative path: no leading slash or backslash, no drive letter,
	// no "." or ".." segment, no empty segment.
	// A path glob: repo-relative, no backslash or character classes,
	// {a,b} alternatives not nested (so every accepted glob compiles).
	GlobPattern     = `^[^/\\\[\]{}](?:[^\\\[\]{}]|\{[^\\\[\]{}/]*\})*$|^\{[^\\\[\]{}/]*\}(?:[^\\\[\]{}]|\{[^\\\[\]{}/]*\})*$`
	RuleIDPattern   = `^RP[0-9]{3}$`
	RepoPathPattern = `^(?:[^/\\:.][^/\\:]*|\.[^/\\:.][^/\\:]*|\.\.[^/\\:]+)(?:/(?:[^/\\:.][^/\\:]*|\.[^/\\:.][^/\\:]*|\.\.[^/\\:]+))*$`
)

// Maximum lengths of the constrained strings, in characters (JSON Schema's
// maxLength counts code points, not bytes).
const (
	// MaxVersionLength caps a release version, which is a path segment of
	// the public site; file systems refuse names over 255 bytes.
	MaxVersionLength = 200
	// MaxFileNameLength caps a published file name (a file name limit of
	// common file systems).
	MaxFileNameLength = 255
)

// Compiled patterns behind the Valid methods; the validator matches the same
// patterns through the generated schema.
var (
	ownerNameRE = regexp.MustCompile(OwnerNamePattern)
	versionRE   = regexp.MustCompile(VersionPattern)
	fileNameRE  = regexp.MustCompile(FileNamePattern)
)

// PatternDescriptions turns a pattern into words for error messages.
var PatternDescriptions = map[string]string{
	SlugPattern:       "a slug of lowercase letters, digits and hyphens (like my-image)",
	OwnerNamePattern:  `"owner/name" (letters, digits, '-', '_' and single dots)`,
	VersionPattern:    "a version of letters, digits, '.', '_', '+' and '-' (no slashes, no \"..\"), like 1.4.0 or v2.0.0-rc.1",
	FileNamePattern:   `a plain file name that "sha256sum -c" takes literally: no slash, no backslash, no control character such as a newline or CR, not ".", ".." or "-" (which sha256sum -c reads as standard input)`,
	HTTPSURLPattern:   "an https:// URL",
	DigestPattern:     `"sha256:" followed by 64 lowercase hex digits`,
	SHA256Pattern:     "64 lowercase hex digits",
	DatePattern:       "a date YYYY-MM-DD",
	RepoPathPattern:   "a repo-relative path (no leading /, no .. segments)",
	GlobPattern:       "a repo-relative glob (*, **, ?, {a,b}; no leading /, no backslash or [classes])",
	RuleIDPattern:     "a rule ID like RP503",
	`^[a-f0-9]{128}$`: "128 lowercase hex digits",
}

// Slug is an id: lowercase letters, digits and hyphens.
type Slug string

// JSONSchema implements jsonschema.customSchemaImpl.
func (Slug) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: SlugPattern, Description: "A slug: lowercase letters, digits and hyphens."}
}

// OwnerName is a repository name "owner/name".
type OwnerName string

// JSONSchema implements jsonschema.customSchemaImpl.
func (OwnerName) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: OwnerNamePattern, Description: `A repository as "owner/name".`}
}

// Valid reports whether n is an "owner/name" the schema accepts: it matches
// OwnerNamePattern (an owner of letters, digits and '-'; a name of letters,
// digits, '-', '_' and single dots that starts with a letter or digit and
// does not end with a dot, so never ".github"). It sets no length limit.
func (n OwnerName) Valid() bool { return ownerNameRE.MatchString(string(n)) }

// HTTPSURL is an absolute https URL.
type HTTPSURL string

// JSONSchema implements jsonschema.customSchemaImpl.
func (HTTPSURL) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: HTTPSURLPattern, Format: "uri", Description: "An absolute https URL."}
}

// Digest is an OCI content digest.
type Digest string

// JSONSchema implements jsonschema.customSchemaImpl.
func (Digest) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: DigestPattern, Description: "An OCI content digest, sha256:<64 hex>."}
}

// SHA256Hex is a hex SHA-256.
type SHA256Hex string

// JSONSchema implements jsonschema.customSchemaImpl.
func (SHA256Hex) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: SHA256Pattern, Description: "A SHA-256 as 64 lowercase hex digits."}
}

// RepoPath is a repo-relative path.
type RepoPath string

// JSONSchema implements jsonschema.customSchemaImpl.
func (RepoPath) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: RepoPathPattern, Description: "A repo-relative path: never absolute, never with .. segments."}
}

// Glob is a repo-relative path glob (doublestar syntax without classes).
type Glob string

// JSONSchema implements jsonschema.customSchemaImpl.
func (Glob) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: GlobPattern, Description: "A repo-relative path glob: * within a segment, ** across segments, ? one character, {a,b} alternatives."}
}

// RuleID is a relpolicy rule ID.
type RuleID string

// JSONSchema implements jsonschema.customSchemaImpl.
func (RuleID) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: RuleIDPattern, Description: "A relpolicy rule ID, like RP503."}
}

// Version is a release version; it names a page of the public site.
type Version string

// JSONSchema implements jsonschema.customSchemaImpl.
func (Version) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: VersionPattern, MaxLength: ptr(uint64(MaxVersionLength)), Description: "A release version: letters, digits, '.', '_', '+' and '-'."}
}

// FileName is a published file's name.
type FileName string

// JSONSchema implements jsonschema.customSchemaImpl.
func (FileName) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: FileNamePattern, MaxLength: ptr(uint64(MaxFileNameLength)), Description: "A plain file name."}
}

// Valid reports whether v is a version the schema accepts: it matches
// VersionPattern (one path segment: no slash, no "..", no leading or
// trailing dot) and has at most MaxVersionLength characters.
func (v Version) Valid() bool {
	return utf8.RuneCountInString(string(v)) <= MaxVersionLength && versionRE.MatchString(string(v))
}

// Valid reports whether f is a file name the schema accepts: it matches
// FileNamePattern (one plain name that sha256sum -c takes literally, so
// never "-", ".", "..", nor a name with a slash, backslash or control
// character) and has at most MaxFileNameLength characters.
func (f FileName) Valid() bool {
	return utf8.RuneCountInString(string(f)) <= MaxFileNameLength && fileNameRE.MatchString(string(f))
}

func ptr[T any](v T) *T { return &v }

// Date is a calendar date YYYY-MM-DD. Unquoted YAML dates load as written.
type Date string

// JSONSchema implements jsonschema.customSchemaImpl.
func (Date) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: DatePattern, Format: "date", Description: "A date, YYYY-MM-DD."}
}

// Time parses the date as midnight UTC.
func (d Date) Time() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, string(d))
	return t, err == nil
}

// Timestamp is an RFC 3339 timestamp. Unquoted YAML timestamps load as written.
type Timestamp string

// JSONSchema implements jsonschema.customSchemaImpl.
func (Timestamp) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Format: "date-time", Description: "An RFC 3339 timestamp."}
}

// Time parses the timestamp.
func (t Timestamp) Time() (time.Time, bool) {
	v, err := time.Parse(time.RFC3339, string(t))
	return v, err == nil
}
