// Package sigstore verifies signatures and attestations for relpolicy
// verify with sigstore-go: Sigstore bundles (OCI referrers, .sigstore.json
// release assets, GitHub's attestations API) and legacy cosign .sig/.att
// layers, which it rewrites into bundles so that one verifier checks both.
//
// A check succeeds only when the signature verifies against the trusted
// root (certificate chain to a Fulcio CA, transparency-log inclusion and
// an observer timestamp inside the certificate's validity; or the declared
// public key), covers the exact digest asked about, and was made by the
// identity or key the policy declares. Trust comes from a trusted_root.json
// (LoadTrustedRoot, fully offline) or Sigstore's public-good TUF root
// (PublicGood, cached on disk).
package sigstore

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/tuf"
	sgverify "github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/tooo/relpolicy/verify"
)

// Cosign layer annotations (cosign's pkg/oci/static).
const (
	annSignature   = "dev.cosignproject.cosign/signature"
	annCertificate = "dev.sigstore.cosign/certificate"
	annChain       = "dev.sigstore.cosign/chain"
	annBundle      = "dev.sigstore.cosign/bundle"
	annTimestamp   = "dev.sigstore.cosign/rfc3161timestamp"
	bundleV01      = "application/vnd.dev.sigstore.bundle+json;version=0.1"
)

// timeZero leaves a declared key without a validity window.
var timeZero time.Time

// Verifier implements verify.Checker.
type Verifier struct {
	trusted root.TrustedMaterial
	load    func() (root.TrustedMaterial, error)
	once    sync.Once
	loadErr error
	// RequireSCT makes keyless checks require a signed certificate
	// timestamp from a trusted CT log in the certificate (as cosign does
	// for public-good Fulcio certificates).
	RequireSCT bool
}

// New returns a verifier trusting trusted (a trusted root; nil trusts no
// CA or log, so only declared keys without transparency-log entries can
// verify).
func New(trusted root.TrustedMaterial) *Verifier {
	return &Verifier{trusted: trusted}
}

// NewLazy returns a verifier that calls load for its trusted root the
// first time a check needs one (a certificate or a transparency-log
// entry), so that runs checking nothing keyless never touch TUF.
func NewLazy(load func() (root.TrustedMaterial, error)) *Verifier {
	return &Verifier{load: load}
}

// NewPublicGood returns a verifier over Sigstore's public-good trusted
// root, fetched through TUF (see PublicGood) only when a check first needs
// it. It requires signed certificate timestamps, which every public-good
// Fulcio certificate carries.
func NewPublicGood(cacheDir string) *Verifier {
	v := NewLazy(func() (root.TrustedMaterial, error) { return PublicGood(cacheDir) })
	v.RequireSCT = true
	return v
}

// NewFromFile returns a verifier over the trusted_root.json at path
// (fully offline). SCTs are required when the root lists CT logs.
func NewFromFile(path string) (*Verifier, error) {
	tr, err := LoadTrustedRoot(path)
	if err != nil {
		return nil, err
	}
	v := New(tr)
	v.RequireSCT = len(tr.CTLogs()) > 0
	return v, nil
}

func (v *Verifier) root() (root.TrustedMaterial, error) {
	if v.load == nil {
		return v.trusted, nil
	}
	v.once.Do(func() { v.trusted, v.loadErr = v.load() })
	return v.trusted, v.loadErr
}

// LoadTrustedRoot reads a Sigstore trusted_root.json (fully offline).
func LoadTrustedRoot(path string) (*root.TrustedRoot, error) {
	tr, err := root.NewTrustedRootFromPath(path)
	if err != nil {
		return nil, fmt.Errorf("reading trusted root %s: %w", path, err)
	}
	return tr, nil
}

// PublicGood returns Sigstore's public-good trusted root through TUF,
// with the TUF metadata cached under cacheDir (default
// $XDG_CACHE_HOME/relpolicy/sigstore-tuf) and used without refreshing
// while it is unexpired.
func PublicGood(cacheDir string) (*root.TrustedRoot, error) {
	opts := tuf.DefaultOptions()
	if cacheDir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("finding a cache directory for Sigstore's TUF root: %w", err)
		}
		cacheDir = filepath.Join(d, "relpolicy", "sigstore-tuf")
	}
	opts.CachePath = cacheDir
	opts.ForceCache = true
	tr, err := root.FetchTrustedRootWithOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("fetching Sigstore's public-good trusted root through TUF: %w", err)
	}
	return tr, nil
}

