package rules

import (
	"testing"

	"github.com/tooo/relpolicy/schema"
)

// TestCoveredFilterPatterns: release contexts are GitHub filter patterns,
// as RP305 reads them, so a trigger's tag pattern is covered by a context
// that matches it in that syntax ("+" repeats, it is not a literal).
func TestCoveredFilterPatterns(t *testing.T) {
	ctx := func(typ, p string) []schema.Context { return []schema.Context{{Type: typ, Pattern: p}} }
	for _, c := range []struct {
		trigger string
		cs      []schema.Context
		want    bool
	}{
		{"v*", ctx("tag", "v*"), true},
		{"v1.2.3", ctx("tag", "v+([0-9]).*"), false}, // not filter syntax: a plain mismatch
		{"v1", ctx("tag", "v[0-9]+"), true},
		{"v12", ctx("tag", "v[0-9]+"), true},
		{"release-1", ctx("tag", "v*"), false},
		{"v*", ctx("branch", "v*"), false},
		{"v*", ctx("ref", "refs/tags/v*"), true},
		{"**", ctx("tag", "v*"), false},
	} {
		if got := covered(c.trigger, "tag", c.cs); got != c.want {
			t.Errorf("covered(%q, %+v) = %v, want %v", c.trigger, c.cs, got, c.want)
		}
	}
}
