package github

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v89/github"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/sweep"
)

// Org is an organisation's repositories as a sweep.Source: the listing
// (100 per page, following Link headers), each default branch's head
// commit (one request, answered 304 from the ETag cache when unchanged),
// and the files at a commit as one tarball (one API request, redirected to
// the download host, which the rate limit does not count). Three requests
// per repository at most, whatever its size; an unchanged repository
// costs one 304 once its result is cached.
type Org struct {
	c    *Client
	name string
}

// Org returns the organisation (or user) name as a sweep source.
func (c *Client) Org(name string) *Org { return &Org{c: c, name: name} }

// bypass leaves waiting for the primary rate limit to the transport
// (httpx.Transport waits for the reset and says so), instead of go-github
// refusing requests once it has seen the limit spent.
func bypass(ctx context.Context) context.Context {
	return context.WithValue(ctx, gh.BypassRateLimitCheck, true)
}

// List lists the organisation's repositories (GET /orgs/ORG/repos, 100 a
// page). A 404 is a sweep.ListError "unknown organisation"; 401 (and 403
// without a rate limit) "token refused".
func (o *Org) List(ctx context.Context) ([]sweep.Repo, error) {
	ctx = bypass(ctx)
	var out []sweep.Repo
	opt := &gh.RepositoryListByOrgOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		repos, resp, err := o.c.api.Repositories.ListByOrg(ctx, o.name, opt)
		if err != nil {
			return nil, o.listError(err)
		}
		for _, r := range repos {
			origin := ""
			if u, err := url.Parse(r.GetHTMLURL()); err == nil && u.Host != "" {
				origin = strings.ToLower(u.Hostname()) + "/" + r.GetOwner().GetLogin() + "/" + r.GetName()
			}
			out = append(out, sweep.Repo{
				Owner: r.GetOwner().GetLogin(), Name: r.GetName(), DefaultBranch: r.GetDefaultBranch(),
				Archived: r.GetArchived(), Fork: r.GetFork(), Origin: origin,
			})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

func (o *Org) listError(err error) error {
	var er *gh.ErrorResponse
	found := errors.As(err, &er) && er.Response != nil
	err = o.c.clean(err)
	if found {
		switch er.Response.StatusCode {
		case http.StatusUnauthorized:
			return &sweep.ListError{Reason: "token refused (GITHUB_TOKEN)", Err: err}
		case http.StatusForbidden:
			return &sweep.ListError{Reason: "token refused access to organisation " + o.name, Err: err}
		case http.StatusNotFound:
			return &sweep.ListError{Reason: "unknown organisation " + o.name, Err: err}
		}
	}
	return &sweep.ListError{Reason: "cannot list organisation " + o.name, Err: err}
}

// Head returns the default branch's head commit.
func (o *Org) Head(ctx context.Context, r sweep.Repo) (string, error) {
	sha, _, err := o.c.api.Repositories.GetCommitSHA1(bypass(ctx), r.Owner, r.Name, r.DefaultBranch, "")
	if err != nil {
		return "", o.c.clean(err)
	}
	if sha == "" {
		return "", fmt.Errorf("empty head commit for %s", r.DefaultBranch)
	}
	return sha, nil
}

// Open downloads the tarball of rev and keeps what lint reads
// (sweep.TarballFS). The download host gets no token.
func (o *Org) Open(ctx context.Context, r sweep.Repo, rev string) (fs.FS, error) {
	u, _, err := o.c.api.Repositories.GetArchiveLink(bypass(ctx), r.Owner, r.Name, gh.Tarball, &gh.RepositoryContentGetOptions{Ref: rev}, 0)
	if err != nil {
		return nil, o.c.clean(err)
	}
	body, err := httpx.Get(ctx, o.c.download, u.String())
	if err != nil {
		// The signed URL's query is a credential of its own.
		return nil, errors.New(strings.ReplaceAll(err.Error(), u.String(), u.Scheme+"://"+u.Host+u.Path))
	}
	defer body.Close()
	return sweep.TarballFS(body)
}
