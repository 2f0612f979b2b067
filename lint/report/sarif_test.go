package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint/finding"
)

// goldenRoot is %SRCROOT% in the golden SARIF files, so they do not depend
// on the machine.
const goldenRoot = "/src/project"

// uriCases are issue 10's file names that GitHub's upload rejected or
// pointed at another file, with the URI each must get.
var uriCases = []struct {
	repo, path string
	uri, base  string
}{
	{".", "docs/release notes.md", "docs/release%20notes.md", SrcRootID},
	{".", "docs/Änderungen.md", "docs/%C3%84nderungen.md", SrcRootID},
	{".", "docs/[draft].md", "docs/%5Bdraft%5D.md", SrcRootID},
	{".", "docs/a#b.md", "docs/a%23b.md", SrcRootID},
	{".", "docs/what?.md", "docs/what%3F.md", SrcRootID},
	{".", "docs/%41.md", "docs/%2541.md", SrcRootID},
	{".", "NOTES:2026.md", "NOTES%3A2026.md", SrcRootID},
	{".", "docs/line\nbreak.md", "docs/line%0Abreak.md", SrcRootID},
	{"repos/app one", "release-policy.yaml", "repos/app%20one/release-policy.yaml", SrcRootID},
	{goldenRoot + "/abs", "release-policy.yaml", "abs/release-policy.yaml", SrcRootID},
	{goldenRoot + "/../elsewhere/a b", "x.md", "file:///src/elsewhere/a%20b/x.md", ""},
	{"../sibling", "x.md", "file:///src/sibling/x.md", ""},
}

func uriFindings() []finding.Finding {
	var fs []finding.Finding
	for i, c := range uriCases {
		fs = append(fs, finding.Finding{Repo: c.repo, Rule: "RP502", Severity: finding.Warning, Path: c.path, Line: i % 3, Column: 0,
			Message: "private address 10.0.0." + fmt.Sprint(i), Hint: "remove it", Confidence: finding.Medium})
	}
	return fs
}

func sarifOf(t *testing.T, fs []finding.Finding) (sarifLog, []byte) {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, "sarif", Tool{Name: "relpolicy", Version: "0.1.0", SrcRoot: goldenRoot}, fs, 1); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	return log, b.Bytes()
}

func TestSARIFURIs(t *testing.T) {
	log, _ := sarifOf(t, uriFindings())
	run := log.Runs[0]
	if got := run.OriginalURIBaseIDs[SrcRootID].URI; got != "file:///src/project/" {
		t.Errorf("originalUriBaseIds: %q", got)
	}
	for i, r := range run.Results {
		c := uriCases[i]
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != c.uri || loc.ArtifactLocation.URIBaseID != c.base {
			t.Errorf("%q %q: uri %q base %q, want %q %q", c.repo, c.path, loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID, c.uri, c.base)
		}
		// The reference resolves against the base to the file's own path.
		u, err := url.Parse(loc.ArtifactLocation.URI)
		if err != nil || (c.base != "" && (u.Scheme != "" || u.Opaque != "")) {
			t.Errorf("%q is not a relative URI reference: %v %+v", loc.ArtifactLocation.URI, err, u)
			continue
		}
		base, _ := url.Parse(run.OriginalURIBaseIDs[SrcRootID].URI)
		if c.base == "" {
			base = nil
		}
		abs := u
		if base != nil {
			abs = base.ResolveReference(u)
		}
		want := filepath.ToSlash(filepath.Join(goldenRoot, c.repo, c.path))
		if filepath.IsAbs(c.repo) {
			want = filepath.ToSlash(filepath.Join(c.repo, c.path))
		}
		if abs.Path != want {
			t.Errorf("%q resolves to %q, want %q", loc.ArtifactLocation.URI, abs.Path, want)
		}
		if loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("result %d region %+v: startLine and startColumn must be >= 1", i, loc.Region)
		}
		if r.PartialFingerprints["primaryLocationLineHash"] == "" || r.Properties.Confidence != finding.Medium {
			t.Errorf("result %d: fingerprints %v, properties %+v", i, r.PartialFingerprints, r.Properties)
		}
	}
	rp502 := run.Tool.Driver.Rules[ruleIndexOf(t, run, "RP502")]
	if rp502.Properties.Precision != "medium" || rp502.Properties.SecuritySeverity == "" || rp502.Properties.Tags[0] != "security" {
		t.Errorf("RP502 properties: %+v", rp502.Properties)
	}
	if run.AutomationDetails.ID != SARIFAutomationID {
		t.Errorf("automationDetails: %+v", run.AutomationDetails)
	}
}

