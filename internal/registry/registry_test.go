package registry_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/tooo/relpolicy/internal/registry"
	vt "github.com/tooo/relpolicy/internal/registry/registrytest"
	"github.com/tooo/relpolicy/verify"
)

func client(t *testing.T) *registry.Client {
	c, err := registry.New(nil, authn.DefaultKeychain)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOneRequestPerManifestAndTag: asking twice for a digest or a tag
// reaches the registry once, and a tag fetched first serves its digest.
func TestOneRequestPerManifestAndTag(t *testing.T) {
	w := vt.New(t, true)
	repo := w.Repo("tooo/app")
	img := w.Image(vt.Labels("https://github.com/tooo/app", vt.Revision("1"), "1.0.0"), nil)
	w.Tag(repo, "1.0.0", img)
	h, _ := img.Digest()
	w.Counter.Reset()
	c := client(t)
	ctx := context.Background()
	for range 3 {
		m, err := c.Tagged(ctx, repo, "1.0.0")
		if err != nil || m.Digest != h.String() || m.Annotations["org.opencontainers.image.version"] != "1.0.0" {
			t.Fatalf("Tagged: %+v %v", m, err)
		}
		if _, err := c.Manifest(ctx, repo, h.String()); err != nil {
			t.Fatal(err)
		}
	}
	reqs := w.Counter.Requests()
	if reqs["GET /v2/tooo/app/manifests/1.0.0"] != 1 || w.Counter.Total() > 2 { // the ping and one GET
		t.Errorf("requests %v", reqs)
	}
	if _, err := c.Manifest(ctx, repo, "sha256:"+strings.Repeat("0", 64)); !errors.Is(err, verify.ErrNotFound) {
		t.Errorf("absent digest: %v", err)
	}
	if _, err := c.Tagged(ctx, repo, "9.9.9"); !errors.Is(err, verify.ErrNotFound) {
		t.Errorf("absent tag: %v", err)
	}
}

// TestLabelsFetchedOnlyWhenNeeded: config labels are read when the
// annotations lack a key; an index's platforms likewise.
func TestLabelsFetchedOnlyWhenNeeded(t *testing.T) {
	w := vt.New(t, true)
	repo := w.Repo("tooo/app")
	labels := vt.Labels("https://github.com/tooo/app", vt.Revision("1"), "1.0.0")
	withConfig := w.Push(repo, w.Image(nil, labels))
	idx := w.Push(repo, w.Index(nil, w.Image(labels, nil), w.Image(nil, labels)))
	c := client(t)
	m, err := c.Manifest(context.Background(), repo, withConfig)
	if err != nil || m.Labels["org.opencontainers.image.revision"] != vt.Revision("1") {
		t.Fatalf("config labels: %+v %v", m, err)
	}
	m, err = c.Manifest(context.Background(), repo, idx)
	if err != nil || !m.Index || len(m.Platforms) != 2 || m.Platforms[0].Platform != "linux/amd64" ||
		m.Platforms[0].Annotations["org.opencontainers.image.version"] != "1.0.0" || m.Platforms[1].Labels["org.opencontainers.image.version"] != "1.0.0" {
		t.Fatalf("index platforms: %+v %v", m, err)
	}
}

// TestAttachmentsForExactDigest: a signature on one platform of an index
// is not a signature of the index; cosign tags and referrers are found.
func TestAttachmentsForExactDigest(t *testing.T) {
	for _, referrers := range []bool{true, false} {
		w := vt.New(t, referrers)
		repo := w.Repo("tooo/app")
		a := w.Image(nil, nil)
		idx := w.Push(repo, w.Index(nil, a, w.Image(nil, nil)))
		ha, _ := a.Digest()
		w.Referrer(repo, ha.String(), vt.CosignSig, nil)
		w.Referrer(repo, ha.String(), vt.InToto, nil)
		c := client(t)
		got, err := c.Attachments(context.Background(), repo, idx, true, true)
		if err != nil || len(got.Signatures)+len(got.Attestations) != 0 {
			t.Errorf("referrers=%v: the index has no attachments of its own, got %+v %v", referrers, got, err)
		}
		got, err = c.Attachments(context.Background(), repo, ha.String(), true, true)
		if err != nil || len(got.Signatures) != 1 || len(got.Attestations) != 1 {
			t.Errorf("referrers=%v: platform attachments %+v %v", referrers, got, err)
		}
		w.CosignTag(repo, idx, ".sig")
		got, _ = client(t).Attachments(context.Background(), repo, idx, true, false)
		if len(got.Signatures) != 1 || !strings.HasPrefix(got.Signatures[0], "cosign tag sha256-") {
			t.Errorf("referrers=%v: cosign tag: %+v", referrers, got)
		}
	}
}

// TestAttachmentsAskedOncePerDigest: two ledger entries sharing a digest
// cost one referrers request.
func TestAttachmentsAskedOncePerDigest(t *testing.T) {
	w := vt.New(t, true)
	repo := w.Repo("tooo/app")
	d := w.Push(repo, w.Image(nil, nil))
	w.Referrer(repo, d, vt.CosignSig, nil)
	c := client(t)
	w.Counter.Reset()
	for range 2 {
		got, err := c.Attachments(context.Background(), repo, d, true, false)
		if err != nil || len(got.Signatures) != 1 {
			t.Fatalf("%+v %v", got, err)
		}
	}
	if n := w.Counter.Requests()["GET /v2/tooo/app/referrers/"+d]; n != 1 {
		t.Errorf("referrers asked %d times, want 1 (%v)", n, w.Counter.Requests())
	}
}
