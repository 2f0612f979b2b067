package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp103 = &Rule{
	ID: "RP103", Severity: finding.Error, Phase: Lint,
	Title:  "referenced repo path does not exist",
	Clause: clauseSource,
	Quote:  "Each repository producing official artifacts MUST document its public build entrypoint(s). (The rule, 2: Official artifacts MUST be buildable from public source using documented public build entrypoints kept in version control.)",
	Doc: `A path the policy names is not in the repository: an entrypoint's ` + "`path`" + ` or
` + "`docs`" + `, ` + "`release.continuity.path`" + `, or the ` + "`ref`" + ` of a builder of kind ` + "`procedure`" + `.
A public build entrypoint or release procedure must be version-controlled in
the repository a third party can read.`,
	Example: "entrypoints:\n  - id: make-image\n    command: make image\n    path: Makefile   # no Makefile in the repository",
	Check: func(c *Context) {
		p := c.Doc.Policy
		check := func(pt, what, path string) {
			if path != "" && !c.Exists(path) {
				c.At(pt, fmt.Sprintf("%s %q does not exist in the repository", what, path),
					"commit the file, or correct the path (relative to the repository root)")
			}
		}
		for i, e := range p.Build.Entrypoints {
			check(ptr("build", "entrypoints", i, "path"), "entrypoint path", string(e.Path))
			check(ptr("build", "entrypoints", i, "docs"), "entrypoint docs", string(e.Docs))
		}
		if p.Release.Continuity != nil {
			check(ptr("release", "continuity", "path"), "continuity path", string(p.Release.Continuity.Path))
		}
		for i, b := range p.Release.Builders {
			if b.Kind == "procedure" {
				check(ptr("release", "builders", i, "ref"), "release procedure", b.Ref)
			}
		}
	},
}