// Check verifies one signature or attestation of digest ("sha256:<hex>")
// against want. What fails to verify is in the result; the error is only
// for a trusted root that could not be had (the check was not made).
func (v *Verifier) Check(_ context.Context, m verify.Material, digest string, want *verify.Signer, attestation bool) (verify.SigCheck, error) {
	out := verify.SigCheck{Attestation: attestation, Where: m.Where}
	fail := func(problem, format string, a ...any) (verify.SigCheck, error) {
		out.Problem, out.Detail = problem, fmt.Sprintf(format, a...)
		return out, nil
	}
	alg, hexDigest, ok := strings.Cut(digest, ":")
	raw, err := hex.DecodeString(hexDigest)
	if !ok || alg != "sha256" || err != nil || len(raw) != sha256.Size {
		return fail(verify.ProblemInvalid, "cannot check digest %q: only sha256 digests are supported", digest)
	}
	if !want.Declared() {
		return fail(verify.ProblemIdentity, "the policy declares no key or identity to check it against")
	}
	ent, artifact, err := entity(m)
	if err != nil {
		return fail(verify.ProblemInvalid, "%v", err)
	}
	// A legacy cosign signature signs a simple-signing payload that names
	// the digest; everything else must cover the digest itself.
	var artifactOpt sgverify.ArtifactPolicyOption
	if artifact != nil {
		if d := payloadDigest(artifact); d != digest {
			return fail(verify.ProblemDigest, "the signed payload names %s, not %s", orNone(d), digest)
		}
		artifactOpt = sgverify.WithArtifact(bytes.NewReader(artifact))
	} else {
		if d, isMsg := messageDigest(ent); isMsg && d != digest {
			return fail(verify.ProblemDigest, "it signs %s, not %s", d, digest)
		}
		artifactOpt = sgverify.WithArtifactDigest("sha256", raw)
	}
	vc, err := ent.VerificationContent()
	if err != nil {
		return fail(verify.ProblemInvalid, "reading verification material: %v", err)
	}
	tlogs, _ := ent.TlogEntries()
	stamps, _ := ent.Timestamps()
	var trusted root.TrustedMaterial
	if vc.Certificate() != nil || len(tlogs) > 0 || len(stamps) > 0 {
		tr, err := v.root()
		if err != nil {
			return out, err
		}
		trusted = tr
	}
	var opts []sgverify.VerifierOption
	var policy []sgverify.PolicyOption
	if vc.Certificate() != nil {
		if want.Key != "" && want.Issuer == "" {
			return fail(verify.ProblemIdentity, "it is signed keylessly by %s, but the policy declares key %s", certIdentity(vc), want.Key)
		}
		opts = append(opts, sgverify.WithObserverTimestamps(1))
		if len(tlogs) > 0 {
			opts = append(opts, sgverify.WithTransparencyLog(1))
		}
		if v.RequireSCT {
			opts = append(opts, sgverify.WithSignedCertificateTimestamps(1))
		}
		policy = append(policy, sgverify.WithoutIdentitiesUnsafe())
	} else {
		if len(want.KeyPEM) == 0 {
			return fail(verify.ProblemIdentity, "it is signed with a public key, but the policy declares the keyless identity %s", want.String())
		}
		kv, err := keyVerifier(want.KeyPEM)
		if err != nil {
			return fail(verify.ProblemInvalid, "reading key %s: %v", want.Key, err)
		}
		keyed := root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) {
			return root.NewExpiringKey(kv, timeZero, timeZero), nil
		})
		if trusted != nil {
			trusted = root.TrustedMaterialCollection{trusted, keyed}
		} else {
			trusted = keyed
		}
		switch {
		case len(tlogs) > 0:
			opts = append(opts, sgverify.WithTransparencyLog(1), sgverify.WithIntegratedTimestamps(1))
		case len(stamps) > 0:
			opts = append(opts, sgverify.WithSignedTimestamps(1))
		default:
			// A key signature with no log entry or timestamp (cosign
			// sign --tlog-upload=false): the key has no expiry, so
			// checking it now is all there is to check.
			opts = append(opts, sgverify.WithCurrentTime())
		}
		policy = append(policy, sgverify.WithKey())
	}
	if trusted == nil {
		return fail(verify.ProblemInvalid, "no trusted root to verify a certificate against")
	}
	sv, err := sgverify.NewVerifier(trusted, opts...)
	if err != nil {
		return fail(verify.ProblemInvalid, "configuring the verifier: %v", err)
	}
	res, err := sv.Verify(ent, sgverify.NewPolicy(artifactOpt, policy...))
	if err != nil {
		if strings.Contains(err.Error(), "artifact digest") || strings.Contains(err.Error(), "no matching subject digest") {
			return fail(verify.ProblemDigest, "%v", err)
		}
		return fail(verify.ProblemInvalid, "%v", err)
	}
	if res.Signature != nil && res.Signature.Certificate != nil {
		c := res.Signature.Certificate
		out.Identity = fmt.Sprintf("%s (issuer %s)", c.SubjectAlternativeName, c.Issuer)
		id, err := sgverify.NewShortCertificateIdentity(want.Issuer, "", want.Subject, anchored(want.SubjectRegexp))
		if err != nil {
			return fail(verify.ProblemInvalid, "declared identity: %v", err)
		}
		if want.Issuer == "" || id.Verify(*c) != nil {
			return fail(verify.ProblemIdentity, "it is signed by %s, but the policy expects %s", out.Identity, want.String())
		}
	} else {
		out.Identity = "key " + want.Key
	}
	if attestation {
		if res.Statement == nil {
			return fail(verify.ProblemPredicate, "it is a plain signature, not an in-toto attestation")
		}
		out.PredicateType = res.Statement.GetPredicateType()
		if len(want.PredicateTypes) > 0 && !slices.Contains(want.PredicateTypes, out.PredicateType) {
			return fail(verify.ProblemPredicate, "its predicate type is %s, but the policy expects %s", out.PredicateType, strings.Join(want.PredicateTypes, " or "))
		}
	}
	out.Verified = true
	return out, nil
}

