package secrets

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint/secrets/internal/gentable"
)

var update = flag.Bool("update", false, "rewrite gitleaks_table.go")

// defaultRules is the default engine's rule set.
func defaultRules() (*ruleSet, error) {
	e, err := Default()
	if err != nil {
		return nil, err
	}
	return e.rs, nil
}

// TestTableFresh fails when gitleaks_table.go differs from what gitleaks'
// own loading of its default configuration gives today (go generate
// ./lint/secrets, or go test -update, rewrites it).
func TestTableFresh(t *testing.T) {
	cfg, err := gentable.Load()
	if err != nil {
		t.Fatal(err)
	}
	want, err := gentable.Generate(cfg, goModGitleaks(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("gitleaks_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	if *update {
		if err := os.WriteFile("gitleaks_table.go", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("gitleaks_table.go is stale: run go generate ./lint/secrets (or make generate) and commit")
}

// TestTableVersion pins gitleaks: go.mod and the table must name the same
// version, so moving gitleaks in go.mod without regenerating the table
// fails here. (The generator reads the version from its own build
// information; test binaries carry none.)
func TestTableVersion(t *testing.T) {
	mod := goModGitleaks(t)
	if gitleaksTable.Gitleaks != mod {
		t.Errorf("gitleaks_table.go was generated from gitleaks %s, go.mod requires %s: run go generate ./lint/secrets", gitleaksTable.Gitleaks, mod)
	}
}

// goModGitleaks returns the gitleaks version go.mod requires.
func goModGitleaks(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == gentable.Module {
			return f[1]
		}
		if len(f) >= 3 && f[0] == "require" && f[1] == gentable.Module {
			return f[2]
		}
	}
	t.Fatalf("go.mod does not require %s", gentable.Module)
	return ""
}

// TestBuildRejectsBrokenTables: a table the engine cannot run is an error
// from Build, or from Scan for an expression compiled on first use; never
// an engine that scans clean.
func TestBuildRejectsBrokenTables(t *testing.T) {
	ok := Rule{ID: "r", Regex: `tok_[a-z]{8}`, Keywords: []string{"tok_"}}
	for name, tab := range map[string]*Table{
		"nil":             nil,
		"no rules":        {Gitleaks: "v8.30.1"},
		"empty id":        {Rules: []Rule{{Regex: "x"}}},
		"duplicate":       {Rules: []Rule{ok, ok}},
		"no regex, path":  {Rules: []Rule{{ID: "r"}}},
		"bad path":        {Rules: []Rule{{ID: "r", Path: "("}}},
		"bad global":      {Allowlists: []Allowlist{{Regexes: []string{"["}}}, Rules: []Rule{ok}},
		"empty allowlist": {Allowlists: []Allowlist{{Description: "nothing"}}, Rules: []Rule{ok}},
		"bad target":      {Allowlists: []Allowlist{{RegexTarget: "file", StopWords: []string{"x"}}}, Rules: []Rule{ok}},
	} {
		if _, err := Build(tab); err == nil {
			t.Errorf("%s: Build accepted a broken table", name)
		} else if !strings.HasPrefix(err.Error(), "building the gitleaks rule table: ") {
			t.Errorf("%s: error %q", name, err)
		}
	}
	e, err := Build(&Table{Rules: []Rule{{ID: "broken", Regex: `tok_(`, Keywords: []string{"tok_"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if hs, err := e.ScanString("docs/a.md", "tok_abcdefgh\n"); err == nil {
		t.Errorf("a rule that does not compile scanned clean: %v", hs)
	} else if !strings.Contains(err.Error(), "compiling gitleaks rule broken") {
		t.Errorf("error %q does not name the rule", err)
	}
	// A working table scans.
	e, err = Build(&Table{Rules: []Rule{ok}})
	if err != nil {
		t.Fatal(err)
	}
	if hs, err := e.ScanString("docs/a.md", "x tok_abcdefgh\n"); err != nil || len(hs) != 1 || hs[0].Secret != "tok_abcdefgh" || hs[0].Offset != 2 {
		t.Errorf("ScanString = %+v, %v", hs, err)
	}
}
