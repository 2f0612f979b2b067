package rules

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
