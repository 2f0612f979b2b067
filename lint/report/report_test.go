package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/tooo/relpolicy/lint/finding"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md")

var sample = []finding.Finding{
	{Repo: ".", Rule: "RP201", Severity: finding.Error, Path: "release-policy.yaml", Line: 23, Column: 7, Message: `release context tag "v*" is not protected`, Hint: "protect it"},
	{Repo: "examples/app", Rule: "RP205", Severity: finding.Warning, Path: "release-policy.yaml", Line: 40, Column: 20, Message: "builder uses long-lived credentials, 100%: done", Hint: "use OIDC\nnow"},
	{Repo: "x", Rule: "RP001", Severity: finding.Error, Path: "release-policy.yaml", Message: "release-policy.yaml not found", Hint: "add one", Fingerprint: "abc"},
}

var tool = Tool{Name: "relpolicy", Version: "0.1.0"}

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "text", tool, sample, 3); err != nil {
		t.Fatal(err)
	}
	want := `release-policy.yaml:23:7: error RP201: release context tag "v*" is not protected (hint: protect it)
examples/app/release-policy.yaml:40:20: warning RP205: builder uses long-lived credentials, 100%: done (hint: use OIDC\nnow)
x/release-policy.yaml: error RP001: release-policy.yaml not found (hint: add one)
2 errors, 1 warning in 3 repositories
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	Write(&b, "text", tool, nil, 1)
	if b.String() != "no findings in 1 repository\n" {
		t.Errorf("clean summary: %q", b.String())
	}
}

// TestOneFindingPerLine: issue 10's reproducer, a key or file name with a
// newline or carriage return split a text finding over two lines; every
// control character is escaped in text and GitHub output, and JSON and
// SARIF carry none raw.
func TestOneFindingPerLine(t *testing.T) {
	fs := []finding.Finding{
		{Repo: ".", Rule: "RP003", Severity: finding.Error, Path: "release-policy.yaml", Line: 3, Column: 1, Message: "unknown key \"a\nb\"", Hint: "remove it"},
		{Repo: ".", Rule: "RP502", Severity: finding.Warning, Path: "docs/x\ry\n.md", Line: 1, Column: 1, Message: "private address\x1b[31m 10.0.0.1\u2028!", Hint: "tab\there\x7f\u0085"},
	}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := Write(&b, format, tool, fs, 1); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, r := range out {
			if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' {
				t.Errorf("%s output has a raw control character %U:\n%s", format, r, out)
				break
			}
		}
		if format == "text" || format == "github" {
			if n := strings.Count(out, "\n"); n != len(fs)+1 {
				t.Errorf("%s: %d lines for %d findings and a summary:\n%s", format, n, len(fs), out)
			}
		}
		if format == "text" && !strings.Contains(out, `docs/x\ry\n.md:1:1: warning RP502: private address\x1b[31m 10.0.0.1\u2028! (hint: tab\there\x7f\x85)`) {
			t.Errorf("text escapes:\n%s", out)
		}
	}
}

func TestEscapeControl(t *testing.T) {
	for in, want := range map[string]string{
		"plain ü": "plain ü", "a\nb": `a\nb`, "\r": `\r`, "\x00\x1b\x7f": `\x00\x1b\x7f`, "\u0085": `\x85`, "\u2029": `\u2029`,
	} {
		if got := EscapeControl(in); got != want {
			t.Errorf("EscapeControl(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGitHubLimits: GitHub shows 10 error and 10 warning annotations per
// step; the rest were invisible. They are counted in a notice and listed in
// $GITHUB_STEP_SUMMARY.
func TestGitHubLimits(t *testing.T) {
	var fs []finding.Finding
	for i := range 25 {
		fs = append(fs, finding.Finding{Repo: ".", Rule: "RP201", Severity: finding.Error, Path: "release-policy.yaml", Line: i + 1, Column: 1, Message: fmt.Sprintf("error %d | <b>*x*</b>", i)})
	}
	for i := range 12 {
		fs = append(fs, finding.Finding{Repo: ".", Rule: "RP502", Severity: finding.Warning, Path: "docs/a.md", Line: i + 1, Column: 1, Message: fmt.Sprintf("warning %d", i)})
	}
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	var b bytes.Buffer
	if err := Write(&b, "github", tool, fs, 1); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if e, w := strings.Count("\n"+out, "\n::error "), strings.Count("\n"+out, "\n::warning "); e != 10 || w != 10 {
		t.Errorf("%d error and %d warning annotations, want 10 and 10:\n%s", e, w, out)
	}
	if !strings.Contains(out, "::notice title=relpolicy::15 more errors and 2 more warnings are not shown as annotations (GitHub shows at most 10 of each per step); the job summary lists them\n") {
		t.Errorf("no notice:\n%s", out)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	got := string(md)
	if !strings.HasPrefix(got, "earlier step\n### relpolicy: 25 errors, 12 warnings in 1 repository") || strings.Count(got, "\n| error | RP201 |") != 15 || strings.Count(got, "\n| warning | RP502 |") != 2 {
		t.Errorf("step summary:\n%s", got)
	}
	if !strings.Contains(got, `| error | RP201 | release-policy.yaml:11:1 | error 10 \| &lt;b&gt;\*x\*&lt;/b&gt; |`) {
		t.Errorf("summary cells are not escaped:\n%s", got)
	}

	// Without $GITHUB_STEP_SUMMARY the notice points elsewhere.
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	b.Reset()
	if err := Write(&b, "github", tool, fs, 1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "--format text or sarif") {
		t.Errorf("notice without a summary file:\n%s", b.String())
	}
	// Within the limits there is no notice.
	b.Reset()
	Write(&b, "github", tool, fs[:10], 1)
	if strings.Contains(b.String(), "::notice") {
		t.Errorf("a notice within the limits:\n%s", b.String())
	}
}

func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "json", tool, nil, 2); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["tool"] != "relpolicy" || got["version"] != "0.1.0" {
		t.Errorf("tool/version: %v", got)
	}
	if fs, ok := got["findings"].([]any); !ok || len(fs) != 0 {
		t.Errorf("findings must be an empty array, got %v", got["findings"])
	}
	b.Reset()
	Write(&b, "json", tool, sample[:1], 1)
	var r JSONReport
	if err := json.Unmarshal(b.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	f := r.Findings[0]
	if f.Repo != "." || f.Rule != "RP201" || f.Severity != "error" || f.Path != "release-policy.yaml" || f.Line != 23 || f.Column != 7 || f.Hint == "" || r.Summary != (JSONSummary{1, 1, 0}) {
		t.Errorf("JSON finding shape: %+v %+v", f, r.Summary)
	}
	for _, k := range []string{`"repo"`, `"rule"`, `"severity"`, `"path"`, `"line"`, `"column"`, `"message"`, `"hint"`, `"summary"`, `"repos"`, `"errors"`, `"warnings"`} {
		if !bytes.Contains(b.Bytes(), []byte(k)) {
			t.Errorf("JSON lacks key %s", k)
		}
	}
}

// TestSARIFValidates checks the output against the official OASIS SARIF
// 2.1.0 schema.
func TestSARIFValidates(t *testing.T) {
	c := jsonschema.NewCompiler()
	f, err := os.Open("../../testdata/sarif/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := c.AddResource("sarif.json", f); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	var bad any
	json.Unmarshal([]byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"message":{}}]}]}`), &bad)
	if s.Validate(bad) == nil {
		t.Fatal("the SARIF schema accepts an invalid log: the check is toothless")
	}
	withConfidence := append(slices.Clone(sample), finding.Finding{Repo: ".", Rule: "RP502", Severity: finding.Error,
		Path: "docs/a.md", Line: 1, Column: 1, Message: "m", Hint: "h", Confidence: finding.Medium})
	cov := &Coverage{Scanned: 3, Skipped: []SkippedFile{{"docs/x.png", "binary file"}}, MinConfidence: finding.Medium, BelowConfidence: 1}
	for i, fs := range [][]finding.Finding{nil, sample, withConfidence, uriFindings()} {
		var b bytes.Buffer
		var c *Coverage
		if i == 2 {
			c = cov
		}
		if err := WriteCoverage(&b, "sarif", tool, fs, 1, c); err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(v); err != nil {
			t.Fatalf("SARIF does not validate: %#v", err)
		}
		var log sarifLog
		json.Unmarshal(b.Bytes(), &log)
		rules := log.Runs[0].Tool.Driver.Rules
		if len(rules) == 0 || !strings.Contains(rules[0].Help.Text, "Policy clause") {
			t.Fatalf("rules lack help from explain: %+v", rules[:1])
		}
		for _, r := range log.Runs[0].Results {
			if rules[r.RuleIndex].ID != r.RuleID {
				t.Errorf("ruleIndex %d does not point at %s", r.RuleIndex, r.RuleID)
			}
		}
	}
}

func TestGitHubEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "github", tool, sample, 1); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if lines[0] != `::error file=release-policy.yaml,line=23,col=7,title=RP201::release context tag "v*" is not protected%0Ahint: protect it` {
		t.Errorf("line 0: %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], "::warning file=examples/app/release-policy.yaml,line=40,col=20,title=RP205::builder uses long-lived credentials, 100%25: done%0Ahint: use OIDC%0Anow") {
		t.Errorf("line 1: %s", lines[1])
	}
	if lines[2] != "::error file=x/release-policy.yaml,title=RP001::release-policy.yaml not found%0Ahint: add one" {
		t.Errorf("line 2: %s", lines[2])
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", tool, nil, 1); err == nil {
		t.Fatal("xml accepted")
	}
}

// TestRulesDocFresh fails when docs/rules.md differs from the rule table.
func TestRulesDocFresh(t *testing.T) {
	const path = "../../docs/rules.md"
	want := RulesMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("docs/rules.md is stale (%v): run make generate", err)
	}
}

// TestConfidenceAndCoverage: every format carries a finding's confidence
// and, when given, what the run read.
func TestConfidenceAndCoverage(t *testing.T) {
	fs := []finding.Finding{
		{Repo: ".", Rule: "RP502", Severity: finding.Error, Path: "docs/a.md", Line: 1, Column: 5, Message: `private IPv4 address "10.1.2.3"`, Hint: "h", Confidence: finding.Low},
		{Repo: ".", Rule: "RP503", Severity: finding.Error, Path: "SECURITY.md", Line: 2, Column: 1, Message: `internal host "a.corp"`, Hint: "h", Confidence: finding.High},
	}
	cov := &Coverage{Scanned: 1, Skipped: []SkippedFile{{"docs/logo.png", "binary file"}}, Exempted: 2, MinConfidence: finding.Low}
	out := map[string]string{}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := WriteCoverage(&b, format, tool, fs, 1, cov); err != nil {
			t.Fatal(err)
		}
		out[format] = b.String()
	}
	for _, want := range []string{
		`docs/a.md:1:5: error RP502: private IPv4 address "10.1.2.3" (confidence: low) (hint: h)`,
		`SECURITY.md:2:1: error RP503: internal host "a.corp" (hint: h)`,
		"scanned 1 public file; 1 not scanned (1 binary file); 2 findings exempted by release-policy.yaml\n",
	} {
		if !strings.Contains(out["text"], want) {
			t.Errorf("text lacks %q:\n%s", want, out["text"])
		}
	}
	if !strings.Contains(out["github"], "(confidence: low)%0Ahint: h") || !strings.Contains(out["github"], "scanned 1 public file;") {
		t.Errorf("github:\n%s", out["github"])
	}
	var j struct {
		Findings []finding.Finding `json:"findings"`
		Coverage *Coverage         `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(out["json"]), &j); err != nil || j.Findings[0].Confidence != finding.Low ||
		j.Coverage == nil || j.Coverage.Scanned != 1 || len(j.Coverage.Skipped) != 1 || j.Coverage.Exempted != 2 {
		t.Errorf("json: %v\n%s", err, out["json"])
	}
	var s struct {
		Runs []struct {
			Properties *Coverage `json:"properties"`
			Results    []struct {
				RuleID     string            `json:"ruleId"`
				Properties map[string]string `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	err := json.Unmarshal([]byte(out["sarif"]), &s)
	conf := map[string]string{}
	if err == nil && len(s.Runs) == 1 {
		for _, r := range s.Runs[0].Results {
			conf[r.RuleID] = r.Properties["confidence"]
		}
	}
	if err != nil || s.Runs[0].Properties == nil || s.Runs[0].Properties.Scanned != 1 || conf["RP502"] != "low" || conf["RP503"] != "high" {
		t.Errorf("sarif: %v\n%s", err, out["sarif"])
	}
}
