package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/schema"
)

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestBuildOrg(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	rep := build(t, out, orgRepos(t), func(o *Options) { o.BaseURL = "https://artifacts.example.org/" })

	auroraImage := sha("aurora-image-1.4.0")
	auroraOS := sha("aurora 1.4.0 x86_64 image")
	want := []string{
		"api/v1/index.json",
		"api/v1/tooo/aurora.json",
		"api/v1/tooo/nimbus.json",
		"api/v1/tooo/quiet.json",
		"assets/favicon.svg",
		"assets/search-index.js",
		"assets/site.js",
		"assets/style.css",
		"digests/sha256/" + auroraImage + "/index.html",
		"digests/sha256/" + auroraOS + "/index.html",
		"feed.xml",
		"index.html",
		"schema/v1.json",
		"tooo/aurora/1.3.1/SHA256SUMS",
		"tooo/aurora/1.3.1/index.html",
		"tooo/aurora/1.4.0/SHA256SUMS",
		"tooo/aurora/1.4.0/index.html",
		"tooo/aurora/feed.xml",
		"tooo/aurora/index.html",
		"tooo/nimbus/2.0.0/SHA256SUMS",
		"tooo/nimbus/2.0.0/index.html",
		"tooo/nimbus/feed.xml",
		"tooo/nimbus/index.html",
		"tooo/quiet/feed.xml",
		"tooo/quiet/index.html",
	}
	files := allFiles(t, out)
	for _, w := range want {
		if !slices.Contains(files, w) {
			t.Errorf("missing %s", w)
		}
	}
	if n := len(files) - len(want); n != 5 {
		// The five other digest pages: 1.3.1 image and file, 1.4.0
		// aarch64 file, nimbus chart and archive.
		t.Errorf("got %d files beyond the named ones, want 5: %v", n, files)
	}
	if !slices.Equal(rep.Written, files) || len(rep.Unchanged) != 0 || len(rep.Removed) != 0 {
		t.Errorf("report: written %d unchanged %d removed %d; want all %d written", len(rep.Written), len(rep.Unchanged), len(rep.Removed), len(files))
	}

	t.Run("schema", func(t *testing.T) {
		// The JSON Schema is published byte for byte as embedded (what
		// `relpolicy schema` prints), so an editor's $schema URL works.
		if got := read(t, out, SchemaPath); got != string(schema.JSON) {
			t.Errorf("%s differs from schema.JSON (%d bytes, want %d)", SchemaPath, len(got), len(schema.JSON))
		}
	})

	t.Run("release page", func(t *testing.T) {
		p := read(t, out, "tooo/aurora/1.4.0/index.html")
		mustContain(t, p,
			// The digest pins the repository, not the tag.
			"ghcr.io/tooo/aurora@sha256:"+auroraImage,
			"docker pull ghcr.io/tooo/aurora@sha256:"+auroraImage,
			"<code>ghcr.io/tooo/aurora:1.4.0</code>",
			`href="https://github.com/tooo/aurora/commit/3f2c1a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"`,
			`<time datetime="2026-11-02T10:00:00Z">2026-11-02 10:00 UTC</time>`,
			`href="https://github.com/tooo/aurora/actions/runs/123"`,
			"aurora-1.4.0-x86_64.img.zst", auroraOS, "700.0 MiB",
			`<a href="SHA256SUMS">SHA256SUMS</a>`,
			"sha256sum -c SHA256SUMS",
			`href="../../../digests/sha256/`+auroraOS+`/index.html"`,
			`<link rel="canonical" href="https://artifacts.example.org/tooo/aurora/1.4.0/">`,
			"Not signed:",
		)
		mustNotContain(t, p, "aurora:1.4.0@sha256", `href="/`)
	})

	t.Run("repository page", func(t *testing.T) {
		p := read(t, out, "tooo/aurora/index.html")
		mustContain(t, p,
			"<h1>tooo/aurora</h1>",
			"<strong>Aurora</strong> is a small",
			// Relative Markdown links point into the source repository.
			`href="https://github.com/tooo/aurora/blob/HEAD/docs/building.md">the build guide`,
			`<dt id="channel-ghcr"><strong>ghcr</strong> <span class="badge">OCI registry</span></dt>`,
			`<a href="https://github.com/tooo/aurora/releases">`,
			"Images are pushed here by the release workflow.",
			"docker pull ghcr.io/tooo/aurora@sha256:"+auroraImage,
			"sha256sum -c SHA256SUMS",
			"by digest", "by checksum",
			"<code>make image</code>", "<code>make os-image</code>",
			`href="https://github.com/tooo/aurora/blob/HEAD/Makefile"`,
			`documented in <a href="https://github.com/tooo/aurora/blob/HEAD/docs/building.md">docs/building.md</a>`,
			"<code>docker &gt;= 24</code>",
			"Official versus compatible builds",
			"A compatible build differs from the official",
			"source, revision, version, created, digest",
			"protected tags matching <code>v*</code>",
			"docs/release/heavy-release.md</a>, revalidated 2026-10-01",
			"Not signed:</strong> this project does not currently sign its artifacts.",
			"No attestations:",
			`href="1.3.1/index.html">1.3.1</a>`,
			`href="1.4.0/index.html"><strong>1.4.0</strong>`,
		)
		n := read(t, out, "tooo/nimbus/index.html")
		mustContain(t, n,
			"<strong>Signed:</strong> this project signs its artifacts with Sigstore cosign (keyless).",
			"<code>cosign verify-blob</code>",
			"<strong>Attestations:</strong> this project publishes slsa-provenance, sbom attestations",
			"<code>gh attestation verify</code>",
			"oras pull ghcr.io/tooo/charts/nimbus@sha256:"+sha("nimbus-chart-2.0.0"),
			"protected branches matching <code>release/*</code>",
		)
		q := read(t, out, "tooo/quiet/index.html")
		mustContain(t, q, "No official release has been published yet.")
	})

	t.Run("unsigned pages claim nothing", func(t *testing.T) {
		claims := regexp.MustCompile(`(?i)\b(verified|verify|attested|signed)\b`)
		for _, f := range files {
			if !strings.HasSuffix(f, ".html") && !strings.HasSuffix(f, ".xml") && !strings.HasSuffix(f, ".js") && !strings.HasSuffix(f, ".css") {
				continue
			}
			content := read(t, out, f)
			if strings.Contains(content, "tooo/nimbus") && !strings.HasSuffix(f, ".js") && f != "index.html" && f != "feed.xml" {
				continue // the signed project may say so
			}
			for _, m := range claims.FindAllStringIndex(content, -1) {
				before := strings.ToLower(content[max(0, m[0]-4):m[0]])
				if strings.EqualFold(content[m[0]:m[1]], "signed") && strings.HasSuffix(before, "not ") {
					continue // "Not signed"
				}
				t.Errorf("%s claims %q: …%s…", f, content[m[0]:m[1]], content[max(0, m[0]-40):min(len(content), m[1]+40)])
			}
		}
	})

	t.Run("digest pages", func(t *testing.T) {
		p := read(t, out, "digests/sha256/"+auroraImage+"/index.html")
		mustContain(t, p,
			"<h1>Official artifact</h1>",
			"sha256:"+auroraImage,
			`Aurora container image (OCI image): an official artifact of <a href="../../../tooo/aurora/1.4.0/index.html">tooo/aurora 1.4.0</a>, revision`,
			"3f2c1a9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b",
			"2026-11-02 10:00 UTC",
			"docker pull ghcr.io/tooo/aurora@sha256:"+auroraImage,
		)
		f := read(t, out, "digests/sha256/"+auroraOS+"/index.html")
		mustContain(t, f, "aurora-1.4.0-x86_64.img.zst (Aurora OS image, OS image): an official artifact of", "releases/download/v1.4.0/aurora-1.4.0-x86_64.img.zst")
	})

	t.Run("SHA256SUMS", func(t *testing.T) {
		got := read(t, out, "tooo/aurora/1.4.0/SHA256SUMS")
		want := auroraOS + "  aurora-1.4.0-x86_64.img.zst\n" + sha("aurora 1.4.0 aarch64 image") + "  aurora-1.4.0-aarch64.img.zst\n"
		if got != want {
			t.Errorf("SHA256SUMS:\n%s\nwant:\n%s", got, want)
		}
	})

	t.Run("index and search", func(t *testing.T) {
		p := read(t, out, "index.html")
		mustContain(t, p,
			`<label for="q">`, `role="search"`, `<script src="assets/search-index.js" defer></script>`,
			`<a href="tooo/aurora/index.html">tooo/aurora</a>`,
			`<a href="tooo/quiet/index.html">tooo/quiet</a>`,
			"none yet",
			`<a href="tooo/aurora/1.4.0/index.html">tooo/aurora 1.4.0</a>`,
			"3 repositories, 3 releases",
		)
		// Latest releases: newest first across the organisation.
		if a, n := strings.Index(p, "tooo/aurora 1.4.0"), strings.Index(p, "tooo/nimbus 2.0.0"); a < 0 || n < 0 || a > n {
			t.Errorf("latest releases not newest first")
		}
		js := read(t, out, "assets/search-index.js")
		if !strings.HasPrefix(js, "window.RELPOLICY_SEARCH={") || !strings.HasSuffix(js, "};\n") {
			t.Errorf("search index is not a script setting the global: %.80s", js)
		}
		var idx searchIndex
		if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(js, "window.RELPOLICY_SEARCH="), ";\n")), &idx); err != nil {
			t.Fatalf("search index JSON: %v", err)
		}
		if len(idx.Repos) != 3 || len(idx.Releases) != 3 || len(idx.Items) != 7 {
			t.Errorf("search index has %d repos, %d releases, %d items", len(idx.Repos), len(idx.Releases), len(idx.Items))
		}
	})

	t.Run("JSON API", func(t *testing.T) {
		var idx APIIndex
		if err := json.Unmarshal([]byte(read(t, out, "api/v1/index.json")), &idx); err != nil {
			t.Fatal(err)
		}
		if idx.Schema != APISchema || len(idx.Repos) != 3 || idx.Repos[0].Name != "tooo/aurora" {
			t.Fatalf("index: %+v", idx)
		}
		a := idx.Repos[0]
		if a.Latest != "1.4.0" || len(a.Releases) != 2 || a.Releases[0].Version != "1.4.0" || a.Build != nil || a.Description != "" {
			t.Errorf("aurora in index: %+v", a)
		}
		img := a.Releases[0].Artifacts[0]
		if img.Pinned != "ghcr.io/tooo/aurora@sha256:"+auroraImage || img.Repository != "ghcr.io/tooo/aurora" || img.Reference != "ghcr.io/tooo/aurora:1.4.0" {
			t.Errorf("image: %+v", img)
		}
		uses := idx.Digests["sha256:"+auroraOS]
		if len(uses) != 1 || uses[0] != (APIDigestUse{Repo: "tooo/aurora", Version: "1.4.0", Artifact: "aurora-os", Kind: "file", File: "aurora-1.4.0-x86_64.img.zst", Page: "digests/sha256/" + auroraOS + "/index.html"}) {
			t.Errorf("file digest uses: %+v", uses)
		}
		if len(idx.Digests) != 7 {
			t.Errorf("got %d digests, want 7", len(idx.Digests))
		}
		var one APIRepoFile
		if err := json.Unmarshal([]byte(read(t, out, "api/v1/tooo/aurora.json")), &one); err != nil {
			t.Fatal(err)
		}
		if one.Repo.Build == nil || len(one.Repo.Build.Entrypoints) != 2 || one.Repo.Build.Entrypoints[0].DocsURL != "https://github.com/tooo/aurora/blob/HEAD/docs/building.md" || one.Repo.Description == "" {
			t.Errorf("repo file: %+v", one.Repo.Build)
		}
	})

	t.Run("feeds", func(t *testing.T) {
		type feed struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
			ID      string   `xml:"id"`
			Updated string   `xml:"updated"`
			Entries []struct {
				ID      string `xml:"id"`
				Title   string `xml:"title"`
				Updated string `xml:"updated"`
				Link    struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		var org, repo feed
		if err := xml.Unmarshal([]byte(read(t, out, "feed.xml")), &org); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal([]byte(read(t, out, "tooo/aurora/feed.xml")), &repo); err != nil {
			t.Fatal(err)
		}
		if len(org.Entries) != 3 || org.Updated != "2026-11-02T10:00:00Z" || org.Entries[0].Title != "tooo/aurora 1.4.0" || org.Entries[1].Title != "tooo/nimbus 2.0.0" {
			t.Errorf("org feed: %+v", org)
		}
		if len(repo.Entries) != 2 || repo.ID != "https://artifacts.example.org/tooo/aurora/feed.xml" ||
			repo.Entries[1].Updated != "2026-09-15T06:30:00Z" || repo.Entries[0].Link.Href != "https://artifacts.example.org/tooo/aurora/1.4.0/index.html" {
			t.Errorf("repo feed: %+v", repo)
		}
	})

	t.Run("links resolve", func(t *testing.T) { checkLinks(t, out, files) })
}

