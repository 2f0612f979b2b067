package registrytest

import (
	"fmt"
	"strings"
)

// Release is one ledger entry of a generated policy.
type Release struct {
	Version, Tag, Revision string
	// Images are app-image entries: reference and digest.
	Images []Image
	// GitHub are app-cli files (github-release channel).
	GitHub []File
	// Download are app-dl files (download channel).
	Download []File
}

// Image is an OCI ledger entry.
type Image struct{ Reference, Digest string }

// File is a ledger file.
type File struct{ Name, URL, SHA256 string }

// PolicyOptions shape a generated policy.
type PolicyOptions struct {
	// Registry is the oci-registry channel location (host/path).
	Registry string
	// GitHub is the github-release channel location.
	GitHub string
	// Download is the download channel location.
	Download string
	// Signatures and Attestations say what the policy claims.
	Signatures, Attestations bool
	// Checksums is provenance.checksums.file ("" for none).
	Checksums string
	// SignatureSigner and AttestationSigner, when set, are flow-mapping
	// entries added to provenance.signatures / .attestations (e.g.
	// "key: cosign.pub" or "identity: {issuer: ..., subject: ...}").
	SignatureSigner, AttestationSigner string
	// SignatureMethod overrides cosign-keyless.
	SignatureMethod string
}

// Policy renders a valid release-policy.yaml for repository tooo/app
// (https://github.com/tooo/app) with the given ledger.
func Policy(o PolicyOptions, rels []Release) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("version: 1")
	w("repository: {name: tooo/app, url: https://github.com/tooo/app}")
	w("artifacts:")
	w("  - {id: app-image, name: App image, type: oci-image, identity: digest, channels: [reg], build: make}")
	w("  - {id: app-cli, name: App CLI, type: archive, identity: checksum, channels: [gh], build: make}")
	w("  - {id: app-dl, name: App bundle, type: archive, identity: checksum, channels: [dl], build: make}")
	w("channels:")
	w("  - {id: reg, type: oci-registry, location: %q}", o.Registry)
	w("  - {id: gh, type: github-release, location: %q}", or(o.GitHub, "https://github.com/tooo/app/releases"))
	w("  - {id: dl, type: download, location: %q}", or(o.Download, "https://downloads.example.org/app/"))
	w("build:")
	w("  entrypoints: [{id: make, command: make, path: Makefile}]")
	w("  compatible: anyone can run make")
	w("release:")
	w("  contexts: [{type: tag, pattern: \"v*\", protected: true}]")
	w("  builders: [{id: rel, kind: workflow, ref: .github/workflows/release.yml, infrastructure: organization-controlled, isolated: true, runs_untrusted_code: false, credentials: short-lived}]")
	w("provenance:")
	w("  surfaced: [source, revision, version, created, digest]")
	if o.Checksums != "" {
		w("  checksums: {algorithm: sha256, file: %s}", o.Checksums)
	}
	if o.Signatures {
		extra := ""
		if o.SignatureSigner != "" {
			extra = ", " + o.SignatureSigner
		}
		w("  signatures: {used: true, method: %s%s}", or(o.SignatureMethod, "cosign-keyless"), extra)
	} else {
		w("  signatures: {used: false}")
	}
	if o.Attestations {
		extra := ""
		if o.AttestationSigner != "" {
			extra = ", " + o.AttestationSigner
		}
		w("  attestations: {used: true, types: [slsa-provenance]%s}", extra)
	} else {
		w("  attestations: {used: false}")
	}
	w("review: {last: 2026-10-01}")
	if len(rels) > 0 {
		w("releases:")
	}
	for _, r := range rels {
		w("  - version: %s", r.Version)
		if r.Tag != "" {
			w("    tag: %s", r.Tag)
		}
		w("    revision: %s", r.Revision)
		w("    published: 2026-11-02T10:00:00Z")
		w("    artifacts:")
		for _, img := range r.Images {
			w("      - id: app-image")
			w("        reference: %s", img.Reference)
			w("        digest: %s", img.Digest)
		}
		for _, set := range []struct {
			id    string
			files []File
		}{{"app-cli", r.GitHub}, {"app-dl", r.Download}} {
			if len(set.files) == 0 {
				continue
			}
			w("      - id: %s", set.id)
			w("        files:")
			for _, f := range set.files {
				w("          - name: %s", f.Name)
				w("            url: %s", f.URL)
				w("            sha256: %s", f.SHA256)
			}
		}
	}
	return b.String()
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Revision returns a 40-hex revision derived from seed.
func Revision(seed string) string { return SHA256([]byte(seed))[:40] }
