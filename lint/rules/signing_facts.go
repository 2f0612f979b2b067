package rules

import (
	"fmt"
	"strings"
)

// SigningFacts are what a verify report (relpolicy verify --format json)
// showed for a repository's newest ledger release: facts handed to the
// claim rules by `lint --verify`, so that RP401-RP403 also fire when the
// policy says signatures (attestations) are used but the published ones did
// not verify. The rules stay pure: they read these facts, never a report.
type SigningFacts struct {
	// Release is the newest ledger release's version the report covers.
	Release string
	// Signatures say why its signatures did not verify, one entry per
	// artifact ("app-image: no signature is present", "app.tar.gz: a
	// signature is present but does not verify against key cosign.pub");
	// empty when every checked signature verified.
	Signatures []string
	// Attestations likewise for attestations.
	Attestations []string
}

// signingFailed reports whether the newest release's signatures
// (attestations) failed verification, and a message clause saying so.
func (c *Context) signingFailed(attestations bool) (string, bool) {
	if c.Signing == nil {
		return "", false
	}
	why, noun := c.Signing.Signatures, "signature"
	if attestations {
		why, noun = c.Signing.Attestations, "attestation"
	}
	if len(why) == 0 {
		return "", false
	}
	return fmt.Sprintf("%s verification failed for release %s (%s)", noun, c.Signing.Release, strings.Join(why, "; ")), true
}
