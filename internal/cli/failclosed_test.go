package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint/secrets"
)

// TestLintFailsClosed: when the credential engine cannot be built, or one
// of its rules cannot run, lint exits 2 with a message on stderr and
// reports nothing: a broken gitleaks rule table never reads as clean.
func TestLintFailsClosed(t *testing.T) {
	for name, c := range map[string]struct {
		table *secrets.Table
		want  string
	}{
		"empty table": {&secrets.Table{Gitleaks: "v8.30.1"}, "building the gitleaks rule table: the rule table holds no rules"},
		"bad path":    {&secrets.Table{Rules: []secrets.Rule{{ID: "r", Path: "("}}}, "rule r: compiling path"},
		// The rule builds, but its expression, compiled on first use,
		// does not: the example's README wakes it ("the").
		"bad regex": {&secrets.Table{Rules: []secrets.Rule{{ID: "r", Regex: "the(", Keywords: []string{"the"}}}}, "compiling gitleaks rule r"},
	} {
		t.Run(name, func(t *testing.T) {
			saved := credentialEngine
			t.Cleanup(func() { credentialEngine = saved })
			credentialEngine = func() (*secrets.Engine, error) { return secrets.Build(c.table) }
			for _, verb := range [][]string{
				{"lint", "--now", "2026-11-22", "../../examples/aurora-api"},
				{"lint", "--now", "2026-11-22", "--format", "json", "../../examples/aurora-api"},
			} {
				var stdout, stderr bytes.Buffer
				code := Main(verb, &stdout, &stderr)
				if code != ExitUsage {
					t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", verb, code, ExitUsage, stdout.String(), stderr.String())
				}
				if !strings.Contains(stderr.String(), c.want) {
					t.Errorf("%v: stderr %q does not say %q", verb, stderr.String(), c.want)
				}
				if stdout.Len() != 0 {
					t.Errorf("%v: a report was written: %s", verb, stdout.String())
				}
			}
		})
	}
	// The real engine lints the same repository clean.
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"lint", "--now", "2026-11-22", "../../examples/aurora-api"}, &stdout, &stderr); code != ExitClean {
		t.Errorf("default engine: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
