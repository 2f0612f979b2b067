package site

// digestModel is one sha256 (OCI digest or file checksum) and every place
// it was published.
type digestModel struct {
	Hex    string
	Digest string // "sha256:" + Hex
	Uses   []digestUse
}

type digestUse struct {
	Release  *releaseModel
	Artifact *releaseArtifactModel
	File     *fileModel // nil for an OCI digest
	// Ready-made for the digest page, which renders tens of thousands of
	// times: fewer template actions per page.
	What        string // "x.tar.gz (Tool, Archive)" for a file, "Tool (OCI image)" for an image
	ReleaseName string // "owner/name 1.2.3"
	ReleaseHref string // the release page, relative to the digest page
	Pull        string // pull command, for OCI digests with a pinned reference
}

// newDigestUse fills in the ready-made fields.
func newDigestUse(rel *releaseModel, a *releaseArtifactModel, f *fileModel) digestUse {
	u := digestUse{Release: rel, Artifact: a, File: f, ReleaseName: rel.Repo.Name + " " + rel.Version, ReleaseHref: digestRoot + rel.Dir + "index.html"}
	kind := a.Name
	if a.TypeLabel != "" {
		kind += ", " + a.TypeLabel
	}
	if f != nil {
		u.What = f.Name + " (" + kind + ")"
	} else {
		u.What = a.Name
		if a.TypeLabel != "" {
			u.What += " (" + a.TypeLabel + ")"
		}
		u.Pull = a.Pull
	}
	return u
}

// digestRoot is the way from a digest page (digests/sha256/<hex>/) and a
// release page (owner/name/version/) to the site root.
const digestRoot = "../../../"
