package lookup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tooo/relpolicy/schema"
	"github.com/tooo/relpolicy/site"
)

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

var (
	img140  = "sha256:" + sha("aurora 1.4.0 image")
	img131  = "sha256:" + sha("aurora 1.3.1 image")
	os140   = sha("aurora 1.4.0 os")
	lib20   = "sha256:" + sha("lib 2.0")
	rev140  = strings.Repeat("a1", 20)
	relTime = "2026-11-02T10:00:00Z"
)

func policy(name string, releases ...schema.LedgerEntry) *schema.Policy {
	return &schema.Policy{
		Version:    1,
		Repository: schema.Repository{Name: schema.OwnerName(name), URL: schema.HTTPSURL("https://github.com/" + name)},
		Artifacts: []schema.Artifact{
			{ID: "image", Name: "Image", Type: "oci-image", Identity: "digest", Channels: []schema.Slug{"reg"}, Build: "make"},
			{ID: "os", Name: "OS image", Type: "os-image", Identity: "checksum", Channels: []schema.Slug{"rel"}, Build: "make"},
		},
		Channels: []schema.Channel{
			{ID: "reg", Type: "oci-registry", Location: "ghcr.io/" + name},
			{ID: "rel", Type: "github-release", Location: "https://github.com/" + name + "/releases"},
		},
		Build:    schema.Build{Entrypoints: []schema.Entrypoint{{ID: "make", Command: "make", Path: "Makefile"}}, Compatible: "x"},
		Release:  schema.ReleasePosture{Contexts: []schema.Context{{Type: "tag", Pattern: "v*", Protected: true}}},
		Review:   schema.Review{Last: "2026-01-01"},
		Releases: releases,
	}
}

