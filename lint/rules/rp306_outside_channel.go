package rules

import (
	"fmt"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

var rp306 = &Rule{
	ID: "RP306", Severity: finding.Error, Phase: Lint,
	Title:  "release artifact published outside its declared channels",
	Clause: clauseRule,
	Quote:  "1. Only artifacts that satisfy this policy and are published through a TOOO-controlled official release channel may be represented as official TOOO artifacts.",
	Doc: `A ledger entry's OCI ` + "`reference`" + ` is not in any of the artifact's channels (the
channel's registry repository, or a repository under it when the location names
a namespace such as ` + "`ghcr.io/tooo`" + `), or a file ` + "`url`" + ` does not start with any of
their locations. Locations match at path boundaries: ` + "`ghcr.io/tooo/app-fork`" + ` is not
in ` + "`ghcr.io/tooo/app`" + `. Only what is published through an official channel is official.`,
	Example: "channels:\n  - {id: ghcr, type: oci-registry, location: ghcr.io/tooo/app}\nreleases:\n  - artifacts:\n      - reference: docker.io/someone/app:1.0",
	Check: func(c *Context) {
		p := c.Doc.Policy
		for i, r := range p.Releases {
			for j, ra := range r.Artifacts {
				a, ok := p.Artifact(ra.ID)
				if !ok {
					continue
				}
				locs := channelLocations(p, a)
				if ra.Reference != "" && !inChannels(RepositoryOf(ra.Reference), locs) {
					c.At(ptr("releases", i, "artifacts", j, "reference"), fmt.Sprintf("release %s reference %q is outside the channels of %q", r.Version, ra.Reference, a.ID),
						"publish through a declared channel ("+strings.Join(locs, ", ")+"), or declare the channel")
				}
				for k, f := range ra.Files {
					if f.URL != "" && !inChannels(string(f.URL), locs) {
						c.At(ptr("releases", i, "artifacts", j, "files", k, "url"), fmt.Sprintf("release %s file %q is published outside the channels of %q", r.Version, f.Name, a.ID),
							"publish through a declared channel ("+strings.Join(locs, ", ")+"), or declare the channel")
					}
				}
			}
		}
	},
}

func channelLocations(p *schema.Policy, a schema.Artifact) []string {
	var out []string
	for _, id := range a.Channels {
		if ch, ok := p.Channel(id); ok {
			out = append(out, ch.Location)
		}
	}
	return out
}

// RepositoryOf strips the tag and digest from an OCI reference:
// ghcr.io/tooo/app:1.0@sha256:... → ghcr.io/tooo/app.
func RepositoryOf(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref = ref[:i]
	}
	return ref
}

// inChannels reports whether s (an OCI repository or a file URL) is one of
// the locations or lies under one of them at a path boundary. OCI
// registries treat repository names case-insensitively in practice only
// for the host, so the comparison is exact apart from a trailing slash.
func inChannels(s string, locs []string) bool {
	for _, l := range locs {
		l = strings.TrimSuffix(l, "/")
		if s == l || strings.HasPrefix(s, l+"/") {
			return true
		}
	}
	return false
}
