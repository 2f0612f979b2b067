// Package github reads GitHub and GitHub Enterprise through the REST API
// with go-github. It implements verify.Releases: a release by tag with its
// assets, and asset downloads through the API (following its redirect to
// the download host without the token). GITHUB_TOKEN authenticates API
// requests only; it never appears in errors or output.
package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v89/github"
	"github.com/tooo/relpolicy/verify"
)

// DefaultURL is the public GitHub REST API.
const DefaultURL = "https://api.github.com/"

// Client implements verify.Releases.
type Client struct {
	api      *gh.Client
	download *http.Client
	base     string
	token    string
}

// Options configure a Client.
type Options struct {
	// BaseURL is the REST API base (default DefaultURL); for GitHub
	// Enterprise, https://HOST/api/v3/.
	BaseURL string
	// Token authenticates API requests ($GITHUB_TOKEN); empty means
	// anonymous.
	Token string
	// Transport does the requests (for retries, timeouts, counting).
	Transport http.RoundTripper
	// UserAgent names the client.
	UserAgent string
}

// New returns a client.
func New(o Options) (*Client, error) {
	base := o.BaseURL
	if base == "" {
		base = DefaultURL
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	rt := o.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	opts := []gh.ClientOptionsFunc{gh.WithTransport(rt), gh.WithURLs(&base, &base)}
	if o.Token != "" {
		opts = append(opts, gh.WithAuthToken(o.Token))
	}
	if o.UserAgent != "" {
		opts = append(opts, gh.WithUserAgent(o.UserAgent))
	}
	api, err := gh.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("creating GitHub client for %s: %w", base, err)
	}
	return &Client{api: api, download: &http.Client{Transport: rt}, base: base, token: o.Token}, nil
}

// ReleaseByTag returns owner/repo's release for tag with all its assets
// (following the API's pagination), or verify.ErrNotFound.
func (c *Client) ReleaseByTag(ctx context.Context, owner, repo, tag string) (*verify.Release, error) {
	rel, _, err := c.api.Repositories.GetReleaseByTag(ctx, owner, repo, tag)
	if err != nil {
		return nil, c.clean(err)
	}
	out := &verify.Release{Tag: rel.GetTagName(), URL: rel.GetHTMLURL()}
	// The release object embeds at most one page of assets; list them all.
	opt := &gh.ListOptions{PerPage: 100}
	for {
		assets, resp, err := c.api.Repositories.ListReleaseAssets(ctx, owner, repo, rel.GetID(), opt)
		if err != nil {
			return nil, c.clean(err)
		}
		for _, a := range assets {
			out.Assets = append(out.Assets, verify.Asset{ID: a.GetID(), Name: a.GetName(), Size: int64(a.GetSize()), Digest: a.GetDigest()})
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out, nil
}

// Download streams a release asset through the API; the redirect to the
// download host is followed without the token.
func (c *Client) Download(ctx context.Context, owner, repo string, id int64) (io.ReadCloser, error) {
	rc, _, err := c.api.Repositories.DownloadReleaseAsset(ctx, owner, repo, id, c.download)
	if err != nil {
		return nil, c.clean(err)
	}
	return rc, nil
}

// clean maps a 404 to verify.ErrNotFound and strips the token from any
// error text (go-github errors quote request URLs, never headers, but a
// token must not leak even if a server echoes it).
func (c *Client) clean(err error) error {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
		return verify.ErrNotFound
	}
	if c.token != "" && strings.Contains(err.Error(), c.token) {
		return errors.New(strings.ReplaceAll(err.Error(), c.token, "[token]"))
	}
	return err
}

// Attestations returns the Sigstore bundles of GitHub's artifact
// attestations for digest ("sha256:<hex>") in owner/repo, through
// GET /repos/{owner}/{repo}/attestations/{digest} (go-github's
// ListAttestations, following pagination). None is not an error.
func (c *Client) Attestations(ctx context.Context, owner, repo, digest string) ([][]byte, error) {
	var out [][]byte
	opt := &gh.ListOptions{PerPage: 100}
	for {
		res, resp, err := c.api.Repositories.ListAttestations(ctx, owner, repo, digest, opt)
		if err != nil {
			if err = c.clean(err); errors.Is(err, verify.ErrNotFound) {
				return out, nil
			}
			return nil, fmt.Errorf("listing attestations of %s in %s/%s: %w", digest, owner, repo, err)
		}
		for _, a := range res.Attestations {
			if len(a.Bundle) > 0 {
				out = append(out, []byte(a.Bundle))
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}
