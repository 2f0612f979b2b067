package rules

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

// GitHubActionsIssuer is the OIDC issuer of GitHub Actions tokens.
const GitHubActionsIssuer = "https://token.actions.githubusercontent.com"

var rp222 = &Rule{
	ID: "RP222", Severity: finding.Error, Phase: Lint,
	Title:  "keyless signer is not a release builder in a trusted release context",
	Clause: clausePrivileged, Quote: quoteAttributable,
	Doc: `A keyless ` + "`identity`" + ` of ` + "`provenance.signatures`" + ` or ` + "`provenance.attestations`" + ` names
a GitHub Actions workflow (subject ` + "`https://github.com/OWNER/REPO/.github/workflows/FILE@REF`" + `)
that is not one of ` + "`release.builders`" + `, or a ` + "`REF`" + ` that no ` + "`release.contexts`" + ` entry
trusts (a branch where only tags are trusted), or a subject that is not a GitHub
workflow at all under the GitHub Actions issuer, or a ` + "`subject_regexp`" + ` that does not
compile. A signature made there would then "verify" while coming from
outside the declared release path.`,
	Example: "release:\n  contexts: [{type: tag, pattern: \"v*\", protected: true}]\n  builders: [{id: release, kind: workflow, ref: .github/workflows/release.yml, ...}]\nprovenance:\n  signatures:\n    identity:\n      issuer: https://token.actions.githubusercontent.com\n      subject: https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main",
	Check: func(c *Context) {
		pv := c.Doc.Policy.Provenance
		for _, x := range []struct {
			field string
			id    *schema.SignerIdentity
		}{{"signatures", pv.Signatures.Identity}, {"attestations", pv.Attestations.Identity}} {
			if x.id == nil {
				continue
			}
			if x.id.SubjectRegexp != "" {
				if _, err := regexp.Compile(x.id.SubjectRegexp); err != nil {
					c.At(ptr("provenance", x.field, "identity", "subject_regexp"), fmt.Sprintf("subject_regexp does not compile: %v", err),
						"write a Go regular expression (RE2 syntax)")
				}
			}
			if x.id.Subject == "" || x.id.Issuer != GitHubActionsIssuer {
				continue
			}
			if msg := signerProblem(c.Doc.Policy, x.id.Subject); msg != "" {
				c.At(ptr("provenance", x.field, "identity", "subject"), msg,
					"name the release workflow of release.builders at a ref release.contexts trusts, e.g. https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/tags/v1.2.3, or use subject_regexp for every release tag")
			}
		}
	},
}

// signerProblem says what is wrong with a GitHub Actions certificate
// subject against the policy's builders and contexts; "" when nothing is.
func signerProblem(p *schema.Policy, subject string) string {
	rest, ok := strings.CutPrefix(subject, "https://github.com/")
	wf, ref, hasRef := strings.Cut(rest, "@")
	parts := strings.SplitN(wf, "/", 3)
	if !ok || !hasRef || len(parts) < 3 || !strings.HasPrefix(parts[2], ".github/workflows/") {
		return fmt.Sprintf("subject %q is not a GitHub Actions workflow identity (https://github.com/OWNER/REPO/.github/workflows/FILE@REF)", subject)
	}
	repo, file := parts[0]+"/"+parts[1], parts[2]
	builder := false
	for _, b := range p.Release.Builders {
		r := strings.TrimPrefix(b.Ref, "./")
		r, _, _ = strings.Cut(r, "@")
		if b.Kind == "workflow" && (r == file && strings.EqualFold(repo, string(p.Repository.Name)) || strings.EqualFold(r, repo+"/"+file)) {
			builder = true
		}
	}
	if !builder {
		return fmt.Sprintf("subject names workflow %s of %s, which is not one of release.builders", file, repo)
	}
	if !refTrusted(p.Release.Contexts, ref) {
		return fmt.Sprintf("subject names ref %s, which no trusted release context allows", ref)
	}
	return ""
}

// refTrusted matches a full ref (refs/tags/v1, refs/heads/main) against
// the contexts.
func refTrusted(ctxs []schema.Context, ref string) bool {
	for _, x := range ctxs {
		var name string
		switch {
		case x.Type == "ref":
			name = ref
		case x.Type == "tag" && strings.HasPrefix(ref, "refs/tags/"):
			name = strings.TrimPrefix(ref, "refs/tags/")
		case x.Type == "branch" && strings.HasPrefix(ref, "refs/heads/"):
			name = strings.TrimPrefix(ref, "refs/heads/")
		default:
			continue
		}
		if ok, _ := path.Match(x.Pattern, name); ok {
			return true
		}
	}
	return false
}
