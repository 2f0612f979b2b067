package verify

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/policy"
	"github.com/tooo/relpolicy/lint/rules"
)

// Evaluate turns one repository's facts into RP404-RP408 findings, each
// positioned at the ledger entry of doc it concerns (the digest, reference,
// tag or file name). It reads no network and no clock; checks whose facts
// carry Errors yield no findings (they are reported as errors instead).
func Evaluate(doc *policy.Document, rf *RepoFacts) []finding.Finding {
	e := &evaluator{doc: doc, repo: rf.Repo}
	p := doc.Policy
	for _, rel := range rf.Releases {
		if rel.Index < 0 || rel.Index >= len(p.Releases) {
			continue
		}
		for _, o := range rel.OCI {
			e.oci(rel, o)
		}
		for _, f := range rel.Files {
			e.files(rel, f)
		}
	}
	return e.out
}

type evaluator struct {
	doc  *policy.Document
	repo string
	out  []finding.Finding
}

func (e *evaluator) report(id, ptr, msg, hint string) {
	r := rules.ByID(id)
	line, col := e.doc.Pos(ptr)
	e.out = append(e.out, finding.Finding{Repo: e.repo, Rule: r.ID, Severity: r.Severity,
		Path: e.doc.Path, Line: line, Column: col, Message: msg, Hint: hint})
}