// checkLinks follows every relative href, src and action of every page and
// fails on targets that are not files of the site: the site works from any
// base path and from file://.
func checkLinks(t *testing.T, out string, files []string) {
	t.Helper()
	attr := regexp.MustCompile(`(?:href|src|action)="([^"]*)"`)
	have := map[string]bool{}
	for _, f := range files {
		have[f] = true
	}
	for _, f := range files {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		for _, m := range attr.FindAllStringSubmatch(read(t, out, f), -1) {
			u := html.UnescapeString(m[1])
			if u == "" {
				t.Errorf("%s: empty link", f)
				continue
			}
			if strings.HasPrefix(u, "#") || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "mailto:") {
				continue
			}
			if strings.HasPrefix(u, "/") || strings.Contains(u, "://") {
				t.Errorf("%s: link %q is not relative", f, u)
				continue
			}
			target := path.Join(path.Dir(f), strings.SplitN(strings.SplitN(u, "#", 2)[0], "?", 2)[0])
			if !have[target] {
				t.Errorf("%s: link %q points at missing %s", f, u, target)
			}
		}
	}
}

func mustContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("missing %q", sub)
		}
	}
}

func mustNotContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if i := strings.Index(s, sub); i >= 0 {
			t.Errorf("unexpected %q in …%s…", sub, s[max(0, i-60):min(len(s), i+len(sub)+60)])
		}
	}
}

