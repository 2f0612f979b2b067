package verify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/tooo/relpolicy/internal/github"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/internal/registry"
	vt "github.com/tooo/relpolicy/internal/registry/registrytest"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/verify"
)

// scenario publishes one release per seeded fault (and four clean ones,
// newest first) and returns the policy directory and, per version, the
// rules verify must report.
func scenario(t *testing.T, w *vt.World) (dir string, want map[string][]string) {
	repo := w.Repo("tooo/app")
	src := "https://github.com/tooo/app"
	want = map[string][]string{}
	var rels []vt.Release
	signed := func(d string) { w.CosignTag(repo, d, ".sig"); w.CosignTag(repo, d, ".att") }

	// 1.0.0 clean: an index with annotations on the index, signed and
	// attested through referrers (a cosign signature and a sigstore bundle).
	{
		rev := vt.Revision("1.0.0")
		idx := w.Index(vt.Labels(src, rev, "1.0.0"), w.Image(nil, nil), w.Image(nil, nil))
		w.Tag(repo, "1.0.0", idx)
		d := w.Push(repo, idx)
		w.Referrer(repo, d, vt.CosignSig, nil)
		w.Referrer(repo, d, vt.SigstoreBnd, map[string]string{"dev.sigstore.bundle.predicateType": "https://slsa.dev/provenance/v1"})
		rels = append(rels, vt.Release{Version: "1.0.0", Tag: "v1.0.0", Revision: rev, Images: []vt.Image{{Reference: repo + ":1.0.0", Digest: d}}})
	}
	// 0.9.0 clean: a single image with config labels, cosign tags; and an
	// index whose labels sit on each platform (annotation on one, config
	// label on the other).
	{
		rev := vt.Revision("0.9.0")
		img := w.Image(nil, vt.Labels(src+".git", rev[:12], "v0.9.0"))
		w.Tag(repo, "0.9.0", img)
		d := w.Push(repo, img)
		signed(d)
		idx := w.Index(nil, w.Image(vt.Labels(src, rev, "0.9.0"), nil), w.Image(nil, vt.Labels(src, rev, "0.9.0")))
		w.Tag(repo, "0.9.0-multi", idx)
		d2 := w.Push(repo, idx)
		signed(d2)
		rels = append(rels, vt.Release{Version: "0.9.0", Tag: "v0.9.0", Revision: rev, Images: []vt.Image{
			{Reference: repo + ":0.9.0", Digest: d}, {Reference: repo + ":0.9.0-multi", Digest: d2}}})
	}
	// 0.8.0 clean: GitHub release files with SHA256SUMS (one name needs
	// escaping, one uses the binary marker), and download files.
	{
		names := []string{"app-linux.tar.gz", "app-windows.zip"}
		contents := map[string][]byte{"app-linux.tar.gz": []byte("linux build 0.8.0"), "app-windows.zip": []byte("windows build 0.8.0")}
		sums := fmt.Sprintf("%s  app-linux.tar.gz\n%s *app-windows.zip\n", vt.SHA256(contents["app-linux.tar.gz"]), vt.SHA256(contents["app-windows.zip"]))
		contents["SHA256SUMS"] = []byte(sums)
		w.GitHub.AddRelease("tooo", "app", "v0.8.0", append(names, "SHA256SUMS"), contents)
		bundle := []byte("bundle 0.8.0")
		u := w.Put("/dl/0.8.0/app-bundle.tar", bundle)
		w.Put("/dl/0.8.0/SHA256SUMS", []byte(vt.SHA256(bundle)+"  app-bundle.tar\n"))
		rels = append(rels, vt.Release{Version: "0.8.0", Tag: "v0.8.0", Revision: vt.Revision("0.8.0"),
			GitHub:   ghFiles("0.8.0", names, contents),
			Download: []vt.File{{Name: "app-bundle.tar", URL: u, SHA256: vt.SHA256(bundle)}}})
	}
	clean := len(rels)

	oci := func(version string, wantRules []string, publish func(rev string) (ref, digest string)) {
		rev := vt.Revision(version)
		ref, d := publish(rev)
		rels = append(rels, vt.Release{Version: version, Tag: "v" + version, Revision: rev, Images: []vt.Image{{Reference: ref, Digest: d}}})
		want[version] = wantRules
	}
	// Digest gone: the ledger digest was never pushed; the tag points at
	// another build.
	oci("0.7.0", []string{"RP405", "RP405"}, func(rev string) (string, string) {
		other := w.Image(vt.Labels(src, rev, "0.7.0"), nil)
		w.Tag(repo, "0.7.0", other)
		return repo + ":0.7.0", "sha256:" + strings.Repeat("ab", 32)
	})
	// Tag moved to a rebuild.
	oci("0.6.0", []string{"RP405"}, func(rev string) (string, string) {
		orig := w.Image(vt.Labels(src, rev, "0.6.0"), nil)
		d := w.Push(repo, orig)
		signed(d)
		w.Tag(repo, "0.6.0", w.Image(vt.Labels(src, rev, "0.6.0"), nil))
		return repo + ":0.6.0", d
	})
	// Revision label contradicting the ledger.
	oci("0.5.0", []string{"RP408"}, func(rev string) (string, string) {
		img := w.Image(vt.Labels(src, vt.Revision("elsewhere"), "0.5.0"), nil)
		w.Tag(repo, "0.5.0", img)
		d := w.Push(repo, img)
		signed(d)
		return repo + ":0.5.0", d
	})
	// Labels missing: no version, no created anywhere.
	oci("0.4.0", []string{"RP407"}, func(rev string) (string, string) {
		img := w.Image(map[string]string{"org.opencontainers.image.source": src}, map[string]string{"org.opencontainers.image.revision": rev})
		w.Tag(repo, "0.4.0", img)
		d := w.Push(repo, img)
		signed(d)
		return repo + ":0.4.0", d
	})
	// Signature claimed but absent (the attestation is there).
	oci("0.3.0", []string{"RP404"}, func(rev string) (string, string) {
		img := w.Image(vt.Labels(src, rev, "0.3.0"), nil)
		w.Tag(repo, "0.3.0", img)
		d := w.Push(repo, img)
		w.CosignTag(repo, d, ".att")
		return repo + ":0.3.0", d
	})
	// Signature only on another digest: each platform of the index is
	// signed, the index itself is not.
	oci("0.2.0", []string{"RP404"}, func(rev string) (string, string) {
		a, b := w.Image(nil, nil), w.Image(nil, nil)
		idx := w.Index(vt.Labels(src, rev, "0.2.0"), a, b)
		w.Tag(repo, "0.2.0", idx)
		d := w.Push(repo, idx)
		for _, p := range []vt.Pushable{a, b} {
			h, _ := p.Digest()
			w.Referrer(repo, h.String(), vt.CosignSig, nil)
		}
		w.CosignTag(repo, d, ".att")
		return repo + ":0.2.0", d
	})
	// Attestation claimed but absent (the signature is there).
	oci("0.1.0", []string{"RP404"}, func(rev string) (string, string) {
		img := w.Image(vt.Labels(src, rev, "0.1.0"), nil)
		w.Tag(repo, "0.1.0", img)
		d := w.Push(repo, img)
		w.CosignTag(repo, d, ".sig")
		return repo + ":0.1.0", d
	})

	files := func(version string, wantRules []string, publish func(contents map[string][]byte) []string) {
		names := []string{"app-linux.tar.gz"}
		contents := map[string][]byte{"app-linux.tar.gz": []byte("linux build " + version)}
		ledger := ghFiles(version, names, contents)
		assets := publish(contents)
		if assets != nil {
			w.GitHub.AddRelease("tooo", "app", "v"+version, assets, contents)
		}
		rels = append(rels, vt.Release{Version: version, Tag: "v" + version, Revision: vt.Revision(version), GitHub: ledger})
		want[version] = wantRules
	}
	// Checksum file missing from the release.
	files("0.0.9", []string{"RP406"}, func(c map[string][]byte) []string {
		return []string{"app-linux.tar.gz"}
	})
	// Checksum mismatch: SHA256SUMS disagrees with the ledger.
	files("0.0.8", []string{"RP406"}, func(c map[string][]byte) []string {
		c["SHA256SUMS"] = []byte(vt.SHA256([]byte("another build")) + "  app-linux.tar.gz\n")
		return []string{"app-linux.tar.gz", "SHA256SUMS"}
	})
	// Ledger file not an asset (and so not in the checksum file either).
	files("0.0.7", []string{"RP406"}, func(c map[string][]byte) []string {
		c["SHA256SUMS"] = vt.Sums([]string{"app-linux.tar.gz"}, c)
		return []string{"SHA256SUMS"}
	})
	// Release missing for the tag.
	files("0.0.6", []string{"RP406"}, func(c map[string][]byte) []string { return nil })
	// Download channel: checksum mismatch next to the files.
	{
		bundle := []byte("bundle 0.0.5")
		u := w.Put("/dl/0.0.5/app-bundle.tar", bundle)
		w.Put("/dl/0.0.5/SHA256SUMS", []byte(vt.SHA256([]byte("other"))+"  app-bundle.tar\n"))
		rels = append(rels, vt.Release{Version: "0.0.5", Tag: "v0.0.5", Revision: vt.Revision("0.0.5"),
			Download: []vt.File{{Name: "app-bundle.tar", URL: u, SHA256: vt.SHA256(bundle)}}})
		want["0.0.5"] = []string{"RP406"}
	}
	// Only --deep finds it: the uploaded asset differs from the ledger and
	// the checksum file, and the API gives no digest.
	{
		good := []byte("linux build 0.0.4")
		contents := map[string][]byte{"app-linux.tar.gz": []byte("tampered"), "SHA256SUMS": []byte(vt.SHA256(good) + "  app-linux.tar.gz\n")}
		rel := w.GitHub.AddRelease("tooo", "app", "v0.0.4", []string{"app-linux.tar.gz", "SHA256SUMS"}, contents)
		for _, a := range rel.Assets {
			a.NoDigest = true
		}
		rels = append(rels, vt.Release{Version: "0.0.4", Tag: "v0.0.4", Revision: vt.Revision("0.0.4"),
			GitHub: []vt.File{{Name: "app-linux.tar.gz", URL: "https://github.com/tooo/app/releases/download/v0.0.4/app-linux.tar.gz", SHA256: vt.SHA256(good)}}})
	}
	for v := range want {
		if slices.ContainsFunc(rels[:clean], func(r vt.Release) bool { return r.Version == v }) {
			t.Fatalf("fault %s among the clean releases", v)
		}
	}
	dir = t.TempDir()
	pol := vt.Policy(vt.PolicyOptions{Registry: repo, Signatures: true, Attestations: true, Checksums: "SHA256SUMS"}, rels)
	if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, want
}

