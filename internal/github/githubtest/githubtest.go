// Package githubtest is an in-process fake of the GitHub REST API for
// tests of verify and sweep: organisation and user repository listings,
// repositories, file contents, releases and assets, asset
// downloads through the API with its 302 redirect to a separate download
// host, real pagination (Link headers, per_page capped by the server),
// ETags answered with 304, rate-limit headers, an optional required token,
// and injected failures (5xx, 403 with Retry-After, 429).
package githubtest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is the fake. API is the REST API (use API.URL+"/" as the base
// URL); Downloads is the host asset downloads redirect to.
type Server struct {
	API       *httptest.Server
	Downloads *httptest.Server

	// Token, when set, is required as "Bearer <Token>" on API requests;
	// the download host refuses any Authorization header (GitHub's signed
	// download URLs must not receive the token).
	Token string
	// MaxPerPage caps per_page, as GitHub does at 100 (default 100).
	MaxPerPage int
	// RateLimit is the X-RateLimit-Limit reported (default 5000).
	RateLimit int
	// Delay is waited before answering each request (to model latency).
	Delay time.Duration

	mu       sync.Mutex
	repos    map[string]*Repo
	faults   []*fault
	requests map[string]int
	used     int
	nextID   int64
}

// Repo is a repository: its listing fields, its files at the default
// branch's head (path → content, served by the contents API) and its
// releases, newest first. Set fields before requests are made.
type Repo struct {
	Owner, Name   string
	Archived      bool
	Fork          bool
	Private       bool
	DefaultBranch string
	// Head is the default branch's head commit SHA.
	Head     string
	Files    map[string][]byte
	Releases []*Release
	// Attestations are artifact attestations (Sigstore bundle JSON) by
	// subject digest "sha256:<hex>", served by the attestations API.
	Attestations map[string][][]byte
}

// Release is one release.
type Release struct {
	ID     int64
	Tag    string
	Name   string
	Draft  bool
	Assets []*Asset
}

// Asset is one uploaded file.
type Asset struct {
	ID      int64
	Name    string
	Content []byte
	// NoDigest leaves out the "digest" field (GitHub only reports it for
	// assets uploaded since mid 2025).
	NoDigest bool
}

type fault struct {
	match      string
	status     int
	retryAfter string
	left       int
}

// New starts the fake; Close stops it.
func New() *Server {
	s := &Server{MaxPerPage: 100, RateLimit: 5000, repos: map[string]*Repo{}, requests: map[string]int{}}
	s.API = httptest.NewServer(http.HandlerFunc(s.serveAPI))
	s.Downloads = httptest.NewServer(http.HandlerFunc(s.serveDownload))
	return s
}

// SetDelay sets Delay while the server runs.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Delay = d
}

// Close stops both servers.
func (s *Server) Close() {
	s.API.Close()
	s.Downloads.Close()
}

// URL is the API base URL with its trailing slash.
func (s *Server) URL() string { return s.API.URL + "/" }

// AddRepo adds (or replaces) a repository and returns it.
func (s *Server) AddRepo(owner, name string) *Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := sha256.Sum256([]byte(owner + "/" + name))
	r := &Repo{Owner: owner, Name: name, DefaultBranch: "main", Head: hex.EncodeToString(sum[:20]), Files: map[string][]byte{}}
	s.repos[owner+"/"+name] = r
	return r
}

