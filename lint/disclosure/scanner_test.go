package disclosure

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

func TestScanFS(t *testing.T) {
	fsys := fstest.MapFS{
		"release-policy.yaml":      {Data: []byte("repository:\n  homepage: https://build01.corp/aurora\n")},
		"README.md":                {Data: []byte("Builds run on organization-controlled build infrastructure.\n")},
		"SECURITY.md":              {Data: []byte("Report to security@example.org.\n")},
		"docs/building.md":         {Data: []byte("The cache is at 10.1.2.3.\n")},
		"docs/examples/sample.md":  {Data: []byte("Example host: cache.internal\n")},
		"docs/logo.png":            {Data: []byte("\x89PNG")},
		"docs/binary.txt":          {Data: []byte("a\x00b")},
		".github/workflows/ci.yml": {Data: []byte("jobs:\n  b:\n    runs-on: [self-hosted, rack7-gpu]\n    steps:\n      - run: curl http://10.9.9.9/\n")},
		"src/main.go":              {Data: []byte("// 10.0.0.1 is not public text\n")},
	}
	fs, skipped, err := testScanner().ScanFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%d:%d %s %s", f.Path, f.Line, f.Column, f.Rule, f.Confidence.Level()))
	}
	// Workflows are public text for RP502-RP505 too; a value's confidence
	// follows where it stands (evidence.go).
	want := []string{
		".github/workflows/ci.yml:3:28 RP504 high",
		".github/workflows/ci.yml:5:26 RP502 medium",
		"docs/building.md:1:17 RP502 medium",
		"release-policy.yaml:2:21 RP503 high",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
	var skips []string
	for _, s := range skipped {
		skips = append(skips, s.Path+": "+s.Reason)
	}
	slices.Sort(skips)
	if want := []string{"docs/binary.txt: binary file", "docs/examples/sample.md: allowed by the organisation config", "docs/logo.png: not a text file type"}; !slices.Equal(skips, want) {
		t.Errorf("skipped\n got %q\nwant %q", skips, want)
	}
}

// TestGeneralTermsAllowed: the policy lets public docs describe the release
// posture in general terms; none of them may raise anything.
func TestGeneralTermsAllowed(t *testing.T) {
	text := `Official artifacts are built on organization-controlled build infrastructure
by official builders running trusted release workflows, and published to public
distribution endpoints. Organization-controlled build infrastructure may include
self-hosted runners, dedicated build hosts or organization-managed cloud execution.
Release credentials are short-lived; privileged builders are isolated from
validation CI and reviewed every quarter.
`
	for _, kind := range []surface.Kind{surface.Policy, surface.Markdown, surface.Text} {
		if fs := scan(t, kind, text); len(fs) != 0 {
			t.Errorf("kind %d: %v", kind, fs)
		}
	}
}

// TestScanConcurrent shares one scanner across goroutines (run with -race).
func TestScanConcurrent(t *testing.T) {
	s, err := New(testConfig)
	if err != nil {
		t.Fatal(err)
	}
	text := []byte("token = \"q8Z3xV7mK2pL9wR4tY6nB1cH5jF0gD3s\"\nhost build01.corp at 10.0.0.7 on VLAN 12\n")
	want := s.ScanFile("docs/a.md", surface.Markdown, text)
	if len(want) != 4 {
		t.Fatalf("want 4 findings, got %v", want)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := s.ScanFile("docs/a.md", surface.Markdown, text); !slices.Equal(got, want) {
					t.Errorf("concurrent scan differs: %v", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestHostileInput(t *testing.T) {
	long := strings.Repeat("key=", 1<<16) + strings.Repeat("a", 1<<17)
	for name, text := range map[string]string{
		"long line":    long,
		"nul bytes":    "password = \"\x00Xk9mQ2vL7pR4wZ8tN3qH\x00\"\n10.0.0.1\x00",
		"invalid utf8": "\xff\xfe10.0.0.1\xc3 build01.corp\xe2\x80 \xed\xa0\x80 VLAN 7",
		"only dots":    strings.Repeat(".", 100000),
		"colons":       strings.Repeat(":", 100000) + strings.Repeat("fd00:", 20000),
		"crlf":         "a\r\nkey: value\r\n\r\n",
		"deep base64":  strings.Repeat("YWJj", 30000),
	} {
		fs := testScanner().ScanFile("docs/x.md", surface.Markdown, []byte(text))
		for _, f := range fs {
			if f.Line < 1 || f.Column < 1 || !utf8.ValidString(f.Message) && f.Rule != "RP501" {
				t.Errorf("%s: bad finding %+v", name, f)
			}
		}
	}
}

func TestFindingOrder(t *testing.T) {
	fs := scan(t, surface.Markdown, "b 10.0.0.2\na 10.0.0.1 build01.corp\n")
	if !slices.IsSortedFunc(fs, finding.Compare) || len(fs) != 3 {
		t.Errorf("findings not in report order: %v", fs)
	}
}
