package site

import (
	"bytes"
	"encoding/json"
	"strings"
)

// APISchema names the JSON shape of api/v1. It changes only when a field
// is removed or changes meaning; new optional fields keep it.
const APISchema = "relpolicy-site/v1"

// APIIndex is api/v1/index.json: every repository, release, artifact and
// digest of the site. docs/site.md documents each field.
type APIIndex struct {
	Schema string    `json:"schema"`
	Repos  []APIRepo `json:"repos"`
	// Digests maps "sha256:<hex>" (an OCI digest or a file's SHA-256) to
	// every release artifact published with it.
	Digests map[string][]APIDigestUse `json:"digests"`
}

// APIRepoFile is api/v1/<owner>/<repo>.json.
type APIRepoFile struct {
	Schema string  `json:"schema"`
	Repo   APIRepo `json:"repo"`
}

// APIRepo is one repository.
type APIRepo struct {
	Name         string          `json:"name"`
	URL          string          `json:"url"`
	Homepage     string          `json:"homepage,omitempty"`
	Description  string          `json:"description,omitempty"` // Markdown source; per-repo file only
	Page         string          `json:"page"`                  // site-relative page
	API          string          `json:"api"`                   // site-relative api/v1/<owner>/<repo>.json
	Channels     []APIChannel    `json:"channels"`
	Artifacts    []APIArtifact   `json:"artifacts"`
	Build        *APIBuild       `json:"build,omitempty"` // per-repo file only
	Surfaced     []string        `json:"surfaced"`
	Checksums    *APIChecksums   `json:"checksums,omitempty"`
	Signatures   APISignatures   `json:"signatures"`
	Attestations APIAttestations `json:"attestations"`
	Releases     []APIRelease    `json:"releases"`         // newest first
	Latest       string          `json:"latest,omitempty"` // newest version
}

// APIChannel is an official release channel.
type APIChannel struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Location string `json:"location"`
}

// APIArtifact is an artifact type the repository publishes.
type APIArtifact struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Identity string   `json:"identity"`
	Heavy    bool     `json:"heavy"`
	Channels []string `json:"channels"`
	Build    string   `json:"build"`
}

// APIBuild is the build-it-yourself information.
type APIBuild struct {
	Entrypoints []APIEntrypoint `json:"entrypoints"`
	Compatible  string          `json:"compatible"` // Markdown source
}

// APIEntrypoint is a public build entrypoint.
type APIEntrypoint struct {
	ID           string   `json:"id"`
	Command      string   `json:"command"`
	Path         string   `json:"path"`
	PathURL      string   `json:"path_url,omitempty"`
	Docs         string   `json:"docs,omitempty"`
	DocsURL      string   `json:"docs_url,omitempty"`
	Requirements []string `json:"requirements,omitempty"`
}

// APIChecksums names the checksum file published with every release.
type APIChecksums struct {
	Algorithm string `json:"algorithm"`
	File      string `json:"file"`
}

// APISignatures says whether artifacts are signed.
type APISignatures struct {
	Used   bool   `json:"used"`
	Method string `json:"method,omitempty"`
}

// APIAttestations says whether attestations are published.
type APIAttestations struct {
	Used  bool     `json:"used"`
	Types []string `json:"types,omitempty"`
}

// APIRelease is one official release.
type APIRelease struct {
	Version    string               `json:"version"`
	Tag        string               `json:"tag,omitempty"`
	Revision   string               `json:"revision"`
	CommitURL  string               `json:"commit_url,omitempty"`
	Published  string               `json:"published"`
	Record     string               `json:"record,omitempty"`
	Page       string               `json:"page"`
	SHA256SUMS string               `json:"sha256sums,omitempty"` // site-relative, when the release has files
	Artifacts  []APIReleaseArtifact `json:"artifacts"`
}

// APIReleaseArtifact is one artifact of a release.
type APIReleaseArtifact struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Type       string    `json:"type,omitempty"`
	Reference  string    `json:"reference,omitempty"`  // as published, with the tag
	Repository string    `json:"repository,omitempty"` // OCI repository
	Digest     string    `json:"digest,omitempty"`     // sha256:<hex>
	Pinned     string    `json:"pinned,omitempty"`     // repository@digest
	Files      []APIFile `json:"files,omitempty"`
}

