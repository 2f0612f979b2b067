// Package schema holds the Go types of release-policy.yaml, format version 1.
//
// The types are the source of truth: the JSON Schema in
// release-policy.schema.json is generated from them (go generate ./schema)
// and a test fails when the committed copy drifts.
package schema

//go:generate go run ./gen -out release-policy.schema.json

// Policy is a repository's release-policy.yaml: the minimal audit record the
// Official Artifact Build and Provenance Policy requires of every repository
// that produces official artifacts.
type Policy struct {
	// Format version of this file; must be 1.
	Version int `json:"version" jsonschema:"const=1"`
	// The public source repository the artifacts are built from.
	Repository Repository `json:"repository"`
	// Artifact types produced and represented as official.
	Artifacts []Artifact `json:"artifacts" jsonschema:"minItems=1"`
	// Official release channels: the organization-controlled places artifacts are published.
	Channels []Channel `json:"channels" jsonschema:"minItems=1"`
	// Public build entrypoints and how a compatible build differs from an official one.
	Build Build `json:"build"`
	// Trusted release contexts, privileged builders and heavy-artifact continuity.
	Release ReleasePosture `json:"release"`
	// Provenance metadata surfaced to users and whether signatures or attestations are used.
	Provenance Provenance `json:"provenance"`
	// Periodic review of privileged builder scope.
	Review Review `json:"review"`
	// Time-limited, approved exceptions to this policy.
	Exceptions []Exception `json:"exceptions,omitempty"`
	// Ledger of official releases, newest first. Entries are append-only.
	Releases []LedgerEntry `json:"releases,omitempty"`
	// What relpolicy lint reads as public text, and reviewed exemptions.
	Lint *Lint `json:"lint,omitempty"`
}

// Lint tunes relpolicy lint's public-text scan for this repository. Globs
// match repo-relative slash paths: * within a segment, ** across segments,
// ? one character, {a,b} alternatives.
type Lint struct {
	// Globs of further files read as public text, besides README*, SECURITY*, root Markdown, the documentation roots and workflows.
	PublicText []Glob `json:"public_text,omitempty" jsonschema:"uniqueItems=true"`
	// Globs of files never read as public text (generated references, vendored docs).
	Exclude []Glob `json:"exclude,omitempty" jsonschema:"uniqueItems=true"`
	// Reviewed exemptions: findings of these rules in these paths are not reported but counted ("N findings exempted by release-policy.yaml").
	Ignore []LintIgnore `json:"ignore,omitempty"`
}

// LintIgnore exempts whole areas (a product's feature guide, say) from some
// text rules, with the reason in the open.
type LintIgnore struct {
	// Rule IDs exempted, like RP503.
	Rules []RuleID `json:"rules" jsonschema:"minItems=1,uniqueItems=true"`
	// Globs of the paths exempted.
	Paths []Glob `json:"paths" jsonschema:"minItems=1,uniqueItems=true"`
	// Why these findings are not about the organisation's own releases or infrastructure.
	Reason string `json:"reason" jsonschema:"minLength=1"`
}

// Repository identifies the public source.
type Repository struct {
	// Repository as "owner/name".
	Name OwnerName `json:"name"`
	// HTTPS URL of the public source repository.
	URL HTTPSURL `json:"url"`
	// Project homepage (https).
	Homepage HTTPSURL `json:"homepage,omitempty"`
	// Markdown shown on the public site.
	Description string `json:"description,omitempty"`
}

// Artifact is one artifact type the repository publishes as official.
type Artifact struct {
	// Slug identifying the artifact, unique in the file.
	ID Slug `json:"id"`
	// Human-readable name.
	Name string `json:"name" jsonschema:"minLength=1"`
	// Kind of artifact.
	Type ArtifactType `json:"type" jsonschema:"enum=oci-image,enum=oci-artifact,enum=os-image,enum=installer,enum=firmware,enum=airgap-bundle,enum=package,enum=archive,enum=file"`
	// Whether the artifact is heavy (resource-intensive, long-running, large or release-critical). Defaults to true for os-image, installer, firmware and airgap-bundle.
	Heavy *bool `json:"heavy,omitempty"`
	// The stable identity users should rely on.
	Identity Identity `json:"identity" jsonschema:"enum=digest,enum=checksum,enum=version-tag,enum=other"`
	// Channel ids the artifact is published through.
	Channels []Slug `json:"channels" jsonschema:"minItems=1"`
	// Entrypoint id that builds the artifact.
	Build Slug `json:"build"`
}

// Channel is an official release channel.
type Channel struct {
	// Slug identifying the channel, unique in the file.
	ID Slug `json:"id"`
	// Kind of publication surface.
	Type ChannelType `json:"type" jsonschema:"enum=oci-registry,enum=github-release,enum=download,enum=package-registry,enum=other"`
	// Registry repository (host/path) or https URL prefix where artifacts are published.
	Location string `json:"location" jsonschema:"minLength=1"`
	// Markdown shown on the public site.
	Description string `json:"description,omitempty"`
}

