package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp407 = &Rule{
	ID: "RP407", Severity: finding.Warning, Phase: Verify,
	Title:  "OCI image lacks provenance labels (verify)",
	Clause: clauseProvenance,
	Quote:  "For OCI artifacts, the canonical identity SHOULD be the digest, and metadata SHOULD include: org.opencontainers.image.source; org.opencontainers.image.revision; org.opencontainers.image.version; org.opencontainers.image.created.",
	Doc: `Reported by ` + "`relpolicy verify`" + `: the published image config lacks one of the
` + "`org.opencontainers.image.{source,revision,version,created}`" + ` labels or annotations
(on the index, on every platform's manifest, or in each config). Labels that
disagree with the ledger are RP408.`,
	Example: "LABEL org.opencontainers.image.revision=$GIT_SHA   # missing from the image",
}
