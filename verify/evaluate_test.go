package verify

import (
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint/policy"
)

const evalPolicy = `version: 1
repository: {name: tooo/app, url: https://github.com/tooo/app}
artifacts:
  - {id: img, name: Image, type: oci-image, identity: digest, channels: [reg], build: make}
channels:
  - {id: reg, type: oci-registry, location: ghcr.io/tooo/app}
build:
  entrypoints: [{id: make, command: make, path: Makefile}]
  compatible: anyone
release:
  contexts: [{type: tag, pattern: "v*", protected: true}]
  builders: [{id: rel, kind: workflow, ref: r.yml, infrastructure: organization-controlled, isolated: true, runs_untrusted_code: false, credentials: short-lived}]
provenance:
  surfaced: [source, revision, version, created, digest]
  signatures: {used: false}
  attestations: {used: false}
review: {last: 2026-10-01}
releases:
  - version: 1.0.0
    tag: v1.0.0
    revision: 1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a
    published: 2026-11-02T10:00:00Z
    artifacts:
      - id: img
        reference: ghcr.io/tooo/app:1.0.0
        digest: sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
`

func evalOne(t *testing.T, m *Manifest) []string {
	t.Helper()
	doc, fs := policy.Parse("release-policy.yaml", []byte(evalPolicy))
	if len(fs) > 0 || doc.Policy == nil {
		t.Fatalf("policy: %v", fs)
	}
	d := "sha256:" + strings.Repeat("a", 64)
	rf := &RepoFacts{Repo: ".", Releases: []*ReleaseFacts{{Index: 0, Version: "1.0.0", OCI: []*OCIFacts{{
		ID: "img", Reference: "ghcr.io/tooo/app:1.0.0", Digest: d, Found: true, Manifest: m, TagDigest: d}}}}}
	var out []string
	for _, f := range Evaluate(doc, rf) {
		if f.Line != 26 {
			t.Errorf("%s at line %d, want the digest's line 26", f.Rule, f.Line)
		}
		out = append(out, f.Rule+" "+f.Message)
	}
	return out
}

func labels(source, rev, version string) map[string]string {
	return map[string]string{KeySource: source, KeyRevision: rev, KeyVersion: version, KeyCreated: "2026-11-02T10:00:00Z"}
}

// TestLabelsOnIndexAndPlatforms covers where labels may sit: the index,
// every platform (annotation or config label), and what a gap means.
func TestLabelsOnIndexAndPlatforms(t *testing.T) {
	rev := strings.Repeat("1a", 20)
	good := labels("https://github.com/tooo/app.git", rev[:8], "v1.0.0")
	cases := []struct {
		name string
		m    *Manifest
		want []string // rule and a fragment of the message
	}{
		{"image annotations", &Manifest{Annotations: good}, nil},
		{"image config labels", &Manifest{Labels: good}, nil},
		{"index annotations", &Manifest{Index: true, Annotations: good}, nil},
		{"each platform", &Manifest{Index: true, Platforms: []*Manifest{
			{Platform: "linux/amd64", Annotations: good}, {Platform: "linux/arm64", Labels: good}}}, nil},
		{"one platform lacks them", &Manifest{Index: true, Platforms: []*Manifest{
			{Platform: "linux/amd64", Annotations: good}, {Platform: "linux/arm64"}}},
			[]string{"RP407 img of release 1.0.0: sha256:" + strings.Repeat("a", 64) + " lacks org.opencontainers.image.{source,revision,version,created}"}},
		{"index without platforms", &Manifest{Index: true}, []string{"RP407"}},
		{"wrong source", &Manifest{Labels: labels("https://github.com/evil/app", rev, "1.0.0")}, []string{`RP408 img of release 1.0.0: config label org.opencontainers.image.source is "https://github.com/evil/app"`}},
		{"wrong version on one platform", &Manifest{Index: true, Platforms: []*Manifest{
			{Platform: "linux/amd64", Annotations: good}, {Platform: "linux/arm64", Labels: labels("https://github.com/tooo/app", rev, "0.9.0")}}},
			[]string{"RP408 img of release 1.0.0: platform linux/arm64 config label org.opencontainers.image.version"}},
		{"short revision too short", &Manifest{Labels: labels("https://github.com/tooo/app", "1a1a1a", "1.0.0")}, []string{"RP408"}},
	}
	for _, c := range cases {
		got := evalOne(t, c.m)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], c.want[i]) {
				t.Errorf("%s: got %q, want prefix %q", c.name, got[i], c.want[i])
			}
		}
	}
}

// TestErrorsAreNotFindings: a check that could not reach its registry
// yields no finding; Errors lists it.
func TestErrorsAreNotFindings(t *testing.T) {
	doc, _ := policy.Parse("release-policy.yaml", []byte(evalPolicy))
	rf := &RepoFacts{Repo: ".", Releases: []*ReleaseFacts{{Index: 0, Version: "1.0.0", OCI: []*OCIFacts{{
		ID: "img", Reference: "ghcr.io/tooo/app:1.0.0", Errors: []string{"fetching ghcr.io/tooo/app@sha256:aa: connection refused"}}}}}}
	if fs := Evaluate(doc, rf); len(fs) != 0 {
		t.Errorf("findings from unreachable facts: %v", fs)
	}
	if errs := Errors([]*RepoFacts{rf, rf}); len(errs) != 1 || !strings.Contains(errs[0], "ghcr.io/tooo/app") {
		t.Errorf("Errors: %v", errs)
	}
}
