package lint

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/rules"
)

// marker matches `relpolicy:ignore RP503 RP205 -- reason` in a YAML or
// shell comment or a Markdown HTML comment.
var marker = regexp.MustCompile(`relpolicy:ignore((?:[\s,]+RP\d{3})+)(?:[ \t]*--(?:[ \t]*([^>\n][^\n]*?))?)?[ \t]*(?:-->|$)`)

var ruleID = regexp.MustCompile(`RP\d{3}`)

// suppressionAt is one marker.
type suppressionAt struct {
	line, col int
	rules     []string
	reason    string
}

// markers finds suppression markers. In Markdown only HTML comments count,
// so examples in code blocks and prose do not suppress anything.
func markers(src []byte, markdown bool) []suppressionAt {
	if !bytes.Contains(src, []byte("relpolicy:ignore")) {
		return nil
	}
	var out []suppressionAt
	for i, line := range strings.Split(string(src), "\n") {
		m := marker.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		if markdown && !strings.Contains(line[:m[0]], "<!--") {
			continue
		}
		s := suppressionAt{line: i + 1, col: m[0] + 1, rules: ruleID.FindAllString(line[m[2]:m[3]], -1)}
		if m[4] >= 0 {
			s.reason = strings.TrimSpace(line[m[4]:m[5]])
		}
		out = append(out, s)
	}
	return out
}

// suppress drops findings named by a marker on their line or the line
// before, and reports markers without a reason (RP005).
func suppress(fs []finding.Finding, files *fileCache, repo string) []finding.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Line > 0 && f.Rule != "RP001" && slices.ContainsFunc(files.markersOf(f.Path), func(s suppressionAt) bool {
			return (s.line == f.Line || s.line == f.Line-1) && slices.Contains(s.rules, f.Rule)
		}) {
			continue
		}
		out = append(out, f)
	}
	// Every file read this run may carry markers; check each for a reason.
	rp005 := rules.ByID("RP005")
	for p, ms := range files.all() {
		for _, s := range ms {
			if s.reason == "" {
				out = append(out, finding.Finding{
					Repo: repo, Rule: rp005.ID, Severity: rp005.Severity, Path: p, Line: s.line, Column: s.col,
					Message: "suppression of " + strings.Join(s.rules, ", ") + " has no reason",
					Hint:    "add the reason after --, e.g. relpolicy:ignore " + strings.Join(s.rules, " ") + " -- why this does not apply",
				})
			}
		}
	}
	return out
}
