package rules

import "github.com/tooo/relpolicy/lint/finding"

var rp406 = &Rule{
	ID: "RP406", Severity: finding.Error, Phase: Verify,
	Title:  "checksum file missing or checksum mismatch (verify)",
	Clause: clauseProvenance,
	Quote:  "For file artifacts, a checksum file (for example SHA-256) SHOULD accompany the release.",
	Doc: `Reported by ` + "`relpolicy verify`" + `: the release page lacks the declared checksum
file, or a published file's checksum differs from the ledger.`,
	Example: "provenance:\n  checksums: {algorithm: sha256, file: SHA256SUMS}\n# but the release has no SHA256SUMS",
}
