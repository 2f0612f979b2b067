// Package registry reads OCI registries for relpolicy verify through
// go-containerregistry's remote package: manifests by digest, tags by HEAD,
// and the signatures and attestations attached to a digest. Credentials
// come from the user's Docker config (authn.DefaultKeychain); registries on
// loopback speak plain HTTP, as go-containerregistry decides. Every
// manifest and tag is asked for at most once per Client.
package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/tooo/relpolicy/verify"
)

// Media and artifact types that identify signatures and attestations.
const (
	cosignSig     = "application/vnd.dev.cosign.artifact.sig.v1+json"
	cosignSimple  = "application/vnd.dev.cosign.simplesigning.v1+json"
	sigstoreBndl  = "application/vnd.dev.sigstore.bundle" // +json;version=0.x or .v0.3+json
	bundlePredKey = "dev.sigstore.bundle.predicateType"
	// cosignSignPredicate is the predicate type of cosign v3's image
	// signatures in bundle format.
	cosignSignPredicate = "https://sigstore.dev/cosign/sign/v1"
	inTotoPrefix        = "application/vnd.in-toto"
	dssePrefix          = "application/vnd.dsse.envelope"
)

// Client implements verify.Registry.
type Client struct {
	puller *remote.Puller
	// Material makes Attachments also read each signature's and
	// attestation's content (verify.Attachments.Material) for
	// cryptographic verification; off, it only lists them.
	Material bool

	mu        sync.Mutex
	manifests map[string]*call[*verify.Manifest]
	tagged    map[string]*call[*verify.Manifest]
	tags      map[string]*call[string]
	// attachments are cached too: two ledger entries may share a digest.
	attachments map[string]*call[*verify.Attachments]
}

type call[T any] struct {
	once sync.Once
	v    T
	err  error
}

// New returns a client whose requests go through rt (nil: the default
// transport) with credentials from keychain (nil: authn.DefaultKeychain).
func New(rt http.RoundTripper, keychain authn.Keychain) (*Client, error) {
	if rt == nil {
		rt = remote.DefaultTransport
	}
	if keychain == nil {
		keychain = authn.DefaultKeychain
	}
	// Retries are the transport's job (internal/httpx): go-containerregistry's
	// own would multiply them.
	p, err := remote.NewPuller(remote.WithTransport(rt), remote.WithAuthFromKeychain(keychain),
		remote.WithRetryPredicate(func(error) bool { return false }), remote.WithRetryStatusCodes())
	if err != nil {
		return nil, fmt.Errorf("creating registry client: %w", err)
	}
	return &Client{puller: p, manifests: map[string]*call[*verify.Manifest]{}, tagged: map[string]*call[*verify.Manifest]{}, tags: map[string]*call[string]{}, attachments: map[string]*call[*verify.Attachments]{}}, nil
}

func once[T any](c *Client, m map[string]*call[T], key string, f func() (T, error)) (T, error) {
	c.mu.Lock()
	cl := m[key]
	if cl == nil {
		cl = &call[T]{}
		m[key] = cl
	}
	c.mu.Unlock()
	cl.once.Do(func() { cl.v, cl.err = f() })
	return cl.v, cl.err
}

// notFound maps a registry's 404 (MANIFEST_UNKNOWN, NAME_UNKNOWN) to
// verify.ErrNotFound.
func notFound(err error) error {
	var te *transport.Error
	if errors.As(err, &te) && te.StatusCode == http.StatusNotFound {
		return verify.ErrNotFound
	}
	return err
}

// Manifest fetches repo@digest. For an image it reads the config labels
// when the manifest's annotations lack one of verify.LabelKeys; for an
// index whose annotations lack one, it reads each platform's manifest (and
// its config when needed).
func (c *Client) Manifest(ctx context.Context, repo, digest string) (*verify.Manifest, error) {
	return once(c, c.manifests, repo+"@"+digest, func() (*verify.Manifest, error) {
		return c.manifest(ctx, repo, digest, true)
	})
}

func (c *Client) manifest(ctx context.Context, repo, digest string, children bool) (*verify.Manifest, error) {
	ref, err := name.NewDigest(repo + "@" + digest)
	if err != nil {
		return nil, fmt.Errorf("parsing %s@%s: %w", repo, digest, err)
	}
	return c.get(ctx, ref, repo, children)
}

