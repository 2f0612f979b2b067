package rules

import "strings"

// Policy clauses quoted by the rules' documentation, verbatim from the
// Official Artifact Build and Provenance Policy.
const (
	clauseAudit = "Audit and traceability"
	quoteAudit  = "Each repository producing official artifacts MUST maintain a minimal record (in-repo or centrally) of: artifact types produced; public build entrypoint(s); official release channel(s); trusted release contexts; privileged builders, workflows, or release identities; provenance metadata fields surfaced to users; whether signatures or attestations are currently used."

	clauseSource = "Required controls / Source and build controls"

	clausePrivileged = "Required controls / Privileged builder controls"

	clauseProvenance = "Required controls / Provenance and traceability controls"
	quoteTraceable   = "Every official artifact MUST be traceable to: the source repository; the source revision or commit SHA; the version, tag, or release identifier (if any); the build or publication timestamp; the artifact digest, checksum, or equivalent stable reference."

	clauseContinuity = "Required controls / Heavy-artifact continuity controls"

	clauseRule = "The rule"
	quoteRule8 = "8. No artifact may be described as “signed,” “verified,” or “attested” unless that claim is true for the artifact actually published."

	clauseDisclosure = "Required controls / Public disclosure controls"
	quoteDisclosure  = "Public docs, public repos, and public artifacts MUST NOT publish: internal hostnames, IP addresses, or runner registration details; credential material or secret storage mechanics; internal network topology; exact private cache/mirror topology; break-glass procedures; sensitive capacity or planning details that do not help users build or verify artifacts."

	clauseExceptions = "Exceptions"
)

// docScanned is the disclosure rules' (RP501-RP505) paragraph on what they
// read, one text for all five.
const docScanned = `Scanned: release-policy.yaml, README*, SECURITY*, root Markdown, the
documentation roots docs/, doc/, Documentation/, website/, www/ and site/,
.github/workflows/*, and the policy's ` + "`lint.public_text`" + ` globs less
` + "`lint.exclude`" + `; files over 2 MiB are read in pieces. Paths matching the private
config's ` + "`allow`" + ` globs are exempt, and so are reviewed areas listed in
` + "`lint.ignore`" + ` (counted in the output).`

// docWeighed is the paragraph of the weighed disclosure rules (RP502,
// RP503, RP505) on their confidence, with the rule's suppression marker.
func docWeighed(id string) string {
	return strings.ReplaceAll(`Confidence: a configured internal domain is high everywhere. Otherwise the
finding weighs where the value stands (the policy, release workflows,
SECURITY* and release or security docs: high; other workflows: medium; user
docs, READMEs and tutorials: low, medium where the prose speaks of the
organisation's builders or releases) and what surrounds it (example wording,
well-known defaults such as Kubernetes' service CIDR or host.docker.internal,
placeholder hosts: low). `+"`lint --min-confidence`"+` (default medium) hides
less confident findings. Suppress a reviewed false positive with
`+"`# relpolicy:ignore {ID} -- reason`"+` (YAML) or
`+"`<!-- relpolicy:ignore {ID} -- reason -->`"+` (Markdown).`, "{ID}", id)
}
