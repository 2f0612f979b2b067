package verify

import (
	"reflect"
	"testing"

	"github.com/tooo/relpolicy/lint/rules"
)

// TestSigningFacts: the newest ledger release's facts decide, on the same
// grounds as RP404 (wanted and absent, present and not verifying); a
// release the report could not reach, or older releases, say nothing.
func TestSigningFacts(t *testing.T) {
	ok := &Verdict{Verified: true, Expected: "key cosign.pub"}
	bad := &Verdict{Expected: "key cosign.pub"}
	oci := func(id string, sigs, atts int, sig, att *Verdict) *OCIFacts {
		a := &Attachments{}
		for range sigs {
			a.Signatures = append(a.Signatures, "cosign tag")
		}
		for range atts {
			a.Attestations = append(a.Attestations, "cosign tag")
		}
		return &OCIFacts{ID: id, Found: true, Attachments: a, WantSignatures: true, WantAttestations: true, Signature: sig, Attestation: att}
	}
	rel := func(index int, version string, o ...*OCIFacts) *ReleaseFacts {
		return &ReleaseFacts{Index: index, Version: version, OCI: o}
	}
	cases := []struct {
		name string
		rels []*ReleaseFacts
		want *rules.SigningFacts
	}{
		{"verified", []*ReleaseFacts{rel(0, "2.0.0", oci("img", 1, 1, ok, ok))}, &rules.SigningFacts{Release: "2.0.0"}},
		{"absent", []*ReleaseFacts{rel(0, "2.0.0", oci("img", 0, 0, nil, nil))}, &rules.SigningFacts{Release: "2.0.0",
			Signatures: []string{"img: no signature is present"}, Attestations: []string{"img: no attestation is present"}}},
		{"not verifying", []*ReleaseFacts{rel(0, "2.0.0", oci("img", 1, 1, bad, ok))}, &rules.SigningFacts{Release: "2.0.0",
			Signatures: []string{"img: no signature verifies against key cosign.pub"}}},
		{"present without a declared signer", []*ReleaseFacts{rel(0, "2.0.0", oci("img", 1, 1, nil, nil))}, &rules.SigningFacts{Release: "2.0.0"}},
		{"only the newest release counts", []*ReleaseFacts{rel(1, "1.0.0", oci("img", 0, 0, nil, nil)), rel(0, "2.0.0", oci("img", 1, 1, ok, ok))}, &rules.SigningFacts{Release: "2.0.0"}},
		{"unreached says nothing", []*ReleaseFacts{rel(0, "2.0.0", func() *OCIFacts {
			o := oci("img", 0, 0, nil, nil)
			o.Errors = []string{"registry unreachable"}
			return o
		}())}, &rules.SigningFacts{Release: "2.0.0"}},
		{"files", []*ReleaseFacts{{Index: 0, Version: "2.0.0", Files: []*FileFacts{{Signed: []*FileSignatures{
			{Name: "app.tar.gz", Signatures: []string{"app.tar.gz.sigstore.json"}, Signature: ok, Attestation: bad},
			{Name: "app.zip", Signatures: []string{"app.zip.sigstore.json"}, Signature: bad},
		}}}}}, &rules.SigningFacts{Release: "2.0.0",
			Signatures: []string{"app.zip: no signature verifies against key cosign.pub"}, Attestations: []string{"app.tar.gz: no attestation is present"}}},
		{"no releases", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := SigningFacts(&Report{Repos: []*RepoFacts{{Name: "tooo/app", Releases: tc.rels}}})["tooo/app"]
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
