package rules

import (
	"fmt"
	"strings"

	"github.com/tooo/relpolicy/internal/reference"
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
a namespace such as ` + "`ghcr.io/tooo`" + `), or a file ` + "`url`" + ` does not lie under any of
their locations. Locations match at path boundaries: ` + "`ghcr.io/tooo/app-fork`" + ` is not
in ` + "`ghcr.io/tooo/app`" + `. Only what is published through an official channel is official.

Both sides are normalised first (package internal/reference). References follow
Docker's rules: ` + "`tooo/app`" + `, ` + "`docker.io/tooo/app`" + `, ` + "`index.docker.io/tooo/app`" + ` and
` + "`DOCKER.IO/tooo/app`" + ` are one repository, and ` + "`x`" + ` is ` + "`docker.io/library/x`" + `. URLs
are decoded and their dot segments removed (RFC 3986 section 5.2.4), so
` + "`…/fw/releases/download/../../../../someone-else/fork/…`" + ` and ` + "`%2e%2e`" + ` are
matched where a client would fetch them, outside the channel. A reference or URL
that cannot be normalised (a ` + "`..`" + ` above the root, an encoded slash, user
information before the host) is reported too.`,
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
				hint := "publish through a declared channel (" + strings.Join(locs, ", ") + "), or declare the channel"
				if ra.Reference != "" {
					at := ptr("releases", i, "artifacts", j, "reference")
					img, err := reference.ParseImage(ra.Reference)
					switch {
					case err != nil:
						c.At(at, fmt.Sprintf("release %s reference %q cannot be matched against the channels of %q: %v", r.Version, ra.Reference, a.ID, err), hint)
					case !inOCIChannels(img.Name(), locs):
						c.At(at, fmt.Sprintf("release %s reference %q is outside the channels of %q", r.Version, ra.Reference, a.ID), hint)
					}
				}
				for k, f := range ra.Files {
					if f.URL == "" {
						continue
					}
					at := ptr("releases", i, "artifacts", j, "files", k, "url")
					u, err := reference.ParseURL(string(f.URL))
					switch {
					case err != nil:
						c.At(at, fmt.Sprintf("release %s file %q cannot be matched against the channels of %q: %v", r.Version, f.Name, a.ID, err), hint)
					case !inURLChannels(u, locs):
						c.At(at, fmt.Sprintf("release %s file %q is published outside the channels of %q (its URL resolves to %s)", r.Version, f.Name, a.ID, u), hint)
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

// inOCIChannels reports whether the normalised repository repo is one of
// the locations that name OCI repositories or namespaces, or lies under one
// at a path boundary. Locations that are not OCI names (URLs) never match.
func inOCIChannels(repo string, locs []string) bool {
	for _, l := range locs {
		if n, err := reference.OCILocation(l); err == nil && reference.InOCILocation(repo, n) {
			return true
		}
	}
	return false
}

// inURLChannels reports whether u lies under one of the locations that are
// http(s) URLs, compared after normalisation at segment boundaries.
func inURLChannels(u reference.URL, locs []string) bool {
	for _, l := range locs {
		if lu, err := reference.ParseURL(l); err == nil && u.Under(lu) {
			return true
		}
	}
	return false
}