func orNone(s string) string {
	if s == "" {
		return "no digest"
	}
	return s
}

// anchored makes a declared subject_regexp match the whole subject.
func anchored(re string) string {
	if re == "" {
		return ""
	}
	return "^(?:" + re + ")$"
}

func certIdentity(vc sgverify.VerificationContent) string {
	c := vc.Certificate()
	if c == nil {
		return "a certificate"
	}
	for _, u := range c.URIs {
		return u.String()
	}
	if len(c.EmailAddresses) > 0 {
		return c.EmailAddresses[0]
	}
	return "a certificate"
}

func keyVerifier(pemKey []byte) (signature.Verifier, error) {
	if b, _ := pem.Decode(pemKey); b == nil {
		return nil, errors.New("not a PEM public key")
	}
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(pemKey)
	if err != nil {
		return nil, err
	}
	return signature.LoadVerifier(pub, crypto.SHA256)
}

// messageDigest returns a message-signature bundle's "sha256:<hex>".
func messageDigest(ent sgverify.SignedEntity) (string, bool) {
	sc, err := ent.SignatureContent()
	if err != nil || sc.MessageSignatureContent() == nil {
		return "", false
	}
	ms := sc.MessageSignatureContent()
	if ms.DigestAlgorithm() != "SHA2_256" {
		return "", false
	}
	return "sha256:" + hex.EncodeToString(ms.Digest()), true
}

// payloadDigest reads critical.image.docker-manifest-digest of a cosign
// simple-signing payload.
func payloadDigest(payload []byte) string {
	var ss struct {
		Critical struct {
			Image struct {
				Digest string `json:"docker-manifest-digest"`
			} `json:"image"`
		} `json:"critical"`
	}
	if json.Unmarshal(payload, &ss) != nil {
		return ""
	}
	return ss.Critical.Image.Digest
}

// entity parses m into something sigstore-go verifies; artifact is the
// signed payload for a legacy cosign signature (nil otherwise).
func entity(m verify.Material) (sgverify.SignedEntity, []byte, error) {
	switch m.Kind {
	case verify.MaterialBundle:
		var b bundle.Bundle
		if err := b.UnmarshalJSON(m.Data); err != nil {
			return nil, nil, fmt.Errorf("parsing Sigstore bundle: %w", err)
		}
		return &b, nil, nil
	case verify.MaterialCosignSig, verify.MaterialCosignAtt:
		pb, err := cosignBundle(m)
		if err != nil {
			return nil, nil, err
		}
		b, err := bundle.NewBundle(pb)
		if err != nil {
			return nil, nil, fmt.Errorf("reading cosign %s layer: %w", m.Kind, err)
		}
		if m.Kind == verify.MaterialCosignSig {
			return b, m.Data, nil
		}
		return b, nil, nil
	}
	return nil, nil, fmt.Errorf("unknown signature material %q", m.Kind)
}

