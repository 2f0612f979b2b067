// Package verify checks a release-policy.yaml ledger against what is
// published: OCI digests, tags, labels, signatures and attestations in
// registries, and release assets and checksum files on release pages.
//
// It works in two steps (STYLE 15). Collect gathers facts over the network
// through the small interfaces Registry, Releases and Fetcher (implemented
// by internal/registry, internal/github and internal/httpx) into a Report
// that serialises to JSON. Evaluate is a pure function of a policy and its
// facts that returns RP404-RP408 findings positioned at the ledger entry
// they concern. Most tests therefore need no server, and `site --verify`
// renders the same facts.
package verify

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
)

// OCI annotation and label keys the policy asks images to carry (RP407).
const (
	KeySource   = "org.opencontainers.image.source"
	KeyRevision = "org.opencontainers.image.revision"
	KeyVersion  = "org.opencontainers.image.version"
	KeyCreated  = "org.opencontainers.image.created"
)

// LabelKeys are the provenance keys in report order.
var LabelKeys = []string{KeySource, KeyRevision, KeyVersion, KeyCreated}

// ErrNotFound is what an implementation returns when the registry or API
// answered that the thing asked for does not exist (a fact, not a failure).
var ErrNotFound = errors.New("not found")

// Manifest is what a registry holds at a digest.
type Manifest struct {
	// Digest is the manifest digest, "sha256:<hex>".
	Digest string `json:"digest"`
	// MediaType of the manifest.
	MediaType string `json:"media_type,omitempty"`
	// Index is true for an image index or manifest list.
	Index bool `json:"index,omitempty"`
	// Annotations of the manifest (or index).
	Annotations map[string]string `json:"annotations,omitempty"`
	// Labels of the image config; only fetched when Annotations lack one of
	// LabelKeys.
	Labels map[string]string `json:"labels,omitempty"`
	// Platforms are an index's child manifests; only fetched when the
	// index's annotations lack one of LabelKeys.
	Platforms []*Manifest `json:"platforms,omitempty"`
	// Platform is a child's "os/arch[/variant]".
	Platform string `json:"platform,omitempty"`
}

// Attachments are the signatures and attestations found for one digest.
type Attachments struct {
	// Signatures describe each signature found ("cosign tag sha256-….sig",
	// "referrer sha256:… application/vnd.dev.cosign.artifact.sig.v1+json").
	Signatures []string `json:"signatures,omitempty"`
	// Attestations likewise.
	Attestations []string `json:"attestations,omitempty"`
	// Searched lists where the registry was asked.
	Searched []string `json:"searched,omitempty"`
	// Material is their content, for a Checker (not serialised).
	Material []Material `json:"-"`
}

// Registry answers questions about OCI registries. Implementations cache:
// one manifest request per digest and one per tag within a run.
type Registry interface {
	// Manifest fetches the manifest at repo@digest (repo is
	// "registry/path"). ErrNotFound when the registry does not hold it.
	Manifest(ctx context.Context, repo, digest string) (*Manifest, error)
	// Tagged fetches the manifest tag points at in repo (its Digest says
	// which), or ErrNotFound. When the tag still points at the recorded
	// digest this one request serves both checks.
	Tagged(ctx context.Context, repo, tag string) (*Manifest, error)
	// Attachments looks for signatures (sigs) and attestations (atts) of
	// exactly repo@digest: referrers API, its tag-schema fallback, cosign
	// sha256-<hex>.sig/.att tags, sigstore bundles stored as referrers.
	Attachments(ctx context.Context, repo, digest string, sigs, atts bool) (*Attachments, error)
}

// Release is a GitHub release as the API shows it.
type Release struct {
	// Tag is the release's tag name.
	Tag string `json:"tag"`
	// URL is the release's web page.
	URL string `json:"url,omitempty"`
	// Assets are the uploaded files.
	Assets []Asset `json:"assets"`
}

// Asset is one release asset.
type Asset struct {
	// ID is the API's asset id, used to download it.
	ID int64 `json:"id"`
	// Name is the file name.
	Name string `json:"name"`
	// Size in bytes.
	Size int64 `json:"size"`
	// Digest is the API's "sha256:<hex>" of the asset, when it gives one.
	Digest string `json:"digest,omitempty"`
}

// Releases reads GitHub (or GitHub Enterprise) releases.
type Releases interface {
	// ReleaseByTag returns owner/repo's release for tag, or ErrNotFound.
	ReleaseByTag(ctx context.Context, owner, repo, tag string) (*Release, error)
	// Download streams a release asset's content through the API.
	Download(ctx context.Context, owner, repo string, id int64) (io.ReadCloser, error)
}

// Fetcher downloads files next to download-channel URLs.
type Fetcher interface {
	// Fetch streams url's content; ErrNotFound on 404 or 410.
	Fetch(ctx context.Context, url string) (io.ReadCloser, error)
}

