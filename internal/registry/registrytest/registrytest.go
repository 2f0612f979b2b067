// Package registrytest builds a published world for verify's tests and
// benchmarks: an in-process OCI registry (go-containerregistry's
// pkg/registry, with the referrers API unless turned off), the GitHub fake
// of internal/github/githubtest, and a TLS file host for download
// channels, plus helpers that push images, indexes, signatures and
// attestations and write a release-policy.yaml describing them.
package registrytest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/tooo/relpolicy/internal/github/githubtest"
	"github.com/tooo/relpolicy/internal/httpx"
)

// Artifact types of attachments.
const (
	CosignSig   = "application/vnd.dev.cosign.artifact.sig.v1+json"
	SigstoreBnd = "application/vnd.dev.sigstore.bundle.v0.3+json"
	InToto      = "application/vnd.in-toto+json"
)

// World is the published side of a test.
type World struct {
	T testing.TB
	// Registry is the OCI registry; Host is its host:port.
	Registry *httptest.Server
	Host     string
	// GitHub is the API fake.
	GitHub *githubtest.Server
	// Files is an HTTPS host for download channels; Put adds files.
	Files *httptest.Server

	mu    sync.Mutex
	files map[string][]byte
	delay time.Duration
	user  string
	pass  string
	fails []*fail
	// Counter counts the registry's requests by "METHOD /path".
	Counter *httpx.Counting
}

type fail struct {
	match  string
	status int
	left   int
}

// Fail makes the registry answer status to the next n requests whose
// "METHOD /path" contains match (n < 0: all of them).
func (w *World) Fail(match string, status, n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fails = append(w.fails, &fail{match: match, status: status, left: n})
}

func (w *World) injected(r *http.Request) int {
	key := r.Method + " " + r.URL.Path
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.fails {
		if f.left != 0 && strings.Contains(key, f.match) {
			f.left--
			return f.status
		}
	}
	return 0
}

// RequireAuth makes the registry demand HTTP basic credentials user:pass
// from now on (a 401 with a Basic challenge otherwise).
func (w *World) RequireAuth(user, pass string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.user, w.pass = user, pass
}

// SetDelay makes the registry, the file host and the GitHub fake wait d
// before answering each request (to model network latency).
func (w *World) SetDelay(d time.Duration) {
	w.mu.Lock()
	w.delay = d
	w.mu.Unlock()
	w.GitHub.SetDelay(d)
}

func (w *World) wait() {
	w.mu.Lock()
	d := w.delay
	w.mu.Unlock()
	if d > 0 {
		time.Sleep(d)
	}
}

