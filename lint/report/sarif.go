package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/rules"
)

// MaxSARIFResults is the most results one SARIF run holds: GitHub code
// scanning rejects a run with more than 25,000 results. The most severe
// findings are kept and a notification counts the rest.
const MaxSARIFResults = 25000

// maxSARIFResults is MaxSARIFResults; tests lower it.
var maxSARIFResults = MaxSARIFResults

// SARIFAutomationID is runs[].automationDetails.id. GitHub reads the part
// before the last "/" as the analysis category, so uploads of relpolicy
// replace earlier relpolicy uploads and no other tool's.
const SARIFAutomationID = "relpolicy/lint/"

// SrcRootID is the uriBaseId of every relative artifact location.
const SrcRootID = "%SRCROOT%"

// SARIF 2.1.0, the subset relpolicy writes.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	AutomationDetails  sarifAutomation             `json:"automationDetails"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds"`
	Invocations        []sarifInvocation           `json:"invocations,omitempty"`
	Results            []sarifResult               `json:"results"`
	// Properties carry the coverage (scanned, skipped, exempted,
	// below_confidence) when lint reports it.
	Properties *Coverage `json:"properties,omitempty"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

// sarifRuleProps are the rule properties GitHub code scanning reads
// (tags, precision, security-severity) and relpolicy's own.
type sarifRuleProps struct {
	Clause           string   `json:"clause"`
	Phase            string   `json:"phase"`
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
	ProblemSeverity  string   `json:"problem.severity"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	Confidence finding.Confidence `json:"confidence"`
	Repository string             `json:"repository,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI         string     `json:"uri"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

func level(s finding.Severity) string {
	if s == finding.Warning {
		return "warning"
	}
	return "error"
}

// securitySeverity is GitHub's security-severity (a CVSS-like score, 0.1
// to 10.0) of a rule: 9.0 and up is critical, 7.0 high, 4.0 medium. A
// credential in public text (RP501) is critical; the other disclosure rules
// (RP5xx), a release path an outsider can subvert (RP2xx) and an artifact
// published outside its channels or without traceability (RP3xx) are high
// as errors and medium as warnings; a false security claim in public text
// (RP4xx) is medium. Rules about the policy file itself (RP0xx, RP1xx) are
// not security findings and have none.
func securitySeverity(r *rules.Rule) string {
	if r.ID == "RP501" {
		return "9.1"
	}
	warn := r.Severity == finding.Warning
	switch {
	case strings.HasPrefix(r.ID, "RP2"), strings.HasPrefix(r.ID, "RP3"), strings.HasPrefix(r.ID, "RP5"):
		if warn {
			return "5.3"
		}
		return "7.5"
	case strings.HasPrefix(r.ID, "RP4"):
		if warn {
			return "4.3"
		}
		return "5.9"
	}
	return ""
}

// ruleTags are a rule's code-scanning tags: "security" for rules with a
// security-severity, else "correctness"; and the rule's family.
func ruleTags(r *rules.Rule) []string {
	kind := "correctness"
	if securitySeverity(r) != "" {
		kind = "security"
	}
	family := map[byte]string{'0': "policy-file", '1': "references", '2': "release-path", '3': "ledger", '4': "public-claims", '5': "disclosure"}[r.ID[2]]
	return []string{kind, "release-policy", family}
}

// precision is GitHub's precision of a rule: "very-high" for rules that
// decide exactly (schema, references, dates, workflow files), "high" for the
// rules that read prose (public claims RP4xx, disclosure RP5xx), lowered to
// "medium" or "low" when a finding of the rule in this run carries that
// Confidence.
func precision(r *rules.Rule, lowest finding.Confidence) string {
	p := "very-high"
	if r.TextOnly || strings.HasPrefix(r.ID, "RP4") || strings.HasPrefix(r.ID, "RP5") {
		p = "high"
	}
	switch lowest {
	case finding.Medium:
		p = "medium"
	case finding.Low:
		p = "low"
	}
	return p
}