func ghFiles(version string, names []string, contents map[string][]byte) []vt.File {
	var out []vt.File
	for _, n := range names {
		out = append(out, vt.File{Name: n, URL: "https://github.com/tooo/app/releases/download/v" + version + "/" + n, SHA256: vt.SHA256(contents[n])})
	}
	return out
}

// sources wires the real clients to the world, counting registry requests.
func sources(t *testing.T, w *vt.World, counter *httpx.Counting) verify.Sources {
	t.Helper()
	counter.Base = http.DefaultTransport
	reg, err := registry.New(httpx.New(httpx.Options{Base: counter, Retries: -1}), authn.DefaultKeychain)
	if err != nil {
		t.Fatal(err)
	}
	fast := httpx.New(httpx.Options{Backoff: time.Millisecond})
	gh, err := github.New(github.Options{BaseURL: w.GitHub.URL(), Transport: fast})
	if err != nil {
		t.Fatal(err)
	}
	return verify.Sources{Registry: reg, Releases: gh, Fetcher: httpx.Fetcher{Transport: w.Files.Client().Transport}}
}

var releaseOf = regexp.MustCompile(`of release (\S+):`)

func byRelease(t *testing.T, fs []finding.Finding) map[string][]string {
	got := map[string][]string{}
	for _, f := range fs {
		m := releaseOf.FindStringSubmatch(f.Message)
		if m == nil {
			t.Errorf("finding names no release: %+v", f)
			continue
		}
		got[m[1]] = append(got[m[1]], f.Rule)
	}
	for _, v := range got {
		sort.Strings(v)
	}
	return got
}

