// Package reference normalises the two kinds of names a release ledger
// points at, so that every consumer (lint rule RP306, lookup, the site and
// verify) compares the same thing:
//
//   - OCI image references, by Docker's rules as implemented by
//     go-containerregistry's pkg/name: a name without a registry is on Docker
//     Hub; docker.io, index.docker.io (and the API hosts registry-1.docker.io
//     and registry.hub.docker.com) are one registry; a Docker Hub name
//     without a namespace is an official image under library/; registry
//     hosts compare case-insensitively; no tag means "latest".
//   - http(s) download URLs, by RFC 3986: scheme and host lowercased, the
//     default port dropped, percent-encoding of unreserved characters
//     decoded and dot segments removed (§5.2.4) before a path is compared, so
//     that ".." or "%2e%2e" cannot walk out of a channel's prefix.
//
// It is a leaf package: it imports no other relpolicy package.
package reference

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// DockerHub is the canonical name of Docker Hub's registry in normalised
// repositories (Docker's familiar form; go-containerregistry says
// index.docker.io).
const DockerHub = "docker.io"

// DefaultTag is the tag a reference without one means.
const DefaultTag = "latest"

// dockerHubAliases are the host names that all mean Docker Hub.
var dockerHubAliases = map[string]bool{
	"docker.io": true, "index.docker.io": true,
	"registry-1.docker.io": true, "registry.hub.docker.com": true,
}

// ErrInvalid is wrapped by every error of this package.
var ErrInvalid = errors.New("invalid")

// Image is a normalised OCI image reference.
type Image struct {
	// Registry is the lowercased registry host[:port]; DockerHub for Docker Hub.
	Registry string
	// Repository is the path inside the registry, with library/ added for
	// Docker Hub's official images: "library/nginx", "tooo/app".
	Repository string
	// Tag is the tag as written, or "" when the reference has none.
	Tag string
	// Digest is "sha256:<64 hex>" (lowercase) or "" when none was given.
	Digest string
}

// Name is the normalised repository, "registry/repository".
func (i Image) Name() string { return i.Registry + "/" + i.Repository }

// TagOrDefault is the tag, or DefaultTag when none was written.
func (i Image) TagOrDefault() string {
	if i.Tag == "" {
		return DefaultTag
	}
	return i.Tag
}

// String is the normalised reference: name, then ":tag" and "@digest"
// when present.
func (i Image) String() string {
	s := i.Name()
	if i.Tag != "" {
		s += ":" + i.Tag
	}
	if i.Digest != "" {
		s += "@" + i.Digest
	}
	return s
}

// ParseImage normalises an OCI reference "[registry/]repository[:tag][@digest]"
// by Docker's rules (see the package comment). The error wraps ErrInvalid
// and says which part is wrong.
func ParseImage(ref string) (Image, error) {
	s := strings.TrimSpace(ref)
	var img Image
	if base, dig, ok := strings.Cut(s, "@"); ok {
		d, err := parseDigest(dig)
		if err != nil {
			return Image{}, fmt.Errorf("parsing reference %q: %w", ref, err)
		}
		s, img.Digest = base, d
	}
	if strings.Contains(s, "//") {
		return Image{}, fmt.Errorf("parsing reference %q: %w: it has an empty path segment (a URL is not a reference)", ref, ErrInvalid)
	}
	s = lowerHost(s)
	tag, err := name.NewTag(s, name.WithDefaultTag(""), name.WithDefaultRegistry(name.DefaultRegistry))
	if err != nil {
		return Image{}, fmt.Errorf("parsing reference %q: %w: %v", ref, ErrInvalid, err)
	}
	img.Tag = tag.TagStr()
	img.Registry, img.Repository = normaliseRepo(tag.Context())
	return img, nil
}

