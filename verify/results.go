package verify

import (
	"fmt"
	"strings"
	"time"
)

// Result is what one release's verification showed, in words for people
// (the site's release pages).
type Result struct {
	// VerifiedAt is when the report was made.
	VerifiedAt time.Time
	// Held are the checks that passed ("app-image: tag … still points at
	// this digest", "app-image: signature present").
	Held []string
	// Failed are the findings, "RULE: message".
	Failed []string
	// Unreached are checks that could not run (registry or API
	// unreachable).
	Unreached []string
	// Signed are the signatures and attestations that verified
	// cryptographically against the declared signer, and only those.
	Signed []Signed
}

// Signed is one verified signature or attestation, for people.
type Signed struct {
	// What is "app-image signed" or "app.tar.gz attested".
	What string
	// Identity is who made it ("<subject> (issuer <issuer>)", "key <path>").
	Identity string
	// Command checks it yourself (cosign verify, gh attestation verify).
	Command string
}

// Results turns a report into per-release results, keyed by the policy's
// repository name ("owner/name") and the release version.
func Results(rep *Report) map[string]map[string]*Result {
	out := map[string]map[string]*Result{}
	for _, rf := range rep.Repos {
		byVersion := out[rf.Name]
		if byVersion == nil {
			byVersion = map[string]*Result{}
			out[rf.Name] = byVersion
		}
		for _, rel := range rf.Releases {
			byVersion[rel.Version] = releaseResult(rep.VerifiedAt, rel)
		}
	}
	return out
}

func releaseResult(at time.Time, rel *ReleaseFacts) *Result {
	r := &Result{VerifiedAt: at}
	failed := map[string]bool{}
	for _, f := range rel.Findings {
		r.Failed = append(r.Failed, f.Rule+": "+f.Message)
		id, _, _ := strings.Cut(f.Message, " of release ")
		failed[id] = true
	}
	for _, o := range rel.OCI {
		if len(o.Errors) > 0 {
			r.Unreached = append(r.Unreached, o.ID+": "+strings.Join(o.Errors, "; "))
			continue
		}
		if o.Found {
			r.Held = append(r.Held, o.ID+": digest present in the registry")
		}
		if o.TagDigest != "" && o.TagDigest == o.Digest {
			r.Held = append(r.Held, fmt.Sprintf("%s: tag %s still points at this digest", o.ID, o.Reference))
		}
		if o.Manifest != nil {
			if _, missing := Labels(o.Manifest); len(missing) == 0 {
				r.Held = append(r.Held, o.ID+": provenance labels present (source, revision, version, created)")
			}
		}
		if a := o.Attachments; a != nil {
			ref := o.Reference
			if i := strings.LastIndexAny(ref, ":@"); i > strings.LastIndex(ref, "/") {
				ref = ref[:i]
			}
			ref += "@" + o.Digest
			if o.WantSignatures && len(a.Signatures) > 0 {
				r.held(o.ID, "signature", o.Signature, ref, false)
			}
			if o.WantAttestations && len(a.Attestations) > 0 {
				r.held(o.ID, "attestation", o.Attestation, ref, false)
			}
		}
	}
	for _, f := range rel.Files {
		if len(f.Errors) > 0 {
			r.Unreached = append(r.Unreached, f.ID+": "+strings.Join(f.Errors, "; "))
			continue
		}
		if failed[f.ID] || f.ReleaseMissing {
			continue
		}
		var held []string
		if f.Channel == "github-release" {
			held = append(held, "every file is a release asset")
		}
		if f.Sums != nil {
			held = append(held, f.ChecksumFile+" agrees with the ledger")
		}
		if len(f.Deep) > 0 {
			held = append(held, "downloaded files hash to the ledger's sums")
		}
		if len(held) == 0 {
			continue // a download channel without a checksum file or --deep: nothing was checked
		}
		what := strings.Join(held, "; ")
		r.Held = append(r.Held, f.ID+": "+what)
	}
	for _, f := range rel.Files {
		for _, fs := range f.Signed {
			if len(fs.Signatures) > 0 {
				r.held(fs.Name, "signature", fs.Signature, fs.Name, true)
			}
			if len(fs.Attestations) > 0 {
				r.held(fs.Name, "attestation", fs.Attestation, fs.Name, true)
			}
		}
	}
	return r
}

// held records a signature or attestation: "verified" with the identity
// and a command only when a Verdict says so, "present" when it was not
// checked, nothing when it failed (its RP404 is in Failed).
func (r *Result) held(id, noun string, v *Verdict, subject string, file bool) {
	switch {
	case v == nil:
		r.Held = append(r.Held, fmt.Sprintf("%s: %s present (not verified: the policy declares no signer to check it against)", id, noun))
	case v.Verified:
		verb := "signed"
		if noun == "attestation" {
			verb = "attested"
		}
		who := strings.Join(v.Identity, ", ")
		r.Held = append(r.Held, fmt.Sprintf("%s: %s by %s, verified", id, verb, who))
		r.Signed = append(r.Signed, Signed{What: id + " " + verb, Identity: who, Command: Command(v.Signer, subject, file, noun == "attestation")})
	}
}

// Command is the command a user runs to verify a signature (attestation)
// of subject ("registry/repo@sha256:…" or a file name) themselves.
func Command(s *Signer, subject string, file, attestation bool) string {
	if s == nil {
		return ""
	}
	var id string
	switch {
	case s.Key != "":
		id = "--key " + s.Key
	case s.SubjectRegexp != "":
		id = fmt.Sprintf("--certificate-identity-regexp '^(?:%s)$' --certificate-oidc-issuer %s", s.SubjectRegexp, s.Issuer)
	default:
		id = fmt.Sprintf("--certificate-identity %s --certificate-oidc-issuer %s", s.Subject, s.Issuer)
	}
	if attestation && s.Key == "" && strings.HasPrefix(s.Subject+s.SubjectRegexp, "https://github") {
		// GitHub artifact attestations: gh checks the signer workflow's
		// repository; --signer-workflow narrows it further.
		owner := ghOwnerRepo(s.Subject + s.SubjectRegexp)
		if file {
			return fmt.Sprintf("gh attestation verify %s --repo %s", subject, owner)
		}
		return fmt.Sprintf("gh attestation verify oci://%s --repo %s", subject, owner)
	}
	switch {
	case file && attestation:
		return fmt.Sprintf("cosign verify-blob-attestation --bundle %s.sigstore.json %s %s", subject, id, subject)
	case file:
		return fmt.Sprintf("cosign verify-blob --bundle %s.sigstore.json %s %s", subject, id, subject)
	case attestation:
		return fmt.Sprintf("cosign verify-attestation %s %s", id, subject)
	}
	return fmt.Sprintf("cosign verify %s %s", id, subject)
}

// ghOwnerRepo takes OWNER/REPO from a GitHub workflow identity or a
// regular expression of one (unescaping "\.").
func ghOwnerRepo(s string) string {
	s = strings.ReplaceAll(s, `\.`, ".")
	s = strings.ReplaceAll(s, `\`, "")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "^"), "https://github.com/")
	parts := strings.SplitN(s, "/", 3)
	if len(parts) < 2 {
		return "OWNER/REPO"
	}
	return parts[0] + "/" + parts[1]
}