// Tagged fetches the manifest repo:tag points at with one GET, and keeps
// it as the manifest of its digest too, so a tag that still points at the
// recorded digest costs one request for both checks.
func (c *Client) Tagged(ctx context.Context, repo, tag string) (*verify.Manifest, error) {
	return once(c, c.tagged, repo+":"+tag, func() (*verify.Manifest, error) {
		ref, err := name.NewTag(repo + ":" + tag)
		if err != nil {
			return nil, fmt.Errorf("parsing %s:%s: %w", repo, tag, err)
		}
		m, err := c.get(ctx, ref, repo, true)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.manifests[repo+"@"+m.Digest] == nil {
			cl := &call[*verify.Manifest]{v: m}
			cl.once.Do(func() {})
			c.manifests[repo+"@"+m.Digest] = cl
		}
		c.mu.Unlock()
		return m, nil
	})
}

func (c *Client) get(ctx context.Context, ref name.Reference, repo string, children bool) (*verify.Manifest, error) {
	desc, err := c.puller.Get(ctx, ref)
	if err != nil {
		return nil, notFound(err)
	}
	m := &verify.Manifest{Digest: desc.Digest.String(), MediaType: string(desc.MediaType)}
	if desc.MediaType.IsIndex() {
		m.Index = true
		im, err := v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
		if err != nil {
			return nil, fmt.Errorf("parsing index %s: %w", ref, err)
		}
		m.Annotations = im.Annotations
		if !children || complete(m.Annotations) {
			return m, nil
		}
		for _, d := range im.Manifests {
			if !d.MediaType.IsImage() {
				continue // attestation manifests and nested indexes carry no image labels
			}
			if d.Platform != nil && d.Platform.OS == "unknown" {
				continue // BuildKit's attestation manifests
			}
			child, err := c.manifest(ctx, repo, d.Digest.String(), false)
			if err != nil {
				if errors.Is(err, verify.ErrNotFound) {
					return nil, fmt.Errorf("index %s lists %s, which the registry does not hold", ref, d.Digest)
				}
				return nil, err
			}
			if d.Platform != nil {
				child.Platform = d.Platform.String()
			} else {
				child.Platform = d.Digest.String()
			}
			m.Platforms = append(m.Platforms, child)
		}
		return m, nil
	}
	im, err := v1.ParseManifest(bytes.NewReader(desc.Manifest))
	if err != nil {
		return nil, fmt.Errorf("parsing manifest %s: %w", ref, err)
	}
	m.Annotations = im.Annotations
	if complete(m.Annotations) || !desc.MediaType.IsImage() || !im.Config.MediaType.IsConfig() {
		return m, nil
	}
	img, err := desc.Image()
	if err != nil {
		return nil, fmt.Errorf("reading image %s: %w", ref, err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading config of %s: %w", ref, err)
	}
	m.Labels = cfg.Config.Labels
	return m, nil
}

func complete(a map[string]string) bool {
	for _, k := range verify.LabelKeys {
		if a[k] == "" {
			return false
		}
	}
	return true
}

// Resolve returns the digest tag points at in repo, by a HEAD request (for
// cosign's signature tags, whose content does not matter here).
func (c *Client) Resolve(ctx context.Context, repo, tag string) (string, error) {
	return once(c, c.tags, repo+":"+tag, func() (string, error) {
		ref, err := name.NewTag(repo + ":" + tag)
		if err != nil {
			return "", fmt.Errorf("parsing %s:%s: %w", repo, tag, err)
		}
		d, err := c.puller.Head(ctx, ref)
		if err != nil {
			return "", notFound(err)
		}
		return d.Digest.String(), nil
	})
}

// Attachments looks for signatures and attestations of exactly
// repo@digest: the OCI 1.1 referrers API (go-containerregistry falls back
// to the referrers tag schema sha256-<hex> when the registry lacks the
// API), then the cosign tags sha256-<hex>.sig and .att. Sigstore bundles
// stored as referrers count as attestations when they name a predicate
// type, else as signatures. Presence only: nothing is verified
// cryptographically.
func (c *Client) Attachments(ctx context.Context, repo, digest string, sigs, atts bool) (*verify.Attachments, error) {
	key := fmt.Sprintf("%s@%s sigs=%v atts=%v", repo, digest, sigs, atts)
	return once(c, c.attachments, key, func() (*verify.Attachments, error) {
		return c.attach(ctx, repo, digest, sigs, atts)
	})
}

func (c *Client) attach(ctx context.Context, repo, digest string, sigs, atts bool) (*verify.Attachments, error) {
	ref, err := name.NewDigest(repo + "@" + digest)
	if err != nil {
		return nil, fmt.Errorf("parsing %s@%s: %w", repo, digest, err)
	}
	out := &verify.Attachments{Searched: []string{"referrers"}}
	idx, err := remote.Referrers(ref, remote.Reuse(c.puller), remote.WithContext(ctx))
	if err != nil && !errors.Is(notFound(err), verify.ErrNotFound) {
		return nil, err
	}
	if idx != nil {
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, fmt.Errorf("reading referrers of %s: %w", ref, err)
		}
		for _, d := range im.Manifests {
			at := d.ArtifactType
			if at == "" {
				at = string(d.MediaType)
			}
			what := "referrer " + d.Digest.String() + " " + at
			kind, att := "", false
			switch {
			case at == cosignSig || at == cosignSimple:
				out.Signatures = append(out.Signatures, what)
				kind = verify.MaterialCosignSig
			case strings.HasPrefix(at, sigstoreBndl):
				kind = verify.MaterialBundle
				// cosign v3 stores image signatures as bundles too, with
				// its own "sign" predicate type.
				if pt := d.Annotations[bundlePredKey]; pt != "" && pt != cosignSignPredicate {
					out.Attestations = append(out.Attestations, what)
					att = true
				} else {
					out.Signatures = append(out.Signatures, what)
				}
			case strings.HasPrefix(at, inTotoPrefix), strings.HasPrefix(at, dssePrefix),
				strings.Contains(at, "spdx"), strings.Contains(at, "cyclonedx"):
				out.Attestations = append(out.Attestations, what)
				kind, att = verify.MaterialCosignAtt, true
			}
			if kind != "" && c.Material {
				if err := c.material(ctx, out, repo, d.Digest.String(), what, kind, att); err != nil {
					return nil, err
				}
			}
		}
	}
	hexPart := strings.Replace(digest, ":", "-", 1)
	for _, s := range []struct {
		want   bool
		suffix string
		into   *[]string
	}{{sigs, ".sig", &out.Signatures}, {atts, ".att", &out.Attestations}} {
		if !s.want || len(*s.into) > 0 {
			continue
		}
		tag := hexPart + s.suffix
		out.Searched = append(out.Searched, "tag "+tag)
		if d, err := c.Resolve(ctx, repo, tag); err == nil {
			*s.into = append(*s.into, "cosign tag "+tag)
			if c.Material {
				kind := verify.MaterialCosignSig
				if s.suffix == ".att" {
					kind = verify.MaterialCosignAtt
				}
				if err := c.material(ctx, out, repo, d, "cosign tag "+tag, kind, s.suffix == ".att"); err != nil {
					return nil, err
				}
			}
		} else if !errors.Is(err, verify.ErrNotFound) {
			return nil, err
		}
	}
	return out, nil
}