// TestSHA256SUMSAcceptedBySha256sum runs the real sha256sum -c over the
// SHA256SUMS the site writes, with files whose content matches.
func TestSHA256SUMSAcceptedBySha256sum(t *testing.T) {
	bin, err := exec.LookPath("sha256sum")
	if err != nil {
		t.Skip("sha256sum not installed")
	}
	contents := map[string]string{
		"tool-1.0.0-linux-amd64.tar.gz": "linux amd64 bytes\n",
		"tool 1.0.0 (windows).zip":      "windows bytes with a name with spaces",
		"-tool-1.0.0.sbom.json":         `{"leading":"dash"}`,
	}
	var files []schema.ReleaseFile
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range contents {
			if !yield(k) {
				return
			}
		}
	}) {
		files = append(files, schema.ReleaseFile{
			Name: schema.FileName(name), URL: schema.HTTPSURL("https://example.org/" + name),
			SHA256: schema.SHA256Hex(sha(contents[name])), Size: int64(len(contents[name])),
		})
	}
	p := minimalPolicy("tooo/tool")
	p.Releases = []schema.LedgerEntry{{
		Version: "1.0.0", Revision: strings.Repeat("ab", 20), Published: "2026-01-02T03:04:05Z",
		Artifacts: []schema.ReleaseArtifact{{ID: "tool", Files: files}},
	}}
	out := filepath.Join(t.TempDir(), "site")
	build(t, out, []Repo{{Policy: p}})
	dir := filepath.Join(out, "tooo", "tool", "1.0.0")
	for name, c := range contents {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "-c", "--strict", "SHA256SUMS")
	cmd.Dir = dir
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, b)
	}
	if got := strings.Count(string(b), ": OK"); got != 3 {
		t.Errorf("sha256sum -c reported %d OK lines:\n%s", got, b)
	}
	// And it notices a tampered file.
	if err := os.WriteFile(filepath.Join(dir, "tool-1.0.0-linux-amd64.tar.gz"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(bin, "-c", "SHA256SUMS")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(b), "FAILED") {
		t.Errorf("sha256sum -c accepted a tampered file:\n%s", b)
	}
}