// Report is one verify run: facts per repository and the findings derived
// from them. It is what `verify --format json` prints and what
// `site --verify` reads.
type Report struct {
	Tool       string    `json:"tool"`
	Version    string    `json:"version"`
	VerifiedAt time.Time `json:"verified_at"`
	// Findings are Evaluate's findings over every repository.
	Findings []finding.Finding `json:"findings"`
	Summary  Summary           `json:"summary"`
	// Repos are the collected facts.
	Repos []*RepoFacts `json:"repos"`
	// Errors name what could not be reached (exit 2).
	Errors []string `json:"errors,omitempty"`
}

// Summary counts a report's findings.
type Summary struct {
	Repos    int `json:"repos"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// Unreached counts the checks that could not reach their registry or
	// API (Report.Errors names them): when it is not 0 the report is
	// incomplete and verify exits 2, whatever Errors and Warnings say.
	Unreached int `json:"unreached"`
}

// RepoFacts are the facts of one repository's ledger.
type RepoFacts struct {
	// Repo is the repository as the user named it (a directory).
	Repo string `json:"repo"`
	// Name is the policy's repository.name, "owner/name".
	Name string `json:"name"`
	// Releases are the ledger releases verified, newest first.
	Releases []*ReleaseFacts `json:"releases"`
}

// ReleaseFacts are the facts of one ledger release.
type ReleaseFacts struct {
	// Index is the release's position in the ledger (releases[Index]).
	Index   int    `json:"index"`
	Version string `json:"version"`
	Tag     string `json:"tag,omitempty"`
	// OCI are the release's OCI artifacts.
	OCI []*OCIFacts `json:"oci,omitempty"`
	// Files are the release's file artifacts.
	Files []*FileFacts `json:"files,omitempty"`
	// Findings are Evaluate's findings for this release (set by Run).
	Findings []finding.Finding `json:"findings,omitempty"`
}

// OCIFacts are what the registry showed for one ledger OCI artifact.
type OCIFacts struct {
	// Artifact is the position in the release's artifacts list.
	Artifact  int    `json:"artifact"`
	ID        string `json:"id"`
	Reference string `json:"reference"`
	Digest    string `json:"digest"`
	// Found says the registry holds Digest in the reference's repository.
	Found bool `json:"found"`
	// Manifest is what it holds, when found.
	Manifest *Manifest `json:"manifest,omitempty"`
	// TagDigest is where the reference's tag points now; "" when the tag
	// does not exist or the reference has no tag.
	TagDigest string `json:"tag_digest,omitempty"`
	// TagMissing says the reference's tag does not exist.
	TagMissing bool `json:"tag_missing,omitempty"`
	// Attachments are set when the policy says signatures or attestations
	// are used.
	Attachments *Attachments `json:"attachments,omitempty"`
	// WantSignatures and WantAttestations record what the policy claimed.
	WantSignatures   bool `json:"want_signatures,omitempty"`
	WantAttestations bool `json:"want_attestations,omitempty"`
	// Signature and Attestation are the cryptographic verdicts, set when
	// a Checker ran against a declared signer.
	Signature   *Verdict `json:"signature,omitempty"`
	Attestation *Verdict `json:"attestation,omitempty"`
	// Errors are failures to reach the registry (exit 2, never findings).
	Errors []string `json:"errors,omitempty"`
}

// FileFacts are what a release page showed for one ledger file artifact.
type FileFacts struct {
	// Artifact is the position in the release's artifacts list.
	Artifact int    `json:"artifact"`
	ID       string `json:"id"`
	// Channel is the channel type checked: github-release or download.
	Channel string `json:"channel"`
	// Where is the release page or directory URL checked.
	Where string `json:"where"`
	// ReleaseMissing says the release for the tag does not exist.
	ReleaseMissing bool `json:"release_missing,omitempty"`
	// Assets are the release's asset names (github-release only).
	Assets []Asset `json:"assets,omitempty"`
	// ChecksumFile is the checksum file's name; "" when none is declared.
	ChecksumFile string `json:"checksum_file,omitempty"`
	// ChecksumMissing says the checksum file is not published.
	ChecksumMissing bool `json:"checksum_missing,omitempty"`
	// ChecksumProblem says why the checksum file could not be parsed.
	ChecksumProblem string `json:"checksum_problem,omitempty"`
	// Sums are the checksum file's entries, file name → lowercase hex.
	Sums map[string]string `json:"sums,omitempty"`
	// Deep are hashes of downloaded assets (--deep), file name → hex of
	// the policy's algorithm, or "missing" when the download was a 404.
	Deep map[string]string `json:"deep,omitempty"`
	// Signed are the per-file signature checks (github-release, with a
	// Checker and a declared signer).
	Signed []*FileSignatures `json:"signed,omitempty"`
	// Errors are failures to reach the API or host (exit 2, never findings).
	Errors []string `json:"errors,omitempty"`
}

// FileSignatures are the signatures and attestations found and checked
// for one ledger file.
type FileSignatures struct {
	Name string `json:"name"`
	// Digest is the ledger's "sha256:<hex>" checked.
	Digest       string   `json:"digest"`
	Signatures   []string `json:"signatures,omitempty"`
	Attestations []string `json:"attestations,omitempty"`
	Signature    *Verdict `json:"signature,omitempty"`
	Attestation  *Verdict `json:"attestation,omitempty"`
}