func artPtr(rel *ReleaseFacts, j int, rest ...string) string {
	p := fmt.Sprintf("/releases/%d/artifacts/%d", rel.Index, j)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

func (e *evaluator) oci(rel *ReleaseFacts, o *OCIFacts) {
	if len(o.Errors) > 0 {
		return
	}
	digestAt, refAt := artPtr(rel, o.Artifact, "digest"), artPtr(rel, o.Artifact, "reference")
	repo := o.Reference
	if i := strings.LastIndexAny(repo, ":@"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	if !o.Found {
		e.report("RP405", digestAt,
			fmt.Sprintf("%s of release %s: digest %s is not in %s", o.ID, rel.Version, o.Digest, repo),
			"push the release again by digest, or correct the ledger if the recorded digest is wrong")
	}
	switch {
	case o.TagMissing:
		e.report("RP405", refAt,
			fmt.Sprintf("%s of release %s: tag %s no longer exists (the ledger records %s)", o.ID, rel.Version, o.Reference, o.Digest),
			"restore the tag to the recorded digest; users following the tag get nothing")
	case o.TagDigest != "" && o.TagDigest != o.Digest:
		e.report("RP405", refAt,
			fmt.Sprintf("%s of release %s: tag %s now points at %s, not the recorded %s", o.ID, rel.Version, o.Reference, o.TagDigest, o.Digest),
			"move the tag back to the recorded digest, or publish the rebuild as a new ledger release")
	}
	if o.Found && o.Manifest != nil {
		e.labels(rel, o, digestAt)
	}
	if o.Found && o.Attachments != nil {
		searched := strings.Join(o.Attachments.Searched, ", ")
		if o.WantSignatures && len(o.Attachments.Signatures) == 0 {
			e.report("RP404", digestAt,
				fmt.Sprintf("%s of release %s: the policy says signatures are used, but no signature is present for %s (searched %s)", o.ID, rel.Version, o.Digest, searched),
				"sign this exact digest (a signature on another digest or on one platform of an index does not count), or set provenance.signatures.used to false")
		}
		if o.WantAttestations && len(o.Attachments.Attestations) == 0 {
			e.report("RP404", digestAt,
				fmt.Sprintf("%s of release %s: the policy says attestations are used, but no attestation is present for %s (searched %s)", o.ID, rel.Version, o.Digest, searched),
				"attach the attestation to this exact digest, or set provenance.attestations.used to false")
		}
	}
	if o.Found && o.Attachments != nil {
		what := fmt.Sprintf("%s of release %s", o.ID, rel.Version)
		if len(o.Attachments.Signatures) > 0 {
			e.unverified(digestAt, what, o.Digest, o.Signature, false)
		}
		if len(o.Attachments.Attestations) > 0 {
			e.unverified(digestAt, what, o.Digest, o.Attestation, true)
		}
	}
}

// labelValue is one provenance value and where it was read.
type labelValue struct{ where, value string }

// Labels returns, for each of LabelKeys, the values an image shows and
// where each was read: the index's (or image manifest's) annotation when
// present, else each platform manifest's annotation or config label. A key
// absent from the result, or absent for some platform, is missing.
func Labels(m *Manifest) (values map[string][]labelValue, missing []string) {
	values = map[string][]labelValue{}
	for _, k := range LabelKeys {
		if v, ok := m.Annotations[k]; ok && v != "" {
			values[k] = []labelValue{{"annotation", v}}
			continue
		}
		if !m.Index {
			if v, ok := m.Labels[k]; ok && v != "" {
				values[k] = []labelValue{{"config label", v}}
			} else {
				missing = append(missing, k)
			}
			continue
		}
		all := len(m.Platforms) > 0
		var vs []labelValue
		for _, c := range m.Platforms {
			where := "platform " + c.Platform
			if v := c.Annotations[k]; v != "" {
				vs = append(vs, labelValue{where + " annotation", v})
			} else if v := c.Labels[k]; v != "" {
				vs = append(vs, labelValue{where + " config label", v})
			} else {
				all = false
			}
		}
		if !all {
			missing = append(missing, k)
		}
		values[k] = vs
	}
	return values, missing
}

func (e *evaluator) labels(rel *ReleaseFacts, o *OCIFacts, at string) {
	values, missing := Labels(o.Manifest)
	if len(missing) > 0 {
		short := make([]string, len(missing))
		for i, k := range missing {
			short[i] = strings.TrimPrefix(k, "org.opencontainers.image.")
		}
		e.report("RP407", at,
			fmt.Sprintf("%s of release %s: %s lacks org.opencontainers.image.{%s}", o.ID, rel.Version, o.Digest, strings.Join(short, ",")),
			"set the annotations on the manifest or index, or the labels in the image config, when building")
	}
	p := e.doc.Policy
	le := p.Releases[rel.Index]
	checks := []struct {
		key, want string
		agree     func(got, want string) bool
	}{
		{KeySource, string(p.Repository.URL), sameSource},
		{KeyRevision, le.Revision, sameRevision},
		{KeyVersion, string(le.Version), sameVersion},
	}
	for _, ch := range checks {
		for _, v := range values[ch.key] {
			if ch.agree(v.value, ch.want) {
				continue
			}
			e.report("RP408", at,
				fmt.Sprintf("%s of release %s: %s %s is %q but the ledger says %q", o.ID, rel.Version, v.where, ch.key, v.value, ch.want),
				"the image says it came from elsewhere: check which build was published, and correct the ledger or republish the right image")
		}
	}
}

// sameSource compares repository URLs ignoring scheme case, a "git+"
// prefix, a trailing ".git" or slash.
func sameSource(got, want string) bool {
	norm := func(s string) string {
		s = strings.TrimPrefix(strings.TrimSpace(s), "git+")
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		return strings.ToLower(u.Host) + strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), ".git")
	}
	return norm(got) == norm(want)
}

// sameRevision accepts the full SHA or an abbreviation of at least 7 hex
// digits of it.
func sameRevision(got, want string) bool {
	got, want = strings.ToLower(strings.TrimSpace(got)), strings.ToLower(want)
	return got == want || len(got) >= 7 && strings.HasPrefix(want, got)
}

// sameVersion accepts a leading "v" on either side.
func sameVersion(got, want string) bool {
	return strings.TrimPrefix(strings.TrimSpace(got), "v") == strings.TrimPrefix(want, "v")
}

