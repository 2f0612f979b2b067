package sigstore

import (
	"context"
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
	"os"
	"strings"
	"testing"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/sign"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/tooo/relpolicy/verify"
)

const (
	ghIssuer = "https://token.actions.githubusercontent.com"
	release  = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.0"
)

var keyless = &verify.Signer{Issuer: ghIssuer, SubjectRegexp: `https://github\.com/acme/app/\.github/workflows/release\.yml@refs/tags/v.*`,
	PredicateTypes: []string{"https://slsa.dev/provenance/v1"}}

// bundleJSON serialises a virtual-Sigstore entity as a v0.3 bundle, the
// way Fulcio, Rekor and a TSA would have filled one.
func bundleJSON(t *testing.T, vs *ca.VirtualSigstore, e *ca.TestEntity, withTSA bool) []byte {
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

func statement(digest, predicateType string) []byte {
	s, _ := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []any{map[string]any{"name": "app", "digest": map[string]string{"sha256": strings.TrimPrefix(digest, "sha256:")}}},
		"predicateType": predicateType,
		"predicate":     map[string]any{},
	})
	return s
}

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

func TestKeyless(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	v := New(vs)
	artifact := []byte("app binary v1.2.0")
	digest := digestOf(artifact)
	other := digestOf([]byte("something else"))
	sign := func(identity string, at time.Time) []byte {
		e, err := vs.SignAtTime(identity, ghIssuer, artifact, at)
		if err != nil {
			t.Fatal(err)
		}
		return bundleJSON(t, vs, e, false)
	}
	attest := func(identity, pt, subj string, at time.Time) []byte {
		e, err := vs.AttestAtTime(identity, ghIssuer, statement(subj, pt), at, false)
		if err != nil {
			t.Fatal(err)
		}
		return bundleJSON(t, vs, e, false)
	}
	// Certificates are valid from their creation for ten minutes; the log
	// sees the signature a minute in.
	now := time.Now().Add(time.Minute)
	good := sign(release, now)
	var tampered map[string]any
	_ = json.Unmarshal(good, &tampered)
	ms := tampered["messageSignature"].(map[string]any)
	sig, _ := base64.StdEncoding.DecodeString(ms["signature"].(string))
	sig[len(sig)-1] ^= 1
	ms["signature"] = base64.StdEncoding.EncodeToString(sig)
	bad, _ := json.Marshal(tampered)

	goodAtt := attest(release, "https://slsa.dev/provenance/v1", digest, now)
	var tamperedAtt map[string]any
	_ = json.Unmarshal(goodAtt, &tamperedAtt)
	env := tamperedAtt["dsseEnvelope"].(map[string]any)
	env["payload"] = base64.StdEncoding.EncodeToString(statement(other, "https://slsa.dev/provenance/v1"))
	badAtt, _ := json.Marshal(tamperedAtt)

	cases := []struct {
		name     string
		data     []byte
		digest   string
		att      bool
		problem  string
		identity string
		detail   string
	}{
		{"release workflow", good, digest, false, "", release + " (issuer " + ghIssuer + ")", ""},
		{"another repository", sign("https://github.com/evil/app/.github/workflows/release.yml@refs/tags/v1.2.0", now), digest, false, verify.ProblemIdentity, "https://github.com/evil/app/", "but the policy expects subject matching"},
		{"a branch, not a release tag", sign("https://github.com/acme/app/.github/workflows/release.yml@refs/heads/feature", now), digest, false, verify.ProblemIdentity, "refs/heads/feature", "but the policy expects"},
		{"another workflow", sign("https://github.com/acme/app/.github/workflows/ci.yml@refs/tags/v1.2.0", now), digest, false, verify.ProblemIdentity, "ci.yml", ""},
		{"tampered signature", bad, digest, false, verify.ProblemInvalid, "", ""},
		{"signature of another digest", good, other, false, verify.ProblemDigest, "", "not " + other},
		{"certificate expired before the log saw it", sign(release, now.Add(15*time.Minute)), digest, false, verify.ProblemInvalid, "", "certificate"},
		{"attestation", goodAtt, digest, true, "", release + " (issuer " + ghIssuer + ")", ""},
		{"attestation of another predicate type", attest(release, "https://spdx.dev/Document", digest, now), digest, true, verify.ProblemPredicate, release, "https://spdx.dev/Document"},
		{"attestation about another digest", attest(release, "https://slsa.dev/provenance/v1", other, now), digest, true, verify.ProblemDigest, "", ""},
		{"tampered attestation payload", badAtt, digest, true, verify.ProblemInvalid, "", ""},
		{"a signature where an attestation is expected", good, digest, true, verify.ProblemPredicate, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := v.Check(context.Background(), verify.Material{Kind: verify.MaterialBundle, Where: "test", Data: c.data}, c.digest, keyless, c.att)
			if got.Problem != c.problem || got.Verified != (c.problem == "") {
				t.Fatalf("got %+v, want problem %q", got, c.problem)
			}
			if !strings.Contains(got.Identity, c.identity) || !strings.Contains(got.Detail, c.detail) {
				t.Errorf("got identity %q detail %q, want %q and %q", got.Identity, got.Detail, c.identity, c.detail)
			}
		})
	}

	// Another Sigstore (an untrusted root) signed it: nothing verifies.
	t.Run("untrusted root", func(t *testing.T) {
		other, err := ca.NewVirtualSigstore()
		if err != nil {
			t.Fatal(err)
		}
		got := New(other).Check(context.Background(), verify.Material{Kind: verify.MaterialBundle, Where: "test", Data: good}, digest, keyless, false)
		if got.Verified || got.Problem != verify.ProblemInvalid {
			t.Fatalf("got %+v", got)
		}
	})

	// The same root written as trusted_root.json and read back: fully
	// offline --trusted-root.
	t.Run("trusted_root.json", func(t *testing.T) {
		// The virtual logs carry their hex log ID as ID; a trusted root
		// stores the raw key ID.
		rawIDs := func(logs map[string]*root.TransparencyLog) map[string]*root.TransparencyLog {
			for k, l := range logs {
				l.ID, _ = hex.DecodeString(k)
			}
			return logs
		}
		tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, vs.FulcioCertificateAuthorities(), rawIDs(vs.CTLogs()), vs.TimestampingAuthorities(), rawIDs(vs.RekorLogs()))
		if err != nil {
			t.Fatal(err)
		}
		js, err := tr.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		path := t.TempDir() + "/trusted_root.json"
		if err := writeFile(path, js); err != nil {
			t.Fatal(err)
		}
		loaded, err := LoadTrustedRoot(path)
		if err != nil {
			t.Fatal(err)
		}
		got := New(loaded).Check(context.Background(), verify.Material{Kind: verify.MaterialBundle, Where: "test", Data: good}, digest, keyless, false)
		if !got.Verified {
			t.Fatalf("got %+v", got)
		}
	})
}

