package site

import (
	"cmp"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tooo/relpolicy/internal/reference"
	"github.com/tooo/relpolicy/schema"
)

// The model is what the templates see: the policies with everything a page
// needs resolved, labelled, linked and sorted. Field names are documented in
// docs/site.md for --templates overlays.

// siteModel is the whole organisation.
type siteModel struct {
	Repos     []*repoModel
	Latest    []*releaseModel // newest releases across all repositories
	Digests   []*digestModel  // sorted by hex
	Releases  int
	Artifacts int
	// Compliance is the sweep dashboard's model; nil without --sweep.
	Compliance *complianceModel

	feed []*releaseModel // newest releases for feed.xml
}

// repoModel is one repository's policy.
type repoModel struct {
	Name        string // owner/name
	Owner       string
	Short       string // name without owner
	Dir         string // site-relative directory, "owner/name/"
	URL         string
	Homepage    string
	Description template.HTML
	Summary     string // plain text of the description's first paragraph
	Channels    []*channelModel
	Artifacts   []*artifactModel
	Entrypoints []*entrypointModel
	Compatible  template.HTML
	Contexts    []contextModel
	Builders    []builderModel
	Continuity  *continuityModel
	Surfaced    []string
	Checksums   *schema.Checksums
	Signatures  signingModel
	Attest      attestModel
	Exceptions  []schema.Exception
	Releases    []*releaseModel // newest first
	Latest      *releaseModel   // nil without releases
	Older       []*releaseModel

	policy   *schema.Policy
	verified map[string]*Verification // site --verify, by version
}

type channelModel struct {
	ID          string
	Type        string
	TypeLabel   string
	Location    string
	LocationURL string // Location when it is an https URL
	Description template.HTML
}

type artifactModel struct {
	ID            string
	Name          string
	Type          string
	TypeLabel     string
	Identity      string
	IdentityLabel string
	Heavy         bool
	OCI           bool
	Tool          string // docker or oras for OCI artifacts
	Channels      []*channelModel
	Build         *entrypointModel // nil when the id does not resolve
	BuildID       string
	Repository    string                // OCI repository to pull from
	Latest        *releaseArtifactModel // in the newest release that has it
}

type entrypointModel struct {
	ID           string
	Command      string
	Path         string
	PathURL      string
	Docs         string
	DocsURL      string
	Requirements []string
}

type contextModel struct {
	Type      string
	Refs      string // "tags", "branches" or "refs"
	Pattern   string
	Protected bool
}

type builderModel struct {
	ID             string
	Kind           string
	Ref            string
	RefURL         string // for workflow and procedure refs (repo paths)
	Infrastructure string
	Isolated       bool
	Credentials    string
}

type continuityModel struct {
	Path        string
	PathURL     string
	Revalidated string
}

type signingModel struct {
	Used        bool
	Method      string
	MethodLabel string
	Verify      template.HTML
}

type attestModel struct {
	Used   bool
	Types  []string
	Verify template.HTML
}

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

// latestCount is how many releases the index page and the org feed list.
const latestCount = 20

