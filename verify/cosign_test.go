package verify_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/sigstore/cosign/v2/pkg/cosign"
	"github.com/sigstore/cosign/v2/pkg/cosign/attestation"
	cbundle "github.com/sigstore/cosign/v2/pkg/cosign/bundle"
	"github.com/sigstore/cosign/v2/pkg/oci"
	"github.com/sigstore/cosign/v2/pkg/oci/mutate"
	ociremote "github.com/sigstore/cosign/v2/pkg/oci/remote"
	"github.com/sigstore/cosign/v2/pkg/oci/static"
	"github.com/sigstore/cosign/v2/pkg/types"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/dsse"
	sigpayload "github.com/sigstore/sigstore/pkg/signature/payload"
	vt "github.com/tooo/relpolicy/internal/registry/registrytest"
	"github.com/tooo/relpolicy/internal/sigstore"
	st "github.com/tooo/relpolicy/internal/sigstore/sigstoretest"
)

// cosignKey is a key pair made by cosign's own GenerateKeyPair (an
// encrypted cosign.key and a PEM cosign.pub), loaded back as cosign does.
func cosignKey(t *testing.T) (signature.SignerVerifier, []byte) {
	t.Helper()
	pass := func(bool) ([]byte, error) { return []byte("test"), nil }
	kb, err := cosign.GenerateKeyPair(pass)
	if err != nil {
		t.Fatalf("generating a cosign key pair: %v", err)
	}
	sv, err := cosign.LoadPrivateKey(kb.PrivateBytes, []byte("test"), nil)
	if err != nil {
		t.Fatalf("loading the cosign key: %v", err)
	}
	return sv, kb.PublicBytes
}

