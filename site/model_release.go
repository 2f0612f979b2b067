package site

import (
	"cmp"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tooo/relpolicy/internal/reference"
	"github.com/tooo/relpolicy/schema"
)

// releaseModel is one ledger entry.
type releaseModel struct {
	Repo          *repoModel
	Version       string
	Tag           string
	Revision      string
	RevisionShort string
	CommitURL     string
	Published     string // RFC 3339 in UTC, or as written when unparsable
	PublishedText string // "2026-11-02 10:00 UTC"
	PublishedDate string // "2026-11-02"
	Record        string
	Dir           string // site-relative, "owner/name/version/"
	Artifacts     []*releaseArtifactModel
	Sums          []sumLine      // SHA256SUMS lines, in release order
	Sums512       []sumLine      // SHA512SUMS lines
	Verified      *verifiedModel // site --verify; nil when not verified

	published   time.Time
	publishedOK bool
	pos         int // position in the ledger
}

type releaseArtifactModel struct {
	Release    *releaseModel
	ID         string
	Name       string
	Type       string
	TypeLabel  string
	OCI        bool
	Tool       string
	Reference  string
	Repository string
	Digest     string
	DigestHex  string
	Pinned     string // repository@digest
	Pull       string // "docker pull " + Pinned
	DigestHref string // the digest page, relative to the release page
	Files      []*fileModel
	pos        int
}

type fileModel struct {
	DigestHref string // the checksum's digest page, relative to the release page
	Name       string
	URL        string
	SHA256     string
	SHA512     string
	Size       int64
	SizeText   string
	pos        int
}

type sumLine struct {
	Hex  string
	Name string
}

func newReleaseModel(r *repoModel, pos int, e schema.LedgerEntry, artifacts map[string]*artifactModel) (*releaseModel, error) {
	if err := checkSegment("release version", string(e.Version)); err != nil {
		return nil, err
	}
	rel := &releaseModel{
		Repo:          r,
		Version:       string(e.Version),
		Tag:           e.Tag,
		Revision:      e.Revision,
		RevisionShort: e.Revision[:min(12, len(e.Revision))],
		Published:     string(e.Published),
		PublishedText: string(e.Published),
		Record:        string(e.Record),
		Dir:           r.Dir + string(e.Version) + "/",
		pos:           pos,
	}
	if e.Revision != "" {
		rel.CommitURL = r.URL + "/commit/" + url.PathEscape(e.Revision)
	}
	if t, ok := e.Published.Time(); ok {
		t = t.UTC()
		rel.published, rel.publishedOK = t, true
		rel.Published = t.Format(time.RFC3339)
		rel.PublishedText = t.Format("2006-01-02 15:04 UTC")
		rel.PublishedDate = t.Format(time.DateOnly)
	}
	sumSeen := map[string]string{}
	for i, a := range e.Artifacts {
		ra := &releaseArtifactModel{Release: rel, ID: string(a.ID), Name: string(a.ID), Reference: a.Reference, pos: i}
		if am := artifacts[ra.ID]; am != nil {
			ra.Name, ra.Type, ra.TypeLabel, ra.OCI, ra.Tool = am.Name, am.Type, am.TypeLabel, am.OCI, am.Tool
			if am.OCI {
				ra.Repository = am.Repository
			}
		}
		if a.Digest != "" {
			ra.Digest = string(a.Digest)
			if hex, ok := strings.CutPrefix(ra.Digest, "sha256:"); ok && isHex64(hex) {
				ra.DigestHex = hex
			}
			if !ra.OCI && ra.Type == "" {
				ra.OCI, ra.Tool = true, "docker"
			}
		}
		if a.Reference != "" {
			// The repository users pull from is the normalised one (Docker's
			// rules, as RP306 and lookup read it); a reference that does not
			// parse gets no pull command.
			ra.Repository = ""
			if img, err := reference.ParseImage(a.Reference); err == nil {
				ra.Repository = img.Name()
			}
		}
		if ra.Repository == "" && ra.OCI {
			for _, c := range r.Channels {
				if c.Type == string(schema.OCIRegistry) {
					ra.Repository = ociLocation(c.Location)
					break
				}
			}
		}
		if ra.Repository != "" && ra.Digest != "" {
			ra.Pinned = ra.Repository + "@" + ra.Digest
			ra.Pull = cmp.Or(ra.Tool, "docker") + " pull " + ra.Pinned
		}
		if ra.DigestHex != "" {
			ra.DigestHref = digestRoot + DigestPage(ra.DigestHex)
		}
		for j, f := range a.Files {
			if err := checkFileName(string(f.Name)); err != nil {
				return nil, fmt.Errorf("release %s: %w", e.Version, err)
			}
			fm := &fileModel{
				Name: string(f.Name), URL: downloadURL(string(f.URL)), SHA256: string(f.SHA256), SHA512: f.SHA512,
				Size: f.Size, SizeText: humanSize(f.Size), pos: j,
			}
			if fm.SHA256 != "" && !isHex64(fm.SHA256) {
				fm.SHA256 = ""
			}
			if fm.SHA256 != "" {
				fm.DigestHref = digestRoot + DigestPage(fm.SHA256)
			}
			if prev, ok := sumSeen[fm.Name]; ok && prev != fm.SHA256+fm.SHA512 {
				return nil, fmt.Errorf("release %s: file %q is listed twice with different checksums: %w", e.Version, fm.Name, ErrUnsafeName)
			} else if !ok {
				sumSeen[fm.Name] = fm.SHA256 + fm.SHA512
				if fm.SHA256 != "" {
					rel.Sums = append(rel.Sums, sumLine{Hex: fm.SHA256, Name: fm.Name})
				}
				if fm.SHA512 != "" {
					rel.Sums512 = append(rel.Sums512, sumLine{Hex: fm.SHA512, Name: fm.Name})
				}
			}
			ra.Files = append(ra.Files, fm)
		}
		rel.Artifacts = append(rel.Artifacts, ra)
	}
	return rel, nil
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func humanSize(n int64) string {
	if n <= 0 {
		return ""
	}
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// downloadURL is the link the site gives for a ledger file: the URL after
// normalisation (decoded, dot segments removed: RFC 3986 section 5.2.4), so
// the link goes where RP306 checked it goes, or "" (no link) when the URL
// cannot be normalised.
func downloadURL(raw string) string {
	u, err := reference.ParseURL(raw)
	if err != nil {
		return ""
	}
	return u.String()
}

// verifiedModel is a release's verify result on its page.
type verifiedModel struct {
	At        string // RFC 3339 in UTC
	AtText    string // "2026-11-30 12:00 UTC"
	Held      []string
	Failed    []string
	Unreached []string
	Signed    []SignedBy // verified signatures and attestations only
	OK        bool       // nothing failed and nothing was left unchecked
}

func newVerifiedModel(v *Verification) *verifiedModel {
	t := v.At.UTC()
	return &verifiedModel{At: t.Format(time.RFC3339), AtText: t.Format("2006-01-02 15:04 UTC"),
		Held: v.Held, Failed: v.Failed, Unreached: v.Unreached, Signed: v.Signed, OK: len(v.Failed) == 0 && len(v.Unreached) == 0}
}
