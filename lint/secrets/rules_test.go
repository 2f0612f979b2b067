package secrets

import (
	"maps"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestGitleaksRules checks what the anchored scan assumes about gitleaks'
// default configuration, so that an upgrade that breaks an assumption fails
// here rather than scanning differently.
func TestGitleaksRules(t *testing.T) {
	rs, err := defaultRules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.rules) < 200 {
		t.Errorf("only %d rules", len(rs.rules))
	}
	for _, k := range rs.keywords {
		for i := 0; i < len(k); i++ {
			if k[i] >= utf8.RuneSelf {
				t.Errorf("keyword %q is not ASCII: the keyword scan lower-cases ASCII only", k)
			}
		}
	}
	anchored := 0
	for i, r := range rs.rules {
		c, err := rs.compile(i)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.rule.RequiredRules) > 0 || c.rule.SkipReport {
			t.Errorf("%s: composite rules run whole; check them in TestGitleaksParity", r.id)
		}
		if c.branches != nil {
			anchored++
		}
		for _, b := range c.branches {
			if minLen(b.lits) < 2 {
				t.Errorf("%s: anchor shorter than two bytes", r.id)
			}
		}
	}
	if anchored < len(rs.rules)*9/10 {
		t.Errorf("only %d of %d rules anchored", anchored, len(rs.rules))
	}
	// The rules docs wake most often must be anchored.
	for _, id := range []string{"generic-api-key", "jwt", "private-key", "vault-service-token", "twilio-api-key", "kubernetes-secret-yaml"} {
		if c, _ := rs.compile(rs.index[id]); c.branches == nil {
			t.Errorf("%s is not anchored", id)
		}
	}
}

func TestFoldRunes(t *testing.T) {
	want := map[rune]bool{}
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if unicode.ToLower(r) < utf8.RuneSelf {
			want[r] = true
		}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				want[r] = true
			}
		}
	}
	if !maps.Equal(foldRunes, want) {
		t.Errorf("foldRunes = %v, the Unicode tables say %v", foldRunes, want)
	}
}
