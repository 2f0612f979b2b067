package verify

import (
	"context"
	"fmt"
	"strings"
)

// Kinds of signature material a Checker verifies.
const (
	// MaterialBundle is a Sigstore bundle (protobuf JSON, any version):
	// an OCI referrer, a .sigstore.json release asset, or one entry of
	// GitHub's attestations API.
	MaterialBundle = "bundle"
	// MaterialCosignSig is one layer of a legacy cosign sha256-<hex>.sig
	// manifest: Data is the simple-signing payload, Annotations carry the
	// signature, certificate and Rekor bundle.
	MaterialCosignSig = "cosign-sig"
	// MaterialCosignAtt is one layer of a legacy cosign sha256-<hex>.att
	// manifest: Data is a DSSE envelope (JSON) around an in-toto statement,
	// Annotations may carry the certificate and Rekor bundle.
	MaterialCosignAtt = "cosign-att"
)

// Problems a SigCheck reports; "" means verified.
const (
	// ProblemInvalid: the material does not verify (bad signature,
	// tampered payload, untrusted root, certificate outside its validity
	// with no trusted timestamp, missing transparency-log proof).
	ProblemInvalid = "invalid"
	// ProblemDigest: it verifies, but for another digest than the one
	// checked (a signature of something else).
	ProblemDigest = "digest"
	// ProblemIdentity: it verifies, but was made by another identity or
	// key than the policy declares.
	ProblemIdentity = "identity"
	// ProblemPredicate: an attestation of another predicate type than the
	// policy's provenance.attestations.types expect.
	ProblemPredicate = "predicate"
)

// Material is one signature or attestation as found, for a Checker.
type Material struct {
	// Kind is MaterialBundle, MaterialCosignSig or MaterialCosignAtt.
	Kind string
	// Where says where it was found ("referrer sha256:…", "asset
	// app.tar.gz.sigstore.json", "attestations API").
	Where string
	// Data is the bundle JSON, simple-signing payload or DSSE envelope.
	Data []byte
	// Annotations are a cosign layer's annotations.
	Annotations map[string]string
	// Attestation says it was found as an attestation.
	Attestation bool
}

// Signer is who the policy says must have made a signature or
// attestation (provenance.signatures / provenance.attestations).
type Signer struct {
	// KeyPEM is the PEM public key of provenance.signatures.key.
	KeyPEM []byte `json:"-"`
	// Key is the key's repository path, for messages.
	Key string `json:"key,omitempty"`
	// Issuer, Subject and SubjectRegexp are the keyless identity.
	Issuer        string `json:"issuer,omitempty"`
	Subject       string `json:"subject,omitempty"`
	SubjectRegexp string `json:"subject_regexp,omitempty"`
	// PredicateTypes an attestation may have (URIs); empty accepts any.
	PredicateTypes []string `json:"predicate_types,omitempty"`
}

// Declared says whether the policy names a key or identity.
func (s *Signer) Declared() bool {
	return s != nil && (len(s.KeyPEM) > 0 || s.Key != "" || s.Issuer != "" || s.Subject != "" || s.SubjectRegexp != "")
}

// String names the expected signer for messages.
func (s *Signer) String() string {
	switch {
	case s == nil:
		return "nobody declared"
	case s.Key != "":
		return "key " + s.Key
	case s.SubjectRegexp != "":
		return fmt.Sprintf("subject matching %s (issuer %s)", s.SubjectRegexp, s.Issuer)
	default:
		return fmt.Sprintf("%s (issuer %s)", s.Subject, s.Issuer)
	}
}

// SigCheck is the outcome of verifying one Material.
type SigCheck struct {
	// Attestation says it was checked as an attestation, not a signature.
	Attestation bool `json:"attestation,omitempty"`
	// Where is Material.Where.
	Where string `json:"where"`
	// Verified is true only when the signature verifies cryptographically
	// against the trusted root, covers the checked digest and was made by
	// the declared signer (and, for an attestation, has an expected
	// predicate type).
	Verified bool `json:"verified"`
	// Problem is one of the Problem constants when not Verified.
	Problem string `json:"problem,omitempty"`
	// Detail says what failed.
	Detail string `json:"detail,omitempty"`
	// Identity is the signer found: "<subject> (issuer <issuer>)" for a
	// certificate, "key <path>" for a declared key; set when the signature
	// itself verified.
	Identity string `json:"identity,omitempty"`
	// PredicateType of an attestation's statement.
	PredicateType string `json:"predicate_type,omitempty"`
}

// Checker verifies signature material cryptographically (implemented by
// internal/sigstore with sigstore-go). digest is the "sha256:<hex>" the
// signature must cover: an OCI manifest digest or a file's sha256.
type Checker interface {
	// The error says the check could not be made (no trusted root); a
	// signature that does not verify is a SigCheck with a Problem.
	Check(ctx context.Context, m Material, digest string, want *Signer, attestation bool) (SigCheck, error)
}

// AttestationFinder reads GitHub's artifact attestations for a digest
// (GET /repos/{owner}/{repo}/attestations/{digest}); it returns the
// bundles' JSON, none (not an error) when there are none.
type AttestationFinder interface {
	Attestations(ctx context.Context, owner, repo, digest string) ([][]byte, error)
}

// verifiedBy returns the identities of the verified checks of one kind.
func verifiedBy(checks []SigCheck, attestation bool) []string {
	var out []string
	for _, c := range checks {
		if c.Verified && c.Attestation == attestation && !contains(out, c.Identity) {
			out = append(out, c.Identity)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// describe summarises failed checks of one kind for an RP404 message.
func describe(checks []SigCheck, attestation bool) (problem, text string) {
	rank := map[string]int{ProblemIdentity: 4, ProblemPredicate: 3, ProblemDigest: 2, ProblemInvalid: 1}
	var parts []string
	for _, c := range checks {
		if c.Attestation != attestation || c.Verified {
			continue
		}
		if rank[c.Problem] > rank[problem] {
			problem = c.Problem
		}
		s := c.Where + ": " + c.Detail
		if c.Identity != "" && c.Problem != ProblemIdentity {
			s += " (signed by " + c.Identity + ")"
		}
		parts = append(parts, s)
	}
	return problem, strings.Join(parts, "; ")
}
