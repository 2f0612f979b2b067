package lint_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/workflow"
	"go.yaml.in/yaml/v3"
)

// TestPeerCorpus runs relpolicy over the workflow fixtures of other
// tools (docs/workflows.md). RELPOLICY_PEERS names a file listing one
// workflow path per line; each is linted as the release workflow of the
// handed template repository, and one JSON line per file (the rules
// reported on it, whether actionlint accepts it, whether relpolicy
// parsed it) goes to RELPOLICY_PEERS_OUT. Skipped without the variable.
func TestPeerCorpus(t *testing.T) {
	list := os.Getenv("RELPOLICY_PEERS")
	if list == "" {
		t.Skip("RELPOLICY_PEERS not set")
	}
	lf, err := os.Open(list)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	out, err := os.Create(os.Getenv("RELPOLICY_PEERS_OUT"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	enc := json.NewEncoder(out)
	sc := bufio.NewScanner(lf)
	for sc.Scan() {
		p := strings.TrimSpace(sc.Text())
		if p == "" {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, alErrs := actionlint.Parse(src)
		_, perr := workflow.Parse(src)
		rec := map[string]any{"path": p, "actionlint_ok": len(alErrs) == 0, "parsed": perr == nil}
		if perr != nil {
			rec["parse_error"] = perr.Error()
		}
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS("../testdata/workflows/template")); err != nil {
			t.Fatal(err)
		}
		wf := filepath.Join(dir, ".github", "workflows")
		if err := os.MkdirAll(wf, 0o755); err != nil {
			t.Fatal(err)
		}
		if os.Getenv("RELPOLICY_PEERS_PRIVILEGED") != "" {
			src = privileged(src)
		}
		if err := os.WriteFile(filepath.Join(wf, "release.yml"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Now: goldenNow})
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		maxLen := 0
		for _, f := range res.Findings {
			if strings.HasPrefix(f.Path, ".github/") {
				if !slices.Contains(rules, f.Rule) {
					rules = append(rules, f.Rule)
				}
				maxLen = max(maxLen, len(f.Message))
			}
		}
		slices.Sort(rules)
		rec["rules"], rec["max_message"] = rules, maxLen
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
}

// privileged rewrites a workflow so every job holds a write-all token:
// workflow permissions: write-all, job-level permissions removed. It
// measures what relpolicy finds had the fixture been a release workflow.
// A file that does not re-encode is returned unchanged.
func privileged(src []byte) []byte {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return src
	}
	top := doc.Content[0]
	set := false
	for i := 0; i+1 < len(top.Content); i += 2 {
		switch top.Content[i].Value {
		case "permissions":
			top.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Value: "write-all"}
			set = true
		case "jobs":
			jobs := top.Content[i+1]
			for j := 1; j < len(jobs.Content); j += 2 {
				job := jobs.Content[j]
				for k := 0; k+1 < len(job.Content); k += 2 {
					if job.Content[k].Value == "permissions" {
						job.Content = append(job.Content[:k], job.Content[k+2:]...)
						break
					}
				}
			}
		}
	}
	if !set {
		top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "permissions"}, &yaml.Node{Kind: yaml.ScalarNode, Value: "write-all"})
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return src
	}
	return out
}
