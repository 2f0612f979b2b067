// Package httpx is relpolicy's shared HTTP transport for the network
// commands (verify, sweep): retries with exponential backoff on 5xx, 429
// and 403-with-Retry-After (honouring Retry-After), a per-request timeout,
// and a counting transport for tests and benchmarks. Only internal/httpx,
// internal/registry and internal/github speak to the network.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Transport.
type Options struct {
	// Base does the requests; nil means a clone of http.DefaultTransport.
	Base http.RoundTripper
	// Timeout bounds each attempt, response body included; 0 means none.
	Timeout time.Duration
	// Retries is how many times a failed attempt is repeated (default 3;
	// negative means none).
	Retries int
	// Backoff is the first retry delay, doubled each attempt with jitter
	// (default 200 ms).
	Backoff time.Duration
	// MaxWait caps a server's Retry-After; a longer wait is not retried and
	// the response is returned as is (default 30 s).
	MaxWait time.Duration
	// UserAgent is sent when the request has none.
	UserAgent string
	// Sleep waits for d or until ctx is done; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnWait, when set, is told before each wait longer than a backoff
	// step: a spent primary rate limit or a server's Retry-After (the
	// secondary limit), with why and for how long. Progress lines use it.
	OnWait func(reason string, d time.Duration)
}

// Transport is a retrying http.RoundTripper. It also keeps to the primary
// rate limit GitHub announces in X-RateLimit-Remaining and
// X-RateLimit-Reset: once a host says none remain, requests to it wait for
// the reset (up to MaxWait) instead of being refused.
type Transport struct {
	o Options

	mu    sync.Mutex
	limit map[string]rateState // by host
}

type rateState struct {
	remaining int
	reset     time.Time
}

// RateRemaining returns the last X-RateLimit-Remaining a host reported;
// ok is false when none did.
func (t *Transport) RateRemaining(host string) (n int, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, ok := t.limit[host]
	return st.remaining, ok
}

// noteLimit records a response's rate-limit headers.
func (t *Transport) noteLimit(host string, h http.Header) (rateState, bool) {
	rem, err1 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, err2 := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if err1 != nil || err2 != nil {
		return rateState{}, false
	}
	st := rateState{remaining: rem, reset: time.Unix(reset, 0)}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.limit == nil {
		t.limit = map[string]rateState{}
	}
	t.limit[host] = st
	return st, true
}

// spentWait is how long to wait before asking host again: until the reset
// when its primary limit is spent, else 0.
func (t *Transport) spentWait(host string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, ok := t.limit[host]
	if !ok || st.remaining > 0 || !st.reset.After(now) {
		return 0
	}
	return st.reset.Sub(now)
}

func (t *Transport) wait(ctx context.Context, reason string, d time.Duration) error {
	if t.o.OnWait != nil {
		t.o.OnWait(reason, d)
	}
	return t.o.Sleep(ctx, d)
}