// cosignBundle rewrites a legacy cosign layer as a v0.1 Sigstore bundle:
// the same signature, certificate, Rekor entry (with its signed entry
// timestamp as the inclusion promise) and RFC 3161 timestamp.
func cosignBundle(m verify.Material) (*protobundle.Bundle, error) {
	pb := &protobundle.Bundle{MediaType: bundleV01, VerificationMaterial: &protobundle.VerificationMaterial{}}
	vm := pb.VerificationMaterial
	if c := m.Annotations[annCertificate]; c != "" {
		der, err := pemCerts(c + "\n" + m.Annotations[annChain])
		if err != nil {
			return nil, fmt.Errorf("reading the certificate of cosign %s layer: %w", m.Kind, err)
		}
		vm.Content = &protobundle.VerificationMaterial_X509CertificateChain{X509CertificateChain: &protocommon.X509CertificateChain{Certificates: der}}
	} else {
		vm.Content = &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{}}
	}
	if rb := m.Annotations[annBundle]; rb != "" {
		tle, err := rekorEntry(rb)
		if err != nil {
			return nil, err
		}
		vm.TlogEntries = []*protorekor.TransparencyLogEntry{tle}
	}
	if ts := m.Annotations[annTimestamp]; ts != "" {
		var t struct{ SignedRFC3161Timestamp []byte }
		if err := json.Unmarshal([]byte(ts), &t); err != nil {
			return nil, fmt.Errorf("reading the RFC 3161 timestamp annotation: %w", err)
		}
		vm.TimestampVerificationData = &protobundle.TimestampVerificationData{Rfc3161Timestamps: []*protocommon.RFC3161SignedTimestamp{{SignedTimestamp: t.SignedRFC3161Timestamp}}}
	}
	if m.Kind == verify.MaterialCosignSig {
		sig, err := base64.StdEncoding.DecodeString(m.Annotations[annSignature])
		if err != nil || len(sig) == 0 {
			return nil, errors.New("the cosign signature layer has no " + annSignature + " annotation")
		}
		sum := sha256.Sum256(m.Data)
		pb.Content = &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: sum[:]},
			Signature:     sig,
		}}
		return pb, nil
	}
	var env struct {
		PayloadType string `json:"payloadType"`
		Payload     []byte `json:"payload"`
		Signatures  []struct {
			KeyID string `json:"keyid"`
			Sig   []byte `json:"sig"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(m.Data, &env); err != nil || len(env.Signatures) == 0 {
		return nil, fmt.Errorf("the cosign attestation layer is not a signed DSSE envelope: %v", err)
	}
	de := &protodsse.Envelope{Payload: env.Payload, PayloadType: env.PayloadType}
	for _, s := range env.Signatures {
		de.Signatures = append(de.Signatures, &protodsse.Signature{Sig: s.Sig, Keyid: s.KeyID})
	}
	pb.Content = &protobundle.Bundle_DsseEnvelope{DsseEnvelope: de}
	return pb, nil
}

func pemCerts(s string) ([]*protocommon.X509Certificate, error) {
	var out []*protocommon.X509Certificate
	rest := []byte(s)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			out = append(out, &protocommon.X509Certificate{RawBytes: b.Bytes})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM certificate")
	}
	return out, nil
}

// rekorEntry reads cosign's dev.sigstore.cosign/bundle annotation.
func rekorEntry(s string) (*protorekor.TransparencyLogEntry, error) {
	var rb struct {
		SignedEntryTimestamp []byte
		Payload              struct {
			Body           []byte `json:"body"`
			IntegratedTime int64  `json:"integratedTime"`
			LogIndex       int64  `json:"logIndex"`
			LogID          string `json:"logID"`
		}
	}
	if err := json.Unmarshal([]byte(s), &rb); err != nil {
		return nil, fmt.Errorf("reading the Rekor bundle annotation: %w", err)
	}
	logID, err := hex.DecodeString(rb.Payload.LogID)
	if err != nil {
		return nil, fmt.Errorf("reading the Rekor bundle annotation: log ID: %w", err)
	}
	var kv struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal(rb.Payload.Body, &kv); err != nil {
		return nil, fmt.Errorf("reading the Rekor entry body: %w", err)
	}
	return &protorekor.TransparencyLogEntry{
		LogIndex:          rb.Payload.LogIndex,
		LogId:             &protocommon.LogId{KeyId: logID},
		KindVersion:       &protorekor.KindVersion{Kind: kv.Kind, Version: kv.APIVersion},
		IntegratedTime:    rb.Payload.IntegratedTime,
		InclusionPromise:  &protorekor.InclusionPromise{SignedEntryTimestamp: rb.SignedEntryTimestamp},
		CanonicalizedBody: rb.Payload.Body,
	}, nil
}