// minimalPolicy is a valid policy with one file artifact and no releases.
func minimalPolicy(name string) *schema.Policy {
	return &schema.Policy{
		Version: 1,
		Repository: schema.Repository{
			Name: schema.OwnerName(name), URL: schema.HTTPSURL("https://github.com/" + name),
		},
		Artifacts: []schema.Artifact{{ID: "tool", Name: "Tool", Type: "archive", Identity: "checksum", Channels: []schema.Slug{"rel"}, Build: "make"}},
		Channels:  []schema.Channel{{ID: "rel", Type: "github-release", Location: "https://github.com/" + name + "/releases"}},
		Build: schema.Build{
			Entrypoints: []schema.Entrypoint{{ID: "make", Command: "make", Path: "Makefile"}},
			Compatible:  "Same thing, built by you.",
		},
		Release: schema.ReleasePosture{
			Contexts: []schema.Context{{Type: "tag", Pattern: "v*", Protected: true}},
			Builders: []schema.Builder{{ID: "release", Kind: "workflow", Ref: ".github/workflows/release.yml", Infrastructure: "organization-controlled", Isolated: true, Credentials: "short-lived"}},
		},
		Provenance: schema.Provenance{Surfaced: []string{"source", "revision", "version", "created", "digest"}},
		Review:     schema.Review{Last: "2026-01-01"},
	}
}

