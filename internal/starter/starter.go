// Package starter writes a commented starter release-policy.yaml from what
// a repository shows: its git remote, Dockerfile, Makefile targets and
// release workflows. Whatever it cannot see it leaves as a TODO the linter
// will point at.
package starter

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/tooo/relpolicy/lint/surface"
	"github.com/tooo/relpolicy/lint/workflow"
	"go.yaml.in/yaml/v3"
)

// Facts are what the repository shows.
type Facts struct {
	Owner, Name  string
	FromRemote   bool     // Owner and Name come from the git remote
	OCI          bool     // a Dockerfile or Containerfile at the root
	MakeTargets  []string // targets of the root Makefile
	BuildDocs    string   // docs/building.md or similar
	Workflows    []Workflow
	TagPatterns  []string
	Today        string
	EntrypointID string
	Command      string
}

// Workflow is a release workflow candidate.
type Workflow struct {
	Path        string
	SelfHosted  bool
	TagPatterns []string
}

var remoteRe = regexp.MustCompile(`github\.com[:/]([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\.git)?/?$`)

// Inspect gathers facts from the repository at dir (fsys rooted there).
func Inspect(dir string, fsys fs.FS, now time.Time) Facts {
	f := Facts{Owner: "owner", Name: "project", Today: now.UTC().Format(time.DateOnly)}
	if abs, err := filepath.Abs(dir); err == nil {
		if n := idPart(filepath.Base(abs)); n != "" {
			f.Name = n
		}
	}
	if out, err := exec.Command("git", "-C", dir, "remote", "get-url", "origin").Output(); err == nil {
		if m := remoteRe.FindStringSubmatch(strings.TrimSpace(string(out))); m != nil {
			f.Owner, f.Name, f.FromRemote = strings.ToLower(m[1]), idPart(m[2]), true
		}
	}
	for _, n := range []string{"Dockerfile", "Containerfile"} {
		if _, err := fs.Stat(fsys, n); err == nil {
			f.OCI = true
		}
	}
	if b, err := surface.Read(fsys, "Makefile"); err == nil {
		f.MakeTargets = makeTargets(b)
	}
	for _, n := range []string{"docs/building.md", "docs/build.md", "BUILDING.md", "docs/development.md"} {
		if _, err := fs.Stat(fsys, n); err == nil {
			f.BuildDocs = n
			break
		}
	}
	entries, _ := fs.ReadDir(fsys, ".github/workflows")
	for _, e := range entries {
		p := path.Join(".github/workflows", e.Name())
		if ext := path.Ext(p); ext != ".yml" && ext != ".yaml" {
			continue
		}
		b, err := surface.Read(fsys, p)
		if err != nil {
			continue
		}
		if w, ok := releaseWorkflow(p, b); ok {
			f.Workflows = append(f.Workflows, w)
			for _, t := range w.TagPatterns {
				if !slices.Contains(f.TagPatterns, t) {
					f.TagPatterns = append(f.TagPatterns, t)
				}
			}
		}
	}
	if len(f.TagPatterns) == 0 {
		f.TagPatterns = []string{"v*"}
	}
	f.EntrypointID, f.Command = "build", "make build"
	for _, t := range []string{"image", "release", "build", "dist"} {
		if slices.Contains(f.MakeTargets, t) {
			f.EntrypointID, f.Command = "make-"+t, "make "+t
			break
		}
	}
	return f
}

var targetRe = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*:([^=]|$)`)

func makeTargets(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if m := targetRe.FindStringSubmatch(sc.Text()); m != nil && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// releaseWorkflow reports whether a workflow looks like a release: it runs
// on tag pushes or releases. It returns the tag patterns it names.
func releaseWorkflow(p string, src []byte) (Workflow, bool) {
	w, err := workflow.Parse(src)
	if err != nil {
		return Workflow{}, false
	}
	var doc struct {
		On   yaml.Node      `yaml:"on"`
		Jobs map[string]any `yaml:"jobs"`
	}
	_ = yaml.Unmarshal(src, &doc)
	out := Workflow{Path: p, SelfHosted: bytes.Contains(src, []byte("self-hosted"))}
	release := false
	for _, t := range w.Triggers {
		if t.Event == "release" {
			release = true
		}
	}
	if doc.On.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(doc.On.Content); i += 2 {
			if doc.On.Content[i].Value != "push" {
				continue
			}
			var push struct {
				Tags []string `yaml:"tags"`
			}
			if doc.On.Content[i+1].Decode(&push) == nil && len(push.Tags) > 0 {
				release = true
				out.TagPatterns = append(out.TagPatterns, push.Tags...)
			}
		}
	}
	return out, release
}

// Render writes the starter file.
func Render(f Facts) ([]byte, error) {
	var b bytes.Buffer
	err := tmpl.Execute(&b, f)
	if err != nil {
		return nil, fmt.Errorf("rendering starter: %w", err)
	}
	return b.Bytes(), nil
}

var tmpl = template.Must(template.New("starter").Funcs(template.FuncMap{
	"q":    func(s string) string { return fmt.Sprintf("%q", s) },
	"slug": slug,
}).Parse(`# yaml-language-server: $schema=https://github.com/tooo/relpolicy/schema/release-policy.schema.json
#
# release-policy.yaml: the record the Official Artifact Build and Provenance
# Policy asks of every repository that publishes official artifacts.
# Written by relpolicy init from what this repository shows; check every
# value, then run relpolicy lint. relpolicy explain RPxxx says what a rule
# wants.
version: 1