// newModel validates the repositories and builds the model. It uses up to
// workers goroutines; the result does not depend on their number.
func newModel(repos []Repo, md *markdown, workers int) (*siteModel, error) {
	models := make([]*repoModel, len(repos))
	errs := make([]error, len(repos))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, min(workers, len(repos))) {
		wg.Go(func() {
			for i := range next {
				models[i], errs[i] = newRepoModel(repos[i], md)
			}
		})
	}
	for i := range repos {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			name := "(no policy)"
			if repos[i].Policy != nil {
				name = string(repos[i].Policy.Repository.Name)
			}
			if repos[i].Dir != "" {
				name += " in " + repos[i].Dir
			}
			return nil, fmt.Errorf("preparing %s: %w", name, err)
		}
	}
	slices.SortFunc(models, func(a, b *repoModel) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(models); i++ {
		if strings.EqualFold(models[i-1].Name, models[i].Name) {
			return nil, fmt.Errorf("preparing %s: repository listed twice (%s and %s): %w", models[i].Name, models[i-1].Name, models[i].Name, ErrUnsafeName)
		}
	}
	s := &siteModel{Repos: models}
	var all []*releaseModel
	digests := map[string]*digestModel{}
	use := func(hex string, u digestUse) {
		d := digests[hex]
		if d == nil {
			d = &digestModel{Hex: hex, Digest: "sha256:" + hex}
			digests[hex] = d
		}
		d.Uses = append(d.Uses, u)
	}
	for _, r := range models {
		all = append(all, r.Releases...)
		s.Releases += len(r.Releases)
		s.Artifacts += len(r.Artifacts)
		// Uses are appended in repo, ledger, artifact and file order, which
		// is deterministic; the digest list itself is sorted below.
		for _, rel := range slices.SortedFunc(slices.Values(r.Releases), func(a, b *releaseModel) int { return a.pos - b.pos }) {
			for _, a := range rel.Artifacts {
				if a.DigestHex != "" {
					use(a.DigestHex, newDigestUse(rel, a, nil))
				}
				for _, f := range a.Files {
					if f.SHA256 != "" {
						use(f.SHA256, newDigestUse(rel, a, f))
					}
				}
			}
		}
	}
	slices.SortStableFunc(all, compareReleases)
	s.feed = all[:min(feedMax, len(all))]
	s.Latest = all[:min(latestCount, len(all))]
	for _, d := range digests {
		s.Digests = append(s.Digests, d)
	}
	slices.SortFunc(s.Digests, func(a, b *digestModel) int { return strings.Compare(a.Hex, b.Hex) })
	return s, nil
}

// compareReleases orders newest first: by publication time, releases with
// an unparsable time last, then by repository and ledger position.
func compareReleases(a, b *releaseModel) int {
	if a.publishedOK != b.publishedOK {
		if a.publishedOK {
			return -1
		}
		return 1
	}
	return cmp.Or(
		b.published.Compare(a.published),
		strings.Compare(a.Repo.Name, b.Repo.Name),
		a.pos-b.pos,
	)
}

