package verify_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/tooo/relpolicy/internal/github"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/internal/registry"
	vt "github.com/tooo/relpolicy/internal/registry/registrytest"
	"github.com/tooo/relpolicy/verify"
)

// TestBenchVerify is make bench-verify (docs/performance.md): 50 releases
// of 3 OCI artifacts and 20 file releases against the in-process registry
// and GitHub fake, every request delayed 20 ms, at the default
// concurrency. It fails above 2 s wall or above 2 registry requests per
// digest. Set RELPOLICY_BENCH_VERIFY=1 to run it.
func TestBenchVerify(t *testing.T) {
	if os.Getenv("RELPOLICY_BENCH_VERIFY") == "" {
		t.Skip("set RELPOLICY_BENCH_VERIFY=1 (make bench-verify)")
	}
	const ociReleases, perRelease, fileReleases, delay = 50, 3, 20, 20 * time.Millisecond
	w := vt.New(t, true)
	repo := w.Repo("tooo/app")
	src := "https://github.com/tooo/app"
	var rels []vt.Release
	for i := range ociReleases {
		v := fmt.Sprintf("2.%d.0", i)
		rel := vt.Release{Version: v, Tag: "v" + v, Revision: vt.Revision(v)}
		for k := range perRelease {
			img := w.Image(vt.Labels(src, rel.Revision, v), nil)
			tag := fmt.Sprintf("%s-%d", v, k)
			w.Tag(repo, tag, img)
			h, _ := img.Digest()
			rel.Images = append(rel.Images, vt.Image{Reference: repo + ":" + tag, Digest: h.String()})
		}
		rels = append(rels, rel)
	}
	for i := range fileReleases {
		v := fmt.Sprintf("1.%d.0", i)
		names := []string{"app-linux.tar.gz", "app-darwin.tar.gz"}
		contents := map[string][]byte{names[0]: []byte("linux " + v), names[1]: []byte("darwin " + v)}
		contents["SHA256SUMS"] = vt.Sums(names, contents)
		w.GitHub.AddRelease("tooo", "app", "v"+v, append(names, "SHA256SUMS"), contents)
		rels = append(rels, vt.Release{Version: v, Tag: "v" + v, Revision: vt.Revision(v), GitHub: ghFiles(v, names, contents)})
	}
	dir := t.TempDir()
	pol := vt.Policy(vt.PolicyOptions{Registry: repo, Checksums: "SHA256SUMS"}, rels)
	if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644); err != nil {
		t.Fatal(err)
	}
	w.Counter.Reset()
	ghBefore := w.GitHub.Total()
	w.SetDelay(delay)

	rt := httpx.New(httpx.Options{Base: http.DefaultTransport, Timeout: 30 * time.Second})
	reg, err := registry.New(rt, authn.DefaultKeychain)
	if err != nil {
		t.Fatal(err)
	}
	gh, err := github.New(github.Options{BaseURL: w.GitHub.URL(), Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := verify.Run(context.Background(), verify.Sources{Registry: reg, Releases: gh}, verify.Options{Paths: []string{dir}})
	wall := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || len(rep.Errors) != 0 {
		t.Fatalf("bench policy should verify clean: %v %v", rep.Findings, rep.Errors)
	}
	digests := ociReleases * perRelease
	regReq := w.Counter.Total()
	manifestMax := 0
	for k, n := range w.Counter.Requests() {
		if strings.Contains(k, "/manifests/") {
			manifestMax = max(manifestMax, n)
		}
	}
	perDigest := float64(regReq) / float64(digests)
	fmt.Printf("bench-verify: %d OCI digests, %d file releases, %s delay per request, concurrency 8\n", digests, fileReleases, delay)
	fmt.Printf("bench-verify: wall %.2fs; registry requests %d (%.2f per digest, at most %d per manifest path); GitHub requests %d\n",
		wall.Seconds(), regReq, perDigest, manifestMax, w.GitHub.Total()-ghBefore)
	if wall > 2*time.Second {
		t.Errorf("wall %s, budget 2s", wall)
	}
	if perDigest > 2 {
		t.Errorf("%.2f registry requests per digest, budget 2", perDigest)
	}
}
