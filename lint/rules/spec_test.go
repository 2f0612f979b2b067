package rules

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSpecListsEveryRule holds the contract's rule table (docs/spec.md
// section 3) to the registry: every rule has a row with its severity, and a
// row for a rule the binary does not have says it is planned.
func TestSpecListsEveryRule(t *testing.T) {
	b, err := os.ReadFile("../../docs/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| (RP[0-9]{3}) \| (error|warning) \| (.*) \|$`)
	rows := map[string][]string{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		if _, dup := rows[m[1]]; dup {
			t.Errorf("docs/spec.md lists %s twice", m[1])
		}
		rows[m[1]] = m[2:]
	}
	if len(rows) == 0 {
		t.Fatal("no rule rows found in docs/spec.md")
	}
	for _, r := range All {
		got, ok := rows[r.ID]
		if !ok {
			t.Errorf("docs/spec.md section 3 has no row for %s (%s)", r.ID, r.Title)
			continue
		}
		if got[0] != string(r.Severity) {
			t.Errorf("docs/spec.md gives %s severity %s, the rule has %s", r.ID, got[0], r.Severity)
		}
		delete(rows, r.ID)
	}
	for id, got := range rows {
		if !strings.Contains(got[1], "planned") {
			t.Errorf("docs/spec.md lists %s, which is not in the registry, without saying it is planned", id)
		}
	}
}