// cosignSign writes what `cosign sign --key` writes for the image at
// digest of repo (the sha256-<hex>.sig tag), with cosign's simple-signing
// payload for payloadDigest; tamper edits the payload after signing.
func cosignSign(t *testing.T, sv signature.Signer, repo, digest, payloadDigest string, tamper bool) {
	t.Helper()
	d, err := name.NewDigest(repo+"@"+digest, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := name.NewDigest(repo+"@"+payloadDigest, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := (&sigpayload.Cosign{Image: pd}).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := sv.SignMessage(bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	if tamper {
		payload = bytes.Replace(payload, []byte(`"optional":null`), []byte(`"optional":{"tampered":"yes"}`), 1)
	}
	ociSig, err := static.NewSignature(payload, base64.StdEncoding.EncodeToString(sig))
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, func(se oci.SignedEntity) (oci.SignedEntity, error) { return mutate.AttachSignatureToEntity(se, ociSig) }, ociremote.WriteSignatures)
}

// cosignAttest writes what `cosign attest --key --type slsaprovenance1`
// writes (the sha256-<hex>.att tag): a DSSE envelope over cosign's in-toto
// statement for the image.
func cosignAttest(t *testing.T, sv signature.Signer, repo, digest, predicateType string) {
	t.Helper()
	d, err := name.NewDigest(repo+"@"+digest, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	pred := `{"buildDefinition":{"buildType":"https://actions.github.io/buildtypes/workflow/v1","externalParameters":{}},"runDetails":{"builder":{"id":"https://github.com/tooo/app/.github/workflows/release.yml"}}}`
	stmt, err := attestation.GenerateStatement(attestation.GenerateOpts{Predicate: strings.NewReader(pred), Type: predicateType,
		Digest: d.DigestStr()[len("sha256:"):], Repo: d.Repository.String(), Time: func() time.Time { return time.Unix(0, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(stmt)
	if err != nil {
		t.Fatal(err)
	}
	env, err := dsse.WrapSigner(sv, types.IntotoPayloadType).SignMessage(bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	att, err := static.NewAttestation(env, static.WithLayerMediaType(types.DssePayloadType))
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, func(se oci.SignedEntity) (oci.SignedEntity, error) { return mutate.AttachAttestationToEntity(se, att) }, ociremote.WriteAttestations)
}

func write(t *testing.T, d name.Digest, attach func(oci.SignedEntity) (oci.SignedEntity, error), put func(name.Repository, oci.SignedEntity, ...ociremote.Option) error) {
	t.Helper()
	se, err := ociremote.SignedEntity(d)
	if err != nil {
		t.Fatalf("reading %s: %v", d, err)
	}
	se, err = attach(se)
	if err != nil {
		t.Fatal(err)
	}
	if err := put(d.Repository, se); err != nil {
		t.Fatalf("writing cosign material for %s: %v", d, err)
	}
}

// TestCosignLibraryReleases verifies .sig/.att manifests written by
// cosign's own library (pkg/cosign key generation, pkg/oci/static layers,
// pkg/oci/mutate and pkg/oci/remote to push the sha256-<hex>.sig/.att tags,
// pkg/cosign/attestation statements) against provenance.*.key: the clean
// release verifies; another key, a payload for another digest, a tampered
// payload and another predicate type are RP404 for their release only.
func TestCosignLibraryReleases(t *testing.T) {
	w := vt.New(t, false)
	repo := w.Repo("tooo/app")
	src := "https://github.com/tooo/app"
	sv, pub := cosignKey(t)
	other, _ := cosignKey(t)
	var rels []vt.Release
	digests := map[string]string{}
	mk := func(version string, sign func(d string)) {
		rev := vt.Revision(version)
		img := w.Image(vt.Labels(src, rev, version), nil)
		w.Tag(repo, version, img)
		d := w.Push(repo, img)
		digests[version] = d
		sign(d)
		rels = append([]vt.Release{{Version: version, Tag: "v" + version, Revision: rev, Images: []vt.Image{{Reference: repo + ":" + version, Digest: d}}}}, rels...)
	}
	mk("1.0.0", func(d string) { cosignSign(t, sv, repo, d, d, false); cosignAttest(t, sv, repo, d, "slsaprovenance1") })
	mk("1.1.0", func(d string) {
		cosignSign(t, other, repo, d, d, false)
		cosignAttest(t, sv, repo, d, "slsaprovenance1")
	})
	mk("1.2.0", func(d string) {
		cosignSign(t, sv, repo, d, digests["1.0.0"], false)
		cosignAttest(t, sv, repo, d, "slsaprovenance1")
	})
	mk("1.3.0", func(d string) { cosignSign(t, sv, repo, d, d, true); cosignAttest(t, sv, repo, d, "cyclonedx") })
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cosign.pub"), pub, 0o644); err != nil {
		t.Fatal(err)
	}
	pol := vt.Policy(vt.PolicyOptions{Registry: repo, Signatures: true, Attestations: true, SignatureMethod: "cosign-key",
		SignatureSigner: "key: cosign.pub", AttestationSigner: "key: cosign.pub"}, rels)
	if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := verifySigned(t, w, dir, sigstore.New(nil), signedOptions{material: true, attestationsAPI: false})
	var msgs []string
	for _, f := range rep.Findings {
		msgs = append(msgs, f.Rule+" "+f.Message)
	}
	all := strings.Join(msgs, "\n")
	t.Logf("findings:\n%s", all)
	for _, want := range []string{"release 1.1.0: a signature is present", "release 1.2.0:", "release 1.3.0: a signature", "https://cyclonedx.org/bom"} {
		if !strings.Contains(all, want) {
			t.Errorf("no finding with %q in:\n%s", want, all)
		}
	}
	if len(msgs) != 4 || strings.Contains(all, "release 1.0.0") {
		t.Errorf("want four RP404 (1.1.0 another key, 1.2.0 another digest, 1.3.0 tampered payload and another predicate type), none for 1.0.0; got:\n%s", all)
	}
	for _, rel := range rep.Repos[0].Releases {
		o := rel.OCI[0]
		if (rel.Version == "1.0.0") != (o.Signature != nil && o.Signature.Verified) {
			t.Errorf("release %s: signature verdict %+v", rel.Version, o.Signature)
		}
		if (rel.Version != "1.3.0") != (o.Attestation != nil && o.Attestation.Verified) {
			t.Errorf("release %s: attestation verdict %+v", rel.Version, o.Attestation)
		}
	}
}

// keylessLayers returns cosign's legacy keyless annotations for a virtual
// Sigstore entity: the Fulcio certificate, and the Rekor bundle (the
// entry with its signed entry timestamp), as cosign attaches them.
func keylessLayers(t *testing.T, vs *ca.VirtualSigstore, e *ca.TestEntity) []static.Option {
	t.Helper()
	vc, err := e.VerificationContent()
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: vc.Certificate().Raw})
	tl, err := e.TlogEntries()
	if err != nil || len(tl) != 1 {
		t.Fatalf("tlog entries: %v (%d)", err, len(tl))
	}
	en := tl[0].TransparencyLogEntry()
	p := cbundle.RekorPayload{Body: base64.StdEncoding.EncodeToString(en.CanonicalizedBody), IntegratedTime: en.IntegratedTime,
		LogIndex: en.LogIndex, LogID: hex.EncodeToString(en.LogId.KeyId)}
	set, err := vs.RekorSignPayload(tlog.RekorPayload{Body: p.Body, IntegratedTime: p.IntegratedTime, LogIndex: p.LogIndex, LogID: p.LogID})
	if err != nil {
		t.Fatal(err)
	}
	return []static.Option{static.WithCertChain(certPEM, nil), static.WithBundle(&cbundle.RekorBundle{SignedEntryTimestamp: set, Payload: p})}
}

// TestCosignLibraryKeyless verifies cosign's legacy keyless .sig/.att
// manifests (certificate and Rekor bundle annotations, written with
// cosign's pkg/oci/static and pkg/oci/remote) signed by sigstore-go's
// virtual Sigstore, trusted through a trusted_root.json: the release
// workflow verifies; a CI workflow on a branch is RP404 (another signer),
// and a payload edited after signing is RP404 (does not verify).
func TestCosignLibraryKeyless(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(time.Minute)
	w := vt.New(t, false)
	repo := w.Repo("tooo/app")
	src := "https://github.com/tooo/app"
	sign := func(identity, digest string, tamper bool) {
		d, err := name.NewDigest(repo+"@"+digest, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		payload, err := (&sigpayload.Cosign{Image: d}).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		e, err := vs.SignAtTime(identity, ghIssuer, payload, at)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := e.SignatureContent()
		if err != nil {
			t.Fatal(err)
		}
		if tamper {
			payload = bytes.Replace(payload, []byte(`"optional":null`), []byte(`"optional":{"tampered":"yes"}`), 1)
		}
		sig, err := static.NewSignature(payload, base64.StdEncoding.EncodeToString(sc.Signature()), keylessLayers(t, vs, e)...)
		if err != nil {
			t.Fatal(err)
		}
		write(t, d, func(se oci.SignedEntity) (oci.SignedEntity, error) { return mutate.AttachSignatureToEntity(se, sig) }, ociremote.WriteSignatures)
	}
	attest := func(identity, digest string) {
		d, err := name.NewDigest(repo+"@"+digest, name.Insecure)
		if err != nil {
			t.Fatal(err)
		}
		stmt, err := attestation.GenerateStatement(attestation.GenerateOpts{Predicate: strings.NewReader(`{"buildDefinition":{"buildType":"x","externalParameters":{}},"runDetails":{"builder":{"id":"x"}}}`),
			Type: "slsaprovenance1", Digest: digest[len("sha256:"):], Repo: d.Repository.String()})
		if err != nil {
			t.Fatal(err)
		}
		payload, err := json.Marshal(stmt)
		if err != nil {
			t.Fatal(err)
		}
		e, err := vs.AttestAtTime(identity, ghIssuer, payload, at, false)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := e.SignatureContent()
		if err != nil {
			t.Fatal(err)
		}
		env, err := json.Marshal(sc.EnvelopeContent().RawEnvelope())
		if err != nil {
			t.Fatal(err)
		}
		att, err := static.NewAttestation(env, append(keylessLayers(t, vs, e), static.WithLayerMediaType(types.DssePayloadType))...)
		if err != nil {
			t.Fatal(err)
		}
		write(t, d, func(se oci.SignedEntity) (oci.SignedEntity, error) { return mutate.AttachAttestationToEntity(se, att) }, ociremote.WriteAttestations)
	}
	var rels []vt.Release
	mk := func(version, signer string, tamper bool) {
		rev := vt.Revision(version)
		img := w.Image(vt.Labels(src, rev, version), nil)
		w.Tag(repo, version, img)
		d := w.Push(repo, img)
		sign(signer, d, tamper)
		attest(releaseWF+"v"+version, d)
		rels = append([]vt.Release{{Version: version, Tag: "v" + version, Revision: rev, Images: []vt.Image{{Reference: repo + ":" + version, Digest: d}}}}, rels...)
	}
	mk("1.0.0", releaseWF+"v1.0.0", false)
	mk("1.1.0", "https://github.com/tooo/app/.github/workflows/ci.yml@refs/heads/main", false)
	mk("1.2.0", releaseWF+"v1.2.0", true)
	dir := t.TempDir()
	id := fmt.Sprintf("identity: {issuer: %q, subject_regexp: '%s'}", ghIssuer, identityRE)
	pol := vt.Policy(vt.PolicyOptions{Registry: repo, Signatures: true, Attestations: true, SignatureSigner: id, AttestationSigner: id}, rels)
	if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644); err != nil {
		t.Fatal(err)
	}
	rootPath := filepath.Join(dir, "trusted_root.json")
	if err := os.WriteFile(rootPath, st.TrustedRootJSON(t, vs), 0o644); err != nil {
		t.Fatal(err)
	}
	checker, err := sigstore.NewFromFile(rootPath)
	if err != nil {
		t.Fatal(err)
	}
	rep := verifySigned(t, w, dir, checker, signedOptions{material: true, attestationsAPI: false})
	var msgs []string
	for _, f := range rep.Findings {
		msgs = append(msgs, f.Rule+" "+f.Message)
	}
	all := strings.Join(msgs, "\n")
	t.Logf("findings:\n%s", all)
	if len(msgs) != 2 || !strings.Contains(all, "release 1.1.0: the signature of") || !strings.Contains(all, "made by another signer") ||
		!strings.Contains(all, "release 1.2.0: a signature is present") || strings.Contains(all, "release 1.0.0") {
		t.Errorf("want RP404 for 1.1.0 (a CI workflow's signature) and 1.2.0 (tampered payload) only, got:\n%s", all)
	}
	for _, rel := range rep.Repos[0].Releases {
		o := rel.OCI[0]
		if (rel.Version == "1.0.0") != (o.Signature != nil && o.Signature.Verified) {
			t.Errorf("release %s: signature verdict %+v", rel.Version, o.Signature)
		}
		if o.Attestation == nil || !o.Attestation.Verified {
			t.Errorf("release %s: the release workflow's attestation did not verify: %+v", rel.Version, o.Attestation)
		}
	}
}