// Build documents the public build entrypoints.
type Build struct {
	// Public build entrypoints: version-controlled commands a third party can run.
	Entrypoints []Entrypoint `json:"entrypoints" jsonschema:"minItems=1"`
	// Markdown: how a compatible build differs from the official artifact.
	Compatible string `json:"compatible" jsonschema:"minLength=1"`
}

// Entrypoint is a public build entrypoint.
type Entrypoint struct {
	// Slug identifying the entrypoint, unique in the file.
	ID Slug `json:"id"`
	// What a third party runs.
	Command string `json:"command" jsonschema:"minLength=1"`
	// Version-controlled file that defines the entrypoint.
	Path RepoPath `json:"path"`
	// Documentation of the entrypoint.
	Docs RepoPath `json:"docs,omitempty"`
	// Tools needed to run it.
	Requirements []string `json:"requirements,omitempty"`
}

// ReleasePosture describes how official releases are produced.
type ReleasePosture struct {
	// Trusted release contexts: the protected refs official artifacts are produced from.
	Contexts []Context `json:"contexts" jsonschema:"minItems=1"`
	// Privileged builders, workflows and release identities.
	Builders []Builder `json:"builders" jsonschema:"minItems=1"`
	// Documented organization-controlled release path; required when any artifact is heavy.
	Continuity *Continuity `json:"continuity,omitempty"`
}

// Context is a trusted release context.
type Context struct {
	// Kind of ref the pattern matches.
	Type string `json:"type" jsonschema:"enum=tag,enum=branch,enum=ref"`
	// GitHub Actions filter pattern, as written in on.push.tags or on.push.branches, matched against the whole tag or branch name (or the full ref for type ref): * is any run of characters but /, ** any run at all, ? makes the preceding character optional, + repeats it, [0-9a-z] is one listed character, \ escapes; a leading ! excludes what earlier contexts of the same type matched. Plain *-globs such as v* keep their meaning.
	Pattern string `json:"pattern" jsonschema:"minLength=1"`
	// Whether the ref is protected against unreviewed changes.
	Protected bool `json:"protected"`
}

// Builder is a privileged builder: a workflow, identity or named procedure
// that holds release credentials or publishes official artifacts.
type Builder struct {
	// Slug identifying the builder, unique in the file.
	ID Slug `json:"id"`
	// What kind of builder this is.
	Kind string `json:"kind" jsonschema:"enum=workflow,enum=identity,enum=procedure"`
	// Workflow file, identity name, or procedure document path.
	Ref string `json:"ref" jsonschema:"minLength=1"`
	// Who administers the build infrastructure.
	Infrastructure string `json:"infrastructure" jsonschema:"enum=organization-controlled,enum=third-party-hosted"`
	// Whether the builder is isolated from general-purpose validation CI.
	Isolated bool `json:"isolated"`
	// Whether the builder executes untrusted code such as pull requests from forks.
	RunsUntrustedCode bool `json:"runs_untrusted_code"`
	// Lifetime of the release credentials the builder holds.
	Credentials string `json:"credentials" jsonschema:"enum=short-lived,enum=long-lived"`
}

// Continuity is the documented organization-controlled release path for heavy artifacts.
type Continuity struct {
	// Document describing the organization-controlled release path.
	Path RepoPath `json:"path"`
	// Date the path was last exercised or revalidated (YYYY-MM-DD).
	Revalidated Date `json:"revalidated"`
}

// Provenance says which metadata users can inspect and which additive
// controls (signatures, attestations) are in use.
type Provenance struct {
	// Provenance fields shown to users; the policy requires all of source, revision, version, created and digest.
	Surfaced []string `json:"surfaced" jsonschema:"uniqueItems=true"`
	// Checksum file published with every release; expected for file-type artifacts.
	Checksums *Checksums `json:"checksums,omitempty"`
	// Whether artifacts are cryptographically signed.
	Signatures Signatures `json:"signatures"`
	// Whether provenance or SBOM attestations are published.
	Attestations Attestations `json:"attestations"`
}

// Checksums names the checksum file published with every release.
type Checksums struct {
	// Hash algorithm.
	Algorithm string `json:"algorithm" jsonschema:"enum=sha256,enum=sha512"`
	// File name of the checksum file in each release.
	File string `json:"file" jsonschema:"minLength=1"`
}

// Signatures states whether artifacts are signed.
type Signatures struct {
	// Whether signatures are currently used.
	Used bool `json:"used"`
	// Signing method; required when used.
	Method SignatureMethod `json:"method,omitempty" jsonschema:"enum=cosign-keyless,enum=cosign-key,enum=gpg,enum=minisign,enum=other"`
	// Markdown: how users verify signatures.
	Verify string `json:"verify,omitempty"`
	// Repository path to the PEM public key signatures must verify with (cosign-key).
	Key RepoPath `json:"key,omitempty"`
	// Certificate identity keyless signatures must carry (cosign-keyless).
	Identity *SignerIdentity `json:"identity,omitempty"`
}

