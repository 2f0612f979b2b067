package verify

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/rules"
)

// SigningFacts reads, for each repository of a report (keyed by the
// policy's repository.name, "owner/name"), whether the newest ledger
// release the report covers (the lowest ledger index) had signatures and
// attestations that verified: the facts `lint --verify` hands to RP401-RP403.
// A kind fails for an artifact on the same facts Evaluate turns into RP404:
// the policy wants it and none is present, or some are present and a
// Checker found none verifying against the declared signer. Artifacts the
// report could not reach (Errors) or whose digest is missing say nothing.
func SigningFacts(rep *Report) map[string]*rules.SigningFacts {
	out := map[string]*rules.SigningFacts{}
	for _, rf := range rep.Repos {
		var newest *ReleaseFacts
		for _, rel := range rf.Releases {
			if newest == nil || rel.Index < newest.Index {
				newest = rel
			}
		}
		if newest == nil {
			continue
		}
		sf := &rules.SigningFacts{Release: newest.Version}
		for _, o := range newest.OCI {
			if !o.Found || o.Attachments == nil || len(o.Errors) > 0 {
				continue
			}
			sf.Signatures = appendFailure(sf.Signatures, o.ID, o.WantSignatures, len(o.Attachments.Signatures), o.Signature, "signature")
			sf.Attestations = appendFailure(sf.Attestations, o.ID, o.WantAttestations, len(o.Attachments.Attestations), o.Attestation, "attestation")
		}
		for _, f := range newest.Files {
			if len(f.Errors) > 0 {
				continue
			}
			for _, fs := range f.Signed {
				sf.Signatures = appendFailure(sf.Signatures, fs.Name, fs.Signature != nil, len(fs.Signatures), fs.Signature, "signature")
				sf.Attestations = appendFailure(sf.Attestations, fs.Name, fs.Attestation != nil, len(fs.Attestations), fs.Attestation, "attestation")
			}
		}
		out[rf.Name] = sf
	}
	return out
}

// appendFailure adds why artifact id's signatures (attestations) failed,
// if they did: wanted and absent, or present with a verdict that is not
// verified.
func appendFailure(why []string, id string, wanted bool, present int, v *Verdict, noun string) []string {
	switch {
	case wanted && present == 0:
		return append(why, fmt.Sprintf("%s: no %s is present", id, noun))
	case present > 0 && v != nil && !v.Verified:
		return append(why, fmt.Sprintf("%s: no %s verifies against %s", id, noun, v.Expected))
	}
	return why
}
