package lint_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/finding"
)

// TestLintSection: release-policy.yaml's lint section widens and narrows
// the public text and exempts reviewed areas, counted; --min-confidence
// hides less confident findings, counted; coverage counts files read.
func TestLintSection(t *testing.T) {
	ar, err := txtar.ParseFile("../testdata/lint/RP502/private-address.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir, cfg := extract(t, ar)
	extra := map[string]string{
		"docs/guide/registry.md": "Push to the registry at 192.168.31.250:5000 first.\n", // low: user docs
		"docs/generated/ref.md":  "Our release builders upload from 10.1.2.3.\n",         // excluded
		"man/relpolicy.md":       "Our release builders upload from 10.7.7.7.\n",         // public_text
		"website/content/faq.md": "We stage release bundles on stage01.internal.\n",      // a doc root
		"security-insights.yml":  "header:\n  schema-version: 1.0.0\n",
		"doc/feature/how-to.md":  "Our release uploads use 10.9.9.9.\n", // ignored RP502
	}
	for name, text := range extra {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.OpenFile(filepath.Join(dir, "release-policy.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`lint:
  public_text: ["man/**/*.md"]
  exclude: ["docs/generated/**"]
  ignore:
    - rules: [RP502]
      paths: ["doc/feature/**"]
      reason: "the feature guide shows users' own networks"
`)
	f.Close()

	for _, c := range []struct {
		min   finding.Confidence
		want  []string
		below int
	}{
		{finding.Medium, []string{"README.md RP502", "man/relpolicy.md RP502", "website/content/faq.md RP503"}, 1},
		{finding.Low, []string{"README.md RP502", "docs/guide/registry.md RP502", "man/relpolicy.md RP502", "website/content/faq.md RP503"}, 0},
	} {
		res, err := lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Now: goldenNow, Scanner: testScanner(t, cfg), MinConfidence: c.min})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, f.Path+" "+f.Rule)
		}
		r := res.Repos[0]
		if !slices.Equal(got, c.want) || r.Exempted != 1 || r.BelowConfidence != c.below {
			t.Errorf("min %s: findings %q, exempted %d, below %d; want %q, 1, %d", c.min, got, r.Exempted, r.BelowConfidence, c.want, c.below)
		}
		// policy, README, release workflow, the man page, security-insights.yml
		// and three docs (not the excluded one).
		if r.Scanned != 8 || len(r.Skipped) != 0 {
			t.Errorf("min %s: scanned %d, skipped %v; want 8 and none", c.min, r.Scanned, r.Skipped)
		}
	}
}