// APIFile is one published file.
type APIFile struct {
	Name   string `json:"name"`
	URL    string `json:"url"`
	SHA256 string `json:"sha256,omitempty"`
	SHA512 string `json:"sha512,omitempty"`
	Size   int64  `json:"size,omitempty"`
}

// APIDigestUse is one place a digest was published.
type APIDigestUse struct {
	Repo     string `json:"repo"`
	Version  string `json:"version"`
	Artifact string `json:"artifact"`
	Kind     string `json:"kind"`           // "oci" or "file"
	File     string `json:"file,omitempty"` // file name, for kind "file"
	Page     string `json:"page"`           // site-relative digest page
}

func apiRepo(r *repoModel, full bool) APIRepo {
	p := r.policy
	a := APIRepo{
		Name:     r.Name,
		URL:      r.URL,
		Homepage: r.Homepage,
		Page:     r.Dir + "index.html",
		API:      "api/v1/" + r.Name + ".json",
		Surfaced: nonNil(r.Surfaced),
		Signatures: APISignatures{
			Used:   r.Signatures.Used,
			Method: r.Signatures.Method,
		},
		Attestations: APIAttestations{Used: r.Attest.Used, Types: r.Attest.Types},
		Channels:     []APIChannel{},
		Artifacts:    []APIArtifact{},
		Releases:     []APIRelease{},
	}
	if !a.Signatures.Used {
		a.Signatures.Method = ""
	}
	if full {
		a.Description = p.Repository.Description
		b := &APIBuild{Compatible: p.Build.Compatible, Entrypoints: []APIEntrypoint{}}
		for _, e := range r.Entrypoints {
			b.Entrypoints = append(b.Entrypoints, APIEntrypoint{
				ID: e.ID, Command: e.Command, Path: e.Path, PathURL: e.PathURL,
				Docs: e.Docs, DocsURL: e.DocsURL, Requirements: e.Requirements,
			})
		}
		a.Build = b
	}
	if r.Checksums != nil {
		a.Checksums = &APIChecksums{Algorithm: r.Checksums.Algorithm, File: r.Checksums.File}
	}
	for _, c := range r.Channels {
		a.Channels = append(a.Channels, APIChannel{ID: c.ID, Type: c.Type, Location: c.Location})
	}
	for _, am := range r.Artifacts {
		ids := make([]string, 0, len(am.Channels))
		for _, c := range am.Channels {
			ids = append(ids, c.ID)
		}
		a.Artifacts = append(a.Artifacts, APIArtifact{
			ID: am.ID, Name: am.Name, Type: am.Type, Identity: am.Identity,
			Heavy: am.Heavy, Channels: ids, Build: am.BuildID,
		})
	}
	for _, rel := range r.Releases {
		ar := APIRelease{
			Version: rel.Version, Tag: rel.Tag, Revision: rel.Revision, CommitURL: rel.CommitURL,
			Published: rel.Published, Record: rel.Record, Page: rel.Dir + "index.html",
			Artifacts: []APIReleaseArtifact{},
		}
		if len(rel.Sums) > 0 {
			ar.SHA256SUMS = rel.Dir + "SHA256SUMS"
		}
		for _, ra := range rel.Artifacts {
			x := APIReleaseArtifact{
				ID: ra.ID, Name: ra.Name, Type: ra.Type, Reference: ra.Reference,
				Repository: ra.Repository, Digest: ra.Digest, Pinned: ra.Pinned,
			}
			if !ra.OCI {
				x.Repository = ""
			}
			for _, f := range ra.Files {
				x.Files = append(x.Files, APIFile{Name: f.Name, URL: f.URL, SHA256: f.SHA256, SHA512: f.SHA512, Size: f.Size})
			}
			ar.Artifacts = append(ar.Artifacts, x)
		}
		a.Releases = append(a.Releases, ar)
	}
	if r.Latest != nil {
		a.Latest = r.Latest.Version
	}
	return a
}

