package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// The model is what the templates see: the policies with everything a page
// needs resolved, labelled, linked and sorted. Field names are documented in
// docs/site.md for --templates overlays. One file per page: model_index.go
// (the organisation: index page, feeds, API), model_repo.go (repository
// page), model_release.go (release page), model_digest.go (digest page).

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
