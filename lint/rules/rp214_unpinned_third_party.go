package rules

import (
	"fmt"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/workflow"
)

var rp214 = &Rule{
	ID: "RP214", Severity: finding.Error, Phase: Lint,
	Title:  "third-party action in a release job not pinned to a commit",
	Clause: clauseSource,
	Quote:  "Official build and publication logic MUST live in version-controlled repositories and follow normal repo change control.",
	Doc: `A release job that holds release credentials (or runs on a self-hosted runner)
uses a third-party action, reusable workflow or ` + "`docker://`" + ` image by a mutable ref
(a tag such as ` + "`@v2`" + ` or a branch) instead of a full 40-character commit SHA (or an
image digest). Whoever can move that tag changes the release logic and gets
the job's credentials, outside the repository's change control. Actions of
GitHub itself (` + "`actions/*`" + `, ` + "`github/*`" + `) are RP216's (a warning).

Fix: pin to the commit SHA and keep the tag as a comment
(` + "`uses: owner/action@<sha> # v2.1.0`" + `); let Dependabot or Renovate update it.`,
	Example: "jobs:\n  release:\n    permissions:\n      packages: write\n    steps:\n      - uses: some-vendor/publish-image-action@v2",
	Check: func(c *Context) {
		unpinnedUses(c, false)
	},
}

// unpinnedUses reports actions of privileged release jobs not pinned to a
// commit: first-party ones when firstParty, third-party ones otherwise.
func unpinnedUses(c *Context, firstParty bool) {
	for _, r := range c.releases() {
		for _, j := range r.jobs() {
			h := j.Holds()
			if !h.Privileged() && !h.SelfHosted {
				continue
			}
			check := func(v workflow.Value) {
				if v.S == "" || strings.HasPrefix(v.S, "./") {
					return
				}
				if img, ok := strings.CutPrefix(v.S, "docker://"); ok {
					if !firstParty && !strings.Contains(img, "@sha256:") {
						c.reportAt(r.fileOf(j), v.Pos, fmt.Sprintf("job %q runs container image %q by tag, not digest, while %s", j.ID, clip(img), holdsOrRunner(h)),
							"pin the image by digest: docker://image@sha256:<digest>")
					}
					return
				}
				name, ref, _ := workflow.Action(v.S)
				if workflow.FirstParty(name) != firstParty || workflow.Pinned(ref) {
					return
				}
				c.reportAt(r.fileOf(j), v.Pos, fmt.Sprintf("job %q uses %s at mutable ref %q while %s", j.ID, name, clip(ref), holdsOrRunner(h)),
					"pin to a full commit SHA and keep the version as a comment: uses: "+name+"@<40-hex sha> # "+clip(ref))
			}
			check(j.Uses)
			for _, s := range j.Steps {
				check(s.Uses)
			}
		}
	}
}
