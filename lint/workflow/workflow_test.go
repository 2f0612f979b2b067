package workflow

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name       string
		src        string
		untrusted  []string
		line       int
		privileged bool
	}{
		{"push tags read-only", "on:\n  push:\n    tags: ['v*']\npermissions:\n  contents: read\njobs: {}\n", nil, 0, false},
		{"prt with write", "on:\n  pull_request_target:\n    types: [opened]\npermissions:\n  contents: write\n", []string{"pull_request_target"}, 2, true},
		{"list with default token", "on: [push, pull_request]\njobs:\n  b:\n    runs-on: ubuntu-latest\n", []string{"pull_request"}, 1, true},
		{"scalar issue_comment secret", "on: issue_comment\npermissions: {}\njobs:\n  b:\n    steps:\n      - run: echo ${{ secrets.REGISTRY_TOKEN }}\n", []string{"issue_comment"}, 1, true},
		{"job id-token", "on:\n  workflow_run:\n    workflows: [ci]\njobs:\n  p:\n    permissions:\n      id-token: write\n", []string{"workflow_run"}, 2, true},
		{"github token only", "on: pull_request\npermissions:\n  contents: read\njobs:\n  b:\n    steps:\n      - run: gh api -H 'x' ${{ secrets.GITHUB_TOKEN }}\n", []string{"pull_request"}, 1, false},
		{"write-all", "on: pull_request_target\npermissions: write-all\n", []string{"pull_request_target"}, 1, true},
		{"inherit", "on: push\npermissions: {}\njobs:\n  c:\n    uses: ./.github/workflows/x.yml\n    secrets: inherit\n", nil, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := Parse([]byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tr := range w.UntrustedTriggers() {
				got = append(got, tr.Event)
				if tr.Line != c.line {
					t.Errorf("trigger %s at line %d, want %d", tr.Event, tr.Line, c.line)
				}
			}
			if !slices.Equal(got, c.untrusted) {
				t.Errorf("untrusted = %v, want %v", got, c.untrusted)
			}
			if w.Privileged() != c.privileged {
				t.Errorf("privileged = %v (%+v), want %v", w.Privileged(), w, c.privileged)
			}
		})
	}
}

func TestParseRejectsHuge(t *testing.T) {
	if _, err := Parse(make([]byte, MaxSize+1)); err == nil {
		t.Fatal("oversized workflow accepted")
	}
	if _, err := Parse([]byte("on: [\n")); err == nil {
		t.Fatal("invalid YAML accepted")
	}
}

func FuzzWorkflow(f *testing.F) {
	f.Add([]byte("on:\n  pull_request_target:\npermissions:\n  contents: write\n"))
	f.Add([]byte("on: [push, pull_request]\n"))
	f.Add([]byte("jobs:\n  a:\n    permissions: write-all\n    secrets: inherit\n"))
	seeds, _ := filepath.Glob("../../examples/*/.github/workflows/*.yml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		w, err := Parse(src)
		if err != nil {
			return
		}
		for _, tr := range w.Triggers {
			if tr.Line < 1 {
				t.Fatalf("trigger %q without a line", tr.Event)
			}
		}
		_ = w.Privileged()
	})
}