repository:
  name: {{.Owner}}/{{.Name}}{{if not .FromRemote}}   # TODO: no GitHub remote found; set owner/name{{end}}
  url: https://github.com/{{.Owner}}/{{.Name}}
  # description: Markdown shown on the public site.

# Artifact types produced. Types: oci-image, oci-artifact, os-image,
# installer, firmware, airgap-bundle, package, archive, file.
artifacts:
{{- if .OCI}}
  - id: {{.Name}}-image
    name: {{.Name}} container image
    type: oci-image
    identity: digest          # users pin registry/repo@sha256:...
    channels: [ghcr]
    build: {{.EntrypointID}}
{{- else}}
  - id: {{.Name}}-archive
    name: {{.Name}} release archives
    type: archive
    identity: checksum        # users check the SHA-256 against SHA256SUMS
    channels: [github-releases]
    build: {{.EntrypointID}}
{{- end}}

# Official release channels: where official artifacts are published.
channels:
{{- if .OCI}}
  - id: ghcr
    type: oci-registry
    location: ghcr.io/{{.Owner}}/{{.Name}}
{{- else}}
  - id: github-releases
    type: github-release
    location: https://github.com/{{.Owner}}/{{.Name}}/releases/download/
{{- end}}

build:
  # Public build entrypoints: what a third party runs to build a compatible artifact.
  entrypoints:
    - id: {{.EntrypointID}}
      command: {{.Command}}
      path: Makefile
{{- if .BuildDocs}}
      docs: {{.BuildDocs}}
{{- end}}
  compatible: |
    Anyone can run ` + "`{{.Command}}`" + ` on a checkout of a release tag to build a
    compatible artifact. It is not an official artifact unless it is
    published through one of the channels above.

release:
  # Trusted release contexts: protect these refs (rulesets) before claiming so.
  contexts:
{{- range .TagPatterns}}
    - type: tag
      pattern: {{q .}}
      protected: false        # TODO: protect the tags, then set true
{{- end}}
  # Privileged builders: whatever holds release credentials or publishes.
  builders:
{{- range .Workflows}}
    - id: {{slug .Path}}
      kind: workflow
      ref: {{.Path}}
      infrastructure: {{if .SelfHosted}}organization-controlled{{else}}third-party-hosted{{end}}
      isolated: true          # TODO: true only if validation CI never runs here
      runs_untrusted_code: false
      credentials: short-lived  # TODO: long-lived if it holds static keys
{{- end}}
{{- if not .Workflows}}
    - id: release-workflow
      kind: workflow
      ref: .github/workflows/release.yml   # TODO: the workflow that publishes
      infrastructure: third-party-hosted
      isolated: true
      runs_untrusted_code: false
      credentials: short-lived
{{- end}}

provenance:
  # Fields users can inspect for every artifact (all five are required).
  surfaced: [source, revision, version, created, digest]
{{- if not .OCI}}
  checksums:
    algorithm: sha256
    file: SHA256SUMS
{{- end}}
  # Say "used: true" only when every published artifact really carries them.
  signatures:
    used: false
  attestations:
    used: false

review:
  last: {{.Today}}             # last review of privileged builder scope
  interval_days: 90

# releases: add each official release here, newest first (relpolicy lint
# --base main checks entries are never rewritten).
`))

// slug turns a workflow path into a builder id: .github/workflows/release.yml → release-workflow.
func slug(p string) string {
	s := idPart(strings.TrimSuffix(path.Base(p), path.Ext(p)))
	if s == "" {
		s = "release"
	}
	return s + "-workflow"
}

// idPart lowercases s and replaces what a slug cannot hold with hyphens.
func idPart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
