package sigstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/sign"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	st "github.com/tooo/relpolicy/internal/sigstore/sigstoretest"
	"github.com/tooo/relpolicy/verify"
)

const (
	ghIssuer = "https://token.actions.githubusercontent.com"
	release  = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.0"
)

var keyless = &verify.Signer{Issuer: ghIssuer, SubjectRegexp: `https://github\.com/acme/app/\.github/workflows/release\.yml@refs/tags/v.*`,
	PredicateTypes: []string{"https://slsa.dev/provenance/v1"}}

func TestKeyless(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	v := New(vs)
	artifact := []byte("app binary v1.2.0")
	digest := st.Digest(artifact)
	other := st.Digest([]byte("something else"))
	sign := func(identity string, at time.Time) []byte {
		e, err := vs.SignAtTime(identity, ghIssuer, artifact, at)
		if err != nil {
			t.Fatal(err)
		}
		return st.BundleJSON(t, vs, e, false)
	}
	attest := func(identity, pt, subj string, at time.Time) []byte {
		e, err := vs.AttestAtTime(identity, ghIssuer, st.Statement(subj, pt), at, false)
		if err != nil {
			t.Fatal(err)
		}
		return st.BundleJSON(t, vs, e, false)
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
	env["payload"] = base64.StdEncoding.EncodeToString(st.Statement(other, "https://slsa.dev/provenance/v1"))
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
			got := chk(t, v, verify.Material{Kind: verify.MaterialBundle, Where: "test", Data: c.data}, c.digest, keyless, c.att)
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
		got := chk(t, New(other), verify.Material{Kind: verify.MaterialBundle, Where: "test", Data: good}, digest, keyless, false)
		if got.Verified || got.Problem != verify.ProblemInvalid {
			t.Fatalf("got %+v", got)
		}
	})

	// The same root written as trusted_root.json and read back: fully
	// offline --trusted-root.
	t.Run("trusted_root.json", func(t *testing.T) {
		js := st.TrustedRootJSON(t, vs)
		path := t.TempDir() + "/trusted_root.json"
		if err := writeFile(path, js); err != nil {
			t.Fatal(err)
		}
		loaded, err := LoadTrustedRoot(path)
		if err != nil {
			t.Fatal(err)
		}
		got := chk(t, New(loaded), verify.Material{Kind: verify.MaterialBundle, Where: "test", Data: good}, digest, keyless, false)
		if !got.Verified {
			t.Fatalf("got %+v", got)
		}
	})
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
	_, otherPEM := st.KeyPair(t)
	artifact := []byte("app.tar.gz contents")
	digest := st.Digest(artifact)
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
	if got := chk(t, v, m, digest, &verify.Signer{Key: "cosign.pub", KeyPEM: []byte(pubPEM)}, false); !got.Verified || got.Identity != "key cosign.pub" {
		t.Errorf("declared key: %+v", got)
	}
	if got := chk(t, v, m, digest, &verify.Signer{Key: "other.pub", KeyPEM: otherPEM}, false); got.Verified || got.Problem != verify.ProblemInvalid {
		t.Errorf("another key: %+v", got)
	}
	if got := chk(t, v, m, st.Digest([]byte("x")), &verify.Signer{Key: "cosign.pub", KeyPEM: []byte(pubPEM)}, false); got.Problem != verify.ProblemDigest {
		t.Errorf("another digest: %+v", got)
	}
	if got := chk(t, v, m, digest, keyless, false); got.Problem != verify.ProblemIdentity {
		t.Errorf("key signature where keyless is declared: %+v", got)
	}
	if got := chk(t, v, m, digest, &verify.Signer{}, false); got.Verified || got.Problem != verify.ProblemIdentity {
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

func TestCosignLegacy(t *testing.T) {
	k, pub := st.KeyPair(t)
	other, _ := st.KeyPair(t)
	digest := st.Digest([]byte("manifest"))
	want := &verify.Signer{Key: "cosign.pub", KeyPEM: pub, PredicateTypes: []string{"https://slsa.dev/provenance/v1"}}
	v := New(nil)
	if got := chk(t, v, st.CosignSig(t, k, digest), digest, want, false); !got.Verified {
		t.Errorf(".sig: %+v", got)
	}
	if got := chk(t, v, st.CosignSig(t, other, digest), digest, want, false); got.Verified || got.Problem != verify.ProblemInvalid {
		t.Errorf(".sig by another key: %+v", got)
	}
	if got := chk(t, v, st.CosignSig(t, k, st.Digest([]byte("x"))), digest, want, false); got.Problem != verify.ProblemDigest {
		t.Errorf(".sig of another digest: %+v", got)
	}
	tampered := st.CosignSig(t, k, digest)
	tampered.Data = []byte(strings.Replace(string(tampered.Data), "ghcr.io/acme/app", "ghcr.io/acme/evil", 1))
	if got := chk(t, v, tampered, digest, want, false); got.Verified || got.Problem != verify.ProblemInvalid {
		t.Errorf("tampered .sig payload: %+v", got)
	}
	if got := chk(t, v, st.CosignAtt(t, k, st.Statement(digest, "https://slsa.dev/provenance/v1")), digest, want, true); !got.Verified || got.PredicateType != "https://slsa.dev/provenance/v1" {
		t.Errorf(".att: %+v", got)
	}
	if got := chk(t, v, st.CosignAtt(t, k, st.Statement(digest, "https://cyclonedx.org/bom")), digest, want, true); got.Problem != verify.ProblemPredicate {
		t.Errorf(".att of another predicate type: %+v", got)
	}
	if got := chk(t, v, st.CosignAtt(t, other, st.Statement(digest, "https://slsa.dev/provenance/v1")), digest, want, true); got.Verified {
		t.Errorf(".att by another key: %+v", got)
	}
}

func chk(t *testing.T, v *Verifier, m verify.Material, digest string, want *verify.Signer, att bool) verify.SigCheck {
	t.Helper()
	got, err := v.Check(context.Background(), m, digest, want, att)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
