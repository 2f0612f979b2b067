// Package lookup answers "is this an official artifact?" from a published
// site's api/v1/index.json (read from a directory or over http(s)): a
// digest or checksum names its repository, artifact and release; a tagged
// reference yields the digest to pin; a pinned reference is checked
// against the repository it names.
package lookup

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/internal/reference"
	"github.com/tooo/relpolicy/site"
)

// maxIndex caps the index read over the network or from disk.
const maxIndex = 1 << 30

// indexPath is where a site keeps its machine-readable index.
const indexPath = "api/v1/index.json"

// Index is a loaded site index.
type Index struct {
	// Source is where the index was read from (a URL or a file path).
	Source string
	base   string // site root: URL with a trailing slash, or a directory
	remote bool

	digests map[string][]Hit // "sha256:<hex>" to its uses
	refs    map[string][]Hit // normalized "repository:tag" to OCI uses
	repos   map[string][]Hit // normalized OCI repository to its uses
}

// Hit is one place an artifact was officially published.
type Hit struct {
	Repo         string `json:"repo"`     // owner/name
	RepoURL      string `json:"repo_url"` // source repository
	Artifact     string `json:"artifact"` // artifact id
	ArtifactName string `json:"artifact_name"`
	Kind         string `json:"kind"` // "oci" or "file"
	Version      string `json:"version"`
	Tag          string `json:"tag,omitempty"`
	Revision     string `json:"revision"`
	CommitURL    string `json:"commit_url,omitempty"`
	Published    string `json:"published"`
	Reference    string `json:"reference,omitempty"`  // OCI reference as published
	Repository   string `json:"repository,omitempty"` // OCI repository
	Pinned       string `json:"pinned,omitempty"`     // repository@digest
	File         string `json:"file,omitempty"`       // file name
	URL          string `json:"url,omitempty"`        // file download URL
	Digest       string `json:"digest"`               // sha256:<hex>
	Page         string `json:"page"`                 // digest page (URL or path)
	ReleasePage  string `json:"release_page"`         // release page (URL or path)
}

// Match is the answer to one query.
type Match struct {
	Query string `json:"query"`
	// Kind is how the query was read: "digest", "reference" or "pinned".
	Kind string `json:"kind"`
	// Digest is the digest looked up (digest, pinned) or found (reference).
	Digest string `json:"digest,omitempty"`
	// Official reports whether the query names an official artifact.
	Official bool `json:"official"`
	// Hits are the official publications that match, newest first. For a
	// pinned reference to the wrong repository they are the publications
	// of that digest elsewhere, and Official is false.
	Hits []Hit `json:"hits"`
	// Note explains a negative or surprising answer.
	Note string `json:"note,omitempty"`
}

// Open reads the index of the site at src: a site directory, the path of
// an index.json, or an http(s) URL of the site root. client may be nil.
func Open(src string, client *http.Client) (*Index, error) {
	return OpenContext(context.Background(), src, client)
}

// OpenContext is Open with a context for the network request.
func OpenContext(ctx context.Context, src string, client *http.Client) (*Index, error) {
	if src == "" {
		return nil, errors.New("opening site index: no site given")
	}
	var data []byte
	ix := &Index{}
	if strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://") {
		u, err := url.Parse(src)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("opening site index: invalid URL %q", src)
		}
		u.RawQuery, u.Fragment = "", ""
		if p, ok := strings.CutSuffix(u.Path, indexPath); ok {
			u.Path = p
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		ix.base, ix.remote = u.String(), true
		ix.Source = ix.base + indexPath
		if data, err = fetch(ctx, client, ix.Source); err != nil {
			return nil, err
		}
	} else {
		file := filepath.Join(src, filepath.FromSlash(indexPath))
		ix.base = src
		if fi, err := os.Stat(src); err == nil && !fi.IsDir() {
			file = src
			ix.base = filepath.Clean(filepath.Join(filepath.Dir(src), "..", ".."))
		}
		ix.Source = file
		b, err := readFile(file)
		if err != nil {
			return nil, fmt.Errorf("opening site index: %w", err)
		}
		data = b
	}
	var api site.APIIndex
	if err := json.Unmarshal(data, &api); err != nil {
		return nil, fmt.Errorf("decoding site index %s: %w", ix.Source, err)
	}
	if api.Schema != site.APISchema {
		return nil, fmt.Errorf("decoding site index %s: schema %q, want %q", ix.Source, api.Schema, site.APISchema)
	}
	ix.load(&api)
	return ix, nil
}

func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxIndex+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(b) > maxIndex {
		return nil, fmt.Errorf("reading %s: larger than %d bytes", name, maxIndex)
	}
	return b, nil
}

func fetch(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching %s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxIndex+1))
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", u, err)
	}
	if len(b) > maxIndex {
		return nil, fmt.Errorf("fetching %s: index larger than %d bytes", u, maxIndex)
	}
	return b, nil
}

// link turns a site-relative path into a URL or a file path.
func (ix *Index) link(p string) string {
	if p == "" {
		return ""
	}
	if ix.remote {
		return ix.base + p
	}
	return filepath.Join(ix.base, filepath.FromSlash(p))
}

