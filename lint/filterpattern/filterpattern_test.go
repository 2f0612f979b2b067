package filterpattern

import (
	"strings"
	"testing"
)

// Cases from GitHub's filter pattern cheat sheet, plus the globs earlier
// policies used.
func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"v*", "v1.2.3", true},
		{"v*", "v1/2", false},
		{"release-*", "release-2026", true},
		{"*", "main", true},
		{"*", "feature/x", false},
		{"**", "feature/x", true},
		{"feature/**", "feature/a/b", true},
		{"v[0-9]+.[0-9]+.*", "v10.2.3", true},
		{"v[0-9]+.[0-9]+.*", "v1.2", false}, // needs the second dot
		{"v[0-9]+.[0-9]+.*", "vX.2.3", false},
		{"v[0-9]+.[0-9]+.[0-9]+", "v1.22.333", true},
		{"v[12].[0-9]+.[0-9]+", "v3.0.0", false},
		{"v1?", "v", true},
		{"v1?", "v1", true},
		{"v1?", "v11", false},
		{"v2+", "v222", true},
		{"v.1", "vx1", false}, // . is literal
		{`v\*`, "v*", true},
		{`v\*`, "v1", false},
		{"[a-z]*", "Main", false},
		{"!v2.4*", "v2.4.1", true}, // Match ignores negation
	}
	for _, c := range cases {
		if got := Match(c.pattern, c.name); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestMatchList(t *testing.T) {
	pats := []string{"v*", "!v2.4*", "!v2.5*"}
	for name, want := range map[string]bool{"v3.0.0": true, "v2.4.1": false, "v2.5.0": false, "x1": false} {
		if got := MatchList(pats, name); got != want {
			t.Errorf("MatchList(%q) = %v, want %v", name, got, want)
		}
	}
	// A later positive pattern brings a name back, as in GitHub's docs.
	if !MatchList([]string{"v*", "!v2*", "v2.1"}, "v2.1") {
		t.Error("a later positive pattern must re-include")
	}
}

func TestCompileErrors(t *testing.T) {
	for pat, want := range map[string]string{
		"":      "empty pattern",
		"!":     "empty pattern",
		"+v":    `'+' at offset 0`,
		"v*?":   `'?' at offset 2`,
		"!?":    `'?' at offset 1`,
		"v[0-9": "[ at offset 1 is never closed",
		"v[]":   "lists no character",
		`v\`:    `\ at offset 1 escapes nothing`,
		"v**+":  `'+' at offset 3`,
	} {
		_, err := Compile(pat)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Compile(%q) error = %v, want it to contain %q", pat, err, want)
		}
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{"v*", "v[0-9]+.*", "!x", `a\+`, "**/b?"} {
		f.Add(s, "v1.2")
	}
	f.Fuzz(func(t *testing.T, pat, name string) {
		if p, err := Compile(pat); err == nil {
			p.Match(name)
		}
	})
}
