package workflow

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func parseT(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestTriggersAndAnchors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"scalar", "on: pull_request_target\njobs: {}\n", []string{"pull_request_target"}},
		{"flow list", "on: [push, pull_request_target]\njobs: {}\n", []string{"push", "pull_request_target"}},
		{"quoted key", "\"on\":\n  issues:\njobs: {}\n", []string{"issues"}},
		{"single quoted list", "'on':\n  - push\n  - discussion\njobs: {}\n", []string{"push", "discussion"}},
		{"flow map", "on: {pull_request_target: {types: [opened]}}\njobs: {}\n", []string{"pull_request_target"}},
		{"alias", "x: &ev pull_request_target\non: *ev\njobs: {}\n", []string{"pull_request_target"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse([]byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tr := range f.Triggers {
				got = append(got, tr.Event)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("triggers %v, want %v", got, c.want)
			}
		})
	}
}

func TestPermissionsPerJob(t *testing.T) {
	f := parseT(t, `on: pull_request_target
permissions: &w
  contents: write
jobs:
  a:
    permissions:
      contents: read
    runs-on: ubuntu-latest
    steps: [{run: make}]
  b:
    runs-on: ubuntu-latest
    steps: [{run: make}]
  c:
    permissions: *w
    runs-on: ubuntu-latest
    steps: [{run: make}]
  d:
    permissions: {}
    runs-on: ubuntu-latest
    steps: [{run: make}]
`)
	want := map[string]bool{"a": false, "b": true, "c": true, "d": false}
	for _, j := range f.Jobs {
		if got := j.Holds().Privileged(); got != want[j.ID] {
			t.Errorf("job %s privileged = %v, want %v (%s)", j.ID, got, want[j.ID], j.Holds())
		}
	}
	g := parseT(t, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n  b:\n    permissions: read-all\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")
	if !g.Jobs[0].Holds().DefaultToken || g.Jobs[1].Holds().Privileged() {
		t.Errorf("default token / read-all wrong: %+v %+v", g.Jobs[0].Holds(), g.Jobs[1].Holds())
	}
}

func TestSecrets(t *testing.T) {
	f := parseT(t, `on: push
# secrets.IN_COMMENT is not a secret
jobs:
  b:
    runs-on: ubuntu-latest
    steps:
      - name: check secrets.env is absent
        run: test ! -f secrets.env
      - run: echo "${{ SECRETS.Upper }} ${{ secrets['IDX'] }} ${{ secrets.GITHUB_TOKEN }}"
      - uses: x/y@v1
        with:
          all: ${{ toJSON(secrets) }}
          pw: ${{ secrets.PW }}
`)
	var names []string
	all := false
	for _, s := range f.Jobs[0].Secrets {
		if s.All {
			all = true
		} else {
			names = append(names, s.Name)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"IDX", "PW", "UPPER"}) || !all {
		t.Errorf("secrets %v all=%v", names, all)
	}
}

func TestUntrustedContexts(t *testing.T) {
	f := parseT(t, "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo ok\n          echo \"${{ github.event.head_commit.message }}\"\n      - run: echo ${{ github.sha }} ${{ contains(github.event.issue.title, 'x') }}\n")
	u := f.Jobs[0].Untrusted
	if len(u) != 1 || u[0].Path != "github.event.head_commit.message" || u[0].Line != 8 || u[0].Column != 17 {
		t.Fatalf("untrusted = %+v", u)
	}
}

func TestLoad(t *testing.T) {
	big := "on: push\n# " + strings.Repeat("x", MaxSize) + "\njobs: {}\n"
	fsys := fstest.MapFS{
		".github/workflows/ci.yml":      {Data: []byte("on: pull_request_target\njobs:\n  rel:\n    uses: ./.github/workflows/release.yml\n    secrets: inherit\n")},
		".github/workflows/release.yml": {Data: []byte("on: workflow_call\njobs:\n  p:\n    uses: ./.github/workflows/build.yaml\n")},
		".github/workflows/build.yaml":  {Data: []byte("on: workflow_call\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")},
		".github/workflows/big.yml":     {Data: []byte(big)},
		".github/workflows/bad.yml":     {Data: []byte("on: [push\n")},
	}
	m := Load(fsys, "./.github/workflows/release.yml", ".github/workflows/bad.yml")
	rel := m.Files[Clean("./.github/workflows/release.yml")]
	if rel == nil {
		t.Fatalf("release not loaded; problems %+v", m.Problems)
	}
	if got := m.Callers(rel); len(got) != 1 || got[0].Path != ".github/workflows/ci.yml" {
		t.Errorf("callers %+v", got)
	}
	if got := m.Callees(rel); len(got) != 1 || got[0].Path != ".github/workflows/build.yaml" {
		t.Errorf("callees %+v", got)
	}
	if m.Problem(".github/workflows/big.yml") == nil || m.Problem(".github/workflows/bad.yml") == nil {
		t.Errorf("oversized or unparsable workflow not reported: %+v", m.Problems)
	}
	if !m.Files[".github/workflows/ci.yml"].Jobs[0].Holds().AllSecrets {
		t.Error("secrets: inherit not read as every secret")
	}
}

func TestListBounded(t *testing.T) {
	var names []string
	for i := 0; i < 5000; i++ {
		names = append(names, "SECRET_NUMBER_"+strings.Repeat("X", 3))
	}
	if s := (Holds{Secrets: names}).String(); len(s) > 200 || !strings.Contains(s, "and 4995 more") {
		t.Errorf("unbounded: %d chars %q", len(s), s)
	}
}

func FuzzWorkflow(f *testing.F) {
	f.Add([]byte("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: 'echo ${{ secrets.X }}'}]\n"))
	f.Add([]byte("x: &a {contents: write}\non: pull_request_target\npermissions: *a\njobs: {}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		f, err := Parse(b)
		if err == nil {
			for _, j := range f.Jobs {
				_ = j.Holds().String()
			}
		}
	})
}

func TestToJSONEvent(t *testing.T) {
	f := parseT(t, "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo '${{ toJSON(github.event) }}' | jq\n      - run: echo '${{ toJSON(github.sha) }} ${{ toJSON(matrix) }}'\n")
	if u := f.Jobs[0].Untrusted; len(u) != 1 || u[0].Path != "toJSON(github.event)" {
		t.Fatalf("untrusted = %+v", u)
	}
}