func TestDeterministicAndIncremental(t *testing.T) {
	repos := orgRepos(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	build(t, a, repos, func(o *Options) { o.Workers = 1 })
	build(t, b, orgRepos(t), func(o *Options) { o.Workers = 8 })
	diffSnapshots(t, snapshot(t, a), snapshot(t, b), false)

	// Age every file so a rewrite would show in its mtime.
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range allFiles(t, a) {
		if err := os.Chtimes(filepath.Join(a, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, a)
	rep := build(t, a, repos)
	if rep.Changed() || len(rep.Written) != 0 || len(rep.Unchanged) != len(allFiles(t, a)) {
		t.Errorf("re-render of an unchanged org wrote %v, removed %v", rep.Written, rep.Removed)
	}
	diffSnapshots(t, before, snapshot(t, a), true)
	assertNoStaging(t, dir)

	// A new release rewrites only what shows it; everything else keeps its
	// inode and mtime.
	beforeInfo := map[string]os.FileInfo{}
	for _, f := range allFiles(t, a) {
		fi, err := os.Stat(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		beforeInfo[f] = fi
	}
	p := repos[2].Policy // tooo/quiet
	p.Releases = append(p.Releases, schema.LedgerEntry{
		Version: "0.1.0", Revision: strings.Repeat("c", 40), Published: "2026-11-05T00:00:00Z",
		Artifacts: []schema.ReleaseArtifact{{ID: "quiet-bin", Files: []schema.ReleaseFile{{Name: "quiet", URL: "https://github.com/tooo/quiet/releases/download/v0.1.0/quiet", SHA256: schema.SHA256Hex(sha("quiet")), Size: 5}}}},
	})
	rep = build(t, a, repos)
	wantWritten := []string{
		"api/v1/index.json", "api/v1/tooo/quiet.json", "assets/search-index.js",
		"digests/sha256/" + sha("quiet") + "/index.html", "feed.xml", "index.html",
		"tooo/quiet/0.1.0/SHA256SUMS", "tooo/quiet/0.1.0/index.html", "tooo/quiet/feed.xml", "tooo/quiet/index.html",
	}
	if !slices.Equal(rep.Written, wantWritten) {
		t.Errorf("written:\n%v\nwant:\n%v", rep.Written, wantWritten)
	}
	for _, f := range rep.Unchanged {
		fi, err := os.Stat(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(fi, beforeInfo[f]) || !fi.ModTime().Equal(old) {
			t.Errorf("%s: unchanged file was rewritten", f)
		}
	}
	assertNoStaging(t, dir)

	// Dropping the release again removes its files.
	p.Releases = nil
	rep = build(t, a, repos)
	if len(rep.Removed) != 3 {
		t.Errorf("removed %v, want the release page, its SHA256SUMS and its digest page", rep.Removed)
	}
	if _, err := os.Stat(filepath.Join(a, "tooo", "quiet", "0.1.0")); !os.IsNotExist(err) {
		t.Errorf("release directory still there: %v", err)
	}
}

func assertNoStaging(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("staging directory left behind: %s", e.Name())
		}
	}
}

func TestGateRefuses(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	repos := orgRepos(t)
	build(t, out, repos)
	before := snapshot(t, out)

	repos[0].Policy.Repository.Description += "\nMirrors live on build01.corp for now.\n"
	rep, err := Build(context.Background(), Options{Out: out, Now: testNow, Gate: leakGate{}}, repos)
	if !errors.Is(err, ErrDisclosure) {
		t.Fatalf("Build: %v, want ErrDisclosure", err)
	}
	if rep == nil || len(rep.Findings) == 0 {
		t.Fatal("no findings reported")
	}
	paths := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule != "RP503" || f.Line == 0 {
			t.Errorf("finding: %+v", f)
		}
		paths[f.Path] = true
	}
	for _, p := range []string{"tooo/aurora/index.html", "api/v1/tooo/aurora.json"} {
		if !paths[p] {
			t.Errorf("no finding in %s; got %v", p, paths)
		}
	}
	diffSnapshots(t, before, snapshot(t, out), true)
	assertNoStaging(t, dir)

	// Into a fresh directory: it is not even created.
	fresh := filepath.Join(dir, "fresh")
	if _, err := Build(context.Background(), Options{Out: fresh, Gate: leakGate{}}, repos); !errors.Is(err, ErrDisclosure) {
		t.Fatalf("Build: %v, want ErrDisclosure", err)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("output created despite the leak: %v", err)
	}
	assertNoStaging(t, dir)
}

func TestRefusesForeignOutput(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), Options{Out: dir}, orgRepos(t))
	if !errors.Is(err, ErrNotSite) {
		t.Fatalf("Build into a non-site directory: %v, want ErrNotSite", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "precious.txt")); err != nil || string(b) != "keep me" {
		t.Errorf("foreign file touched: %q %v", b, err)
	}
	file := filepath.Join(dir, "precious.txt")
	if _, err := Build(context.Background(), Options{Out: file}, orgRepos(t)); !errors.Is(err, ErrNotSite) {
		t.Errorf("Build onto a file: %v, want ErrNotSite", err)
	}
	// An empty directory is fine.
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	build(t, empty, orgRepos(t))
	if _, err := os.Stat(filepath.Join(empty, "index.html")); err != nil {
		t.Error(err)
	}
}