// material reads the manifest repo@digest of a signature or attestation
// and adds one verify.Material per layer: the layer's content (a Sigstore
// bundle, a cosign simple-signing payload or a DSSE envelope) with its
// annotations. Layers over 4 MiB are refused, as no signature is that big.
func (c *Client) material(ctx context.Context, out *verify.Attachments, repo, digest, where, kind string, att bool) error {
	ref, err := name.NewDigest(repo + "@" + digest)
	if err != nil {
		return fmt.Errorf("parsing %s@%s: %w", repo, digest, err)
	}
	desc, err := c.puller.Get(ctx, ref)
	if err != nil {
		return fmt.Errorf("reading %s: %w", where, notFound(err))
	}
	m, err := v1.ParseManifest(bytes.NewReader(desc.Manifest))
	if err != nil {
		return fmt.Errorf("parsing %s: %w", where, err)
	}
	for i, l := range m.Layers {
		if l.Size > maxMaterial {
			return fmt.Errorf("reading %s: layer %d is %d bytes, more than a signature can be", where, i, l.Size)
		}
		blob, err := remote.Layer(ref.Context().Digest(l.Digest.String()), remote.Reuse(c.puller), remote.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("reading %s layer %d: %w", where, i, err)
		}
		rc, err := blob.Compressed()
		if err != nil {
			return fmt.Errorf("reading %s layer %d: %w", where, i, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxMaterial))
		rc.Close()
		if err != nil {
			return fmt.Errorf("reading %s layer %d: %w", where, i, err)
		}
		k := kind
		if strings.HasPrefix(string(l.MediaType), sigstoreBndl) {
			k = verify.MaterialBundle
		}
		out.Material = append(out.Material, verify.Material{Kind: k, Where: where, Data: data, Annotations: l.Annotations, Attestation: att})
	}
	return nil
}

const maxMaterial = 4 << 20
