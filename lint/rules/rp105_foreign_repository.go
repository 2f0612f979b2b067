package rules

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
)

var rp105 = &Rule{
	ID: "RP105", Severity: finding.Error, Phase: Lint,
	Title:  "policy names another repository",
	Clause: clauseProvenance,
	Quote:  quoteTraceable,
	Doc: `The policy's ` + "`repository.name`" + ` or ` + "`repository.url`" + ` names another repository than
the one the file lives in: a policy copied from another repository, or one
left behind by a rename or transfer. Every official artifact must be
traceable to its source repository, and a record naming the wrong one
misleads whoever traces it. The repository the file lives in is the GitHub
repository for ` + "`sweep`" + `, and the ` + "`origin`" + ` remote of the checkout for ` + "`lint`" + `;
without an ` + "`origin`" + ` remote the rule does not run. Names compare without
regard to case, as GitHub's do.`,
	Example: "# in the checkout of github.com/tooo/lumen\nrepository:\n  name: tooo/aurora            # another repository\n  url: https://github.com/tooo/aurora",
	Check: func(c *Context) {
		host, owner, name, ok := SplitOrigin(c.Origin)
		if !ok {
			return
		}
		want := owner + "/" + name
		r := c.Doc.Policy.Repository
		if got := string(r.Name); got != "" && !strings.EqualFold(got, want) {
			c.At(ptr("repository", "name"), fmt.Sprintf("repository.name %q is not this repository (%s)", got, c.Origin),
				fmt.Sprintf("set name to %q, or move the policy to the repository it describes", want))
		}
		if r.URL == "" {
			return
		}
		u, err := url.Parse(string(r.URL))
		if err != nil {
			return // RP002 reports a malformed URL
		}
		uo, un, _ := strings.Cut(strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git"), "/")
		if !strings.EqualFold(u.Hostname(), host) || !strings.EqualFold(uo, owner) || !strings.EqualFold(un, name) {
			c.At(ptr("repository", "url"), fmt.Sprintf("repository.url %q is not this repository (%s)", string(r.URL), c.Origin),
				fmt.Sprintf("set url to %q", "https://"+host+"/"+want))
		}
	},
}

// SplitOrigin splits an origin "host/owner/name" (Context.Origin) into its
// parts; ok is false for anything else.
func SplitOrigin(origin string) (host, owner, name string, ok bool) {
	parts := strings.Split(origin, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", false
	}
	return strings.ToLower(parts[0]), parts[1], parts[2], true
}