func (e *evaluator) files(rel *ReleaseFacts, f *FileFacts) {
	if len(f.Errors) > 0 {
		return
	}
	p := e.doc.Policy
	if f.Artifact < 0 || f.Artifact >= len(p.Releases[rel.Index].Artifacts) {
		return // facts of another policy
	}
	ra := p.Releases[rel.Index].Artifacts[f.Artifact]
	if f.ReleaseMissing {
		at := fmt.Sprintf("/releases/%d/tag", rel.Index)
		if rel.Tag == "" {
			at = fmt.Sprintf("/releases/%d/version", rel.Index)
		}
		e.report("RP406", at,
			fmt.Sprintf("%s of release %s: %s does not exist", f.ID, rel.Version, f.Where),
			"publish the release for this tag with its files and checksum file, or correct the ledger")
		return
	}
	idAt := artPtr(rel, f.Artifact, "id")
	if f.ChecksumMissing {
		e.report("RP406", idAt,
			fmt.Sprintf("%s of release %s: checksum file %s is not published at %s", f.ID, rel.Version, f.ChecksumFile, f.Where),
			"upload the checksum file named by provenance.checksums.file with every release")
	}
	if f.ChecksumProblem != "" {
		e.report("RP406", idAt,
			fmt.Sprintf("%s of release %s: checksum file %s cannot be read: %s", f.ID, rel.Version, f.ChecksumFile, f.ChecksumProblem),
			"publish the checksum file in sha256sum/sha512sum format")
	}
	assets := map[string]Asset{}
	for _, a := range f.Assets {
		assets[a.Name] = a
	}
	alg := "sha256"
	if cs := p.Provenance.Checksums; cs != nil {
		alg = cs.Algorithm
	}
	for _, fs := range f.Signed {
		for k, file := range ra.Files {
			if string(file.Name) == fs.Name {
				e.fileSigs(rel, f, k, fs)
				break
			}
		}
	}
	for k, file := range ra.Files {
		fname := string(file.Name)
		nameAt := artPtr(rel, f.Artifact, "files", fmt.Sprint(k), "name")
		sumAt := func(a string) string { return artPtr(rel, f.Artifact, "files", fmt.Sprint(k), a) }
		ledger := map[string]string{"sha256": strings.ToLower(string(file.SHA256)), "sha512": strings.ToLower(file.SHA512)}
		if f.Channel == "github-release" {
			a, ok := assets[fname]
			if !ok {
				e.report("RP406", nameAt,
					fmt.Sprintf("%s of release %s: file %s is not an asset of %s", f.ID, rel.Version, fname, f.Where),
					"upload the file to the release, or correct the ledger")
				continue
			}
			if got, ok := strings.CutPrefix(a.Digest, "sha256:"); ok && ledger["sha256"] != "" && got != ledger["sha256"] {
				e.report("RP406", sumAt("sha256"),
					fmt.Sprintf("%s of release %s: asset %s has sha256 %s but the ledger says %s", f.ID, rel.Version, fname, got, ledger["sha256"]),
					"the published file is not the recorded one: find out which build was uploaded")
			}
		}
		if f.Sums != nil {
			got, listed := f.Sums[fname]
			switch {
			case !listed:
				e.report("RP406", nameAt,
					fmt.Sprintf("%s of release %s: file %s is not listed in %s", f.ID, rel.Version, fname, f.ChecksumFile),
					"list every published file in the checksum file")
			case ledger[alg] != "" && got != ledger[alg]:
				e.report("RP406", sumAt(alg),
					fmt.Sprintf("%s of release %s: %s gives %s %s for %s but the ledger says %s", f.ID, rel.Version, f.ChecksumFile, alg, got, fname, ledger[alg]),
					"the checksum file and the ledger disagree: find out which build was published")
			}
		}
		if got, ok := f.Deep[fname]; ok {
			a, sum, _ := strings.Cut(got, ":")
			switch {
			case got == "missing":
				e.report("RP406", nameAt,
					fmt.Sprintf("%s of release %s: downloading %s found nothing", f.ID, rel.Version, fname),
					"publish the file at its recorded URL")
			case ledger[a] != "" && sum != ledger[a]:
				e.report("RP406", sumAt(a),
					fmt.Sprintf("%s of release %s: downloaded %s has %s %s but the ledger says %s", f.ID, rel.Version, fname, a, sum, ledger[a]),
					"the published file is not the recorded one: find out which build was uploaded")
			}
		}
	}
}