// SignerIdentity is the Fulcio certificate identity a keyless signature or
// attestation must carry: the OIDC issuer and the subject (for GitHub
// Actions, https://github.com/OWNER/REPO/.github/workflows/FILE@REF).
type SignerIdentity struct {
	// OIDC issuer, exactly (GitHub Actions: https://token.actions.githubusercontent.com).
	Issuer string `json:"issuer" jsonschema:"minLength=1"`
	// Certificate subject (SAN), exactly; one of subject or subject_regexp.
	Subject string `json:"subject,omitempty"`
	// Go regular expression the whole subject must match.
	SubjectRegexp string `json:"subject_regexp,omitempty"`
}

// Attestations states whether attestations are published.
type Attestations struct {
	// Whether attestations are currently used.
	Used bool `json:"used"`
	// Attestation types; required when used.
	Types []string `json:"types,omitempty" jsonschema:"minItems=1,uniqueItems=true"`
	// Markdown: how users verify attestations.
	Verify string `json:"verify,omitempty"`
	// Certificate identity attestations must carry (keyless and GitHub artifact attestations).
	Identity *SignerIdentity `json:"identity,omitempty"`
	// Repository path to the PEM public key attestations must verify with.
	Key RepoPath `json:"key,omitempty"`
	// In-toto predicate type URIs accepted; default: those of types (slsa-provenance: https://slsa.dev/provenance/v1 and v0.2; sbom: SPDX and CycloneDX).
	PredicateTypes []string `json:"predicate_types,omitempty" jsonschema:"uniqueItems=true"`
}

// Review records the periodic review of privileged builder scope.
type Review struct {
	// Date of the last review (YYYY-MM-DD).
	Last Date `json:"last"`
	// Days between reviews; the policy expects at least quarterly.
	IntervalDays int `json:"interval_days,omitempty" jsonschema:"minimum=1,default=90"`
}

// Exception is a time-limited, approved exception.
type Exception struct {
	// Slug identifying the exception, unique in the file.
	ID Slug `json:"id"`
	// Why the exception is needed: a continuity failure, integrity issue or security incident.
	Reason string `json:"reason" jsonschema:"minLength=1"`
	// What the exception covers.
	Scope string `json:"scope" jsonschema:"minLength=1"`
	// Impacted artifact ids.
	Artifacts []Slug `json:"artifacts" jsonschema:"minItems=1"`
	// Corrective actions taken or planned.
	CorrectiveActions []string `json:"corrective_actions" jsonschema:"minItems=1"`
	// Approving roles; both repository-admins and platform-security are required.
	ApprovedBy []string `json:"approved_by" jsonschema:"minItems=1"`
	// Last day the exception applies (YYYY-MM-DD).
	Expires Date `json:"expires"`
}

// LedgerEntry is one official release in the ledger.
type LedgerEntry struct {
	// Release version; also the name of its page on the public site.
	Version Version `json:"version"`
	// Git tag the release was built from.
	Tag string `json:"tag,omitempty"`
	// Full commit SHA (40 or 64 hex digits) the release was built from.
	Revision string `json:"revision"`
	// Publication timestamp (RFC 3339).
	Published Timestamp `json:"published"`
	// Publication record: workflow run, builder log or equivalent.
	Record HTTPSURL `json:"record,omitempty"`
	// Published artifacts of this release.
	Artifacts []ReleaseArtifact `json:"artifacts" jsonschema:"minItems=1"`
}

// ReleaseArtifact is one artifact published in a release.
type ReleaseArtifact struct {
	// Artifact id (artifacts[].id).
	ID Slug `json:"id"`
	// OCI reference as published (registry/repository:tag); required for OCI artifacts.
	Reference string `json:"reference,omitempty"`
	// OCI manifest digest; required for OCI artifacts.
	Digest Digest `json:"digest,omitempty"`
	// Published files; required for file-type artifacts.
	Files []ReleaseFile `json:"files,omitempty"`
}

// ReleaseFile is one published file.
type ReleaseFile struct {
	// File name.
	Name FileName `json:"name"`
	// HTTPS download URL.
	URL HTTPSURL `json:"url"`
	// SHA-256 of the file, 64 lowercase hex digits.
	SHA256 SHA256Hex `json:"sha256,omitempty"`
	// SHA-512 of the file, 128 lowercase hex digits.
	SHA512 string `json:"sha512,omitempty" jsonschema:"pattern=^[a-f0-9]{128}$"`
	// Size in bytes.
	Size int64 `json:"size,omitempty" jsonschema:"minimum=0"`
}
