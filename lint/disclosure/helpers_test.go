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

// weighed is one snippet for a kind of evidence: at the default confidence
// (medium) the rule must report it when tp, and must not when !tp.
type weighed struct {
	kind string // the kind of evidence the snippet shows
	path string // where it stands (docs/x.md when empty)
	text string
	tp   bool
}

// runWeighed checks each snippet of a rule at the default confidence.
func runWeighed(t *testing.T, rule string, cases []weighed) {
	t.Helper()
	for _, c := range cases {
		path, kind := c.path, surface.Markdown
		if path == "" {
			path = "docs/x.md"
		}
		if strings.HasPrefix(path, ".github/workflows/") {
			kind = surface.Workflow
		}
		var shown []finding.Finding
		for _, f := range ofRule(testScanner().ScanFile(path, kind, []byte(c.text)), rule) {
			if f.Confidence.Rank() >= finding.Medium.Rank() {
				shown = append(shown, f)
			}
		}
		if got := len(shown) > 0; got != c.tp {
			t.Errorf("%s (%s) %s %q: reported at medium %v, want %v (%v)", rule, c.kind, path, c.text, got, c.tp, shown)
		}
	}
}
