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
			if o.WantSignatures && len(a.Signatures) > 0 {
				r.Held = append(r.Held, o.ID+": signature present")
			}
			if o.WantAttestations && len(a.Attestations) > 0 {
				r.Held = append(r.Held, o.ID+": attestation present")
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
	return r
}