// New returns a retrying transport.
func New(o Options) *Transport {
	if o.Base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Keep a connection per request in flight: the default of 2 idle
		// connections per host makes a sweep at concurrency 8 open (and
		// handshake) a new connection for most requests.
		t.MaxIdleConnsPerHost = 64
		o.Base = t
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Backoff <= 0 {
		o.Backoff = 200 * time.Millisecond
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 30 * time.Second
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return &Transport{o: o}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// RoundTrip sends req, retrying as the Options say. A request with a body
// is retried only when it can be replayed (req.GetBody set).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.o.UserAgent != "" && req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", t.o.UserAgent)
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	host := req.URL.Host
	for attempt := 0; ; attempt++ {
		if d := t.spentWait(host, time.Now()); d > 0 {
			if d > t.o.MaxWait {
				return nil, fmt.Errorf("requesting %s: rate limit spent until %s, longer than the %s wait allowed", host, time.Now().Add(d).UTC().Format(time.RFC3339), t.o.MaxWait)
			}
			if err := t.wait(req.Context(), "rate limit spent, waiting for its reset", d); err != nil {
				return nil, err
			}
		}
		r := req
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("replaying request body: %w", err)
			}
			r = req.Clone(req.Context())
			r.Body = body
		}
		resp, err := t.attempt(r)
		last := attempt >= t.o.Retries || !replayable
		wait, retry := t.o.Backoff<<attempt, false
		reason := ""
		var st rateState
		var limited bool
		if resp != nil {
			st, limited = t.noteLimit(host, resp.Header)
		}
		switch {
		case err != nil:
			// Connection refused, reset, timeout: worth another try unless
			// the caller gave up.
			retry = req.Context().Err() == nil
		case (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests) && limited && st.remaining == 0:
			// The primary limit is spent: the loop's head waits for the
			// reset (or gives up past MaxWait) before the next attempt.
			retry, wait = true, 0
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
			retry = true
			if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				wait, retry, reason = d, d <= t.o.MaxWait, "server asked to retry after "+d.String()
			}
		case resp.StatusCode == http.StatusForbidden:
			// GitHub's secondary rate limit is a 403 with Retry-After; a
			// plain 403 is a refusal and is returned at once.
			if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				wait, retry, reason = d, d <= t.o.MaxWait, "secondary rate limit, retrying after "+d.String()
			}
		}
		if !retry || last {
			return resp, err
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		if wait == 0 {
			continue
		}
		wait += time.Duration(rand.Int64N(int64(wait)/4 + 1))
		if reason != "" {
			if err := t.wait(req.Context(), reason, wait); err != nil {
				return nil, err
			}
		} else if err := t.o.Sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// attempt does one request under the per-request timeout; the timeout
// keeps running while the caller reads the body and ends when it closes it.
func (t *Transport) attempt(req *http.Request) (*http.Response, error) {
	if t.o.Timeout <= 0 {
		return t.o.Base.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.o.Timeout)
	resp, err := t.o.Base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && req.Context().Err() == nil {
			return nil, fmt.Errorf("no answer within %s: %w", t.o.Timeout, err)
		}
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// retryAfter parses a Retry-After header: delay seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// Counting is an http.RoundTripper that counts the requests it passes on,
// by method and URL path, for tests and benchmarks that bound traffic.
type Counting struct {
	// Base does the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Delay, when set, is waited before each request (to model latency).
	Delay time.Duration

	mu     sync.Mutex
	total  int
	byPath map[string]int
}

// Count records req without sending it (for server-side counting).
func (c *Counting) Count(req *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byPath == nil {
		c.byPath = map[string]int{}
	}
	c.total++
	c.byPath[req.Method+" "+req.URL.Path]++
}

// Reset forgets the counts.
func (c *Counting) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total, c.byPath = 0, nil
}

// RoundTrip counts req and passes it on.
func (c *Counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.Count(req)
	if c.Delay > 0 {
		if err := sleep(req.Context(), c.Delay); err != nil {
			return nil, err
		}
	}
	base := c.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(req)
}

// Total is the number of requests so far.
func (c *Counting) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// Requests returns a copy of the counts keyed by "METHOD /path".
func (c *Counting) Requests() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.byPath))
	for k, v := range c.byPath {
		out[k] = v
	}
	return out
}

// Get fetches url with client and returns the body of a 200 response; any
// other status is an error naming the URL and status. The caller closes the
// body. Used for download channels' checksum files and --deep downloads.
func Get(ctx context.Context, client *http.Client, url string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("requesting %s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, &StatusError{URL: url, Code: resp.StatusCode}
	}
	return resp.Body, nil
}

// StatusError is a response other than the one expected.
type StatusError struct {
	URL  string
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: %d %s", e.URL, e.Code, http.StatusText(e.Code))
}

// NotFound reports whether the server said the resource does not exist
// (404 or 410); callers test for it through an interface, so packages that
// only declare what they need do not import this one.
func (e *StatusError) NotFound() bool {
	return e.Code == http.StatusNotFound || e.Code == http.StatusGone
}

// Fetcher downloads URLs through Transport (nil: a default Transport);
// it implements verify.Fetcher.
type Fetcher struct{ Transport http.RoundTripper }

// Fetch streams url's content; a 404 or 410 is a *StatusError whose
// NotFound is true.
func (f Fetcher) Fetch(ctx context.Context, url string) (io.ReadCloser, error) {
	rt := f.Transport
	if rt == nil {
		rt = New(Options{})
	}
	return Get(ctx, &http.Client{Transport: rt}, url)
}
