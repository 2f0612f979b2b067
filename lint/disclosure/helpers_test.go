package disclosure

import (
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// testConfig is the organisation config every detector test uses: SPEC
// section 2's example.
var testConfig = &Config{
	InternalDomains:      []string{"corp.tooo.net", "build.tooo.lan"},
	InternalRunnerLabels: []string{"rack7-gpu", "airgap-builder"},
	Allow:                []string{"docs/examples/**"},
}

var testScanner = sync.OnceValue(func() *Scanner {
	s, err := New(testConfig)
	if err != nil {
		panic(err)
	}
	return s
})

// ruleCases are a detector's true and false positives (gitleaks'
// Validate(rule, tps, fps)): every tp must raise rule, no fp may.
type ruleCases struct {
	rule string
	kind surface.Kind
	tps  []string
	fps  []string
}

func (rc ruleCases) run(t *testing.T) {
	t.Helper()
	for _, tp := range rc.tps {
		if got := ofRule(scan(t, rc.kind, tp), rc.rule); len(got) == 0 {
			t.Errorf("%s missed true positive:\n%s", rc.rule, tp)
		}
	}
	for _, fp := range rc.fps {
		if got := ofRule(scan(t, rc.kind, fp), rc.rule); len(got) > 0 {
			t.Errorf("%s false positive %q on:\n%s", rc.rule, got[0].Message, fp)
		}
	}
}

// scan scans text as a file of the given kind and checks what every
// finding must satisfy.
func scan(t *testing.T, kind surface.Kind, text string) []finding.Finding {
	t.Helper()
	path := "docs/test.md"
	if kind == surface.Workflow {
		path = ".github/workflows/test.yml"
	}
	fs := testScanner().ScanFile(path, kind, []byte(text))
	checkFindings(t, text, path, fs)
	return fs
}

// checkFindings checks the shape every finding must have.
func checkFindings(t *testing.T, text, path string, fs []finding.Finding) {
	t.Helper()
	lines := strings.Split(text, "\n")
	for _, f := range fs {
		if f.Path != path || f.Repo != "" {
			t.Errorf("finding %+v: path %q, repo %q", f, f.Path, f.Repo)
		}
		if f.Line < 1 || f.Line > len(lines) {
			t.Errorf("finding %+v: line outside the file (%d lines)", f, len(lines))
			continue
		}
		if n := len([]rune(lines[f.Line-1])); f.Column < 1 || f.Column > n+1 {
			t.Errorf("finding %+v: column outside line %d (%d characters)", f, f.Line, n)
		}
		if f.Message == "" || strings.HasSuffix(f.Message, ".") || unicode.IsUpper([]rune(f.Message)[0]) {
			t.Errorf("finding %+v: message must be lower case without a final period", f)
		}
		if f.Hint == "" {
			t.Errorf("finding %+v: no hint", f)
		}
		if f.Severity != finding.Error && f.Severity != finding.Warning {
			t.Errorf("finding %+v: severity", f)
		}
	}
}

func ofRule(fs []finding.Finding, rule string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}