func TestSeededFaults(t *testing.T) {
	for _, referrers := range []bool{true, false} {
		t.Run(fmt.Sprintf("referrersAPI=%v", referrers), func(t *testing.T) {
			w := vt.New(t, referrers)
			dir, want := scenario(t, w)
			var counter httpx.Counting
			rep, err := verify.Run(context.Background(), sources(t, w, &counter), verify.Options{Paths: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Errors) > 0 {
				t.Fatalf("errors: %v", rep.Errors)
			}
			got := byRelease(t, rep.Findings)
			for v, rules := range want {
				if !slices.Equal(got[v], rules) {
					t.Errorf("release %s: got %v, want %v", v, got[v], rules)
				}
			}
			for v, rules := range got {
				if _, ok := want[v]; !ok {
					t.Errorf("release %s should be clean, got %v", v, rules)
				}
			}
			for _, f := range rep.Findings {
				if f.Line == 0 || f.Path != "release-policy.yaml" {
					t.Errorf("finding without a position: %+v", f)
				}
				if strings.Contains(strings.ToLower(f.Message), "verified") {
					t.Errorf("a verify message must say present, not verified: %s", f.Message)
				}
			}
			// The request bound: one manifest GET per digest, one HEAD per tag.
			for k, n := range counter.Requests() {
				if strings.Contains(k, "/manifests/") && n > 1 {
					t.Errorf("%d requests for %s; want at most 1", n, k)
				}
			}
		})
	}
}

// TestSeededFaultPositions checks findings point at the right ledger line:
// the digest for a missing digest, the reference for a moved tag, the file
// name for a missing asset, the tag for a missing release.
func TestSeededFaultPositions(t *testing.T) {
	w := vt.New(t, true)
	dir, _ := scenario(t, w)
	var counter httpx.Counting
	rep, err := verify.Run(context.Background(), sources(t, w, &counter), verify.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "release-policy.yaml"))
	lines := strings.Split(string(src), "\n")
	at := func(f finding.Finding) string { return strings.TrimSpace(lines[f.Line-1]) }
	checks := map[string]string{
		"digest sha256:abab": "digest: sha256:abab",
		"now points at":      "reference: ",
		"is not an asset":    "- name: app-linux.tar.gz",
		"does not exist":     "tag: v0.0.6",
		"gives sha256":       "sha256: ",
	}
	for frag, prefix := range checks {
		found := false
		for _, f := range rep.Findings {
			if strings.Contains(f.Message, frag) {
				found = true
				if !strings.HasPrefix(at(f), prefix) {
					t.Errorf("%q: finding at line %d %q, want a line starting %q", frag, f.Line, at(f), prefix)
				}
			}
		}
		if !found {
			t.Errorf("no finding mentions %q", frag)
		}
	}
}

