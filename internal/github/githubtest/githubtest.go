// Package githubtest is an in-process fake of the GitHub REST API for
// tests of verify and sweep: organisation and user repository listings
// (404 for an unknown owner), repositories, a branch's head commit, file
// contents, tarballs of the head (through the API's 302 redirect to a
// separate download host, as codeload), releases and assets, asset
// downloads through the API with its 302 redirect to the download host,
// real pagination (Link headers, per_page capped by the server), ETags
// answered with 304 (not charged to the rate limit, as on GitHub), a
// primary rate limit per window (403 with X-RateLimit-Remaining: 0 once
// spent), an optional required token (401 "Bad credentials" otherwise), and
// injected failures (5xx, 403 with Retry-After as the secondary limit, 429).
package githubtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
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
	// Window is the primary rate limit's window (default one hour): once
	// RateLimit requests are charged in it, API requests get 403 with
	// X-RateLimit-Remaining: 0 until it ends.
	Window time.Duration
	// WebURL is the web host repositories' html_url points at (default
	// https://github.com).
	WebURL string

	mu          sync.Mutex
	repos       map[string]*Repo
	orgs        map[string]bool
	faults      []*fault
	requests    map[string]int
	statuses    map[int]int
	bytes       int64
	used        int
	windowStart time.Time
	nextID      int64
	tarballs    map[string][]byte // by owner/name/head, as a CDN keeps them
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
	s := &Server{MaxPerPage: 100, RateLimit: 5000, Window: time.Hour, WebURL: "https://github.com",
		repos: map[string]*Repo{}, orgs: map[string]bool{}, requests: map[string]int{}, statuses: map[int]int{}, windowStart: time.Now()}
	s.API = httptest.NewServer(s.recording(s.serveAPI))
	s.Downloads = httptest.NewServer(s.recording(s.serveDownload))
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

// AddOrg makes owner exist even without repositories (an unknown owner's
// listing is 404).
func (s *Server) AddOrg(owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orgs[owner] = true
}

// SetFiles replaces owner/name's files and moves its head to a new commit
// (a push), under the server's lock.
func (s *Server) SetFiles(owner, name string, files map[string][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[owner+"/"+name]
	r.Files = files
	sum := sha256.Sum256([]byte(r.Head))
	r.Head = hex.EncodeToString(sum[:20])
}

// Statuses returns how many responses had each status code (both hosts).
func (s *Server) Statuses() map[int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int]int{}
	for k, v := range s.statuses {
		out[k] = v
	}
	return out
}

// Bytes is the number of response body bytes sent (both hosts).
func (s *Server) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}

// Charged is the number of API requests charged to the rate limit in the
// current window (304s and refusals are not).
func (s *Server) Charged() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used
}

// ResetCounts forgets request, status and byte counts (not the rate limit).
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.statuses, s.bytes = map[string]int{}, map[int]int{}, 0
}

// recording counts each response's status and body size.
func (s *Server) recording(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h(rec, r)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.statuses[rec.status]++
		s.bytes += rec.n
		if r.Host == s.API.Listener.Addr().String() && rec.status != http.StatusNotModified && rec.status != http.StatusUnauthorized && !rec.refused {
			s.used++
		}
	}
}

type recorder struct {
	http.ResponseWriter
	status  int
	n       int64
	refused bool
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.n += int64(n)
	return n, err
}

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