// writeSARIF writes one SARIF 2.1.0 run that GitHub code scanning accepts
// (checked with Microsoft's SARIF validator, rule kinds Sarif and Gh, in
// make sarif-validate): artifact URIs are RFC 3986 references relative to
// %SRCROOT% (the directory tool.SrcRoot names, default the working
// directory), or absolute file URIs for files outside it; every result has
// a region with startLine >= 1; at most MaxSARIFResults results, most
// severe first.
func writeSARIF(w io.Writer, tool Tool, fs []finding.Finding, cov *Coverage) error {
	root, err := srcRoot(tool.SrcRoot)
	if err != nil {
		return err
	}
	kept, dropped := capResults(fs, maxSARIFResults)
	lowest := map[string]finding.Confidence{}
	for _, f := range kept {
		if c := f.Confidence.Level(); c.Rank() < lowest[f.Rule].Level().Rank() {
			lowest[f.Rule] = c
		}
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: tool.Name, Version: tool.Version,
			InformationURI: "https://github.com/tooo/relpolicy",
		}},
		AutomationDetails: sarifAutomation{ID: SARIFAutomationID},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{SrcRootID: {
			URI:         fileURI(root, true),
			Description: &sarifText{Text: "The directory relpolicy ran in; repository paths are relative to it."},
		}},
		Results:    []sarifResult{},
		Properties: cov,
	}
	index := map[string]int{}
	for i, r := range rules.All {
		index[r.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   r.ID,
			Name:                 ruleName(r.Title),
			ShortDescription:     sarifText{Text: r.Title},
			FullDescription:      sarifText{Text: r.Doc},
			Help:                 sarifText{Text: ExplainText(r), Markdown: ExplainMarkdown(r)},
			HelpURI:              "https://github.com/tooo/relpolicy/blob/main/docs/rules.md#" + anchor(r),
			DefaultConfiguration: sarifConfig{Level: level(r.Severity)},
			Properties: sarifRuleProps{
				Clause: r.Clause, Phase: string(r.Phase),
				Tags: ruleTags(r), Precision: precision(r, lowest[r.ID]),
				SecuritySeverity: securitySeverity(r), ProblemSeverity: level(r.Severity),
			},
		})
	}
	hashes := map[string]int{}
	for _, f := range kept {
		msg := f.Message
		if f.Hint != "" {
			msg += " (hint: " + f.Hint + ")"
		}
		art := artifactLocation(root, f)
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: level(f.Severity),
			Message: sarifText{Text: msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: art,
				Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 1)},
			}}},
			PartialFingerprints: map[string]string{"primaryLocationLineHash": lineHash(hashes, art.URI, f)},
			Properties:          sarifResultProps{Confidence: f.Confidence.Level(), Repository: f.Repo},
		}
		if f.Fingerprint != "" {
			res.PartialFingerprints["relpolicy/v1"] = f.Fingerprint
		}
		run.Results = append(run.Results, res)
	}
	if dropped > 0 {
		run.Invocations = []sarifInvocation{{
			ExecutionSuccessful: true,
			ToolExecutionNotifications: []sarifNotification{{
				Level: "warning",
				Message: sarifText{Text: fmt.Sprintf("%d of %d results were left out: GitHub code scanning accepts at most %d results per run. The %d most severe are listed; run relpolicy lint --format json for all of them.",
					dropped, len(fs), maxSARIFResults, len(kept))},
			}},
		}}
	}
	return encodeJSON(w, sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

// capResults keeps at most n findings, most severe first (severity, then
// confidence, then report order), and returns how many it left out.
func capResults(fs []finding.Finding, n int) (kept []finding.Finding, dropped int) {
	kept = slices.Clone(fs)
	slices.SortStableFunc(kept, func(a, b finding.Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(b.Confidence.Rank(), a.Confidence.Rank()),
		)
	})
	if len(kept) <= n {
		return kept, 0
	}
	return kept[:n], len(kept) - n
}

// lineHash is the result's primaryLocationLineHash: GitHub matches alerts
// across uploads by it. relpolicy's stable fingerprint (which hashes the
// text of the finding's line, not its number) is the input where there is
// one, else the rule, file and message; ":N" counts equal hashes in a file,
// as GitHub's own does.
func lineHash(seen map[string]int, uri string, f finding.Finding) string {
	key := f.Fingerprint
	if key == "" {
		key = f.Rule + "\x00" + f.Message
	}
	sum := sha256.Sum256([]byte(uri + "\x00" + key))
	h := hex.EncodeToString(sum[:8])
	seen[h]++
	return fmt.Sprintf("%s:%d", h, seen[h])
}

// srcRoot is the absolute, slash-separated directory %SRCROOT% stands for.
func srcRoot(dir string) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("finding the working directory for %s: %w", SrcRootID, err)
		}
		dir = wd
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolving %s %q: %w", SrcRootID, dir, err)
	}
	return filepath.ToSlash(abs), nil
}

// artifactLocation turns a finding's repository and path, however the
// repository was named (relative, absolute, with "..") into a URI
// reference relative to %SRCROOT%, or an absolute file URI when the file
// lies outside it.
func artifactLocation(root string, f finding.Finding) sarifArtifactLoc {
	p := DisplayPath(f)
	if !path.IsAbs(p) && !filepath.IsAbs(filepath.FromSlash(p)) {
		p = path.Join(root, p)
	}
	p = path.Clean(filepath.ToSlash(p))
	rel, ok := strings.CutPrefix(p, strings.TrimSuffix(root, "/")+"/")
	if !ok || rel == "" {
		return sarifArtifactLoc{URI: fileURI(p, false)}
	}
	return sarifArtifactLoc{URI: escapePath(rel, true), URIBaseID: SrcRootID}
}

// fileURI is the file URI of an absolute slash path ("/a b" →
// "file:///a%20b"; "C:/x" → "file:///C:/x"), with a trailing slash for a
// directory.
func fileURI(p string, dir bool) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return "file:///" + escapePath(strings.TrimPrefix(p, "/"), false)
}

// escapePath percent-encodes a slash path segment by segment as RFC 3986
// requires of a path: everything but unreserved characters and the
// sub-delims "!$&'()*+,;=" and "@" is encoded as UTF-8 bytes, including
// "%", "#", "?", "[", "]", spaces, control characters and non-ASCII
// letters. A ":" is encoded too, so that a relative reference whose first
// segment has a colon ("NOTES:2026.md") is not read as a scheme; the
// colon after a Windows drive letter of an absolute path is kept when
// relative is false.
func escapePath(p string, relative bool) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		keepColon := !relative && i == 0 && len(s) == 2 && s[1] == ':'
		var b strings.Builder
		for j := 0; j < len(s); j++ {
			c := s[j]
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=@", c) >= 0 || (c == ':' && keepColon) {
				b.WriteByte(c)
				continue
			}
			fmt.Fprintf(&b, "%%%02X", c)
		}
		segs[i] = b.String()
	}
	return strings.Join(segs, "/")
}

// ruleName turns a title into a PascalCase SARIF rule name.
func ruleName(title string) string {
	out := make([]byte, 0, len(title))
	up := true
	for i := 0; i < len(title); i++ {
		c := title[i]
		switch {
		case c >= 'a' && c <= 'z':
			if up {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			up = false
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			out = append(out, c)
			up = false
		default:
			up = true
		}
	}
	return string(out)
}