func TestCleanPasses(t *testing.T) {
	w := vt.New(t, true)
	dir, _ := scenario(t, w)
	// Transient failures are retried, not reported.
	w.GitHub.Fail("/releases/tags/", http.StatusBadGateway, 1, "")
	w.GitHub.Fail("/assets", http.StatusTooManyRequests, 1, "0")
	w.GitHub.Fail("/download/", http.StatusServiceUnavailable, 1, "")
	var counter httpx.Counting
	rep, err := verify.Run(context.Background(), sources(t, w, &counter), verify.Options{Paths: []string{dir}, CollectOptions: verify.CollectOptions{Releases: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || len(rep.Errors) != 0 {
		t.Fatalf("clean releases: findings %v, errors %v", rep.Findings, rep.Errors)
	}
	if n := w.GitHub.Requests()["GET /repos/tooo/app/releases/tags/v0.8.0"]; n != 2 {
		t.Errorf("the release was asked %d times; want 2 (one injected 502, one retry)", n)
	}
	if n := len(rep.Repos[0].Releases); n != 3 {
		t.Fatalf("--releases 3 verified %d releases", n)
	}
}

func TestDeepHashesAssets(t *testing.T) {
	w := vt.New(t, true)
	dir, _ := scenario(t, w)
	var counter httpx.Counting
	rep, err := verify.Run(context.Background(), sources(t, w, &counter), verify.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := byRelease(t, rep.Findings)["0.0.4"]; got != nil {
		t.Fatalf("without --deep 0.0.4 should pass, got %v", got)
	}
	var wrapped atomic.Int32
	rep, err = verify.Run(context.Background(), sources(t, w, &counter), verify.Options{Paths: []string{dir},
		CollectOptions: verify.CollectOptions{Deep: true, Wrap: func(_ string, _ int64, r io.Reader) io.Reader { wrapped.Add(1); return r }}})
	if err != nil {
		t.Fatal(err)
	}
	if got := byRelease(t, rep.Findings)["0.0.4"]; !slices.Equal(got, []string{"RP406"}) {
		t.Fatalf("with --deep 0.0.4: got %v, want [RP406]", got)
	}
	if wrapped.Load() == 0 {
		t.Error("--deep downloads were not passed to Wrap")
	}
}

func TestUnreachableRegistryIsAnError(t *testing.T) {
	w := vt.New(t, true)
	dead := "127.0.0.1:1/tooo/app"
	pol := vt.Policy(vt.PolicyOptions{Registry: dead}, []vt.Release{{Version: "1.0.0", Tag: "v1.0.0", Revision: vt.Revision("x"),
		Images: []vt.Image{{Reference: dead + ":1.0.0", Digest: "sha256:" + strings.Repeat("cd", 32)}}}})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644)
	var counter httpx.Counting
	rep, err := verify.Run(context.Background(), sources(t, w, &counter), verify.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Errorf("an unreachable registry must not yield findings: %v", rep.Findings)
	}
	if len(rep.Errors) == 0 || !strings.Contains(strings.Join(rep.Errors, "\n"), "127.0.0.1:1/tooo/app") {
		t.Errorf("errors should name the registry reference: %v", rep.Errors)
	}
}

func TestResults(t *testing.T) {
	w := vt.New(t, true)
	dir, _ := scenario(t, w)
	var counter httpx.Counting
	rep, err := verify.Run(context.Background(), sources(t, w, &counter), verify.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	res := verify.Results(rep)["tooo/app"]
	clean := strings.Join(res["1.0.0"].Held, "\n")
	for _, want := range []string{"tag " + w.Repo("tooo/app") + ":1.0.0 still points at this digest", "signature present", "attestation present", "provenance labels present"} {
		if !strings.Contains(clean, want) {
			t.Errorf("1.0.0 held %q, want %q", clean, want)
		}
	}
	if len(res["1.0.0"].Failed) != 0 {
		t.Errorf("1.0.0 failed: %v", res["1.0.0"].Failed)
	}
	if got := strings.Join(res["0.8.0"].Held, "\n"); !strings.Contains(got, "app-cli: every file is a release asset; SHA256SUMS agrees with the ledger") {
		t.Errorf("0.8.0 held %q", got)
	}
	moved := res["0.6.0"]
	if len(moved.Failed) != 1 || !strings.HasPrefix(moved.Failed[0], "RP405: ") || strings.Contains(strings.Join(moved.Held, " "), "still points") {
		t.Errorf("0.6.0: held %v failed %v", moved.Held, moved.Failed)
	}
}

// TestRegistryFailures: a transient 503 is retried; a registry that keeps
// failing is an error naming the reference, never a finding.
func TestRegistryFailures(t *testing.T) {
	w := vt.New(t, true)
	repo := w.Repo("tooo/app")
	rev := vt.Revision("1.0.0")
	img := w.Image(vt.Labels("https://github.com/tooo/app", rev, "1.0.0"), nil)
	w.Tag(repo, "1.0.0", img)
	h, _ := img.Digest()
	pol := vt.Policy(vt.PolicyOptions{Registry: repo}, []vt.Release{{Version: "1.0.0", Tag: "v1.0.0", Revision: rev,
		Images: []vt.Image{{Reference: repo + ":1.0.0", Digest: h.String()}}}})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte(pol), 0o644)
	runWith := func() *verify.Report {
		reg, err := registry.New(httpx.New(httpx.Options{Backoff: time.Millisecond}), authn.DefaultKeychain)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := verify.Run(context.Background(), verify.Sources{Registry: reg}, verify.Options{Paths: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	w.Fail("/manifests/", http.StatusServiceUnavailable, 1)
	if rep := runWith(); len(rep.Findings)+len(rep.Errors) != 0 {
		t.Errorf("a transient 503: findings %v, errors %v", rep.Findings, rep.Errors)
	}
	w.Fail("/manifests/", http.StatusInternalServerError, -1)
	rep := runWith()
	if len(rep.Findings) != 0 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], repo+":1.0.0") {
		t.Errorf("a failing registry: findings %v, errors %v", rep.Findings, rep.Errors)
	}
}