// apiIndex builds the whole index in memory; writeIndexJSON streams the
// same JSON without holding it all at once. Tests compare the two.
func apiIndex(s *siteModel) APIIndex {
	idx := APIIndex{Schema: APISchema, Repos: make([]APIRepo, 0, len(s.Repos)), Digests: map[string][]APIDigestUse{}}
	for _, r := range s.Repos {
		idx.Repos = append(idx.Repos, apiRepo(r, false))
	}
	for _, d := range s.Digests {
		idx.Digests["sha256:"+d.Hex] = apiDigestUses(d)
	}
	return idx
}

func apiDigestUses(d *digestModel) []APIDigestUse {
	uses := make([]APIDigestUse, 0, len(d.Uses))
	for _, u := range d.Uses {
		x := APIDigestUse{
			Repo: u.Release.Repo.Name, Version: u.Release.Version, Artifact: u.Artifact.ID,
			Kind: "oci", Page: DigestPage(d.Hex),
		}
		if u.File != nil {
			x.Kind, x.File = "file", u.File.Name
		}
		uses = append(uses, x)
	}
	return uses
}

// writeIndexJSON writes api/v1/index.json exactly as encoding/json would
// encode apiIndex(s) (compact, map keys sorted, final newline), one
// repository and one digest at a time, so that a large organisation does
// not need the whole index twice in memory.
func writeIndexJSON(b *bytes.Buffer, s *siteModel) error {
	b.Grow(indexSizeHint(s))
	b.WriteString(`{"schema":`)
	if err := appendJSON(b, APISchema); err != nil {
		return err
	}
	b.WriteString(`,"repos":[`)
	for i, r := range s.Repos {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := appendJSON(b, apiRepo(r, false)); err != nil {
			return err
		}
	}
	b.WriteString(`],"digests":{`)
	for i, d := range s.Digests {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"sha256:` + d.Hex + `":`)
		if err := appendJSON(b, apiDigestUses(d)); err != nil {
			return err
		}
	}
	b.WriteString("}}\n")
	return nil
}

// indexSizeHint estimates the size of api/v1/index.json, to allocate its
// buffer once instead of doubling it.
func indexSizeHint(s *siteModel) int {
	n := 64
	for _, r := range s.Repos {
		n += 1024
		for _, rel := range r.Releases {
			n += 512
			for _, a := range rel.Artifacts {
				n += 320 + len(a.Reference) + len(a.Pinned) + len(a.Repository)
				for _, f := range a.Files {
					n += 256 + len(f.Name) + len(f.URL)
				}
			}
		}
	}
	return n + len(s.Digests)*200
}

// appendJSON appends v compactly, without a newline.
func appendJSON(b *bytes.Buffer, v any) error {
	if err := writeJSON(b, v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // the encoder's newline
	return nil
}

func digestDir(hex string) string { return "digests/sha256/" + hex + "/" }

// DigestPage is the site-relative path of the page of a SHA-256 digest or
// checksum (SPEC section 5), given as "sha256:<hex>" or as the 64 hex
// digits: "digests/sha256/<hex>/index.html". The site writes the page
// there and lookup links to it.
func DigestPage(digest string) string {
	return digestDir(strings.TrimPrefix(digest, "sha256:")) + "index.html"
}

// writeJSON encodes v compactly, with a final newline; encoding/json sorts
// map keys, so the output is deterministic. Only < is escaped (as \u003c),
// so no file can carry a raw "<script" whatever content type it is served
// with. > and & stay as they are: escaping them too would make every file
// with a "docker >= 24" look encoded to the disclosure gate, whose gitleaks
// decoding pass then rescans it (half the gate's cost on a large org).
func writeJSON(b *bytes.Buffer, v any) error {
	start := b.Len()
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	// In JSON text < can only occur inside strings, so this is exact.
	if out := b.Bytes()[start:]; bytes.IndexByte(out, '<') >= 0 {
		escaped := bytes.ReplaceAll(out, []byte("<"), []byte(`\u003c`))
		b.Truncate(start)
		b.Write(escaped)
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
