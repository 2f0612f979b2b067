package httpx

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tooo/relpolicy/internal/journal"
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
// token reaches the disk. They are kept in one journal file,
// Dir/etags.jsonl (package journal: one line per entry, an interrupted run
// leaves whole entries), mode 0600 since API answers may be private.
type Cache struct {
	// Dir holds the journal; it is created when needed.
	Dir string
	// Base does the requests; nil means http.DefaultTransport.
	Base http.RoundTripper

	hits, stores atomic.Int64
	open         sync.Once
	j            *journal.Journal // nil when it cannot be opened: no caching
}

// Close closes the journal.
func (c *Cache) Close() error {
	if c.j == nil {
		return nil
	}
	return c.j.Close()
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

func (c *Cache) key(req *http.Request) string {
	sum := sha256.Sum256([]byte(req.URL.String() + "\n" + req.Header.Get("Accept")))
	return hex.EncodeToString(sum[:])
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
	c.open.Do(func() {
		c.j, _ = journal.Open(filepath.Join(c.Dir, "etags.jsonl"), 0o600)
	})
	if c.j == nil {
		return base.RoundTrip(req)
	}
	key := c.key(req)
	var kept *cacheEntry
	if b, ok := c.j.Get(key); ok {
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
			if b, err := json.Marshal(e); err == nil && c.j.Put(key, b) == nil {
				c.stores.Add(1)
			}
		}
	}
	return resp, nil
}

// apiType reports whether a response is API data worth keeping (JSON, or
// a GitHub media type such as a bare commit SHA), not an archive or asset.
func apiType(ct string) bool {
	return strings.Contains(ct, "json") || strings.Contains(ct, "vnd.github")
}