// buildSite renders a real site with two repositories and returns its
// directory.
func buildSite(t testing.TB) string {
	t.Helper()
	aurora := policy("tooo/aurora",
		schema.LedgerEntry{
			Version: "1.4.0", Tag: "v1.4.0", Revision: rev140, Published: schema.Timestamp(relTime),
			Artifacts: []schema.ReleaseArtifact{
				{ID: "image", Reference: "ghcr.io/tooo/aurora:1.4.0", Digest: schema.Digest(img140)},
				{ID: "os", Files: []schema.ReleaseFile{{Name: "aurora.img", URL: "https://github.com/tooo/aurora/releases/download/v1.4.0/aurora.img", SHA256: schema.SHA256Hex(os140)}}},
			},
		},
		schema.LedgerEntry{
			Version: "1.3.1", Tag: "v1.3.1", Revision: strings.Repeat("b2", 20), Published: "2026-09-01T00:00:00Z",
			Artifacts: []schema.ReleaseArtifact{{ID: "image", Reference: "ghcr.io/tooo/aurora:1.3.1", Digest: schema.Digest(img131)}},
		},
	)
	lib := policy("tooo/lib", schema.LedgerEntry{
		Version: "2.0", Revision: strings.Repeat("c3", 20), Published: "2026-10-01T00:00:00Z",
		Artifacts: []schema.ReleaseArtifact{{ID: "image", Reference: "tooo/lib:2.0", Digest: schema.Digest(lib20)}},
	})
	out := filepath.Join(t.TempDir(), "site")
	_, err := site.Build(context.Background(), site.Options{Out: out, Now: time.Unix(0, 0)}, []site.Repo{{Policy: aurora}, {Policy: lib}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFind(t *testing.T) {
	dir := buildSite(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	sources := map[string]string{
		"dir":        dir,
		"index file": filepath.Join(dir, "api", "v1", "index.json"),
		"url":        srv.URL,
		"url/":       srv.URL + "/",
		"index url":  srv.URL + "/api/v1/index.json",
	}
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			ix, err := Open(src, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			check(t, ix)
			m, _ := ix.Find(img140)
			page := m.Hits[0].Page
			if strings.HasPrefix(name, "url") || name == "index url" {
				if page != srv.URL+"/digests/sha256/"+strings.TrimPrefix(img140, "sha256:")+"/index.html" {
					t.Errorf("page = %s", page)
				}
				resp, err := srv.Client().Get(page)
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Errorf("digest page %s: %v %v", page, resp, err)
				}
				if resp != nil {
					resp.Body.Close()
				}
			} else if _, err := os.Stat(page); err != nil {
				t.Errorf("digest page: %v", err)
			}
		})
	}
}

func check(t *testing.T, ix *Index) {
	t.Helper()
	for _, tc := range []struct {
		query    string
		official bool
		kind     string
		digest   string
		version  string
		file     string
		note     string
	}{
		{query: img140, official: true, kind: "digest", digest: img140, version: "1.4.0"},
		{query: strings.ToUpper(strings.TrimPrefix(img140, "sha256:")), official: true, kind: "digest", digest: img140, version: "1.4.0"},
		{query: "  " + os140 + "\n", official: true, kind: "digest", digest: "sha256:" + os140, version: "1.4.0", file: "aurora.img"},
		{query: "sha256:" + sha("nope"), kind: "digest", digest: "sha256:" + sha("nope"), note: "no official artifact"},
		{query: "ghcr.io/tooo/aurora:1.4.0", official: true, kind: "reference", digest: img140, version: "1.4.0"},
		{query: "GHCR.IO/tooo/aurora:1.3.1", official: true, kind: "reference", digest: img131, version: "1.3.1"},
		{query: "ghcr.io/tooo/aurora:9.9", kind: "reference", note: "latest is ghcr.io/tooo/aurora@" + img140},
		{query: "ghcr.io/tooo/aurora", kind: "reference", note: `tag "latest"`},
		{query: "ghcr.io/evil/aurora:1.4.0", kind: "reference", note: "no official artifact"},
		{query: "tooo/lib:2.0", official: true, kind: "reference", digest: lib20, version: "2.0"},
		{query: "docker.io/tooo/lib:2.0", official: true, kind: "reference", digest: lib20, version: "2.0"},
		{query: "index.docker.io/tooo/lib:2.0", official: true, kind: "reference", digest: lib20, version: "2.0"},
		{query: "DOCKER.IO/tooo/lib:2.0", official: true, kind: "reference", digest: lib20, version: "2.0"},
		{query: "registry-1.docker.io/tooo/lib:2.0", official: true, kind: "reference", digest: lib20, version: "2.0"},
		{query: "ghcr.io/tooo/Aurora:1.4.0", kind: "reference", note: "invalid"},
		{query: "ghcr.io/tooo/aurora@" + img140, official: true, kind: "pinned", digest: img140, version: "1.4.0"},
		{query: "ghcr.io/tooo/aurora:1.4.0@" + img140, official: true, kind: "pinned", digest: img140, version: "1.4.0"},
		{query: "ghcr.io/evil/aurora@" + img140, kind: "pinned", digest: img140, version: "1.4.0", note: "published as ghcr.io/tooo/aurora@"},
		{query: "ghcr.io/tooo/aurora@sha256:" + os140, kind: "pinned", digest: "sha256:" + os140, version: "1.4.0", file: "aurora.img", note: "file aurora.img"},
		{query: "ghcr.io/tooo/aurora@sha256:" + sha("x"), kind: "pinned", note: "never published there"},
		{query: "ghcr.io/tooo/aurora@md5:abc", kind: "pinned", note: "not a sha256 digest"},
	} {
		m, ok := ix.Find(tc.query)
		if ok != tc.official || m.Official != tc.official || m.Kind != tc.kind || (tc.digest != "" && m.Digest != tc.digest) {
			t.Errorf("Find(%q) = %v, %+v", tc.query, ok, m)
			continue
		}
		if !strings.Contains(m.Note, tc.note) {
			t.Errorf("Find(%q).Note = %q, want it to contain %q", tc.query, m.Note, tc.note)
		}
		if tc.version == "" {
			continue
		}
		if len(m.Hits) == 0 {
			t.Errorf("Find(%q): no hits", tc.query)
			continue
		}
		h := m.Hits[0]
		if h.Version != tc.version || h.File != tc.file || h.Revision == "" || h.Published == "" || h.ReleasePage == "" {
			t.Errorf("Find(%q).Hits[0] = %+v", tc.query, h)
		}
		if tc.query == img140 {
			want := Hit{
				Repo: "tooo/aurora", RepoURL: "https://github.com/tooo/aurora", Artifact: "image", ArtifactName: "Image",
				Kind: "oci", Version: "1.4.0", Tag: "v1.4.0", Revision: rev140, CommitURL: "https://github.com/tooo/aurora/commit/" + rev140,
				Published: relTime, Reference: "ghcr.io/tooo/aurora:1.4.0", Repository: "ghcr.io/tooo/aurora",
				Pinned: "ghcr.io/tooo/aurora@" + img140, Digest: img140, Page: h.Page, ReleasePage: h.ReleasePage,
			}
			if h != want {
				t.Errorf("hit:\n got %+v\nwant %+v", h, want)
			}
		}
	}
}

func TestOpenErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/bad/api/v1/index.json", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{not json")) })
	mux.HandleFunc("/old/api/v1/index.json", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"schema":"relpolicy-site/v0"}`)) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, tc := range []struct{ src, want string }{
		{srv.URL + "/missing", "404"},
		{srv.URL + "/bad", "decoding"},
		{srv.URL + "/old", "schema"},
		{t.TempDir(), "no such file"},
		{"", "no site"},
		{"http://", "invalid URL"},
	} {
		if _, err := Open(tc.src, srv.Client()); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q) = %v, want an error containing %q", tc.src, err, tc.want)
		}
	}
}

// FuzzFind: any query gets an answer without panicking, and an official
// answer always carries hits.
func FuzzFind(f *testing.F) {
	for _, q := range []string{img140, os140, "ghcr.io/tooo/aurora:1.4.0", "ghcr.io/tooo/aurora@" + img140, "@", ":", "a@sha256:", "sha256:"} {
		f.Add(q)
	}
	ix, err := Open(buildSite(f), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		m, ok := ix.Find(q)
		if ok != m.Official || (ok && len(m.Hits) == 0) {
			t.Fatalf("Find(%q) = %v %+v", q, ok, m)
		}
	})
}
