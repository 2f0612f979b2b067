package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/tooo/relpolicy/schema"
)

// predicateTypes are the in-toto predicate types each attestations.types
// value accepts when the policy gives no predicate_types.
var predicateTypes = map[string][]string{
	"slsa-provenance": {"https://slsa.dev/provenance/v1", "https://slsa.dev/provenance/v0.2"},
	"sbom":            {"https://spdx.dev/Document", "https://spdx.dev/Document/v2.3", "https://cyclonedx.org/bom", "https://cyclonedx.org/bom/v1.4", "https://cyclonedx.org/bom/v1.5", "https://cyclonedx.org/bom/v1.6"},
	"vex":             {"https://openvex.dev/ns", "https://openvex.dev/ns/v0.2.0"},
}

// Signers returns who the policy says must have made signatures and
// attestations (nil when the policy does not use them), reading declared
// keys through readKey (a repository-relative path → PEM).
func Signers(p *schema.Policy, readKey func(path string) ([]byte, error)) (sig, att *Signer, err error) {
	mk := func(field string, key schema.RepoPath, id *schema.SignerIdentity) (*Signer, error) {
		s := &Signer{Key: string(key)}
		if id != nil {
			s.Issuer, s.Subject, s.SubjectRegexp = id.Issuer, id.Subject, id.SubjectRegexp
		}
		if key != "" {
			b, err := readKey(string(key))
			if err != nil {
				return nil, fmt.Errorf("reading provenance.%s.key %s: %w", field, key, err)
			}
			s.KeyPEM = b
		}
		return s, nil
	}
	pv := p.Provenance
	if pv.Signatures.Used {
		if sig, err = mk("signatures", pv.Signatures.Key, pv.Signatures.Identity); err != nil {
			return nil, nil, err
		}
	}
	if pv.Attestations.Used {
		if att, err = mk("attestations", pv.Attestations.Key, pv.Attestations.Identity); err != nil {
			return nil, nil, err
		}
		att.PredicateTypes = pv.Attestations.PredicateTypes
		if len(att.PredicateTypes) == 0 {
			for _, t := range pv.Attestations.Types {
				pts, known := predicateTypes[t]
				if !known {
					// A type relpolicy does not know: accept any predicate.
					att.PredicateTypes = nil
					break
				}
				att.PredicateTypes = append(att.PredicateTypes, pts...)
			}
		}
	}
	return sig, att, nil
}

// Verdict sums up the checks of one kind for one artifact.
type Verdict struct {
	// Verified is true only when at least one signature (attestation)
	// verified against the declared signer.
	Verified bool `json:"verified"`
	// Identity lists the verified signers.
	Identity []string `json:"identity,omitempty"`
	// Expected is the declared signer.
	Expected string `json:"expected"`
	// Signer is the declared signer in full (for the commands users run).
	Signer *Signer `json:"signer,omitempty"`
	// Checks are every check made.
	Checks []SigCheck `json:"checks,omitempty"`
}

func verdict(checks []SigCheck, want *Signer, attestation bool) *Verdict {
	v := &Verdict{Expected: want.String(), Signer: want, Identity: verifiedBy(checks, attestation)}
	v.Verified = len(v.Identity) > 0
	for _, c := range checks {
		if c.Attestation == attestation {
			v.Checks = append(v.Checks, c)
		}
	}
	return v
}

// check verifies material with the collector's Checker against the
// declared signer of its kind; it returns false when there is nothing to
// check against.
func (c *collector) check(ctx context.Context, m Material, digest string, errs *[]string) (SigCheck, bool) {
	want := c.opts.SignatureSigner
	if m.Attestation {
		want = c.opts.AttestationSigner
	}
	if c.src.Checker == nil || !want.Declared() {
		return SigCheck{}, false
	}
	ch, err := c.src.Checker.Check(ctx, m, digest, want, m.Attestation)
	if err != nil {
		*errs = append(*errs, fmt.Sprintf("verifying %s of %s: %v", m.Where, digest, err))
		return SigCheck{}, false
	}
	return ch, true
}

// verdicts checks every material of one artifact and records the
// verdicts; checked says whether any declared signer applied.
func (c *collector) verdicts(ctx context.Context, mats []Material, digest string, errs *[]string) (sig, att *Verdict) {
	var checks []SigCheck
	for _, m := range mats {
		if ch, ok := c.check(ctx, m, digest, errs); ok {
			checks = append(checks, ch)
		}
	}
	if c.src.Checker == nil {
		return nil, nil
	}
	if s := c.opts.SignatureSigner; s.Declared() {
		sig = verdict(checks, s, false)
	}
	if a := c.opts.AttestationSigner; a.Declared() {
		att = verdict(checks, a, true)
	}
	return sig, att
}

// githubRepo returns owner and name when the policy's repository is on
// github.com (its artifact attestations live there).
func githubRepo(p *schema.Policy) (string, string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(string(p.Repository.URL), "/"), "https://github.com/")
	owner, repo, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return "", "", false
	}
	return owner, strings.TrimSuffix(repo, ".git"), true
}

// ghAttestations reads GitHub's artifact attestations of digest as
// material; errors go to errs.
func (c *collector) ghAttestations(ctx context.Context, digest string, errs *[]string) []Material {
	if c.src.Attestations == nil || c.opts.AttestationSigner == nil || c.src.Checker == nil {
		return nil
	}
	owner, repo, ok := githubRepo(c.p)
	if !ok {
		return nil
	}
	bundles, err := c.src.Attestations.Attestations(ctx, owner, repo, digest)
	if err != nil {
		*errs = append(*errs, err.Error())
		return nil
	}
	var out []Material
	for i, b := range bundles {
		out = append(out, Material{Kind: MaterialBundle, Where: fmt.Sprintf("GitHub attestation %d of %s/%s", i+1, owner, repo), Data: b, Attestation: true})
	}
	return out
}