// rateHeaders sets the rate-limit headers and reports whether the primary
// limit is spent (the request is then refused).
func (s *Server) rateHeaders(w http.ResponseWriter) (spent bool) {
	s.mu.Lock()
	now := time.Now()
	if now.Sub(s.windowStart) >= s.Window {
		s.windowStart, s.used = now, 0
	}
	used, reset := s.used, s.windowStart.Add(s.Window)
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(s.RateLimit-used-1, 0)))
	h.Set("X-RateLimit-Used", strconv.Itoa(min(used+1, s.RateLimit)))
	// Reset is whole seconds, as GitHub sends it: round up.
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Add(time.Second-1).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	if used >= s.RateLimit {
		h.Set("X-RateLimit-Remaining", "0")
		if rec, ok := w.(*recorder); ok {
			rec.refused = true
		}
		return true
	}
	return false
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if f := s.count(r); f != nil {
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		apiError(w, f.status, "injected failure")
		return
	}
	if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		apiError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	if s.rateHeaders(w) {
		apiError(w, http.StatusForbidden, "API rate limit exceeded")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if r.Method != http.MethodGet {
		apiError(w, http.StatusNotFound, "Not Found")
		return
	}
	if len(parts) == 3 && (parts[0] == "orgs" || parts[0] == "users") && parts[2] == "repos" {
		items, ok := s.listRepos(parts[1])
		if !ok {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		s.page(w, r, items)
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
		s.mu.Lock()
		m := s.repoJSON(repo)
		s.mu.Unlock()
		s.json(w, r, m)
		return
	case len(parts) >= 5 && parts[3] == "commits":
		ref := strings.Join(parts[4:], "/")
		s.mu.Lock()
		head, branch := repo.Head, repo.DefaultBranch
		s.mu.Unlock()
		if ref != branch && ref != head {
			apiError(w, http.StatusUnprocessableEntity, "No commit found for SHA: "+ref)
			return
		}
		if strings.Contains(r.Header.Get("Accept"), ".sha") {
			etag := `"` + head + `"`
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.github.sha")
			io.WriteString(w, head)
			return
		}
		s.json(w, r, map[string]any{"sha": head})
		return
	case len(parts) >= 5 && parts[3] == "tarball":
		ref := strings.Join(parts[4:], "/")
		s.mu.Lock()
		head, branch := repo.Head, repo.DefaultBranch
		s.mu.Unlock()
		if ref != branch && ref != head {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("%s/tarball/%s/%s/%s", s.Downloads.URL, repo.Owner, repo.Name, head), http.StatusFound)
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

// listRepos lists owner's repositories; ok is false for an unknown owner.
func (s *Server) listRepos(owner string) (items []any, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for k, r := range s.repos {
		if r.Owner == owner {
			names = append(names, k)
		}
	}
	if len(names) == 0 && !s.orgs[owner] {
		return nil, false
	}
	sort.Strings(names)
	items = make([]any, len(names))
	for i, k := range names {
		items[i] = s.repoJSON(s.repos[k])
	}
	return items, true
}

func (s *Server) repoJSON(r *Repo) map[string]any {
	return map[string]any{
		"name": r.Name, "full_name": r.Owner + "/" + r.Name, "owner": map[string]any{"login": r.Owner},
		"archived": r.Archived, "fork": r.Fork, "private": r.Private, "default_branch": r.DefaultBranch,
		"html_url": strings.TrimSuffix(s.WebURL, "/") + "/" + r.Owner + "/" + r.Name,
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
	if len(parts) == 4 && parts[0] == "tarball" {
		s.serveTarball(w, parts[1], parts[2], parts[3])
		return
	}
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

// serveTarball writes owner/name's files as a gzipped tar under one
// top-level directory "owner-name-<sha7>/", as GitHub's codeload does. The
// commit must be the head (older commits are not kept).
func (s *Server) serveTarball(w http.ResponseWriter, owner, name, sha string) {
	s.mu.Lock()
	repo := s.repos[owner+"/"+name]
	var files map[string][]byte
	if repo != nil && repo.Head == sha {
		files = repo.Files
	}
	s.mu.Unlock()
	if files == nil {
		http.NotFound(w, nil)
		return
	}
	key := owner + "/" + name + "/" + sha
	s.mu.Lock()
	body, ok := s.tarballs[key]
	s.mu.Unlock()
	if !ok {
		body = tarball(owner, name, sha, files)
		s.mu.Lock()
		if s.tarballs == nil {
			s.tarballs = map[string][]byte{}
		}
		s.tarballs[key] = body
		s.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/x-gzip")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// Prebuild makes every repository's tarball of its head now, as a CDN
// holds them before anyone asks, so that a benchmark in the same process
// does not count the fake's compression as the client's work.
func (s *Server) Prebuild() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tarballs == nil {
		s.tarballs = map[string][]byte{}
	}
	for _, r := range s.repos {
		s.tarballs[r.Owner+"/"+r.Name+"/"+r.Head] = tarball(r.Owner, r.Name, r.Head, r.Files)
	}
}

// tarball is files as GitHub's gzipped tarball of a commit.
func tarball(owner, name, sha string, files map[string][]byte) []byte {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	top := fmt.Sprintf("%s-%s-%s/", owner, name, sha[:7])
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "pax_global_header", PAXRecords: map[string]string{"comment": sha}})
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: top, Mode: 0o775})
	for _, p := range paths {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: top + p, Mode: 0o664, Size: int64(len(files[p]))})
		tw.Write(files[p])
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}
