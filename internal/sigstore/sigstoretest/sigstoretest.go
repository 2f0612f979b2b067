// Package sigstoretest makes signatures and attestations for tests, with
// no network: Sigstore bundles from sigstore-go's virtual Sigstore
// (pkg/testing/ca: a local Fulcio CA, Rekor log and timestamp authority)
// and legacy cosign .sig/.att layers signed with a generated key.
package sigstoretest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/tooo/relpolicy/verify"
)

// Cosign layer annotations.
const (
	AnnSignature = "dev.cosignproject.cosign/signature"
)

// BundleJSON serialises a virtual-Sigstore entity as a v0.3 bundle, the
// way Fulcio, Rekor and a TSA would have filled one.
func BundleJSON(t testing.TB, vs *ca.VirtualSigstore, e *ca.TestEntity, withTSA bool) []byte {
	t.Helper()
	vc, _ := e.VerificationContent()
	sc, _ := e.SignatureContent()
	tl, _ := e.TlogEntries()
	ts, _ := e.Timestamps()
	pb := &protobundle.Bundle{MediaType: "application/vnd.dev.sigstore.bundle.v0.3+json", VerificationMaterial: &protobundle.VerificationMaterial{
		Content: &protobundle.VerificationMaterial_Certificate{Certificate: &protocommon.X509Certificate{RawBytes: vc.Certificate().Raw}},
	}}
	for _, en := range tl {
		pb.VerificationMaterial.TlogEntries = append(pb.VerificationMaterial.TlogEntries, en.TransparencyLogEntry())
	}
	if len(ts) > 0 {
		pb.VerificationMaterial.TimestampVerificationData = &protobundle.TimestampVerificationData{}
		for _, s := range ts {
			pb.VerificationMaterial.TimestampVerificationData.Rfc3161Timestamps = append(pb.VerificationMaterial.TimestampVerificationData.Rfc3161Timestamps, &protocommon.RFC3161SignedTimestamp{SignedTimestamp: s})
		}
	}
	if env := sc.EnvelopeContent(); env != nil {
		r := env.RawEnvelope()
		de := &protodsse.Envelope{Payload: []byte(r.Payload), PayloadType: r.PayloadType}
		for _, s := range r.Signatures {
			sig, _ := base64.StdEncoding.DecodeString(s.Sig)
			de.Signatures = append(de.Signatures, &protodsse.Signature{Sig: sig, Keyid: s.KeyID})
		}
		if p, err := base64.StdEncoding.DecodeString(r.Payload); err == nil {
			de.Payload = p
		}
		pb.Content = &protobundle.Bundle_DsseEnvelope{DsseEnvelope: de}
	} else {
		ms := sc.MessageSignatureContent()
		pb.Content = &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: ms.Digest()},
			Signature:     sc.Signature(),
		}}
	}
	// The virtual log's entries keep their signed entry timestamp
	// private: sign the same payload again with the log's key for the
	// inclusion promise, and name the entry's kind, as Rekor does.
	if len(tl) > 0 && !tl[0].HasInclusionProof() {
		pb.MediaType = "application/vnd.dev.sigstore.bundle+json;version=0.1"
	}
	for _, en := range pb.VerificationMaterial.TlogEntries {
		var kv struct{ Kind, APIVersion string }
		_ = json.Unmarshal(en.CanonicalizedBody, &kv)
		en.KindVersion = &protorekor.KindVersion{Kind: kv.Kind, Version: kv.APIVersion}
		set, err := vs.RekorSignPayload(tlog.RekorPayload{Body: base64.StdEncoding.EncodeToString(en.CanonicalizedBody),
			IntegratedTime: en.IntegratedTime, LogIndex: en.LogIndex, LogID: hex.EncodeToString(en.LogId.KeyId)})
		if err != nil {
			t.Fatal(err)
		}
		en.InclusionPromise = &protorekor.InclusionPromise{SignedEntryTimestamp: set}
	}
	if !withTSA {
		pb.VerificationMaterial.TimestampVerificationData = nil
	}
	b, err := bundle.NewBundle(pb)
	if err != nil {
		t.Fatalf("bundle: %v", err)
	}
	out, err := b.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Statement is an in-toto v1 statement about digest.
func Statement(digest, predicateType string) []byte {
	s, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": "app", "digest": map[string]string{"sha256": strings.TrimPrefix(digest, "sha256:")}}},
		"predicateType": predicateType,
		"predicate":     map[string]any{},
	})
	return s
}

// CosignSig returns a legacy cosign .sig layer for digest signed by k:
// the simple-signing payload and the base64 ASN.1 ECDSA signature over its
// SHA-256, as `cosign sign --key` writes them.
func CosignSig(t testing.TB, k *ecdsa.PrivateKey, digest string) verify.Material {
	payload := []byte(`{"critical":{"identity":{"docker-reference":"ghcr.io/acme/app"},"image":{"docker-manifest-digest":"` + digest + `"},"type":"cosign container image signature"},"optional":null}`)
	sum := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, k, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return verify.Material{Kind: verify.MaterialCosignSig, Where: "cosign tag", Data: payload,
		Annotations: map[string]string{AnnSignature: base64.StdEncoding.EncodeToString(sig)}}
}

// CosignAtt returns a legacy cosign .att layer: a DSSE envelope signed by
// k over the in-toto statement, as `cosign attest --key` writes it.
func CosignAtt(t testing.TB, k *ecdsa.PrivateKey, stmt []byte) verify.Material {
	const pt = "application/vnd.in-toto+json"
	pae := []byte(fmt.Sprintf("DSSEv1 %d %s %d %s", len(pt), pt, len(stmt), stmt))
	sum := sha256.Sum256(pae)
	sig, err := ecdsa.SignASN1(rand.Reader, k, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	env, _ := json.Marshal(map[string]any{"payloadType": pt, "payload": stmt, "signatures": []any{map[string]any{"keyid": "", "sig": sig}}})
	return verify.Material{Kind: verify.MaterialCosignAtt, Where: "cosign tag", Data: env}
}

// KeyPair generates a cosign-style ECDSA P-256 key pair and returns the
// public key as PEM.
func KeyPair(t testing.TB) (*ecdsa.PrivateKey, []byte) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return k, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// TrustedRootJSON writes vs as a trusted_root.json. The virtual logs carry
// their hex log ID as ID where a trusted root stores the raw key ID. CT
// logs are left out: the virtual Fulcio issues certificates without SCTs.
func TrustedRootJSON(t testing.TB, vs *ca.VirtualSigstore) []byte {
	rawIDs := func(logs map[string]*root.TransparencyLog) map[string]*root.TransparencyLog {
		for k, l := range logs {
			l.ID, _ = hex.DecodeString(k)
		}
		return logs
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, vs.FulcioCertificateAuthorities(), nil, vs.TimestampingAuthorities(), rawIDs(vs.RekorLogs()))
	if err != nil {
		t.Fatal(err)
	}
	js, err := tr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// Digest is "sha256:<hex>" of b.
func Digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}
