package httpx

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
)

// CacheHeader is set to "hit" on a response Cache answered from disk after
// the server said 304 Not Modified.
const CacheHeader = "X-Relpolicy-Cache"

// maxCached is the largest body Cache keeps (API JSON, not archives).
const maxCached = 8 << 20

// Cache is an http.RoundTripper that makes GET requests conditional: it
// keeps each 200 response that has an ETag in Dir, sends its ETag as
// If-None-Match next time, and turns a 304 into the kept response (status
// 200, CacheHeader "hit", the 304's rate-limit headers). GitHub does not
// charge 304s to the rate limit, so an unchanged resource costs nothing.
//
// Entries are keyed by URL and Accept header and hold only the body and
// the Content-Type, ETag and Link headers: never request headers, so no
// token reaches the disk. Files are written atomically (rename), so an
// interrupted run leaves whole entries or none.
type Cache struct {
	// Dir holds the entries; it is created when needed.
	Dir string
	// Base does the requests; nil means http.DefaultTransport.
	Base http.RoundTripper

	hits, stores atomic.Int64
}

type cacheEntry struct {
	ETag        string `json:"etag"`
	ContentType string `json:"content_type,omitempty"`
	Link        string `json:"link,omitempty"`
	Body        []byte `json:"body"`
}

// Hits is how many 304s were answered from disk; Stores how many responses
// were kept.
func (c *Cache) Hits() int64   { return c.hits.Load() }
func (c *Cache) Stores() int64 { return c.stores.Load() }

func (c *Cache) file(req *http.Request) string {
	sum := sha256.Sum256([]byte(req.URL.String() + "\n" + req.Header.Get("Accept")))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(c.Dir, h[:2], h+".json")
}

// RoundTrip sends req, conditionally when an entry is kept.
func (c *Cache) RoundTrip(req *http.Request) (*http.Response, error) {
	base := c.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if req.Method != http.MethodGet || req.Header.Get("Range") != "" {
		return base.RoundTrip(req)
	}
	file := c.file(req)
	var kept *cacheEntry
	if b, err := os.ReadFile(file); err == nil {
		var e cacheEntry
		if json.Unmarshal(b, &e) == nil && e.ETag != "" {
			kept = &e
		}
	}
	if kept != nil && req.Header.Get("If-None-Match") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("If-None-Match", kept.ETag)
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && kept != nil:
		resp.Body.Close()
		c.hits.Add(1)
		h := resp.Header.Clone()
		h.Set("Content-Type", kept.ContentType)
		h.Set("ETag", kept.ETag)
		if kept.Link != "" {
			h.Set("Link", kept.Link)
		}
		h.Set(CacheHeader, "hit")
		h.Set("Content-Length", strconv.Itoa(len(kept.Body)))
		return &http.Response{
			Status: "200 OK", StatusCode: http.StatusOK, Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
			Header: h, Body: io.NopCloser(bytes.NewReader(kept.Body)), ContentLength: int64(len(kept.Body)), Request: req,
		}, nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "" && resp.ContentLength <= maxCached && apiType(resp.Header.Get("Content-Type")):
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxCached+1))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", req.URL.Redacted(), err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if len(body) <= maxCached {
			e := cacheEntry{ETag: resp.Header.Get("ETag"), ContentType: resp.Header.Get("Content-Type"), Link: resp.Header.Get("Link"), Body: body}
			if err := writeAtomic(file, e); err == nil {
				c.stores.Add(1)
			}
		}
	}
	return resp, nil
}

// writeAtomic writes v as JSON to file through a temporary file and a
// rename. A cache that cannot be written is no error for the request.
func writeAtomic(file string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// apiType reports whether a response is API data worth keeping (JSON, or
// a GitHub media type such as a bare commit SHA), not an archive or asset.
func apiType(ct string) bool {
	return strings.Contains(ct, "json") || strings.Contains(ct, "vnd.github")
}
