package rules

import (
	"testing"

	"github.com/tooo/relpolicy/lint/surface"
)

func TestClaims(t *testing.T) {
	cases := []struct {
		kind  claimKind
		text  string
		claim bool
	}{
		{signClaims, "All release images are signed with cosign.", true},
		{signClaims, "Each image carries a Sigstore signature.", true},
		{signClaims, "## Signed releases", true},
		{signClaims, "Images are not signed yet.", false},
		{signClaims, "Release artifacts are unsigned; check the digest instead.", false},
		{signClaims, "We plan to sign images with cosign in 2027.", false},
		{signClaims, "Signatures are not used for this project.", false},
		{signClaims, "All commits are signed and carry a DCO sign-off.", false},
		{signClaims, "Once signing is enabled, images will be signed.", false},
		{signClaims, "Artifacts aren't signed.", false},
		{signClaims, "Use `cosign verify` with the signed image", true},
		{signClaims, "Check the image:\n\n```\ncosign verify --signed ghcr.io/tooo/app\n```", false},
		{attestClaims, "Every release ships SLSA provenance attestations.", true},
		{attestClaims, "Images are attested with in-toto statements.", true},
		{attestClaims, "Attestations are planned for 2027.", false},
		{attestClaims, "Signing and attestation status is stated truthfully on every page.", false},
		{attestClaims, "We do not publish SBOM attestations.", false},
		{verifyClaims, "Our builds are verified and tamper-proof.", true},
		{verifyClaims, "Every artifact has verified provenance.", true},
		{verifyClaims, "Downloads can be verified with sha256sum -c SHA256SUMS.", false},
		{verifyClaims, "The digest is verified by the registry on pull.", false},
		{verifyClaims, "Builds are not verified: we do not sign them.", false},
		{verifyClaims, "Your email address must be verified.", false},
		{signClaims, "No artifact may be described as “signed,” unless that claim is true.", false},
		{signClaims, "Public text calls artifacts signed, or speaks of their signatures.", false},
		{signClaims, "> All images are signed, the old README said.", false},
		{signClaims, "Images are \"signed\" in name only.", false},
		{verifyClaims, "Official images come with verified provenance, so you can trust them without rebuilding.", true},
		{signClaims, "We plan to publish signed images and SBOMs next year.", false},
		{signClaims, "Images are signed with cosign and you can check them without any account.", true},
	}
	for _, c := range cases {
		p := prose(c.text, surface.Markdown)
		got := findClaims(p, asciiLower(p), c.kind)
		if (len(got) > 0) != c.claim {
			t.Errorf("%q: claims %v, want claim=%v", c.text, got, c.claim)
		}
	}
}

func TestProseBlanksCode(t *testing.T) {
	in := "Text\n```\nimages are signed\n```\nand `signed` <!-- signed --> [x](https://signed.example)"
	out := prose(in, surface.Markdown)
	if len(out) != len(in) {
		t.Fatalf("length changed: %d -> %d", len(in), len(out))
	}
	if got := findClaims(out, asciiLower(out), signClaims); len(got) != 0 {
		t.Errorf("claims inside code, comments or link targets: %v", got)
	}
}
