package lint_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/finding"
	"go.yaml.in/yaml/v3"
)

// workflowCases are the handed release-workflow cases
// (testdata/workflows/README.md): true means some RP2xx finding on a
// workflow file must be reported, false that no error is reported on one.
var workflowCases = map[string]bool{
	"T01": true, "T02": true, "T03": true, "T04": true, "T05": true, "T08": true,
	"P01": true, "P02": false, "P03": true, "P04": false,
	"S02": true, "S04": true, "S06": false, "S10": false,
	"R01": true, "M02": true, "M04": true, "M05": true, "M06": true, "M08": true, "M10": true, "M12": true,
}

// wantRules says which rule each flagged case is about, so a case is not
// passed by an unrelated finding.
var wantRules = map[string]string{
	"T01": "RP207", "T02": "RP207", "T03": "RP207", "T04": "RP207", "T05": "RP207", "T08": "RP207",
	"P01": "RP207", "P03": "RP207", "S02": "RP207", "S04": "RP207", "R01": "RP207",
	"M02": "RP211", "M04": "RP212", "M05": "RP214", "M06": "RP219", "M08": "RP219", "M10": "RP213", "M12": "RP220",
}

// buildCase copies template/ and the case's files into a new directory,
// applying policy.json to the release-workflow builder.
func buildCase(t *testing.T, id string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../testdata/workflows/template")); err != nil {
		t.Fatal(err)
	}
	caseDir := filepath.Join("../testdata/workflows/cases", id)
	var override map[string]any
	err := filepath.WalkDir(caseDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(caseDir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == "policy.json" {
			return json.Unmarshal(b, &override)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if override != nil {
		pf := filepath.Join(dir, "release-policy.yaml")
		b, err := os.ReadFile(pf)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		builder := get(get(doc.Content[0], "release"), "builders").Content[0]
		for k, v := range override {
			n := get(builder, k)
			if n == nil {
				t.Fatalf("policy.json: no builder field %q", k)
			}
			if err := n.Encode(v); err != nil {
				t.Fatal(err)
			}
		}
		out, err := yaml.Marshal(&doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pf, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func get(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// TestWorkflowCases runs every handed case: a flagged case reports its
// rule on a workflow file, a clean one reports no error on any.
func TestWorkflowCases(t *testing.T) {
	ids, _ := os.ReadDir("../testdata/workflows/cases")
	if len(ids) != len(workflowCases) {
		t.Fatalf("%d case directories, %d expectations", len(ids), len(workflowCases))
	}
	for _, e := range ids {
		id := e.Name()
		flag, ok := workflowCases[id]
		if !ok {
			t.Fatalf("case %s has no expectation", id)
		}
		t.Run(id, func(t *testing.T) {
			dir := buildCase(t, id)
			res, err := lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Now: goldenNow})
			if err != nil {
				t.Fatal(err)
			}
			var onWF []finding.Finding
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Path, ".github/workflows/") {
					onWF = append(onWF, f)
					if len(f.Message) > 300 || strings.Contains(f.Message, "\n") {
						t.Errorf("message not one short line (%d chars): %s", len(f.Message), f.Message)
					}
				}
			}
			dump := func() string {
				var b strings.Builder
				for _, f := range onWF {
					b.WriteString("\n  " + f.Path + ": " + string(f.Severity) + " " + f.Rule + ": " + f.Message)
				}
				return b.String()
			}
			if flag {
				found := false
				for _, f := range onWF {
					found = found || f.Rule == wantRules[id]
				}
				if !found {
					t.Errorf("want %s on the workflow, got:%s", wantRules[id], dump())
				}
				if id == "M12" && !hasWarning(onWF, "RP220") {
					t.Errorf("want an RP220 warning:%s", dump())
				}
			} else {
				for _, f := range onWF {
					if f.Severity == finding.Error {
						t.Errorf("clean case has an error:%s", dump())
						break
					}
				}
			}
			t.Log(dump())
		})
	}
}

func hasWarning(fs []finding.Finding, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule && f.Severity == finding.Warning {
			return true
		}
	}
	return false
}
