package verify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/sign"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/internal/registry"
	vt "github.com/tooo/relpolicy/internal/registry/registrytest"
	"github.com/tooo/relpolicy/internal/sigstore"
	st "github.com/tooo/relpolicy/internal/sigstore/sigstoretest"
	"github.com/tooo/relpolicy/verify"
	"google.golang.org/protobuf/encoding/protojson"
)

const (
	ghIssuer   = "https://token.actions.githubusercontent.com"
	releaseWF  = "https://github.com/tooo/app/.github/workflows/release.yml@refs/tags/"
	identityRE = `https://github\.com/tooo/app/\.github/workflows/release\.yml@refs/tags/v.*`
	bundleType = "application/vnd.dev.sigstore.bundle.v0.3+json"
	slsaV1     = "https://slsa.dev/provenance/v1"
)

// TestSignedReleases runs verify end to end over keyless Sigstore bundles
// (OCI referrers, a .sigstore.json release asset, GitHub's attestations
// API) from the virtual Sigstore, trusted through a trusted_root.json
// file, with and without the registry's referrers API.
func TestSignedReleases(t *testing.T) {
	for _, referrers := range []bool{true, false} {
		t.Run(fmt.Sprintf("referrersAPI=%v", referrers), func(t *testing.T) {
			signedReleases(t, referrers)
		})
	}
}