// KeyPair is a generated cosign-style ECDSA P-256 key pair.
func keyPair(t *testing.T) (*ecdsa.PrivateKey, []byte) {
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

func TestKeyBundles(t *testing.T) {
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := kp.GetPublicKeyPem()
	if err != nil {
		t.Fatal(err)
	}
	_, otherPEM := keyPair(t)
	artifact := []byte("app.tar.gz contents")
	digest := digestOf(artifact)
	pb, err := sign.Bundle(&sign.PlainData{Data: artifact}, kp, sign.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(mustBundle(t, pb))
	if err != nil {
		t.Fatal(err)
	}
	v := New(nil)
	m := verify.Material{Kind: verify.MaterialBundle, Where: "asset app.tar.gz.sigstore.json", Data: data}
	if got := v.Check(context.Background(), m, digest, &verify.Signer{Key: "cosign.pub", KeyPEM: []byte(pubPEM)}, false); !got.Verified || got.Identity != "key cosign.pub" {
		t.Errorf("declared key: %+v", got)
	}
	if got := v.Check(context.Background(), m, digest, &verify.Signer{Key: "other.pub", KeyPEM: otherPEM}, false); got.Verified || got.Problem != verify.ProblemInvalid {
		t.Errorf("another key: %+v", got)
	}
	if got := v.Check(context.Background(), m, digestOf([]byte("x")), &verify.Signer{Key: "cosign.pub", KeyPEM: []byte(pubPEM)}, false); got.Problem != verify.ProblemDigest {
		t.Errorf("another digest: %+v", got)
	}
	if got := v.Check(context.Background(), m, digest, keyless, false); got.Problem != verify.ProblemIdentity {
		t.Errorf("key signature where keyless is declared: %+v", got)
	}
	if got := v.Check(context.Background(), m, digest, &verify.Signer{}, false); got.Verified || got.Problem != verify.ProblemIdentity {
		t.Errorf("nothing declared must not verify: %+v", got)
	}
}

func mustBundle(t *testing.T, pb *protobundle.Bundle) *bundle.Bundle {
	t.Helper()
	b, err := bundle.NewBundle(pb)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

// CosignSig returns a legacy cosign .sig layer for digest signed by k:
// the simple-signing payload and the base64 ASN.1 ECDSA signature over its
// SHA-256, as `cosign sign --key` writes them.
func cosignSig(t *testing.T, k *ecdsa.PrivateKey, digest string) verify.Material {
	payload := []byte(`{"critical":{"identity":{"docker-reference":"ghcr.io/acme/app"},"image":{"docker-manifest-digest":"` + digest + `"},"type":"cosign container image signature"},"optional":null}`)
	sum := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, k, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return verify.Material{Kind: verify.MaterialCosignSig, Where: "cosign tag", Data: payload,
		Annotations: map[string]string{annSignature: base64.StdEncoding.EncodeToString(sig)}}
}

// cosignAtt returns a legacy cosign .att layer: a DSSE envelope signed by
// k over the in-toto statement, as `cosign attest --key` writes it.
func cosignAtt(t *testing.T, k *ecdsa.PrivateKey, stmt []byte) verify.Material {
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

func TestCosignLegacy(t *testing.T) {
	k, pub := keyPair(t)
	other, _ := keyPair(t)
	digest := digestOf([]byte("manifest"))
	want := &verify.Signer{Key: "cosign.pub", KeyPEM: pub, PredicateTypes: []string{"https://slsa.dev/provenance/v1"}}
	v := New(nil)
	ctx := context.Background()
	if got := v.Check(ctx, cosignSig(t, k, digest), digest, want, false); !got.Verified {
		t.Errorf(".sig: %+v", got)
	}
	if got := v.Check(ctx, cosignSig(t, other, digest), digest, want, false); got.Verified || got.Problem != verify.ProblemInvalid {
		t.Errorf(".sig by another key: %+v", got)
	}
	if got := v.Check(ctx, cosignSig(t, k, digestOf([]byte("x"))), digest, want, false); got.Problem != verify.ProblemDigest {
		t.Errorf(".sig of another digest: %+v", got)
	}
	tampered := cosignSig(t, k, digest)
	tampered.Data = []byte(strings.Replace(string(tampered.Data), "ghcr.io/acme/app", "ghcr.io/acme/evil", 1))
	if got := v.Check(ctx, tampered, digest, want, false); got.Verified || got.Problem != verify.ProblemInvalid {
		t.Errorf("tampered .sig payload: %+v", got)
	}
	if got := v.Check(ctx, cosignAtt(t, k, statement(digest, "https://slsa.dev/provenance/v1")), digest, want, true); !got.Verified || got.PredicateType != "https://slsa.dev/provenance/v1" {
		t.Errorf(".att: %+v", got)
	}
	if got := v.Check(ctx, cosignAtt(t, k, statement(digest, "https://cyclonedx.org/bom")), digest, want, true); got.Problem != verify.ProblemPredicate {
		t.Errorf(".att of another predicate type: %+v", got)
	}
	if got := v.Check(ctx, cosignAtt(t, other, statement(digest, "https://slsa.dev/provenance/v1")), digest, want, true); got.Verified {
		t.Errorf(".att by another key: %+v", got)
	}
}
