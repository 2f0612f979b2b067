package rules

import (
	"fmt"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
)

var rp308 = &Rule{
	ID: "RP308", Severity: finding.Error, Phase: Lint,
	Title:  "release ledger rewritten",
	Clause: clauseAudit,
	Quote:  "A repository MUST be able to answer, for an official artifact: what source it came from, what exact revision produced it, where it was officially published, and what stable artifact identity users should rely on. (Exceptions: Exceptions MUST NOT allow TOOO to represent an artifact as official if its source revision or stable artifact identity cannot be established.)",
	Doc: `With ` + "`--base REF`" + `, compares the ledger with the one committed at REF: a release
present there must keep its revision, every artifact's digest and every file's
checksum, and must not vanish. Appending releases is fine. Users and auditors
pin what the ledger once said; rewriting it silently changes what "official"
meant.

A genuinely wrong entry is withdrawn through an exception, not edited away.`,
	Example: "# at main:       revision: 3f2c...\n# in the change: revision: 9a1b...",
	Check: func(c *Context) {
		if c.Base == nil || c.Base.Policy == nil {
			return
		}
		cur := c.Doc.Policy
		index := map[schema.Version]int{}
		for i, r := range cur.Releases {
			if _, dup := index[r.Version]; !dup {
				index[r.Version] = i
			}
		}
		for _, old := range c.Base.Policy.Releases {
			i, ok := index[old.Version]
			if !ok {
				c.AtKey("/releases", fmt.Sprintf("release %s vanished from the ledger (present at the base)", old.Version),
					"restore the entry; the ledger is append-only")
				continue
			}
			diffRelease(c, i, old, cur.Releases[i])
		}
	},
}

func diffRelease(c *Context, i int, old, cur schema.LedgerEntry) {
	if old.Revision != cur.Revision {
		c.At(ptr("releases", i, "revision"), fmt.Sprintf("release %s revision changed from %s to %s", cur.Version, old.Revision, cur.Revision),
			"restore the recorded revision; publish a new version instead of rewriting one")
	}
	arts := map[schema.Slug]int{}
	for j, a := range cur.Artifacts {
		arts[a.ID] = j
	}
	for _, oa := range old.Artifacts {
		j, ok := arts[oa.ID]
		if !ok {
			c.At(ptr("releases", i, "artifacts"), fmt.Sprintf("release %s artifact %q vanished from the ledger", cur.Version, oa.ID),
				"restore the entry; the ledger is append-only")
			continue
		}
		ca := cur.Artifacts[j]
		if oa.Digest != ca.Digest {
			c.At(ptr("releases", i, "artifacts", j, "digest"), fmt.Sprintf("release %s artifact %q digest changed from %s to %s", cur.Version, oa.ID, oa.Digest, orNone(string(ca.Digest))),
				"restore the recorded digest; publish a new version instead of rewriting one")
		}
		files := map[schema.FileName]int{}
		for k, f := range ca.Files {
			files[f.Name] = k
		}
		for _, of := range oa.Files {
			k, ok := files[of.Name]
			switch {
			case !ok:
				c.At(ptr("releases", i, "artifacts", j, "files"), fmt.Sprintf("release %s file %q vanished from the ledger", cur.Version, of.Name),
					"restore the entry; the ledger is append-only")
			case of.SHA256 != ca.Files[k].SHA256 || of.SHA512 != ca.Files[k].SHA512:
				c.At(ptr("releases", i, "artifacts", j, "files", k), fmt.Sprintf("release %s file %q checksum changed", cur.Version, of.Name),
					"restore the recorded checksum; publish a new version instead of rewriting one")
			}
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