func TestBaseURLRejected(t *testing.T) {
	for _, u := range []string{"ftp://x", "javascript:alert(1)", "example.org", "https://x.org/?a=b"} {
		if _, err := Build(context.Background(), Options{Out: t.TempDir(), BaseURL: u}, nil); err == nil {
			t.Errorf("base URL %q accepted", u)
		}
	}
}

func TestNoFeedEntriesUsesNow(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s")
	build(t, out, []Repo{{Policy: minimalPolicy("tooo/empty")}})
	mustContain(t, read(t, out, "feed.xml"), "<updated>2026-11-10T00:00:00Z</updated>", "<id>urn:relpolicy:feed</id>")
	mustContain(t, read(t, out, "tooo/empty/feed.xml"), "<id>urn:relpolicy:repo:tooo/empty</id>", `href="../../tooo/empty/index.html"`)
}

// countingGate counts the files it sees and flags a needle.
type countingGate struct {
	mu     sync.Mutex
	seen   int
	needle string
}

func (g *countingGate) ScanFile(path string, kind surface.Kind, content []byte) []finding.Finding {
	g.mu.Lock()
	g.seen++
	g.mu.Unlock()
	if g.needle != "" && strings.Contains(string(content), g.needle) {
		return []finding.Finding{{Rule: "RP503", Severity: finding.Error, Path: path, Line: 1, Column: 1, Message: "internal hostname"}}
	}
	return nil
}

