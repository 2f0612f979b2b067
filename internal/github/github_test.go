package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	gh "github.com/google/go-github/v89/github"
	"github.com/tooo/relpolicy/internal/github/githubtest"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/verify"
)

const token = "ghp_testtoken000000000000000000000000000"

func fake(t *testing.T) (*githubtest.Server, *Client) {
	s := githubtest.New()
	t.Cleanup(s.Close)
	s.Token = token
	s.MaxPerPage = 2
	names := []string{}
	contents := map[string][]byte{}
	for i := range 5 {
		n := fmt.Sprintf("file-%d.tar.gz", i)
		names = append(names, n)
		contents[n] = []byte("content " + n)
	}
	s.AddRelease("tooo", "app", "v1.0.0", names, contents)
	rt := httpx.New(httpx.Options{Backoff: time.Millisecond, Sleep: func(context.Context, time.Duration) error { return nil }})
	c, err := New(Options{BaseURL: s.URL(), Token: token, Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestReleaseByTagPaginates(t *testing.T) {
	s, c := fake(t)
	rel, err := c.ReleaseByTag(context.Background(), "tooo", "app", "v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Assets) != 5 || rel.Assets[4].Name != "file-4.tar.gz" || !strings.HasPrefix(rel.Assets[0].Digest, "sha256:") {
		t.Fatalf("assets %+v", rel.Assets)
	}
	// The server caps per_page at 2: five assets take three pages.
	if n := s.Requests()["GET /repos/tooo/app/releases/1/assets"]; n != 3 {
		t.Errorf("%d asset pages requested, want 3", n)
	}
	if _, err := c.ReleaseByTag(context.Background(), "tooo", "app", "v9"); !errors.Is(err, verify.ErrNotFound) {
		t.Errorf("missing release: %v", err)
	}
}

func TestDownloadFollowsRedirectWithoutToken(t *testing.T) {
	_, c := fake(t)
	rel, err := c.ReleaseByTag(context.Background(), "tooo", "app", "v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	// The download host refuses an Authorization header, as GitHub's
	// signed URLs do: the content arriving proves the token stayed home.
	rc, err := c.Download(context.Background(), "tooo", "app", rel.Assets[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "content file-1.tar.gz" {
		t.Errorf("downloaded %q", b)
	}
}

func TestInjectedFailuresAreRetried(t *testing.T) {
	s, c := fake(t)
	s.Fail("/releases/tags/", http.StatusBadGateway, 1, "")
	s.Fail("/releases/tags/", http.StatusForbidden, 1, "1")
	s.Fail("/assets", http.StatusTooManyRequests, 1, "0")
	if _, err := c.ReleaseByTag(context.Background(), "tooo", "app", "v1.0.0"); err != nil {
		t.Fatalf("retries should absorb 502, 403+Retry-After and 429: %v", err)
	}
	if n := s.Requests()["GET /repos/tooo/app/releases/tags/v1.0.0"]; n != 3 {
		t.Errorf("tag endpoint asked %d times, want 3", n)
	}
	// A 403 without Retry-After is a refusal: no retry, an error.
	s.Fail("/releases/tags/", http.StatusForbidden, 1, "")
	if _, err := c.ReleaseByTag(context.Background(), "tooo", "app", "v1.0.0"); err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("plain 403: %v", err)
	}
}

func TestFakeETagAndRateLimit(t *testing.T) {
	s, _ := fake(t)
	get := func(etag string) *http.Response {
		req, _ := http.NewRequest("GET", s.URL()+"repos/tooo/app/releases/tags/v1.0.0", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	first := get("")
	etag := first.Header.Get("ETag")
	if first.StatusCode != 200 || etag == "" || first.Header.Get("X-RateLimit-Remaining") == "" {
		t.Fatalf("first: %d %v", first.StatusCode, first.Header)
	}
	if second := get(etag); second.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", second.StatusCode)
	}
	// The 304 is not charged, as on GitHub.
	if l := get("").Header.Get("X-RateLimit-Used"); l != "2" {
		t.Errorf("X-RateLimit-Used %q, want 2", l)
	}
}

func TestBadToken(t *testing.T) {
	s, _ := fake(t)
	c, _ := New(Options{BaseURL: s.URL(), Token: "wrong-" + token})
	_, err := c.ReleaseByTag(context.Background(), "tooo", "app", "v1.0.0")
	if err == nil || errors.Is(err, verify.ErrNotFound) || strings.Contains(err.Error(), token) {
		t.Errorf("bad token: %v", err)
	}
}

// TestFakeReposAndContents exercises the fake's sweep endpoints through
// go-github: the organisation listing (paginated) and file contents.
func TestFakeReposAndContents(t *testing.T) {
	s := githubtest.New()
	t.Cleanup(s.Close)
	s.MaxPerPage = 2
	for _, n := range []string{"a", "b", "c"} {
		s.AddRepo("tooo", n)
	}
	s.AddRepo("other", "x")
	arch := s.AddRepo("tooo", "old")
	arch.Archived = true
	s.AddRepo("tooo", "a").Files["release-policy.yaml"] = []byte("version: 1\n")
	api, err := gh.NewClient(gh.WithURLs(ptr(s.URL()), ptr(s.URL())))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	opt := &gh.RepositoryListByOrgOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		repos, resp, err := api.Repositories.ListByOrg(context.Background(), "tooo", opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range repos {
			names = append(names, r.GetFullName()+map[bool]string{true: " (archived)", false: ""}[r.GetArchived()])
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if strings.Join(names, ",") != "tooo/a,tooo/b,tooo/c,tooo/old (archived)" {
		t.Errorf("listing: %v", names)
	}
	fc, _, _, err := api.Repositories.GetContents(context.Background(), "tooo", "a", "release-policy.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := fc.GetContent(); c != "version: 1\n" {
		t.Errorf("contents %q", c)
	}
	if _, _, _, err := api.Repositories.GetContents(context.Background(), "tooo", "b", "release-policy.yaml", nil); err == nil {
		t.Error("a missing file must be a 404")
	}
}

func ptr(s string) *string { return &s }
