// Benchmark driver, built only with -tags bench so that `go install ./...`
// (pre-commit's golang hooks) builds relpolicy alone.

//go:build bench

// Command gen writes a synthetic organisation for the site benchmark:
// N repositories × R releases × A artifacts, as release-policy.yaml files
// in DIR/<owner>/<repo>/, and optionally the equivalent Hugo site (one
// content page per page relpolicy renders, minimal layouts, feeds and
// sitemaps disabled) for the pages/second comparison.
//
//	go run ./bench/site/gen -out /tmp/org -repos 1000 -releases 20 -artifacts 3 -hugo /tmp/hugo
//
// Output is deterministic: the same flags give the same files.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", "", "directory to write the organisation into (required)")
	hugo := flag.String("hugo", "", "also write the equivalent Hugo site into this directory")
	repos := flag.Int("repos", 1000, "repositories")
	releases := flag.Int("releases", 20, "releases per repository")
	artifacts := flag.Int("artifacts", 3, "artifacts per release (OCI image, archive, OCI artifact, repeating)")
	owners := flag.Int("owners", 10, "owners the repositories are spread over")
	flag.Parse()
	if *out == "" || *repos < 1 || *releases < 0 || *artifacts < 1 || *owners < 1 {
		flag.Usage()
		os.Exit(2)
	}
	g := gen{releases: *releases, artifacts: *artifacts}
	var hs *hugoSite
	if *hugo != "" {
		var err error
		if hs, err = newHugoSite(*hugo); err != nil {
			log.Fatal(err)
		}
	}
	for i := range *repos {
		r := g.repo(i, *owners)
		dir := filepath.Join(*out, r.owner, r.name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		if err := writeFile(filepath.Join(dir, "release-policy.yaml"), r.yaml()); err != nil {
			log.Fatal(err)
		}
		// The files the policy names, so every repository lints clean and
		// the site is measured through the real relpolicy site command.
		for name, content := range repoFiles {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				log.Fatal(err)
			}
			if err := writeFile(p, content); err != nil {
				log.Fatal(err)
			}
		}
		if hs != nil {
			if err := hs.add(r); err != nil {
				log.Fatal(err)
			}
		}
	}
	if hs != nil {
		if err := hs.finish(); err != nil {
			log.Fatal(err)
		}
	}
}

type gen struct {
	releases, artifacts int
}

type repo struct {
	owner, name string
	kinds       []string // artifact types
	releases    []release
}

type release struct {
	version, revision, published string
	arts                         []art
}

type art struct {
	id, typ, reference, digest, file, url, sha string
	size                                       int64
}

func hexOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

var kinds = []string{"oci-image", "archive", "oci-artifact"}