func TestReuseUnchangedSite(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	cache := filepath.Join(dir, "cache")
	repos := orgRepos(t)
	run := func(g Gate) (*Report, error) {
		return Build(context.Background(), Options{Out: out, Now: testNow, Gate: g, CacheDir: cache}, repos)
	}
	g := &countingGate{}
	rep, err := run(g)
	if err != nil || rep.Reused {
		t.Fatalf("first build: reused %v, %v", rep.Reused, err)
	}
	files := allFiles(t, out)
	before := snapshot(t, out)

	// Unchanged: nothing rendered, every file still gated.
	g = &countingGate{}
	rep, err = run(g)
	if err != nil || !rep.Reused || rep.Changed() || len(rep.Unchanged) != len(files) || g.seen != len(files) {
		t.Fatalf("second build: reused %v changed %v unchanged %d gated %d, %v", rep.Reused, rep.Changed(), len(rep.Unchanged), g.seen, err)
	}
	diffSnapshots(t, before, snapshot(t, out), true)

	// The gate still refuses a leak that is already published.
	if _, err := run(&countingGate{needle: "tooo/nimbus"}); !errors.Is(err, ErrDisclosure) {
		t.Errorf("reused build with a leaking site: %v, want ErrDisclosure", err)
	}

	// A file edited by hand after the build is restored.
	victim := filepath.Join(out, "tooo", "aurora", "index.html")
	future := time.Now().Add(time.Hour)
	if err := os.WriteFile(victim, []byte("defaced"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(victim, future, future); err != nil {
		t.Fatal(err)
	}
	rep, err = run(nil)
	if err != nil || rep.Reused || !slices.Equal(rep.Written, []string{"tooo/aurora/index.html"}) {
		t.Fatalf("after an edit: reused %v written %v, %v", rep.Reused, rep.Written, err)
	}
	diffSnapshots(t, before, snapshot(t, out), false)

	// A deleted file is restored; a stray file is removed.
	if err := os.Remove(filepath.Join(out, "feed.xml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "stray.html"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = run(nil)
	if err != nil || rep.Reused || !slices.Equal(rep.Written, []string{"feed.xml"}) || !slices.Equal(rep.Removed, []string{"stray.html"}) {
		t.Fatalf("after a deletion: reused %v written %v removed %v, %v", rep.Reused, rep.Written, rep.Removed, err)
	}

	// Reused again, then a policy change renders.
	if rep, err = run(nil); err != nil || !rep.Reused {
		t.Fatalf("reuse after repair: %v %v", rep.Reused, err)
	}
	repos[1].Policy.Repository.Description = "Changed."
	if rep, err = run(nil); err != nil || rep.Reused || !slices.Contains(rep.Written, "tooo/nimbus/index.html") {
		t.Fatalf("after a policy change: reused %v written %v, %v", rep.Reused, rep.Written, err)
	}
	// Other inputs are part of the fingerprint too.
	if rep, err := Build(context.Background(), Options{Out: out, Now: testNow.Add(time.Second), CacheDir: cache}, repos); err != nil || rep.Reused {
		t.Errorf("after a change of Now: reused %v, %v", rep.Reused, err)
	}
	if rep, err := Build(context.Background(), Options{Out: out, Now: testNow.Add(time.Second), CacheDir: cache, BaseURL: "https://x.example"}, repos); err != nil || rep.Reused {
		t.Errorf("after a change of base URL: reused %v, %v", rep.Reused, err)
	}
}

// The streamed api/v1/index.json is what encoding/json makes of the
// whole index.
func TestIndexJSONStreamed(t *testing.T) {
	m, err := newModel(orgRepos(t), newMarkdown(), 2)
	if err != nil {
		t.Fatal(err)
	}
	var streamed, whole bytes.Buffer
	if err := writeIndexJSON(&streamed, m); err != nil {
		t.Fatal(err)
	}
	if err := json.NewEncoder(&whole).Encode(apiIndex(m)); err != nil {
		t.Fatal(err)
	}
	if streamed.String() != whole.String() {
		t.Errorf("streamed index differs:\n%s\n%s", streamed.String(), whole.String())
	}
}

// A digest published by two repositories (a vendored file, a re-tagged
// image) gets one page listing both, and both uses in the index.
func TestSharedDigest(t *testing.T) {
	shared := schema.SHA256Hex(sha("shared bytes"))
	mk := func(name, version string) *schema.Policy {
		p := minimalPolicy(name)
		p.Releases = []schema.LedgerEntry{{
			Version: schema.Version(version), Revision: strings.Repeat("e", 40), Published: "2026-03-01T00:00:00Z",
			Artifacts: []schema.ReleaseArtifact{{ID: "tool", Files: []schema.ReleaseFile{{Name: "common.tgz", URL: "https://example.org/common.tgz", SHA256: shared}}}},
		}}
		return p
	}
	out := filepath.Join(t.TempDir(), "s")
	build(t, out, []Repo{{Policy: mk("tooo/b", "2.0")}, {Policy: mk("tooo/a", "1.0")}})
	page := read(t, out, "digests/sha256/"+string(shared)+"/index.html")
	a, b := strings.Index(page, ">tooo/a 1.0<"), strings.Index(page, ">tooo/b 2.0<")
	if a < 0 || b < 0 || a > b {
		t.Errorf("digest page does not list tooo/a then tooo/b:\n%s", page)
	}
	var idx APIIndex
	if err := json.Unmarshal([]byte(read(t, out, "api/v1/index.json")), &idx); err != nil {
		t.Fatal(err)
	}
	if uses := idx.Digests["sha256:"+string(shared)]; len(uses) != 2 || uses[0].Repo != "tooo/a" || uses[1].Repo != "tooo/b" {
		t.Errorf("uses: %+v", uses)
	}
}

// identityGate is a countingGate that states its configuration and warns
// about every index.html (a warning does not stop a build).
type identityGate struct {
	countingGate
	id string
}

func (g *identityGate) Identity() string { return g.id }

func (g *identityGate) ScanFile(path string, kind surface.Kind, content []byte) []finding.Finding {
	g.countingGate.ScanFile(path, kind, content)
	if path == "index.html" {
		return []finding.Finding{{Rule: "RP505", Severity: finding.Warning, Path: path, Line: 1, Column: 1, Message: "a warning"}}
	}
	return nil
}

// TestReuseWithGateIdentity: a gate that states its identity gave its
// verdict on the very files of the last build, so an intact reuse reads
// none of them and reports the recorded warnings again; another identity
// (a changed org config) gates every file again.
func TestReuseWithGateIdentity(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	cache := filepath.Join(dir, "cache")
	repos := orgRepos(t)
	run := func(g Gate) *Report {
		t.Helper()
		rep, err := Build(context.Background(), Options{Out: out, Now: testNow, Gate: g, CacheDir: cache}, repos)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	first := &identityGate{id: "config-a"}
	rep := run(first)
	files := allFiles(t, out)
	if rep.Reused || first.seen != len(files) || len(rep.Findings) != 1 {
		t.Fatalf("first build: reused %v gated %d of %d, findings %v", rep.Reused, first.seen, len(files), rep.Findings)
	}

	same := &identityGate{id: "config-a"}
	rep = run(same)
	if !rep.Reused || same.seen != 0 || len(rep.Findings) != 1 || rep.Findings[0].Rule != "RP505" {
		t.Fatalf("same identity: reused %v gated %d, findings %v", rep.Reused, same.seen, rep.Findings)
	}

	other := &identityGate{id: "config-b"}
	rep = run(other)
	if other.seen != len(files) || rep.Changed() {
		t.Fatalf("new identity: gated %d of %d, changed %v", other.seen, len(files), rep.Changed())
	}
}
