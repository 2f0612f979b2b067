package site

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/schema"
)

// repoModel is one repository's policy.
type repoModel struct {
	Name        string // owner/name
	Owner       string
	Short       string // name without owner
	Dir         string // site-relative directory, "owner/name/"
	URL         string
	Homepage    string
	Description template.HTML
	Summary     string // plain text of the description's first paragraph
	Channels    []*channelModel
	Artifacts   []*artifactModel
	Entrypoints []*entrypointModel
	Compatible  template.HTML
	Contexts    []contextModel
	Builders    []builderModel
	Continuity  *continuityModel
	Surfaced    []string
	Checksums   *schema.Checksums
	Signatures  signingModel
	Attest      attestModel
	Exceptions  []schema.Exception
	Releases    []*releaseModel // newest first
	Latest      *releaseModel   // nil without releases
	Older       []*releaseModel

	policy   *schema.Policy
	verified map[string]*Verification // site --verify, by version
}

type channelModel struct {
	ID          string
	Type        string
	TypeLabel   string
	Location    string
	LocationURL string // Location when it is an https URL
	Description template.HTML
}

type artifactModel struct {
	ID            string
	Name          string
	Type          string
	TypeLabel     string
	Identity      string
	IdentityLabel string
	Heavy         bool
	OCI           bool
	Tool          string // docker or oras for OCI artifacts
	Channels      []*channelModel
	Build         *entrypointModel // nil when the id does not resolve
	BuildID       string
	Repository    string                // OCI repository to pull from
	Latest        *releaseArtifactModel // in the newest release that has it
}

type entrypointModel struct {
	ID           string
	Command      string
	Path         string
	PathURL      string
	Docs         string
	DocsURL      string
	Requirements []string
}

type contextModel struct {
	Type      string
	Refs      string // "tags", "branches" or "refs"
	Pattern   string
	Protected bool
}

type builderModel struct {
	ID             string
	Kind           string
	Ref            string
	RefURL         string // for workflow and procedure refs (repo paths)
	Infrastructure string
	Isolated       bool
	Credentials    string
}

type continuityModel struct {
	Path        string
	PathURL     string
	Revalidated string
}

type signingModel struct {
	Used        bool
	Method      string
	MethodLabel string
	Verify      template.HTML
}

type attestModel struct {
	Used   bool
	Types  []string
	Verify template.HTML
}