func ruleIndexOf(t *testing.T, run sarifRun, id string) int {
	for i, r := range run.Tool.Driver.Rules {
		if r.ID == id {
			return i
		}
	}
	t.Fatalf("no rule %s", id)
	return -1
}

// TestSARIFCap: a docs file with 30,000 private addresses gave one run of
// 30,000 results; GitHub accepts 25,000. The errors come first and a
// notification says how many were left out. The test scales the limit and
// the input down by 100 (make sarif-validate runs the real binary on the
// full-size reproducer).
func TestSARIFCap(t *testing.T) {
	defer func(n int) { maxSARIFResults = n }(maxSARIFResults)
	maxSARIFResults = MaxSARIFResults / 100
	var fs []finding.Finding
	for i := range 300 {
		fs = append(fs, finding.Finding{Repo: ".", Rule: "RP502", Severity: finding.Warning, Path: "docs/hosts.md", Line: i + 1, Column: 1, Message: fmt.Sprintf("private address 10.0.%d.%d", i/256, i%256)})
	}
	fs = append(fs, finding.Finding{Repo: ".", Rule: "RP502", Severity: finding.Warning, Path: "docs/z.md", Line: 1, Column: 1, Message: "maybe", Confidence: finding.Low})
	fs = append(fs, finding.Finding{Repo: ".", Rule: "RP501", Severity: finding.Error, Path: "docs/z.md", Line: 1, Column: 1, Message: "credential"})
	log, _ := sarifOf(t, fs)
	run := log.Runs[0]
	if len(run.Results) != 250 {
		t.Fatalf("%d results, want 250", len(run.Results))
	}
	if run.Results[0].RuleID != "RP501" {
		t.Errorf("the error is not first: %+v", run.Results[0])
	}
	for _, r := range run.Results {
		if r.Properties.Confidence == finding.Low {
			t.Errorf("a low-confidence warning was kept before high-confidence ones: %+v", r)
		}
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].ToolExecutionNotifications) != 1 ||
		!strings.Contains(run.Invocations[0].ToolExecutionNotifications[0].Message.Text, "52 of 302 results were left out: GitHub code scanning accepts at most 250 results per run") {
		t.Errorf("notification: %+v", run.Invocations)
	}
	seen := map[string]bool{}
	for _, r := range run.Results {
		h := r.PartialFingerprints["primaryLocationLineHash"]
		if seen[h] {
			t.Fatalf("primaryLocationLineHash %s repeats", h)
		}
		seen[h] = true
	}
	small, _ := sarifOf(t, fs[:10])
	if len(small.Runs[0].Invocations) != 0 {
		t.Errorf("a notification without anything left out: %+v", small.Runs[0].Invocations)
	}
}

// TestSARIFGolden keeps the SARIF files that make sarif-validate feeds to
// Microsoft's SARIF validator (rule kinds Sarif and Gh) in
// testdata/sarif/golden; go test ./lint/report -run TestSARIFGolden -update
// rewrites them.
func TestSARIFGolden(t *testing.T) {
	cases := map[string][]finding.Finding{
		"no-findings.sarif": nil,
		"sample.sarif":      sample,
		"uris.sarif":        uriFindings(),
	}
	for name, fs := range cases {
		_, got := sarifOf(t, fs)
		path := filepath.Join("..", "..", "testdata", "sarif", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale (%v): go test ./lint/report -run TestSARIFGolden -update", path, err)
		}
	}
}
