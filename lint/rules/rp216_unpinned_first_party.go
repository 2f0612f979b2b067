package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp216 = &Rule{
	ID: "RP216", Severity: finding.Warning, Phase: Lint,
	Title:  "first-party GitHub action in a release job not pinned to a commit",
	Clause: clauseSource,
	Quote:  "Official build and publication logic MUST live in version-controlled repositories and follow normal repo change control.",
	Doc: `A release job that holds release credentials (or runs on a self-hosted runner)
uses one of GitHub's own actions (` + "`actions/*`" + `, ` + "`github/*`" + `) by a mutable tag. GitHub's
actions are less likely to be hijacked than a third party's (RP214, an error),
but the tag can still move under the release without a change in the
repository. A warning: hygiene.

Fix: pin to the commit SHA and keep the tag as a comment
(` + "`uses: actions/checkout@<sha> # v4.2.2`" + `).`,
	Example: "jobs:\n  release:\n    permissions:\n      contents: write\n    steps:\n      - uses: actions/checkout@v4",
	Check: func(c *Context) {
		unpinnedUses(c, true)
	},
}