func (g gen) repo(i, owners int) repo {
	r := repo{owner: fmt.Sprintf("org%02d", i%owners), name: fmt.Sprintf("service-%04d", i)}
	for a := range g.artifacts {
		r.kinds = append(r.kinds, kinds[a%len(kinds)])
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	// Newest first, as in a ledger.
	for v := g.releases - 1; v >= 0; v-- {
		rel := release{
			version:   fmt.Sprintf("1.%d.0", v),
			revision:  hexOf(fmt.Sprintf("%s/%s rev %d", r.owner, r.name, v))[:40],
			published: base.Add(time.Duration(v) * 7 * 24 * time.Hour).Format(time.RFC3339),
		}
		for a, k := range r.kinds {
			id := fmt.Sprintf("%s-%d", strings.TrimPrefix(k, "oci-"), a)
			x := art{id: id, typ: k}
			key := fmt.Sprintf("%s/%s %s %s", r.owner, r.name, rel.version, id)
			if strings.HasPrefix(k, "oci-") {
				x.reference = fmt.Sprintf("ghcr.io/%s/%s/%s:%s", r.owner, r.name, id, rel.version)
				x.digest = "sha256:" + hexOf(key)
			} else {
				x.file = fmt.Sprintf("%s-%s-linux-amd64.tar.gz", r.name, rel.version)
				x.url = fmt.Sprintf("https://github.com/%s/%s/releases/download/v%s/%s", r.owner, r.name, rel.version, x.file)
				x.sha = hexOf(key)
				x.size = int64(1<<20 + i*7919 + v*104729)
			}
			rel.arts = append(rel.arts, x)
		}
		r.releases = append(r.releases, rel)
	}
	return r
}

func (r repo) yaml() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("version: 1")
	p("repository:")
	p("  name: %s/%s", r.owner, r.name)
	p("  url: https://github.com/%s/%s", r.owner, r.name)
	p("  description: |")
	p("    **%s** is a synthetic service used to benchmark the site.", r.name)
	p("    See [the build guide](docs/building.md) and [the changelog](https://example.org/%s/changelog).", r.name)
	p("artifacts:")
	for a, k := range r.kinds {
		id := fmt.Sprintf("%s-%d", strings.TrimPrefix(k, "oci-"), a)
		ident, ch := "digest", "ghcr"
		if !strings.HasPrefix(k, "oci-") {
			ident, ch = "checksum", "releases"
		}
		p("  - id: %s", id)
		p("    name: %s %s %d", r.name, k, a)
		p("    type: %s", k)
		p("    identity: %s", ident)
		p("    channels: [%s]", ch)
		p("    build: make-all")
	}
	p("channels:")
	p("  - id: ghcr")
	p("    type: oci-registry")
	p("    location: ghcr.io/%s/%s", r.owner, r.name)
	p("  - id: releases")
	p("    type: github-release")
	p("    location: https://github.com/%s/%s/releases", r.owner, r.name)
	p("build:")
	p("  entrypoints:")
	p("    - id: make-all")
	p("      command: make all")
	p("      path: Makefile")
	p("      docs: docs/building.md")
	p("      requirements: [make, docker >= 24]")
	p("  compatible: |")
	p("    Anyone can run `make all`; a compatible build differs from the official one in its digests.")
	p("release:")
	p("  contexts:")
	p("    - type: tag")
	p(`      pattern: "v*"`)
	p("      protected: true")
	p("  builders:")
	p("    - id: release-workflow")
	p("      kind: workflow")
	p("      ref: .github/workflows/release.yml")
	p("      infrastructure: organization-controlled")
	p("      isolated: true")
	p("      runs_untrusted_code: false")
	p("      credentials: short-lived")
	p("provenance:")
	p("  surfaced: [source, revision, version, created, digest]")
	p("  checksums:")
	p("    algorithm: sha256")
	p("    file: SHA256SUMS")
	p("  signatures:")
	p("    used: false")
	p("  attestations:")
	p("    used: false")
	p("review:")
	p("  last: 2026-10-01")
	if len(r.releases) > 0 {
		p("releases:")
	}
	for _, rel := range r.releases {
		p("  - version: %s", rel.version)
		p("    tag: v%s", rel.version)
		p("    revision: %s", rel.revision)
		p("    published: %s", rel.published)
		p("    artifacts:")
		for _, a := range rel.arts {
			p("      - id: %s", a.id)
			if a.digest != "" {
				p("        reference: %s", a.reference)
				p("        digest: %s", a.digest)
				continue
			}
			p("        files:")
			p("          - name: %s", a.file)
			p("            url: %s", a.url)
			p("            sha256: %s", a.sha)
			p("            size: %d", a.size)
		}
	}
	return b.String()
}

// repoFiles are the build entrypoint, its docs and the release workflow
// every generated policy names.
var repoFiles = map[string]string{
	"Makefile":                      "image:\n\tdocker build -t app .\n",
	"docs/building.md":              "# Building\n\nRun `make image` on a checkout of a release tag for a compatible build.\n",
	".github/workflows/release.yml": "name: release\non:\n  push:\n    tags: [\"v*\"]\npermissions:\n  contents: read\n  packages: write\n  id-token: write\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make image\n",
}