func newRepoModel(in Repo, md *markdown) (*repoModel, error) {
	p := in.Policy
	if p == nil {
		return nil, fmt.Errorf("no policy")
	}
	owner, short, err := splitName(string(p.Repository.Name))
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(string(p.Repository.URL), "/")
	r := &repoModel{
		Name:        owner + "/" + short,
		Owner:       owner,
		Short:       short,
		Dir:         owner + "/" + short + "/",
		URL:         base,
		Homepage:    string(p.Repository.Homepage),
		Description: md.HTML(p.Repository.Description, base),
		Summary:     md.Summary(p.Repository.Description, 200),
		Compatible:  md.HTML(p.Build.Compatible, base),
		Surfaced:    p.Provenance.Surfaced,
		Checksums:   p.Provenance.Checksums,
		Exceptions:  p.Exceptions,
		policy:      p,
		verified:    in.Verified,
	}
	r.Signatures = signingModel{
		Used:        p.Provenance.Signatures.Used,
		Method:      string(p.Provenance.Signatures.Method),
		MethodLabel: p.Provenance.Signatures.Method.Label(),
	}
	if r.Signatures.Used {
		r.Signatures.Verify = md.HTML(p.Provenance.Signatures.Verify, base)
	}
	r.Attest = attestModel{Used: p.Provenance.Attestations.Used}
	if r.Attest.Used {
		r.Attest.Types = p.Provenance.Attestations.Types
		r.Attest.Verify = md.HTML(p.Provenance.Attestations.Verify, base)
	}
	for _, c := range p.Release.Contexts {
		refs := map[string]string{"tag": "tags", "branch": "branches"}[c.Type]
		if refs == "" {
			refs = "refs"
		}
		r.Contexts = append(r.Contexts, contextModel{Type: c.Type, Refs: refs, Pattern: c.Pattern, Protected: c.Protected})
	}
	channels := map[string]*channelModel{}
	for _, c := range p.Channels {
		cm := &channelModel{
			ID:          string(c.ID),
			Type:        string(c.Type),
			TypeLabel:   c.Type.Label(),
			Location:    c.Location,
			Description: md.HTML(c.Description, base),
		}
		if strings.HasPrefix(c.Location, "https://") {
			cm.LocationURL = c.Location
		}
		channels[cm.ID] = cm
		r.Channels = append(r.Channels, cm)
	}
	entrypoints := map[string]*entrypointModel{}
	for _, e := range p.Build.Entrypoints {
		em := &entrypointModel{
			ID:           string(e.ID),
			Command:      e.Command,
			Path:         string(e.Path),
			PathURL:      blobURL(base, string(e.Path)),
			Docs:         string(e.Docs),
			DocsURL:      blobURL(base, string(e.Docs)),
			Requirements: e.Requirements,
		}
		entrypoints[em.ID] = em
		r.Entrypoints = append(r.Entrypoints, em)
	}
	for _, b := range p.Release.Builders {
		bm := builderModel{
			ID: string(b.ID), Kind: b.Kind, Ref: b.Ref, Infrastructure: b.Infrastructure,
			Isolated: b.Isolated, Credentials: b.Credentials,
		}
		if b.Kind != "identity" {
			bm.RefURL = blobURL(base, b.Ref)
		}
		r.Builders = append(r.Builders, bm)
	}
	if c := p.Release.Continuity; c != nil {
		r.Continuity = &continuityModel{Path: string(c.Path), PathURL: blobURL(base, string(c.Path)), Revalidated: string(c.Revalidated)}
	}
	artifacts := map[string]*artifactModel{}
	for _, a := range p.Artifacts {
		am := &artifactModel{
			ID:            string(a.ID),
			Name:          a.Name,
			Type:          string(a.Type),
			TypeLabel:     a.Type.Label(),
			Identity:      string(a.Identity),
			IdentityLabel: a.Identity.Label(),
			Heavy:         a.IsHeavy(),
			OCI:           a.IsOCI(),
			Tool:          ociTool(a.Type),
			Build:         entrypoints[string(a.Build)],
			BuildID:       string(a.Build),
		}
		for _, id := range a.Channels {
			c := channels[string(id)]
			if c == nil {
				c = &channelModel{ID: string(id), Location: string(id)}
			}
			am.Channels = append(am.Channels, c)
			if am.OCI && am.Repository == "" && c.Type == string(schema.OCIRegistry) {
				am.Repository = ociLocation(c.Location)
			}
		}
		if am.Name == "" {
			am.Name = am.ID
		}
		artifacts[am.ID] = am
		r.Artifacts = append(r.Artifacts, am)
	}
	seen := map[string]bool{}
	for i, e := range p.Releases {
		rel, err := newReleaseModel(r, i, e, artifacts)
		if err != nil {
			return nil, err
		}
		if v := in.Verified[rel.Version]; v != nil {
			rel.Verified = newVerifiedModel(v)
		}
		if key := strings.ToLower(rel.Version); seen[key] {
			return nil, fmt.Errorf("release %q is listed twice: %w", rel.Version, ErrUnsafeName)
		} else {
			seen[key] = true
		}
		r.Releases = append(r.Releases, rel)
	}
	slices.SortStableFunc(r.Releases, compareReleases)
	if len(r.Releases) > 0 {
		r.Latest = r.Releases[0]
		r.Older = r.Releases[1:]
	}
	for _, am := range r.Artifacts {
	find:
		for _, rel := range r.Releases {
			for _, ra := range rel.Artifacts {
				if ra.ID == am.ID {
					am.Latest = ra
					if am.OCI && ra.Repository != "" {
						am.Repository = ra.Repository
					}
					break find
				}
			}
		}
	}
	return r, nil
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

// ociTool is the command that pulls artifacts of the type: docker for
// images, oras for other OCI artifacts.
func ociTool(typ schema.ArtifactType) string {
	switch typ {
	case schema.OCIImage:
		return "docker"
	case schema.OCIArtifact:
		return "oras"
	}
	return ""
}

// ociLocation strips a scheme some authors put on registry locations.
func ociLocation(loc string) string {
	for _, p := range []string{"oci://", "docker://", "https://", "http://"} {
		loc = strings.TrimPrefix(loc, p)
	}
	return strings.TrimSuffix(loc, "/")
}

// blobURL links a repo-relative path on the forge.
func blobURL(base, p string) string {
	if p == "" || base == "" {
		return ""
	}
	return base + "/blob/HEAD/" + (&url.URL{Path: strings.TrimPrefix(p, "/")}).EscapedPath()
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
