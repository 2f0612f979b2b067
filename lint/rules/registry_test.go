package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint/finding"
)

// TestRegistry checks the rule table: IDs unique, sorted and matching their
// file names, every rule documented and quoting the policy it enforces.
func TestRegistry(t *testing.T) {
	policy, err := readPolicy("../../docs/policy.md")
	if err != nil {
		t.Fatalf("the policy text must be in the repository: %v", err)
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	files, _ := filepath.Glob("rp[0-9][0-9][0-9]_*.go")
	fileIDs := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fileIDs[strings.ToUpper(f[:5])] = f
	}
	idRe := regexp.MustCompile(`^RP\d{3}$`)
	for i, r := range All {
		if !idRe.MatchString(r.ID) {
			t.Errorf("rule %d: bad ID %q", i, r.ID)
		}
		if i > 0 && All[i-1].ID >= r.ID {
			t.Errorf("rules not sorted or duplicated at %s", r.ID)
		}
		f, ok := fileIDs[r.ID]
		if !ok {
			t.Errorf("%s: no file rp%s_*.go", r.ID, r.ID[2:])
		} else {
			src, _ := os.ReadFile(f)
			if !strings.Contains(string(src), `ID: "`+r.ID+`"`) {
				t.Errorf("%s: file %s does not define it", r.ID, f)
			}
			delete(fileIDs, r.ID)
		}
		if r.Title == "" || r.Doc == "" || r.Clause == "" || r.Quote == "" || r.Example == "" {
			t.Errorf("%s: title, doc, clause, quote and example are all required", r.ID)
		}
		acronym := len(r.Title) > 1 && strings.ToUpper(r.Title[:2]) == r.Title[:2]
		if (!acronym && r.Title != strings.ToLower(r.Title[:1])+r.Title[1:]) || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title must start lowercase without a trailing period: %q", r.ID, r.Title)
		}
		if (r.Phase == Lint) != (r.Check != nil) {
			t.Errorf("%s: lint rules need a check, load and verify rules must not have one", r.ID)
		}
		{
			for _, part := range strings.Split(strings.Trim(r.Quote, "."), "; ") {
				part = norm(part)
				part = strings.TrimSuffix(part, ".")
				part, _, _ = strings.Cut(part, " (")
				part = strings.TrimPrefix(strings.TrimPrefix(part, "8. "), "5. ")
				if len(part) > 20 && !strings.Contains(norm(policy), part[:20]) {
					t.Errorf("%s: quote %q not found in the policy", r.ID, part)
				}
			}
		}
	}
	for id, f := range fileIDs {
		t.Errorf("%s is not in All", f+" ("+id+")")
	}
	if !slices.ContainsFunc(All, func(r *Rule) bool { return r.ID == "RP308" }) {
		t.Error("RP308 missing")
	}
}

// readPolicy returns the policy text of docs/policy.md without its
// Markdown markup: comments (the one before the title, suppression
// markers), heading marks, list markers and rules.
func readPolicy(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := string(b)
	if _, after, ok := strings.Cut(s, "-->"); ok {
		s = after
	}
	s = regexp.MustCompile(`<!--.*?-->`).ReplaceAllString(s, "")
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimLeft(line, "#")
		line = strings.TrimPrefix(strings.TrimSpace(line), "- ")
		if line == "---" {
			continue
		}
		out = append(out, line)
	}
	text := strings.Join(out, "\n")
	if !strings.Contains(text, "Official Artifact Build and Provenance Policy") {
		return "", fmt.Errorf("%s does not hold the policy", path)
	}
	return text, nil
}

// TestTextOnlyRulesNeedNoPolicy runs every TextOnly rule without a policy,
// as the runner does when the policy file is invalid.
func TestTextOnlyRulesNeedNoPolicy(t *testing.T) {
	n := 0
	for _, r := range All {
		if !r.TextOnly {
			continue
		}
		n++
		c := &Context{
			Repo:   ".",
			Public: func(func(TextFile)) {},
			Disclosure: func() []finding.Finding {
				return []finding.Finding{{Rule: r.ID, Path: "README.md", Line: 1, Column: 1}}
			},
		}
		c.Run(r)
		if len(c.Findings()) != 1 {
			t.Errorf("%s did not report its disclosure finding without a policy", r.ID)
		}
	}
	if n != 5 {
		t.Errorf("%d TextOnly rules, want RP501-RP505", n)
	}
}

func TestByID(t *testing.T) {
	if r := ByID("rp201"); r == nil || r.ID != "RP201" {
		t.Fatalf("ByID(rp201) = %v", r)
	}
	if ByID("RP999") != nil {
		t.Fatal("ByID(RP999) found a rule")
	}
}