// Errors lists, sorted, every failure to reach a registry, API or host
// recorded in the facts.
func Errors(rfs []*RepoFacts) []string {
	var out []string
	for _, rf := range rfs {
		for _, rel := range rf.Releases {
			for _, o := range rel.OCI {
				out = append(out, o.Errors...)
			}
			for _, f := range rel.Files {
				out = append(out, f.Errors...)
			}
		}
	}
	sort.Strings(out)
	return slicesCompact(out)
}

func slicesCompact(s []string) []string {
	if len(s) == 0 {
		return s
	}
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// unverified reports RP404 when signatures (attestations) are present for
// digest but none verified against the declared signer: the message says
// which way they failed, naming the identity found and the one expected.
func (e *evaluator) unverified(at, what, digest string, v *Verdict, attestation bool) {
	if v == nil || v.Verified {
		return
	}
	noun, fix := "signature", "sign this exact digest from the declared release workflow (or with the declared key)"
	if attestation {
		noun, fix = "attestation", "attest this exact digest from the declared release workflow with an expected predicate type"
	}
	problem, detail := describe(v.Checks, attestation)
	var msg string
	switch problem {
	case ProblemIdentity:
		msg = fmt.Sprintf("%s: the %s of %s verifies but was made by another signer than the policy declares (%s): %s", what, noun, digest, v.Expected, detail)
		fix = "find out who signed it; if the release workflow moved, update provenance." + noun + "s.identity, else treat the artifact as not official"
	case ProblemPredicate:
		msg = fmt.Sprintf("%s: the %s of %s is of another predicate type than the policy expects: %s", what, noun, digest, detail)
		fix = "publish the attestation types listed in provenance.attestations.types, or correct predicate_types"
	case ProblemDigest:
		msg = fmt.Sprintf("%s: the %s found does not cover %s: %s", what, noun, digest, detail)
	case "":
		msg = fmt.Sprintf("%s: %ss are listed for %s but none could be read to verify against %s", what, noun, digest, v.Expected)
	default:
		msg = fmt.Sprintf("%s: a %s is present for %s but does not verify (expected %s): %s", what, noun, digest, v.Expected, detail)
		fix = "re-sign this exact digest; check the trusted root (--trusted-root) and that the certificate was logged while valid"
	}
	e.report("RP404", at, msg, fix)
}

// fileSigs reports RP404 for one file's signature checks.
func (e *evaluator) fileSigs(rel *ReleaseFacts, f *FileFacts, k int, fs *FileSignatures) {
	at := artPtr(rel, f.Artifact, "files", fmt.Sprint(k), "sha256")
	what := fmt.Sprintf("%s of release %s: file %s", f.ID, rel.Version, fs.Name)
	if fs.Signature != nil && len(fs.Signatures) == 0 {
		e.report("RP404", at,
			fmt.Sprintf("%s: the policy says signatures are used, but no Sigstore bundle is published for it (searched assets %s*)", what, fs.Name),
			"publish "+fs.Name+".sigstore.json (cosign sign-blob --bundle) with the release")
	} else if len(fs.Signatures) > 0 {
		e.unverified(at, what, fs.Digest, fs.Signature, false)
	}
	if fs.Attestation != nil && len(fs.Attestations) == 0 {
		e.report("RP404", at,
			fmt.Sprintf("%s: the policy says attestations are used, but no attestation is published for %s (searched release assets and the GitHub attestations API)", what, fs.Digest),
			"attest the file from the release workflow (actions/attest-build-provenance), or set provenance.attestations.used to false")
	} else if len(fs.Attestations) > 0 {
		e.unverified(at, what, fs.Digest, fs.Attestation, true)
	}
}
