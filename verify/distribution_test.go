package verify_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tooo/relpolicy/internal/httpx"
	vt "github.com/tooo/relpolicy/internal/registry/registrytest"
	"github.com/tooo/relpolicy/verify"
)

// distribution returns host:port of a CNCF distribution registry (Debian's
// docker-registry package): $RELPOLICY_TEST_REGISTRY when set (.ci/run
// starts one), else one started here on a loopback port with storage in a
// temporary directory, else the test is skipped.
func distribution(t *testing.T) string {
	if h := os.Getenv("RELPOLICY_TEST_REGISTRY"); h != "" {
		return h
	}
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		t.Skip("docker-registry (Debian package docker-registry, the CNCF distribution server) is not installed; " +
			"apt-get install docker-registry to run this test, or set RELPOLICY_TEST_REGISTRY=host:port")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	cfg := fmt.Sprintf("version: 0.1\nlog:\n  level: error\n  accesslog: {disabled: true}\nstorage:\n  filesystem: {rootdirectory: %s}\n  delete: {enabled: true}\nhttp:\n  addr: %s\n",
		filepath.Join(dir, "data"), addr)
	if err := os.WriteFile(filepath.Join(dir, "config.yml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", filepath.Join(dir, "config.yml"))
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(15 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("docker-registry did not answer on %s: %v", addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDistributionRegistry pushes images, an index, cosign tags and a
// referrer to a real registry without the referrers API, then verifies:
// the referrer must be found through the tag-schema fallback and the
// signatures through cosign's tags.
func TestDistributionRegistry(t *testing.T) {
	w := vt.NewWithRegistry(t, distribution(t))
	repo := w.Repo(fmt.Sprintf("tooo/app-%d", time.Now().UnixNano()))
	src := "https://github.com/tooo/app"
	var rels []vt.Release
	add := func(version, tag, digest string) {
		rels = append(rels, vt.Release{Version: version, Tag: "v" + version, Revision: vt.Revision(version),
			Images: []vt.Image{{Reference: repo + ":" + tag, Digest: digest}}})
	}
	// 2.0.0: an index, labels on the index, signed through a referrer
	// (tag-schema fallback), attested through a cosign tag.
	idx := w.Index(vt.Labels(src, vt.Revision("2.0.0"), "2.0.0"), w.Image(nil, nil), w.Image(nil, nil))
	w.Tag(repo, "2.0.0", idx)
	d := w.Push(repo, idx)
	w.Referrer(repo, d, vt.CosignSig, nil)
	w.CosignTag(repo, d, ".att")
	add("2.0.0", "2.0.0", d)
	// 1.1.0: one image, labels in the config, cosign tags.
	img := w.Image(nil, vt.Labels(src, vt.Revision("1.1.0"), "1.1.0"))
	w.Tag(repo, "1.1.0", img)
	d = w.Push(repo, img)
	w.CosignTag(repo, d, ".sig")
	w.CosignTag(repo, d, ".att")
	add("1.1.0", "1.1.0", d)
	// 1.0.0: the tag moved and nothing is signed.
	img = w.Image(vt.Labels(src, vt.Revision("1.0.0"), "1.0.0"), nil)
	d = w.Push(repo, img)
	w.Tag(repo, "1.0.0", w.Image(vt.Labels(src, vt.Revision("1.0.0"), "1.0.0"), nil))
	add("1.0.0", "1.0.0", d)

	dir := t.TempDir()
	pol := vt.Policy(vt.PolicyOptions{Registry: repo, Signatures: true, Attestations: true}, rels)
	os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644)
	var counter httpx.Counting
	rep, err := verify.Run(context.Background(), sources(t, w, &counter), verify.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("errors: %v", rep.Errors)
	}
	got := byRelease(t, rep.Findings)
	want := map[string][]string{"1.0.0": {"RP404", "RP404", "RP405"}}
	for _, v := range []string{"2.0.0", "1.1.0", "1.0.0"} {
		if !slices.Equal(got[v], want[v]) {
			t.Errorf("release %s: got %v, want %v", v, got[v], want[v])
		}
	}
	res := verify.Results(rep)["tooo/app"]["2.0.0"]
	if !slices.ContainsFunc(res.Held, func(s string) bool { return strings.HasPrefix(s, "app-image: signature present") }) {
		t.Errorf("2.0.0: the referrer should be found through the tag-schema fallback: %v", rep.Repos[0].Releases[0].OCI[0].Attachments)
	}
}