// AddRelease adds a release with assets (name → content) to owner/name,
// creating the repository if needed, and returns it. Assets keep the
// order of names.
func (s *Server) AddRelease(owner, name, tag string, names []string, contents map[string][]byte) *Release {
	s.mu.Lock()
	r := s.repos[owner+"/"+name]
	s.mu.Unlock()
	if r == nil {
		r = s.AddRepo(owner, name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	rel := &Release{ID: s.nextID, Tag: tag, Name: tag}
	for _, n := range names {
		s.nextID++
		rel.Assets = append(rel.Assets, &Asset{ID: s.nextID, Name: n, Content: contents[n]})
	}
	r.Releases = append(r.Releases, rel)
	return rel
}

// Fail makes the next n requests whose "METHOD /path" contains match
// answer status (with Retry-After when retryAfter is not empty).
func (s *Server) Fail(match string, status, n int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{match: match, status: status, retryAfter: retryAfter, left: n})
}

// Requests returns how many requests each "METHOD /path" got (both hosts;
// download paths start with /download/).
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

// Total is the number of requests to both hosts.
func (s *Server) Total() int {
	n := 0
	for _, v := range s.Requests() {
		n += v
	}
	return n
}

func (s *Server) count(r *http.Request) *fault {
	key := r.Method + " " + r.URL.Path
	s.mu.Lock()
	delay := s.Delay
	s.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[key]++
	for _, f := range s.faults {
		if f.left > 0 && strings.Contains(key, f.match) {
			f.left--
			return f
		}
	}
	return nil
}

func apiError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

func (s *Server) rateHeaders(w http.ResponseWriter) {
	s.mu.Lock()
	s.used++
	used := s.used
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(s.RateLimit-used, 0)))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if f := s.count(r); f != nil {
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		apiError(w, f.status, "injected failure")
		return
	}
	s.rateHeaders(w)
	if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		apiError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if r.Method != http.MethodGet {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	if len(parts) == 3 && (parts[0] == "orgs" || parts[0] == "users") && parts[2] == "repos" {
		s.page(w, r, s.listRepos(parts[1]))
		return
	}
	if len(parts) < 3 || parts[0] != "repos" {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	s.mu.Lock()
	repo := s.repos[parts[1]+"/"+parts[2]]
	s.mu.Unlock()
	if repo == nil {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	switch {
	case len(parts) == 3:
		s.json(w, r, repoJSON(repo))
		return
	case len(parts) >= 5 && parts[3] == "contents":
		p := strings.Join(parts[4:], "/")
		b, ok := repo.Files[p]
		if !ok {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		sum := sha256.Sum256(b)
		s.json(w, r, map[string]any{"type": "file", "name": parts[len(parts)-1], "path": p, "size": len(b),
			"encoding": "base64", "content": base64.StdEncoding.EncodeToString(b), "sha": hex.EncodeToString(sum[:20])})
		return
	case len(parts) == 5 && parts[3] == "attestations":
		// GET /repos/o/r/attestations/{digest}: 404 when there are none.
		var items []any
		for _, b := range repo.Attestations[parts[4]] {
			items = append(items, map[string]any{"bundle": json.RawMessage(b), "repository_id": 1})
		}
		if len(items) == 0 {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		s.json(w, r, map[string]any{"attestations": items})
		return
	case len(parts) < 4 || parts[3] != "releases":
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	rest := parts[4:]
	switch {
	case len(rest) == 0: // GET /repos/o/r/releases
		items := make([]any, len(repo.Releases))
		for i, rel := range repo.Releases {
			items[i] = s.releaseJSON(repo, rel)
		}
		s.page(w, r, items)
	case len(rest) == 2 && rest[0] == "tags":
		for _, rel := range repo.Releases {
			if rel.Tag == rest[1] && !rel.Draft {
				s.json(w, r, s.releaseJSON(repo, rel))
				return
			}
		}
		apiError(w, http.StatusNotFound, "Not Found")
	case len(rest) == 2 && rest[0] == "assets":
		id, _ := strconv.ParseInt(rest[1], 10, 64)
		rel, a := repo.asset(id)
		if a == nil {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		if strings.Contains(r.Header.Get("Accept"), "application/octet-stream") {
			http.Redirect(w, r, fmt.Sprintf("%s/download/%d/%s?sig=fake", s.Downloads.URL, a.ID, url.PathEscape(a.Name)), http.StatusFound)
			return
		}
		s.json(w, r, s.assetJSON(repo, rel, a))
	case len(rest) == 2 && rest[1] == "assets":
		id, _ := strconv.ParseInt(rest[0], 10, 64)
		for _, rel := range repo.Releases {
			if rel.ID == id {
				items := make([]any, len(rel.Assets))
				for i, a := range rel.Assets {
					items[i] = s.assetJSON(repo, rel, a)
				}
				s.page(w, r, items)
				return
			}
		}
		apiError(w, http.StatusNotFound, "Not Found")
	default:
		apiError(w, http.StatusNotFound, "Not Found")
	}
}

func (s *Server) listRepos(owner string) []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for k, r := range s.repos {
		if r.Owner == owner {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	items := make([]any, len(names))
	for i, k := range names {
		items[i] = repoJSON(s.repos[k])
	}
	return items
}

func repoJSON(r *Repo) map[string]any {
	return map[string]any{
		"name": r.Name, "full_name": r.Owner + "/" + r.Name, "owner": map[string]any{"login": r.Owner},
		"archived": r.Archived, "fork": r.Fork, "private": r.Private, "default_branch": r.DefaultBranch,
		"html_url": "https://github.example/" + r.Owner + "/" + r.Name,
	}
}

func (r *Repo) asset(id int64) (*Release, *Asset) {
	for _, rel := range r.Releases {
		for _, a := range rel.Assets {
			if a.ID == id {
				return rel, a
			}
		}
	}
	return nil, nil
}

func (s *Server) releaseJSON(repo *Repo, rel *Release) map[string]any {
	assets := []any{}
	for i, a := range rel.Assets {
		if i == 30 { // the release object embeds a first page only
			break
		}
		assets = append(assets, s.assetJSON(repo, rel, a))
	}
	return map[string]any{
		"id": rel.ID, "tag_name": rel.Tag, "name": rel.Name, "draft": rel.Draft,
		"html_url": fmt.Sprintf("https://github.example/%s/%s/releases/tag/%s", repo.Owner, repo.Name, rel.Tag),
		"assets":   assets,
	}
}

func (s *Server) assetJSON(repo *Repo, rel *Release, a *Asset) map[string]any {
	m := map[string]any{
		"id": a.ID, "name": a.Name, "size": len(a.Content), "state": "uploaded",
		"content_type": "application/octet-stream",
		"url":          fmt.Sprintf("%s/repos/%s/%s/releases/assets/%d", s.API.URL, repo.Owner, repo.Name, a.ID),
		"browser_download_url": fmt.Sprintf("https://github.example/%s/%s/releases/download/%s/%s",
			repo.Owner, repo.Name, rel.Tag, url.PathEscape(a.Name)),
	}
	if !a.NoDigest {
		sum := sha256.Sum256(a.Content)
		m["digest"] = "sha256:" + hex.EncodeToString(sum[:])
	}
	return m
}

// json writes v with an ETag, answering 304 to a matching If-None-Match.
func (s *Server) json(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		apiError(w, http.StatusInternalServerError, err.Error())
		return
	}
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}

// page writes one page of items with GitHub's Link header.
func (s *Server) page(w http.ResponseWriter, r *http.Request, items []any) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	if per > s.MaxPerPage {
		per = s.MaxPerPage
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	last := max((len(items)+per-1)/per, 1)
	lo, hi := min((page-1)*per, len(items)), min(page*per, len(items))
	link := func(p int, rel string) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		qq := u.Query()
		qq.Set("page", strconv.Itoa(p))
		qq.Set("per_page", strconv.Itoa(per))
		u.RawQuery = qq.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	s.json(w, r, items[lo:hi])
}

func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	if f := s.count(r); f != nil {
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		http.Error(w, "injected failure", f.status)
		return
	}
	if r.Header.Get("Authorization") != "" {
		http.Error(w, "Only one auth mechanism allowed", http.StatusBadRequest)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 2 || parts[0] != "download" {
		http.NotFound(w, r)
		return
	}
	id, _ := strconv.ParseInt(parts[1], 10, 64)
	s.mu.Lock()
	keys := make([]string, 0, len(s.repos))
	for k := range s.repos {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var a *Asset
	for _, k := range keys {
		if _, x := s.repos[k].asset(id); x != nil {
			a = x
			break
		}
	}
	s.mu.Unlock()
	if a == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Content)))
	w.Write(a.Content)
}