// counted wraps the registry handler: it counts requests and applies the
// delay.
func (w *World) counted(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.Counter.Count(r)
		w.wait()
		if status := w.injected(r); status != 0 {
			http.Error(rw, "injected failure", status)
			return
		}
		w.mu.Lock()
		user, pass := w.user, w.pass
		w.mu.Unlock()
		if user != "" {
			if u, p, ok := r.BasicAuth(); !ok || u != user || p != pass {
				rw.Header().Set("WWW-Authenticate", `Basic realm="registrytest"`)
				rw.Header().Set("Content-Type", "application/json")
				rw.WriteHeader(http.StatusUnauthorized)
				io.WriteString(rw, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`)
				return
			}
		}
		h.ServeHTTP(rw, r)
	})
}

// New starts a world; referrers says whether the registry has the OCI 1.1
// referrers API. Everything is closed when the test ends.
func New(t testing.TB, referrers bool) *World {
	w := &World{T: t, files: map[string][]byte{}, Counter: &httpx.Counting{}}
	w.Registry = httptest.NewServer(w.counted(registry.New(registry.WithReferrersSupport(referrers), registry.Logger(nopLogger()))))
	w.Host = strings.TrimPrefix(w.Registry.URL, "http://")
	w.GitHub = githubtest.New()
	w.Files = httptest.NewTLSServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.wait()
		w.mu.Lock()
		b, ok := w.files[r.URL.Path]
		w.mu.Unlock()
		if !ok {
			http.NotFound(rw, r)
			return
		}
		rw.Write(b)
	}))
	t.Cleanup(func() { w.Registry.Close(); w.GitHub.Close(); w.Files.Close() })
	return w
}

// NewWithRegistry is New with an external registry at host (host:port on
// loopback, spoken to over plain HTTP), for tests against a real registry
// server; Registry is nil and Counter counts nothing.
func NewWithRegistry(t testing.TB, host string) *World {
	w := New(t, false)
	w.Host = host
	return w
}

// Put publishes content at path on the file host and returns its URL.
func (w *World) Put(path string, content []byte) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.files[path] = content
	return w.Files.URL + path
}

// Labels are the four OCI provenance keys for a release.
func Labels(source, revision, version string) map[string]string {
	return map[string]string{
		"org.opencontainers.image.source":   source,
		"org.opencontainers.image.revision": revision,
		"org.opencontainers.image.version":  version,
		"org.opencontainers.image.created":  "2026-11-02T10:00:00Z",
	}
}

// Image builds a random OCI image with manifest annotations and config labels.
func (w *World) Image(annotations, labels map[string]string) v1.Image {
	img, err := random.Image(256, 1)
	if err != nil {
		w.T.Fatal(err)
	}
	img = mutate.MediaType(img, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	if labels != nil {
		cf, err := img.ConfigFile()
		if err != nil {
			w.T.Fatal(err)
		}
		cfg := cf.Config
		cfg.Labels = labels
		if img, err = mutate.Config(img, cfg); err != nil {
			w.T.Fatal(err)
		}
	}
	if annotations != nil {
		img = mutate.Annotations(img, annotations).(v1.Image)
	}
	return img
}

// Index builds an OCI index of images for linux/amd64, linux/arm64, ...
// with index annotations.
func (w *World) Index(annotations map[string]string, imgs ...v1.Image) v1.ImageIndex {
	var idx v1.ImageIndex = mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	archs := []string{"amd64", "arm64", "s390x", "ppc64le"}
	for i, img := range imgs {
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img,
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: archs[i%len(archs)]}}})
	}
	if annotations != nil {
		idx = mutate.Annotations(idx, annotations).(v1.ImageIndex)
	}
	return idx
}

// Repo is host/path.
func (w *World) Repo(path string) string { return w.Host + "/" + path }

// Pushable is an image or an index.
type Pushable interface {
	remote.Taggable
	Digest() (v1.Hash, error)
}

// Push writes an image or index to repo by digest and returns the digest.
func (w *World) Push(repo string, t Pushable) string {
	d := digestOf(w.T, t)
	ref, err := name.NewDigest(repo + "@" + d)
	if err != nil {
		w.T.Fatal(err)
	}
	switch x := t.(type) {
	case v1.ImageIndex:
		err = remote.WriteIndex(ref, x)
	case v1.Image:
		err = remote.Write(ref, x)
	}
	if err != nil {
		w.T.Fatalf("pushing %s: %v", ref, err)
	}
	return d
}

// Tag points repo:tag at t (pushing it).
func (w *World) Tag(repo, tag string, t Pushable) {
	w.Push(repo, t)
	ref, err := name.NewTag(repo + ":" + tag)
	if err != nil {
		w.T.Fatal(err)
	}
	if err := remote.Tag(ref, t); err != nil {
		w.T.Fatalf("tagging %s: %v", ref, err)
	}
}

// CosignTag attaches a signature (".sig") or attestation (".att") to
// repo@digest by cosign's tag convention.
func (w *World) CosignTag(repo, digest, suffix string) {
	w.Tag(repo, strings.Replace(digest, ":", "-", 1)+suffix, w.Image(nil, nil))
}

// Referrer pushes an artifact of artifactType whose subject is repo@digest
// (the registry's referrers API or the tag-schema fallback lists it).
func (w *World) Referrer(repo, digest, artifactType string, annotations map[string]string) {
	img, err := random.Image(64, 1)
	if err != nil {
		w.T.Fatal(err)
	}
	img = mutate.MediaType(img, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.MediaType(artifactType))
	w.pushReferrer(repo, digest, annotations, img)
}

func digestOf(t testing.TB, x interface{ Digest() (v1.Hash, error) }) string {
	h, err := x.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// SHA256 is the hex SHA-256 of b.
func SHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Sums formats name → content as a sha256sum file, in the order of names.
func Sums(names []string, contents map[string][]byte) []byte {
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", SHA256(contents[n]), n)
	}
	return []byte(b.String())
}

func nopLogger() *log.Logger { return log.New(io.Discard, "", 0) }

// Layer is one layer of a signature or attestation manifest.
type Layer struct {
	MediaType   string
	Content     []byte
	Annotations map[string]string
}

// sigImage is an OCI manifest whose layers are the given ones.
func (w *World) sigImage(artifactType string, layers []Layer) v1.Image {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.MediaType(artifactType))
	for _, l := range layers {
		var err error
		img, err = mutate.Append(img, mutate.Addendum{Layer: static.NewLayer(l.Content, types.MediaType(l.MediaType)), Annotations: l.Annotations, MediaType: types.MediaType(l.MediaType)})
		if err != nil {
			w.T.Fatal(err)
		}
	}
	return img
}

// CosignTagLayers attaches a cosign .sig or .att manifest with these
// layers to repo@digest by cosign's tag convention.
func (w *World) CosignTagLayers(repo, digest, suffix string, layers []Layer) {
	w.Tag(repo, strings.Replace(digest, ":", "-", 1)+suffix, w.sigImage("application/vnd.oci.image.config.v1+json", layers))
}

// ReferrerLayers pushes a referrer of artifactType with these layers (a
// Sigstore bundle: one layer of the bundle media type) and annotations.
func (w *World) ReferrerLayers(repo, digest, artifactType string, annotations map[string]string, layers []Layer) {
	img := w.sigImage(artifactType, layers)
	w.pushReferrer(repo, digest, annotations, img)
}

// pushReferrer pushes img, with annotations, as a referrer of repo@digest:
// its subject descriptor is the subject's own (media type and size read
// from the registry). remote.Write with a subject also maintains the
// referrers tag schema index when the registry lacks the referrers API.
func (w *World) pushReferrer(repo, digest string, annotations map[string]string, img v1.Image) {
	h, err := v1.NewHash(digest)
	if err != nil {
		w.T.Fatal(err)
	}
	sub, err := name.NewDigest(repo + "@" + digest)
	if err != nil {
		w.T.Fatal(err)
	}
	d, err := remote.Head(sub)
	if err != nil {
		w.T.Fatalf("reading subject %s@%s: %v", repo, digest, err)
	}
	if annotations != nil {
		img = mutate.Annotations(img, annotations).(v1.Image)
	}
	img = mutate.Subject(img, v1.Descriptor{MediaType: d.MediaType, Digest: h, Size: d.Size}).(v1.Image)
	ref, err := name.NewDigest(repo + "@" + digestOf(w.T, img))
	if err != nil {
		w.T.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		w.T.Fatalf("pushing referrer of %s: %v", digest, err)
	}
}
