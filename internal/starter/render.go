package starter

import (
	"bytes"
	"fmt"
	"strings"
)

// Render writes the drafted release-policy.yaml. Each value read from the
// repository carries "# from ..."; each guess "# TODO: ...".
func Render(f Facts) ([]byte, error) {
	var b bytes.Buffer
	line := func(indent int, text string, n Note) {
		b.WriteString(strings.Repeat("  ", indent))
		b.WriteString(text)
		b.WriteString(n.Comment())
		b.WriteByte('\n')
	}
	raw := func(s string) { b.WriteString(s) }
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	// identity drafts a GitHub Actions signer: the OIDC issuer and the
	// workflow's certificate subject, exact or as a regular expression.
	identity := func(id SignerSubject, n Note) {
		if id == (SignerSubject{}) {
			return
		}
		raw("    identity:\n")
		line(3, "issuer: https://token.actions.githubusercontent.com", Note{})
		if id.Regexp != "" {
			line(3, "subject_regexp: "+q(id.Regexp), n)
		} else {
			line(3, "subject: "+q(id.Subject), n)
		}
	}

	raw(`# yaml-language-server: $schema=https://tooo.github.io/relpolicy/schema/v1.json
#
# release-policy.yaml: the record the Official Artifact Build and Provenance
# Policy asks of every repository that publishes official artifacts.
# Drafted by relpolicy init: "# from" says where a value was read, "# TODO"
# marks a guess to check. Resolve every TODO, then run relpolicy lint;
# relpolicy explain RPxxx says what a rule wants.
version: 1

repository:
`)
	line(1, "name: "+f.Owner+"/"+f.Name, f.RepoNote)
	line(1, "url: https://github.com/"+f.Owner+"/"+f.Name, Note{})
	raw("  # description: Markdown shown on the public site.\n\n")

	raw("# Artifact types published. Types: oci-image, oci-artifact, os-image,\n# installer, firmware, airgap-bundle, package, archive, file.\nartifacts:\n")
	for _, a := range f.Artifacts {
		line(1, "- id: "+a.ID, Note{})
		line(2, "name: "+q(a.Name), Note{})
		line(2, "type: "+a.Type, a.Note)
		line(2, "identity: "+a.Identity, Note{})
		line(2, "channels: ["+a.Channel+"]", Note{})
		line(2, "build: "+f.Entrypoint.ID, Note{})
	}

	raw("\n# Official release channels: where official artifacts are published.\nchannels:\n")
	for _, c := range f.Channels {
		line(1, "- id: "+c.ID, Note{})
		line(2, "type: "+c.Type, c.Note)
		line(2, "location: "+q(c.Location), c.LocationNote)
	}

	e := f.Entrypoint
	raw("\nbuild:\n  # Public build entrypoints: what a third party runs to build a compatible artifact.\n  entrypoints:\n")
	line(2, "- id: "+e.ID, Note{})
	line(3, "command: "+q(e.Command), e.Note)
	line(3, "path: "+q(e.Path), e.PathNote)
	if e.Docs != "" {
		line(3, "docs: "+e.Docs, Note{})
	}
	raw("  compatible: |\n")
	raw("    Anyone can run `" + e.Command + "` on a checkout of a release tag to build a\n")
	raw("    compatible artifact. It is not an official artifact unless it is\n    published through one of the channels above.\n")

	raw("\nrelease:\n  # Trusted release contexts, in GitHub's filter-pattern syntax (as on.push.tags).\n  contexts:\n")
	for _, c := range f.Contexts {
		line(2, "- type: tag", Note{})
		line(3, "pattern: "+q(c.Pattern), c.Note)
		line(3, "protected: false", todo("protect these tags (rulesets), then set true"))
	}
	heavy := false
	for _, a := range f.Artifacts {
		switch a.Type {
		case "os-image", "installer", "firmware", "airgap-bundle":
			heavy = true
		}
	}
	orgBuilder := false
	for _, w := range f.Builders {
		orgBuilder = orgBuilder || w.Infrastructure == "organization-controlled"
	}
	raw("  # Privileged builders: workflows that publish, push or sign.\n")
	if heavy && !orgBuilder {
		line(1, "builders:", todo("heavy artifacts need an organization-controlled builder (relpolicy explain RP203)"))
	} else {
		raw("  builders:\n")
	}
	for _, w := range f.Builders {
		line(2, "- id: "+w.ID, w.TriggerNote)
		line(3, "kind: workflow", Note{})
		line(3, "ref: "+w.Ref, w.Note)
		line(3, "infrastructure: "+w.Infrastructure, w.InfraNote)
		line(3, fmt.Sprintf("isolated: %t", w.Isolated), w.IsolatedNote)
		line(3, fmt.Sprintf("runs_untrusted_code: %t", w.RunsUntrusted), w.UntrustedNote)
		line(3, "credentials: "+w.Credentials, w.CredNote)
	}
	if len(f.Builders) == 0 {
		line(2, "- id: release-workflow", Note{})
		line(3, "kind: workflow", Note{})
		line(3, "ref: .github/workflows/release.yml", todo("no workflow publishes; name what publishes (kind: procedure for a documented manual release)"))
		line(3, "infrastructure: third-party-hosted", todo("who runs the release machines"))
		line(3, "isolated: true", todo("true only if validation CI never runs there"))
		line(3, "runs_untrusted_code: false", Note{})
		line(3, "credentials: short-lived", todo("long-lived if it holds static keys or tokens"))
	}

	if heavy {
		raw("  # Heavy artifacts: the documented organization-controlled release path.\n  continuity:\n")
		line(2, "path: docs/release-continuity.md", todo("document the organization-controlled release path (relpolicy explain RP204)"))
		line(2, "revalidated: "+f.Today, todo("the date that path was last exercised"))
	}
	raw("\nprovenance:\n  # Fields users can inspect for every artifact (all five are required).\n  surfaced: [source, revision, version, created, digest]\n")
	if c := f.Checksums; c != nil {
		raw("  checksums:\n")
		line(2, "algorithm: "+algorithm(c.File), Note{})
		line(2, "file: "+q(c.File), c.Note)
	}
	raw("  signatures:\n")
	s := f.Signatures
	line(2, fmt.Sprintf("used: %t", s.Used), s.Note)
	if s.Used {
		line(2, "method: "+s.Method, Note{})
		identity(s.Identity, s.IDNote)
	}
	raw("  attestations:\n")
	a := f.Attestations
	line(2, fmt.Sprintf("used: %t", a.Used), a.Note)
	if a.Used {
		line(2, "types: ["+strings.Join(a.Types, ", ")+"]", Note{})
		identity(a.Identity, a.IDNote)
	}

	raw("\nreview:\n")
	line(1, "last: "+f.Today, Note{From: "today: the draft's date; review builder scope, then keep it current"})
	raw("  interval_days: 90\n\n# releases: add each official release here, newest first (relpolicy lint\n# --base main checks entries are never rewritten).\n")
	return b.Bytes(), nil
}

func algorithm(file string) string {
	if strings.Contains(strings.ToLower(file), "512") {
		return "sha512"
	}
	return "sha256"
}
