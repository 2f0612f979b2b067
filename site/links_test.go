package site

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/schema"
)

// TestDownloadLinksNormalised: the site links a ledger file only through its
// normalised URL (issue 10). A URL whose dot segments walk to another
// repository is linked where a client would really fetch it, so the page
// never shows the official-looking raw URL; one that cannot be normalised
// gets no link at all. Docker Hub references are pulled by their
// normalised name.
func TestDownloadLinksNormalised(t *testing.T) {
	const escape = "https://github.com/tooo/tool/releases/download/../../../../someone-else/fork/releases/download/v1.0.0/tool.tgz"
	p := minimalPolicy("tooo/tool")
	p.Artifacts = append(p.Artifacts, schema.Artifact{ID: "img", Name: "Image", Type: "oci-image", Identity: "digest", Channels: []schema.Slug{"hub"}, Build: "make"})
	p.Channels = append(p.Channels, schema.Channel{ID: "hub", Type: "oci-registry", Location: "docker.io/tooo/tool"})
	p.Releases = []schema.LedgerEntry{{
		Version: "1.0.0", Revision: strings.Repeat("a", 40), Published: "2026-01-01T00:00:00Z",
		Artifacts: []schema.ReleaseArtifact{
			{ID: "tool", Files: []schema.ReleaseFile{
				{Name: "tool.tgz", URL: escape, SHA256: schema.SHA256Hex(sha("tool"))},
				{Name: "tool-arm.tgz", URL: "https://github.com/tooo/tool/releases/download/%2e%2e/%2e%2e/%2e%2e/%2e%2e/x/y/tool-arm.tgz", SHA256: schema.SHA256Hex(sha("arm"))},
				{Name: "tool-rv.tgz", URL: "https://github.com/../tool-rv.tgz", SHA256: schema.SHA256Hex(sha("rv"))},
			}},
			{ID: "img", Reference: "DOCKER.IO/tooo/tool:1.0.0", Digest: schema.Digest("sha256:" + sha("img"))},
		},
	}}
	out := filepath.Join(t.TempDir(), "out")
	build(t, out, []Repo{{Policy: p, Dir: "repo"}})
	page := read(t, out, "tooo/tool/1.0.0/index.html")
	for _, f := range []string{page, read(t, out, "tooo/tool/index.html"), read(t, out, "digests/sha256/"+sha("tool")+"/index.html"), read(t, out, "api/v1/tooo/tool.json")} {
		for _, bad := range []string{"releases/download/..", "%2e%2e", "github.com/../"} {
			if strings.Contains(f, bad) {
				t.Errorf("the site links a raw URL with dot segments (%q)", bad)
			}
		}
	}
	mustContain(t, page,
		`<a href="https://github.com/someone-else/fork/releases/download/v1.0.0/tool.tgz">tool.tgz</a>`,
		`<a href="https://github.com/x/y/tool-arm.tgz">tool-arm.tgz</a>`,
		`<th scope="row">tool-rv.tgz</th>`,
		"docker.io/tooo/tool@sha256:"+sha("img"),
	)
}