func writeFile(name, content string) error {
	return os.WriteFile(name, []byte(content), 0o644)
}

// hugoSite writes the Hugo equivalent of the relpolicy site: the home
// page, one section page per repository (listing its releases), one page
// per release (listing its artifacts) and one page per digest.
type hugoSite struct {
	dir string
}

func newHugoSite(dir string) (*hugoSite, error) {
	h := &hugoSite{dir: dir}
	files := map[string]string{
		"hugo.toml": `baseURL = "https://artifacts.example.org/"
title = "Official artifacts"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false
[markup.goldmark.renderer]
unsafe = false
`,
		"layouts/_default/baseof.html": `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><header><a href="/">Official artifacts</a></header><main>{{ block "main" . }}{{ end }}</main><footer>relpolicy</footer></body></html>
`,
		"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<table>{{ range .Pages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.published }}</td><td><code>{{ .Params.revision }}</code></td></tr>{{ end }}</table>{{ end }}
`,
		"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<dl><dt>Revision</dt><dd>{{ .Params.revision }}</dd><dt>Published</dt><dd>{{ .Params.published }}</dd></dl>
{{ range .Params.artifacts }}<section><h2>{{ .name }}</h2>{{ with .pinned }}<code>{{ . }}</code>{{ end }}{{ with .file }}<a href="{{ $.Params.download }}">{{ . }}</a> <code>{{ $.Params.sha256 }}</code>{{ end }}</section>{{ end }}{{ end }}
`,
		"content/_index.md": "---\ntitle: Official artifacts\n---\nAll repositories.\n",
	}
	for name, c := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := writeFile(p, c); err != nil {
			return nil, err
		}
	}
	return h, nil
}

func (h *hugoSite) page(rel, content string) error {
	p := filepath.Join(h.dir, "content", filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return writeFile(p, content)
}

func (h *hugoSite) add(r repo) error {
	base := r.owner + "/" + r.name
	if err := h.page(base+"/_index.md", fmt.Sprintf("---\ntitle: %q\n---\n**%s** is a synthetic service used to benchmark the site.\nSee [the build guide](https://github.com/%s/blob/HEAD/docs/building.md).\n\nAnyone can run `make all`.\n", base, r.name, base)); err != nil {
		return err
	}
	if err := h.page(r.owner+"/_index.md", fmt.Sprintf("---\ntitle: %q\n---\n", r.owner)); err != nil {
		return err
	}
	for _, rel := range r.releases {
		var s strings.Builder
		fmt.Fprintf(&s, "---\ntitle: %q\nrevision: %q\npublished: %q\nartifacts:\n", base+" "+rel.version, rel.revision, rel.published)
		for _, a := range rel.arts {
			fmt.Fprintf(&s, "  - name: %q\n", a.id)
			if a.digest != "" {
				fmt.Fprintf(&s, "    pinned: %q\n", strings.SplitN(a.reference, ":", 2)[0]+"@"+a.digest)
			} else {
				fmt.Fprintf(&s, "    file: %q\n", a.file)
			}
		}
		s.WriteString("---\nAn official release. Check downloads with `sha256sum -c SHA256SUMS`.\n")
		if err := h.page(base+"/"+rel.version+"/index.md", s.String()); err != nil {
			return err
		}
		for _, a := range rel.arts {
			d := strings.TrimPrefix(a.digest, "sha256:")
			if d == "" {
				d = a.sha
			}
			c := fmt.Sprintf("---\ntitle: %q\nrevision: %q\npublished: %q\ndownload: %q\nsha256: %q\n---\nOfficial artifact %s of %s %s.\n",
				"sha256:"+d, rel.revision, rel.published, a.url, d, a.id, base, rel.version)
			if err := h.page("digests/sha256/"+d+"/index.md", c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h *hugoSite) finish() error {
	if err := h.page("digests/_index.md", "---\ntitle: Digests\n---\n"); err != nil {
		return err
	}
	return h.page("digests/sha256/_index.md", "---\ntitle: sha256\n---\n")
}