// NormalizeRepository normalises a repository name without tag or digest:
// "nginx" and "index.docker.io/library/nginx" both give
// "docker.io/library/nginx".
func NormalizeRepository(repo string) (string, error) {
	s := strings.TrimSuffix(strings.TrimSpace(repo), "/")
	if strings.Contains(s, "//") {
		return "", fmt.Errorf("parsing repository %q: %w: it has an empty path segment", repo, ErrInvalid)
	}
	s = lowerHost(s)
	r, err := name.NewRepository(s, name.WithDefaultRegistry(name.DefaultRegistry))
	if err != nil {
		return "", fmt.Errorf("parsing repository %q: %w: %v", repo, ErrInvalid, err)
	}
	reg, rest := normaliseRepo(r)
	return reg + "/" + rest, nil
}

// OCILocation normalises an oci-registry channel location: a repository
// ("ghcr.io/tooo/app", "tooo/app"), a namespace ("ghcr.io/tooo") or a
// whole registry ("registry.example.org"). A namespace is normalised like a
// repository, except that a single Docker Hub segment ("docker.io/tooo")
// stays a namespace and does not become library/tooo.
func OCILocation(loc string) (string, error) {
	s := strings.TrimSuffix(strings.TrimSpace(loc), "/")
	host, rest, ok := strings.Cut(s, "/")
	if !ok && isHost(s) {
		h := strings.ToLower(s)
		if dockerHubAliases[h] {
			h = DockerHub
		}
		return h, nil
	}
	if ok && isHost(host) && dockerHubAliases[strings.ToLower(host)] && !strings.Contains(rest, "/") {
		if _, err := name.NewRepository(DockerHub + "/" + rest); err != nil {
			return "", fmt.Errorf("parsing channel location %q: %w: %v", loc, ErrInvalid, err)
		}
		return DockerHub + "/" + rest, nil
	}
	n, err := NormalizeRepository(s)
	if err != nil {
		return "", fmt.Errorf("parsing channel location %q: %w", loc, err)
	}
	return n, nil
}

// InOCILocation reports whether the normalised repository repo is the
// normalised location loc or lies under it at a path boundary:
// "ghcr.io/tooo/app" is under "ghcr.io/tooo", "ghcr.io/tooo/app-fork" is
// not under "ghcr.io/tooo/app".
func InOCILocation(repo, loc string) bool {
	return repo == loc || strings.HasPrefix(repo, loc+"/")
}

func normaliseRepo(r name.Repository) (registry, repo string) {
	registry = r.RegistryStr()
	if dockerHubAliases[registry] {
		registry = DockerHub
	}
	repo = r.RepositoryStr()
	if registry == DockerHub && !strings.Contains(repo, "/") {
		repo = "library/" + repo
	}
	return registry, repo
}

// isHost reports whether the first segment of a reference names a registry
// (Docker's rule: it contains "." or ":" or is localhost).
func isHost(s string) bool {
	return strings.ContainsAny(s, ".:") || strings.EqualFold(s, "localhost")
}

// lowerHost lowercases the registry part of a reference: host names are
// case-insensitive (RFC 4343), repository paths are not.
func lowerHost(s string) string {
	host, rest, ok := strings.Cut(s, "/")
	if !ok || !isHost(host) {
		return s
	}
	host = strings.ToLower(host)
	if dockerHubAliases[host] {
		host = name.DefaultRegistry
	}
	return host + "/" + rest
}

func parseDigest(d string) (string, error) {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok || !strings.EqualFold(alg, "sha256") || len(hex) != 64 {
		return "", fmt.Errorf("%w: digest %q is not sha256:<64 hex digits>", ErrInvalid, d)
	}
	for _, c := range hex {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return "", fmt.Errorf("%w: digest %q is not sha256:<64 hex digits>", ErrInvalid, d)
		}
	}
	return "sha256:" + strings.ToLower(hex), nil
}

// URL is a normalised http(s) URL.
type URL struct {
	// Scheme is "http" or "https".
	Scheme string
	// Host is the lowercased host, with the port unless it is the scheme's
	// default.
	Host string
	// Segments are the path's decoded segments after dot-segment removal;
	// a trailing "" means the path ends in "/".
	Segments []string
	// RawQuery is the query as written (without "?").
	RawQuery string
}