func newRepoModel(in Repo, md *markdown) (*repoModel, error) {
	p := in.Policy
	if p == nil {
		return nil, fmt.Errorf("no policy")
	}
	owner, short, err := splitName(string(p.Repository.Name))
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(string(p.Repository.URL), "/")
	r := &repoModel{
		Name:        owner + "/" + short,
		Owner:       owner,
		Short:       short,
		Dir:         owner + "/" + short + "/",
		URL:         base,
		Homepage:    string(p.Repository.Homepage),
		Description: md.HTML(p.Repository.Description, base),
		Summary:     md.Summary(p.Repository.Description, 200),
		Compatible:  md.HTML(p.Build.Compatible, base),
		Surfaced:    p.Provenance.Surfaced,
		Checksums:   p.Provenance.Checksums,
		Exceptions:  p.Exceptions,
		policy:      p,
		verified:    in.Verified,
	}
	r.Signatures = signingModel{
		Used:        p.Provenance.Signatures.Used,
		Method:      string(p.Provenance.Signatures.Method),
		MethodLabel: p.Provenance.Signatures.Method.Label(),
	}
	if r.Signatures.Used {
		r.Signatures.Verify = md.HTML(p.Provenance.Signatures.Verify, base)
	}
	r.Attest = attestModel{Used: p.Provenance.Attestations.Used}
	if r.Attest.Used {
		r.Attest.Types = p.Provenance.Attestations.Types
		r.Attest.Verify = md.HTML(p.Provenance.Attestations.Verify, base)
	}
	for _, c := range p.Release.Contexts {
		refs := map[string]string{"tag": "tags", "branch": "branches"}[c.Type]
		if refs == "" {
			refs = "refs"
		}
		r.Contexts = append(r.Contexts, contextModel{Type: c.Type, Refs: refs, Pattern: c.Pattern, Protected: c.Protected})
	}
	channels := map[string]*channelModel{}
	for _, c := range p.Channels {
		cm := &channelModel{
			ID:          string(c.ID),
			Type:        string(c.Type),
			TypeLabel:   c.Type.Label(),
			Location:    c.Location,
			Description: md.HTML(c.Description, base),
		}
		if strings.HasPrefix(c.Location, "https://") {
			cm.LocationURL = c.Location
		}
		channels[cm.ID] = cm
		r.Channels = append(r.Channels, cm)
	}
	entrypoints := map[string]*entrypointModel{}
	for _, e := range p.Build.Entrypoints {
		em := &entrypointModel{
			ID:           string(e.ID),
			Command:      e.Command,
			Path:         string(e.Path),
			PathURL:      blobURL(base, string(e.Path)),
			Docs:         string(e.Docs),
			DocsURL:      blobURL(base, string(e.Docs)),
			Requirements: e.Requirements,
		}
		entrypoints[em.ID] = em
		r.Entrypoints = append(r.Entrypoints, em)
	}
	for _, b := range p.Release.Builders {
		bm := builderModel{
			ID: string(b.ID), Kind: b.Kind, Ref: b.Ref, Infrastructure: b.Infrastructure,
			Isolated: b.Isolated, Credentials: b.Credentials,
		}
		if b.Kind != "identity" {
			bm.RefURL = blobURL(base, b.Ref)
		}
		r.Builders = append(r.Builders, bm)
	}
	if c := p.Release.Continuity; c != nil {
		r.Continuity = &continuityModel{Path: string(c.Path), PathURL: blobURL(base, string(c.Path)), Revalidated: string(c.Revalidated)}
	}
	artifacts := map[string]*artifactModel{}
	for _, a := range p.Artifacts {
		am := &artifactModel{
			ID:            string(a.ID),
			Name:          a.Name,
			Type:          string(a.Type),
			TypeLabel:     a.Type.Label(),
			Identity:      string(a.Identity),
			IdentityLabel: a.Identity.Label(),
			Heavy:         a.IsHeavy(),
			OCI:           a.IsOCI(),
			Tool:          ociTool(a.Type),
			Build:         entrypoints[string(a.Build)],
			BuildID:       string(a.Build),
		}
		for _, id := range a.Channels {
			c := channels[string(id)]
			if c == nil {
				c = &channelModel{ID: string(id), Location: string(id)}
			}
			am.Channels = append(am.Channels, c)
			if am.OCI && am.Repository == "" && c.Type == string(schema.OCIRegistry) {
				am.Repository = ociLocation(c.Location)
			}
		}
		if am.Name == "" {
			am.Name = am.ID
		}
		artifacts[am.ID] = am
		r.Artifacts = append(r.Artifacts, am)
	}
	seen := map[string]bool{}
	for i, e := range p.Releases {
		rel, err := newReleaseModel(r, i, e, artifacts)
		if err != nil {
			return nil, err
		}
		if v := in.Verified[rel.Version]; v != nil {
			rel.Verified = newVerifiedModel(v)
		}
		if key := strings.ToLower(rel.Version); seen[key] {
			return nil, fmt.Errorf("release %q is listed twice: %w", rel.Version, ErrUnsafeName)
		} else {
			seen[key] = true
		}
		r.Releases = append(r.Releases, rel)
	}
	slices.SortStableFunc(r.Releases, compareReleases)
	if len(r.Releases) > 0 {
		r.Latest = r.Releases[0]
		r.Older = r.Releases[1:]
	}
	for _, am := range r.Artifacts {
	find:
		for _, rel := range r.Releases {
			for _, ra := range rel.Artifacts {
				if ra.ID == am.ID {
					am.Latest = ra
					if am.OCI && ra.Repository != "" {
						am.Repository = ra.Repository
					}
					break find
				}
			}
		}
	}
	return r, nil
}

// ociTool is the command that pulls artifacts of the type: docker for
// images, oras for other OCI artifacts.
func ociTool(typ schema.ArtifactType) string {
	switch typ {
	case schema.OCIImage:
		return "docker"
	case schema.OCIArtifact:
		return "oras"
	}
	return ""
}

// ociLocation strips a scheme some authors put on registry locations.
func ociLocation(loc string) string {
	for _, p := range []string{"oci://", "docker://", "https://", "http://"} {
		loc = strings.TrimPrefix(loc, p)
	}
	return strings.TrimSuffix(loc, "/")
}

// blobURL links a repo-relative path on the forge.
func blobURL(base, p string) string {
	if p == "" || base == "" {
		return ""
	}
	return base + "/blob/HEAD/" + (&url.URL{Path: strings.TrimPrefix(p, "/")}).EscapedPath()
}