func (ix *Index) load(api *site.APIIndex) {
	ix.digests = map[string][]Hit{}
	ix.refs = map[string][]Hit{}
	ix.repos = map[string][]Hit{}
	for _, r := range api.Repos {
		for _, rel := range r.Releases {
			for _, a := range rel.Artifacts {
				base := Hit{
					Repo: r.Name, RepoURL: r.URL, Artifact: a.ID, ArtifactName: a.Name,
					Version: rel.Version, Tag: rel.Tag, Revision: rel.Revision, CommitURL: rel.CommitURL,
					Published: rel.Published, ReleasePage: ix.link(rel.Page),
				}
				if a.Digest != "" {
					h := base
					h.Kind, h.Digest, h.Reference, h.Repository, h.Pinned = "oci", a.Digest, a.Reference, a.Repository, a.Pinned
					h.Page = ix.link(site.DigestPage(a.Digest))
					ix.digests[a.Digest] = append(ix.digests[a.Digest], h)
					if repo, err := reference.NormalizeRepository(h.Repository); err == nil {
						ix.repos[repo] = append(ix.repos[repo], h)
					}
					if img, err := reference.ParseImage(a.Reference); err == nil && img.Tag != "" {
						key := img.Name() + ":" + img.Tag
						ix.refs[key] = append(ix.refs[key], h)
					}
				}
				for _, f := range a.Files {
					if f.SHA256 == "" {
						continue
					}
					h := base
					d := "sha256:" + f.SHA256
					h.Kind, h.Digest, h.File, h.URL = "file", d, f.Name, f.URL
					h.Page = ix.link(site.DigestPage(d))
					ix.digests[d] = append(ix.digests[d], h)
				}
			}
		}
	}
	for _, m := range []map[string][]Hit{ix.digests, ix.refs, ix.repos} {
		for _, hits := range m {
			slices.SortStableFunc(hits, compareHits)
		}
	}
}

// compareHits orders newest first (RFC 3339 in UTC sorts as text).
func compareHits(a, b Hit) int {
	return cmp.Or(
		strings.Compare(b.Published, a.Published),
		strings.Compare(a.Repo, b.Repo),
		strings.Compare(a.Version, b.Version),
		strings.Compare(a.Artifact, b.Artifact),
		strings.Compare(a.File, b.File),
	)
}

var hexRE = regexp.MustCompile(`^(?i)(sha256:)?([0-9a-f]{64})$`)

// Find answers a query: a digest "sha256:<hex>" or a bare 64-hex SHA-256
// (an OCI digest or a file checksum), a tagged reference
// "registry/repo:tag" (no tag means "latest"), or a pinned reference
// "registry/repo@sha256:<hex>". It reports whether the query names an
// official artifact.
func (ix *Index) Find(query string) (Match, bool) {
	q := strings.TrimSpace(query)
	m := Match{Query: q, Hits: []Hit{}}
	if sm := hexRE.FindStringSubmatch(q); sm != nil {
		m.Kind = "digest"
		m.Digest = "sha256:" + strings.ToLower(sm[2])
		m.Hits = append(m.Hits, ix.digests[m.Digest]...)
		m.Official = len(m.Hits) > 0
		if !m.Official {
			m.Note = "no official artifact has this digest or checksum"
		}
		return m, m.Official
	}
	if ref, dig, ok := strings.Cut(q, "@"); ok {
		m.Kind = "pinned"
		sm := hexRE.FindStringSubmatch(dig)
		if sm == nil || sm[1] == "" {
			m.Note = fmt.Sprintf("%q is not a sha256 digest", dig)
			return m, false
		}
		m.Digest = "sha256:" + strings.ToLower(sm[2])
		img, err := reference.ParseImage(ref)
		if err != nil {
			m.Note = err.Error()
			return m, false
		}
		repo, want := ref, img.Name()
		var elsewhere []Hit
		for _, h := range ix.digests[m.Digest] {
			if hr, err := reference.NormalizeRepository(h.Repository); h.Kind == "oci" && err == nil && hr == want {
				m.Hits = append(m.Hits, h)
			} else {
				elsewhere = append(elsewhere, h)
			}
		}
		m.Official = len(m.Hits) > 0
		switch {
		case m.Official:
		case len(elsewhere) > 0:
			m.Hits = elsewhere
			m.Note = fmt.Sprintf("this digest is official, but published as %s, not in %s", describe(elsewhere[0]), repo)
		case len(ix.repos[want]) > 0:
			m.Note = fmt.Sprintf("%s is an official repository, but this digest was never published there; the latest official one is %s (%s %s)",
				repo, ix.repos[want][0].Pinned, ix.repos[want][0].Repo, ix.repos[want][0].Version)
		default:
			m.Note = "no official artifact has this digest"
		}
		return m, m.Official
	}
	m.Kind = "reference"
	img, err := reference.ParseImage(q)
	if err != nil {
		m.Note = err.Error()
		return m, false
	}
	repo, tag, want := img.Name(), img.TagOrDefault(), img.Name()
	m.Hits = append(m.Hits, ix.refs[want+":"+tag]...)
	m.Official = len(m.Hits) > 0
	if m.Official {
		m.Digest = m.Hits[0].Digest
		if len(m.Hits) > 1 {
			for _, h := range m.Hits[1:] {
				if h.Digest != m.Digest {
					m.Note = fmt.Sprintf("the tag was published more than once; the newest release (%s %s) is shown first", m.Hits[0].Repo, m.Hits[0].Version)
					break
				}
			}
		}
		return m, true
	}
	if hits := ix.repos[want]; len(hits) > 0 {
		m.Note = fmt.Sprintf("%s is an official repository, but no official release was published as tag %q; the latest is %s (%s %s)",
			repo, tag, hits[0].Pinned, hits[0].Repo, hits[0].Version)
	} else {
		m.Note = "no official artifact was published under this reference"
	}
	return m, false
}

func describe(h Hit) string {
	if h.Kind == "file" {
		return fmt.Sprintf("file %s of %s %s", h.File, h.Repo, h.Version)
	}
	return fmt.Sprintf("%s (%s %s)", h.Pinned, h.Repo, h.Version)
}