// String is the URL with each path segment percent-encoded as RFC 3986
// requires; the fragment is dropped.
func (u URL) String() string {
	var b strings.Builder
	b.WriteString(u.Scheme + "://" + u.Host)
	for _, s := range u.Segments {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	if u.RawQuery != "" {
		b.WriteString("?" + u.RawQuery)
	}
	return b.String()
}

// ParseURL normalises an absolute http(s) URL. It decodes the path's
// percent-encoding segment by segment and removes dot segments (RFC 3986
// §5.2.4), so "a/../b", "a/%2e%2e/b" and "a/b" name the same path. It
// rejects, with an error wrapping ErrInvalid: other schemes, a missing
// host, user information ("https://github.com@evil.example/"), an encoded
// slash or a backslash inside a segment (servers and clients disagree on
// those), control characters, and a ".." that climbs above the root.
func ParseURL(raw string) (URL, error) {
	bad := func(why string) (URL, error) {
		return URL{}, fmt.Errorf("parsing URL %q: %w: %s", raw, ErrInvalid, why)
	}
	for _, c := range raw {
		if c < 0x20 || c == 0x7f {
			return bad("it contains a control character")
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad(err.Error())
	}
	out := URL{Scheme: strings.ToLower(u.Scheme), RawQuery: u.RawQuery}
	if out.Scheme != "http" && out.Scheme != "https" {
		return bad("the scheme is not http or https")
	}
	if u.Opaque != "" || u.Host == "" {
		return bad("it has no host")
	}
	if u.User != nil {
		return bad("it has user information before the host")
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if host == "" {
		return bad("it has no host")
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" && !(out.Scheme == "https" && port == "443") && !(out.Scheme == "http" && port == "80") {
		host += ":" + port
	}
	out.Host = host
	segs, err := pathSegments(u.EscapedPath())
	if err != nil {
		return bad(err.Error())
	}
	out.Segments = segs
	return out, nil
}

// pathSegments decodes an escaped absolute path and removes its dot
// segments (RFC 3986 §5.2.4). Unlike §5.2.4, which drops a ".." at the
// root, it fails: such a path was written to mislead.
func pathSegments(escaped string) ([]string, error) {
	if escaped == "" || escaped == "/" {
		return []string{""}, nil
	}
	parts := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	var out []string
	for i, p := range parts {
		last := i == len(parts)-1
		s, err := url.PathUnescape(p)
		if err != nil {
			return nil, fmt.Errorf("segment %q is not valid percent-encoding", p)
		}
		if strings.ContainsAny(s, "/\\") {
			return nil, fmt.Errorf("segment %q hides a slash or backslash", p)
		}
		for _, c := range s {
			if c < 0x20 || c == 0x7f {
				return nil, fmt.Errorf("segment %q hides a control character", p)
			}
		}
		switch s {
		case ".":
		case "..":
			if len(out) == 0 {
				return nil, errors.New(`".." climbs above the root`)
			}
			out = out[:len(out)-1]
		default:
			out = append(out, s)
			continue
		}
		if last {
			out = append(out, "")
		}
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out, nil
}

// Under reports whether u lies under the location loc at a segment
// boundary: same scheme and host, and loc's path segments are a prefix of
// u's ("…/download/v1/fw.bin" is under "…/download" and "…/download/";
// "…/fw-fork/…" is not under "…/fw"). Both must come from ParseURL.
func (u URL) Under(loc URL) bool {
	if u.Scheme != loc.Scheme || u.Host != loc.Host {
		return false
	}
	ls := loc.Segments
	if n := len(ls); n > 0 && ls[n-1] == "" {
		ls = ls[:n-1]
	}
	if len(ls) > len(u.Segments) {
		return false
	}
	for i, s := range ls {
		if u.Segments[i] != s {
			return false
		}
	}
	return loc.RawQuery == "" || loc.RawQuery == u.RawQuery
}

// escapeSegment percent-encodes a path segment: everything but RFC 3986's
// unreserved characters and the sub-delims that are safe in a path.
func escapeSegment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