func signedReleases(t *testing.T, referrers bool) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(time.Minute)
	w := vt.New(t, referrers)
	repo := w.Repo("tooo/app")
	src := "https://github.com/tooo/app"
	gh := w.GitHub.AddRepo("tooo", "app")
	gh.Attestations = map[string][][]byte{}

	// A keyless attestation of digest by identity, as a bundle.
	attest := func(identity, predicate, digest string) []byte {
		e, err := vs.AttestAtTime(identity, ghIssuer, st.Statement(digest, predicate), at, false)
		if err != nil {
			t.Fatal(err)
		}
		return st.BundleJSON(t, vs, e, false)
	}
	// A keyless signature over an artifact, as a bundle.
	signBlob := func(identity string, artifact []byte) []byte {
		e, err := vs.SignAtTime(identity, ghIssuer, artifact, at)
		if err != nil {
			t.Fatal(err)
		}
		return st.BundleJSON(t, vs, e, false)
	}
	referrer := func(digest string, bundle []byte, predicate string) {
		// Signatures carry cosign v3's sign predicate, as cosign writes.
		ann := map[string]string{"dev.sigstore.bundle.predicateType": "https://sigstore.dev/cosign/sign/v1"}
		if predicate != "" {
			ann["dev.sigstore.bundle.predicateType"] = predicate
		}
		w.ReferrerLayers(repo, digest, bundleType, ann, []vt.Layer{{MediaType: bundleType, Content: bundle}})
	}

	var rels []vt.Release
	add := func(version string, sign func(d string)) {
		rev := vt.Revision(version)
		img := w.Image(vt.Labels(src, rev, version), nil)
		w.Tag(repo, version, img)
		d := w.Push(repo, img)
		sign(d)
		rels = append([]vt.Release{{Version: version, Tag: "v" + version, Revision: rev, Images: []vt.Image{{Reference: repo + ":" + version, Digest: d}}}}, rels...)
	}
	// 1.0.0: signed and attested by the release workflow (the signature
	// as a DSSE bundle referrer, the attestation through GitHub's API).
	add("1.0.0", func(d string) {
		referrer(d, attest(releaseWF+"v1.0.0", "https://sigstore.dev/cosign/sign/v1", d), "")
		gh.Attestations[d] = [][]byte{attest(releaseWF+"v1.0.0", slsaV1, d)}
	})
	// 1.1.0: signed by the same workflow file of a fork.
	add("1.1.0", func(d string) {
		referrer(d, attest("https://github.com/fork/app/.github/workflows/release.yml@refs/tags/v1.1.0", "https://sigstore.dev/cosign/sign/v1", d), "")
		gh.Attestations[d] = [][]byte{attest(releaseWF+"v1.1.0", slsaV1, d)}
	})
	// 1.2.0: signed from a branch (the regexp wants a release tag); its
	// attestation is an SBOM where SLSA provenance is expected.
	add("1.2.0", func(d string) {
		referrer(d, attest("https://github.com/tooo/app/.github/workflows/release.yml@refs/heads/main", "https://sigstore.dev/cosign/sign/v1", d), "")
		referrer(d, attest(releaseWF+"v1.2.0", "https://spdx.dev/Document", d), "https://spdx.dev/Document")
	})
	// 1.3.0: its signature is the release workflow's signature of another
	// digest, moved onto this one.
	add("1.3.0", func(d string) {
		referrer(d, attest(releaseWF+"v1.3.0", "https://sigstore.dev/cosign/sign/v1", "sha256:"+strings.Repeat("ab", 32)), "")
		gh.Attestations[d] = [][]byte{attest(releaseWF+"v1.3.0", slsaV1, d)}
	})
	// 1.4.0: nothing at all.
	add("1.4.0", func(string) {})

	// A file release: app.tar.gz signed (sign-blob bundle asset) and
	// attested (GitHub API) by the release workflow; app.zip's bundle is
	// by another identity.
	files := map[string][]byte{"app.tar.gz": []byte("tarball 1.0.0"), "app.zip": []byte("zip 1.0.0")}
	files["app.tar.gz.sigstore.json"] = signBlob(releaseWF+"v1.0.0", files["app.tar.gz"])
	files["app.zip.sigstore.json"] = signBlob("https://github.com/tooo/app/.github/workflows/ci.yml@refs/heads/main", files["app.zip"])
	gh.Attestations[st.Digest(files["app.tar.gz"])] = [][]byte{attest(releaseWF+"v1.0.0", slsaV1, st.Digest(files["app.tar.gz"]))}
	gh.Attestations[st.Digest(files["app.zip"])] = [][]byte{attest(releaseWF+"v1.0.0", slsaV1, st.Digest(files["app.zip"]))}
	names := []string{"app.tar.gz", "app.tar.gz.sigstore.json", "app.zip", "app.zip.sigstore.json"}
	w.GitHub.AddRelease("tooo", "app", "v1.0.0", names, files)
	for i := range rels {
		if rels[i].Version == "1.0.0" {
			rels[i].GitHub = ghFiles("1.0.0", []string{"app.tar.gz", "app.zip"}, files)
		}
	}

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
	rep := verifySigned(t, w, dir, checker, signedOptions{material: true, attestationsAPI: true})
	got := map[string][]string{}
	for _, f := range rep.Findings {
		if f.Rule != "RP404" {
			t.Errorf("unexpected %s: %s", f.Rule, f.Message)
			continue
		}
		m := releaseOf.FindStringSubmatch(f.Message)
		if m == nil {
			t.Fatalf("finding names no release: %s", f.Message)
		}
		got[m[1]] = append(got[m[1]], f.Message)
	}
	want := map[string][]string{
		"1.1.0": {"made by another signer than the policy declares", "https://github.com/fork/app/"},
		"1.2.0": {"refs/heads/main", "another predicate type", "https://spdx.dev/Document"},
		"1.3.0": {"does not cover"},
		"1.4.0": {"no signature is present"},
		"1.0.0": {"file app.zip", "ci.yml@refs/heads/main"},
	}
	for v, subs := range want {
		all := strings.Join(got[v], "\n")
		for _, s := range subs {
			if !strings.Contains(all, s) {
				t.Errorf("release %s: want a finding containing %q, got:\n%s", v, s, all)
			}
		}
	}
	for v := range got {
		if _, ok := want[v]; !ok {
			t.Errorf("release %s should be clean, got %v", v, got[v])
		}
	}
	if n := len(got["1.0.0"]); n != 1 {
		t.Errorf("release 1.0.0: want only app.zip's finding, got %v", got["1.0.0"])
	}

	// The report says verified, with the identity, only where it is.
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back verify.Report
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	for _, rel := range back.Repos[0].Releases {
		o := rel.OCI[0]
		wantVerified := rel.Version == "1.0.0"
		if o.Signature == nil || o.Signature.Verified != wantVerified {
			t.Errorf("release %s: signature verdict %+v, want verified=%v", rel.Version, o.Signature, wantVerified)
			continue
		}
		if wantVerified && !slices.Contains(o.Signature.Identity, releaseWF+"v1.0.0 (issuer "+ghIssuer+")") {
			t.Errorf("release 1.0.0: identity %v", o.Signature.Identity)
		}
		if !wantVerified && len(o.Signature.Identity) > 0 {
			t.Errorf("release %s: an unverified signature names a verified identity %v", rel.Version, o.Signature.Identity)
		}
	}
	if !strings.Contains(string(js), `"verified":true`) {
		t.Error(`the JSON report has no "verified":true`)
	}
	// For people: only the verified ones are "signed by", with a command.
	res := verify.Results(rep)["tooo/app"]
	var cmds []string
	for _, sg := range res["1.0.0"].Signed {
		cmds = append(cmds, sg.What+": "+sg.Command)
	}
	all := strings.Join(cmds, "\n")
	for _, want := range []string{
		"app-image signed: cosign verify --certificate-identity-regexp '^(?:" + identityRE + ")$' --certificate-oidc-issuer " + ghIssuer + " " + repo + "@",
		"app-image attested: gh attestation verify oci://" + repo + "@",
		"app.tar.gz signed: cosign verify-blob --bundle app.tar.gz.sigstore.json",
		"app.tar.gz attested: gh attestation verify app.tar.gz --repo tooo/app",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("1.0.0: want %q among\n%s", want, all)
		}
	}
	if strings.Contains(all, "app.zip signed") {
		t.Errorf("app.zip's signature is by another identity and must not be listed as signed:\n%s", all)
	}
	for _, v := range []string{"1.1.0", "1.2.0", "1.3.0", "1.4.0"} {
		for _, sg := range res[v].Signed {
			if strings.HasSuffix(sg.What, "signed") {
				t.Errorf("%s: %s listed as signed by %s", v, sg.What, sg.Identity)
			}
		}
	}
}

