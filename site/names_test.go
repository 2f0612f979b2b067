package site

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tooo/relpolicy/schema"
)

// TestNamesAgreeWithSchema: the site accepts a repository name, a release
// version or a file name exactly when the schema's pattern and maxLength
// (as published in the generated JSON Schema) accept it, apart from the
// site's own 200-byte cap on owner and repository names. Each row also
// states the expected answer, so a pattern change that both sides follow
// still shows here.
func TestNamesAgreeWithSchema(t *testing.T) {
	schemaAccepts := func(s, pattern string, maxLength *uint64) bool {
		if maxLength != nil && uint64(utf8.RuneCountInString(s)) > *maxLength {
			return false
		}
		return regexp.MustCompile(pattern).MatchString(s)
	}
	long := strings.Repeat("a", 201)
	for _, tc := range []struct {
		kind, name string
		want       bool
	}{
		{"repo", "tooo/relpolicy", true},
		{"repo", "tooo/relpolicy.go", true},
		{"repo", "my-org/my_repo-2", true},
		{"repo", "tooo/.github", false}, // GitHub allows it; the schema does not
		{"repo", "tooo/a..b", false},
		{"repo", "tooo/a.", false},
		{"repo", "tooo/a+b", false},
		{"repo", "to.oo/x", false},
		{"repo", "-tooo/x", false},
		{"repo", "tooo", false},
		{"repo", "tooo/x/y", false},
		{"repo", "/x", false},
		{"repo", "tooo/", false},
		{"repo", "", false},
		{"version", "1.4.0", true},
		{"version", "v2.0.0-rc.1+build_7", true},
		{"version", strings.Repeat("1", 200), true},
		{"version", strings.Repeat("1", 201), false},
		{"version", "1.0.", false},
		{"version", ".1", false},
		{"version", "1..0", false},
		{"version", "..", false},
		{"version", "a/b", false},
		{"version", `a\b`, false},
		{"version", "feed xml", false},
		{"version", "", false},
		{"file", "tool.tar.gz", true},
		{"file", "-fw.bin", true},
		{"file", "..x", true},
		{"file", ".hidden", true},
		{"file", "Änderung.tar.gz", true},
		{"file", strings.Repeat("ä", 255), true},
		{"file", strings.Repeat("ä", 256), false},
		{"file", "-", false}, // sha256sum -c reads "-" as standard input
		{"file", ".", false},
		{"file", "..", false},
		{"file", "", false},
		{"file", "a/b", false},
		{"file", `a\b`, false},
		{"file", "a\nb", false},
		{"file", "tr\r", false},
		{"file", "a\x7f", false},
	} {
		var siteErr error
		var inSchema bool
		switch tc.kind {
		case "repo":
			_, _, siteErr = splitName(tc.name)
			inSchema = schemaAccepts(tc.name, schema.OwnerNamePattern, schema.OwnerName("").JSONSchema().MaxLength)
		case "version":
			siteErr = checkSegment("release version", tc.name)
			inSchema = schemaAccepts(tc.name, schema.VersionPattern, schema.Version("").JSONSchema().MaxLength)
		case "file":
			siteErr = checkFileName(tc.name)
			inSchema = schemaAccepts(tc.name, schema.FileNamePattern, schema.FileName("").JSONSchema().MaxLength)
		}
		if siteErr != nil && !errors.Is(siteErr, ErrUnsafeName) {
			t.Errorf("%s %q: %v, want ErrUnsafeName", tc.kind, tc.name, siteErr)
		}
		if site := siteErr == nil; site != tc.want || inSchema != tc.want {
			t.Errorf("%s %q: site accepts %v, schema accepts %v, want %v (%v)", tc.kind, tc.name, site, inSchema, tc.want, siteErr)
		}
	}
	// The one limit the site adds: owner and repository name segments are
	// capped at maxSegment bytes, which the schema leaves unbounded.
	for _, name := range []string{long + "/x", "x/" + long} {
		if !schema.OwnerName(name).Valid() {
			t.Errorf("schema refuses %.20q..., the test needs a schema-valid name", name)
		}
		if _, _, err := splitName(name); !errors.Is(err, ErrUnsafeName) {
			t.Errorf("splitName(%.20q...) = %v, want ErrUnsafeName", name, err)
		}
	}
}
