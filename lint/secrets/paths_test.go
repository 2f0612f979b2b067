package secrets

import (
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

// TestPathAllowedMatchesGitleaks checks the prefiltered path allowlists
// answer exactly as gitleaks' own Allowlist.PathAllowed, for the global
// allowlist and every rule's, over paths built from the expressions' own
// literals and ordinary repository and site paths.
func TestPathAllowedMatchesGitleaks(t *testing.T) {
	rs, err := defaultRules()
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{
		"README.md", "docs/index.md", "tooo/app/1.4.0/index.html", "digests/sha256/ab12/index.html",
		"assets/logo.PNG", "a/b/photo.JPEG", "go.sum", "x/go.work.sum", "vendor/modules.txt",
		"vendor/github.com/x/y.go", "node_modules/a/b.js", "web/node_modules", "gradlew", "gradlew.bat",
		"lib/jquery-3.1.min.js", "static/bootstrap.bundle.min.js.map", "venv/lib/python3.11/site.py",
		"ENV/LIB64/x", "lib/python3.10/a", "pkg-1.0.dist-info/RECORD", "vendor/bundle/x", "a.gem",
		"build/verification-metadata.xml", "Database.refactorlog", "Database-refactorlog", ".git",
		"sub/.git", "gitleaks.toml", "x/gitleaksXtoml", "font.WOFF2", "a.docx", "Pipfile.lock",
		"poetry.lock", "yarn.lock", "deep/package-lock.json", "javascript.json", "mvnw.cmd",
		"VENDOR/MODULES.TXT", "x/ſ.gem", "GRADLEW", "docs/Kelvin-K.md",
		".mvn/wrapper/MavenWrapperDownloader.java", "bower_components/x", "a/b/c.d/e", "",
	}
	var lists [][]string
	all := slices.Clone(rs.global)
	for i := range rs.rules {
		c, err := rs.compile(i)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c.rule.Allowlists...)
	}
	for _, a := range all {
		var lits []string
		for _, re := range a.Paths {
			if p, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
				lits = append(lits, requiredLiterals(p.Simplify())...)
			}
		}
		lists = append(lists, lits)
		for _, path := range paths {
			for _, l := range lits {
				for _, variant := range []string{path + l, l + "/" + path, "x/" + l, l, strings.ToUpper(l), "x/" + l + "/y"} {
					if got, want := allowsPath(a, variant), a.PathAllowed(variant); got != want {
						t.Errorf("%q: prefiltered %v, gitleaks %v", variant, got, want)
					}
				}
			}
			if got, want := allowsPath(a, path), a.PathAllowed(path); got != want {
				t.Errorf("%q: prefiltered %v, gitleaks %v", path, got, want)
			}
		}
	}
	if len(all) == 0 || slices.IndexFunc(lists, func(l []string) bool { return len(l) > 0 }) < 0 {
		t.Fatal("no path allowlists with literals: the check is toothless")
	}
	if prefilterFor(rs.global[0]) == nil {
		t.Fatal("the global allowlist gets no prefilter: the optimisation does nothing")
	}
}

func TestRequiredLiterals(t *testing.T) {
	cases := map[string][]string{
		`(?i)\.(?:bmp|gif|jpe?g|png|svg|tiff?)$`: {".bmp", ".gif", ".jpg", ".jpeg", ".png", ".svg", ".tif", ".tiff"},
		`(?i)\.(?:eot|[ot]tf|woff2?)$`:           {".eot", ".otf", ".ttf", ".woff", ".woff2"},
		`v(?:sidx|2)`:                            {"vsidx", "v2"},
		`(?:^|/)node_modules(?:/.*)?$`:           {"node_modules"},
		`go\.(?:mod|sum|work(?:\.sum)?)$`:        {"go.mod", "go.sum", "go.work", "go.work.sum"},
		`(?:^|/)\.git$`:                          {".git"},
		`(?:^|/)Pipfile\.lock$`:                  {"pipfile.lock"},
		`a*`:                                     nil,
		`(?:ab|c*)`:                              nil,
	}
	for expr, want := range cases {
		re, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got := requiredLiterals(re.Simplify())
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", expr, got, want)
		}
	}
}