// TestCosignKeyReleases verifies legacy cosign .sig/.att tags made with a
// generated key against provenance.signatures.key, with no trusted root
// at all (a key signature without a log entry needs none).
func TestCosignKeyReleases(t *testing.T) {
	w := vt.New(t, false)
	repo := w.Repo("tooo/app")
	src := "https://github.com/tooo/app"
	k, pub := st.KeyPair(t)
	other, _ := st.KeyPair(t)
	var rels []vt.Release
	mk := func(version string, sig, att func(d string) vt.Layer) {
		rev := vt.Revision(version)
		img := w.Image(vt.Labels(src, rev, version), nil)
		w.Tag(repo, version, img)
		d := w.Push(repo, img)
		w.CosignTagLayers(repo, d, ".sig", []vt.Layer{sig(d)})
		w.CosignTagLayers(repo, d, ".att", []vt.Layer{att(d)})
		rels = append([]vt.Release{{Version: version, Tag: "v" + version, Revision: rev, Images: []vt.Image{{Reference: repo + ":" + version, Digest: d}}}}, rels...)
	}
	layer := func(m verify.Material, mt string) vt.Layer {
		return vt.Layer{MediaType: mt, Content: m.Data, Annotations: m.Annotations}
	}
	mk("1.0.0", func(d string) vt.Layer {
		return layer(st.CosignSig(t, k, d), "application/vnd.dev.cosign.simplesigning.v1+json")
	}, func(d string) vt.Layer {
		return layer(st.CosignAtt(t, k, st.Statement(d, slsaV1)), "application/vnd.dsse.envelope.v1+json")
	})
	mk("1.1.0", func(d string) vt.Layer {
		return layer(st.CosignSig(t, other, d), "application/vnd.dev.cosign.simplesigning.v1+json")
	}, func(d string) vt.Layer {
		return layer(st.CosignAtt(t, k, st.Statement(d, "https://cyclonedx.org/bom")), "application/vnd.dsse.envelope.v1+json")
	})
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
	if len(msgs) != 2 || !strings.Contains(all, "release 1.1.0: a signature is present") || !strings.Contains(all, "https://cyclonedx.org/bom") || strings.Contains(all, "release 1.0.0") {
		t.Errorf("want two RP404 for 1.1.0 (another key, another predicate type), got:\n%s", all)
	}
	for _, rel := range rep.Repos[0].Releases {
		o := rel.OCI[0]
		if (rel.Version == "1.0.0") != (o.Signature != nil && o.Signature.Verified) {
			t.Errorf("release %s: signature verdict %+v", rel.Version, o.Signature)
		}
	}
}

// TestKeyBundleAssets: bundles made with sign.Bundle and an ephemeral key
// — a sign-blob bundle as a release asset, a DSSE attestation through
// GitHub's attestations API — verify against provenance.*.key; a bundle by
// another key, and an attestation about another file, do not.
func TestKeyBundleAssets(t *testing.T) {
	w := vt.New(t, true)
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := kp.GetPublicKeyPem()
	if err != nil {
		t.Fatal(err)
	}
	otherKP, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		t.Fatal(err)
	}
	bundle := func(c sign.Content, k sign.Keypair) []byte {
		pb, err := sign.Bundle(c, k, sign.BundleOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := protojson.Marshal(pb)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	files := map[string][]byte{"app.tar.gz": []byte("tarball"), "app.zip": []byte("zip")}
	files["app.tar.gz.sigstore.json"] = bundle(&sign.PlainData{Data: files["app.tar.gz"]}, kp)
	files["app.zip.sigstore.json"] = bundle(&sign.PlainData{Data: files["app.zip"]}, otherKP)
	gh := w.GitHub.AddRepo("tooo", "app")
	gh.Attestations = map[string][][]byte{
		st.Digest(files["app.tar.gz"]): {bundle(&sign.DSSEData{Data: st.Statement(st.Digest(files["app.tar.gz"]), slsaV1), PayloadType: "application/vnd.in-toto+json"}, kp)},
		// An attestation about app.tar.gz served for app.zip's digest.
		st.Digest(files["app.zip"]): {bundle(&sign.DSSEData{Data: st.Statement(st.Digest(files["app.tar.gz"]), slsaV1), PayloadType: "application/vnd.in-toto+json"}, kp)},
	}
	w.GitHub.AddRelease("tooo", "app", "v1.0.0", []string{"app.tar.gz", "app.tar.gz.sigstore.json", "app.zip", "app.zip.sigstore.json"}, files)
	rels := []vt.Release{{Version: "1.0.0", Tag: "v1.0.0", Revision: vt.Revision("1.0.0"), GitHub: ghFiles("1.0.0", []string{"app.tar.gz", "app.zip"}, files)}}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keys.pub"), []byte(pub), 0o644); err != nil {
		t.Fatal(err)
	}
	pol := vt.Policy(vt.PolicyOptions{Registry: w.Repo("tooo/app"), Signatures: true, Attestations: true, SignatureMethod: "cosign-key",
		SignatureSigner: "key: keys.pub", AttestationSigner: "key: keys.pub"}, rels)
	if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := verifySigned(t, w, dir, sigstore.New(nil), signedOptions{material: false, attestationsAPI: true})
	var msgs []string
	for _, f := range rep.Findings {
		msgs = append(msgs, f.Rule+" "+f.Message)
	}
	all := strings.Join(msgs, "\n")
	if len(msgs) != 2 || !strings.Contains(all, "file app.zip: a signature is present") || !strings.Contains(all, "file app.zip: the attestation found does not cover") || strings.Contains(all, "app.tar.gz:") {
		t.Errorf("want RP404 for app.zip's signature (another key) and attestation (another file) only, got:\n%s", all)
	}
	res := verify.Results(rep)["tooo/app"]["1.0.0"]
	if res == nil {
		t.Fatalf("no result: %v", all)
	}
	signed := res.Signed
	if len(signed) != 2 || signed[0].Identity != "key keys.pub" || !strings.Contains(signed[0].Command, "cosign verify-blob --bundle app.tar.gz.sigstore.json --key keys.pub app.tar.gz") {
		t.Errorf("app.tar.gz should be signed and attested by key keys.pub: %+v", signed)
	}
}

// signedOptions say which optional sources a signature test turns on.
type signedOptions struct {
	// material: the registry client reads signature and attestation
	// content (bundles, cosign layers), not only their presence.
	material bool
	// attestationsAPI: GitHub's attestations API is asked too.
	attestationsAPI bool
}

// verifySigned runs verify over the policy in dir against w with checker
// as the signature verifier, and fails the test when anything could not be
// reached.
func verifySigned(t *testing.T, w *vt.World, dir string, checker verify.Checker, o signedOptions) *verify.Report {
	t.Helper()
	var counter httpx.Counting
	srcs := sources(t, w, &counter)
	srcs.Registry.(*registry.Client).Material = o.material
	srcs.Checker = checker
	if o.attestationsAPI {
		srcs.Attestations = srcs.Releases.(verify.AttestationFinder)
	}
	rep, err := verify.Run(context.Background(), srcs, verify.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	return rep
}
