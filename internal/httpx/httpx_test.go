package httpx

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// server answers the statuses in order (then 200), with Retry-After when
// given.
func server(t *testing.T, statuses []int, retryAfter string) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(statuses[i])
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(s.Close)
	return s, &n
}

func get(t *testing.T, tr http.RoundTripper, url string) int {
	t.Helper()
	resp, err := (&http.Client{Transport: tr}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRetries(t *testing.T) {
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	cases := []struct {
		name       string
		statuses   []int
		retryAfter string
		want       int
		requests   int32
		minWait    time.Duration
	}{
		{"5xx then ok", []int{502, 503}, "", 200, 3, 0},
		{"429 honours Retry-After", []int{429}, "2", 200, 2, 2 * time.Second},
		{"403 with Retry-After is a rate limit", []int{403}, "1", 200, 2, time.Second},
		{"plain 403 is a refusal", []int{403}, "", 403, 1, 0},
		{"404 is an answer", []int{404}, "", 404, 1, 0},
		{"Retry-After beyond MaxWait is not waited for", []int{429}, "3600", 429, 1, 0},
		{"gives up after Retries", []int{500, 500, 500, 500, 500}, "", 500, 4, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			waits = nil
			s, n := server(t, c.statuses, c.retryAfter)
			got := get(t, New(Options{Sleep: sleep, Backoff: time.Millisecond}), s.URL)
			if got != c.want || n.Load() != c.requests {
				t.Errorf("status %d after %d requests; want %d after %d", got, n.Load(), c.want, c.requests)
			}
			if c.minWait > 0 && (len(waits) != 1 || waits[0] < c.minWait) {
				t.Errorf("waits %v, want one of at least %s", waits, c.minWait)
			}
		})
	}
}

func TestRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	d, ok := retryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now)
	if !ok || d != 90*time.Second {
		t.Errorf("got %s %v", d, ok)
	}
	if _, ok := retryAfter("soon", now); ok {
		t.Error("accepted a bad Retry-After")
	}
}

func TestTimeout(t *testing.T) {
	block := make(chan struct{})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer s.Close()
	defer close(block)
	tr := New(Options{Timeout: 50 * time.Millisecond, Retries: -1})
	start := time.Now()
	_, err := (&http.Client{Transport: tr}).Get(s.URL)
	if err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("want a timeout error quickly, got %v after %s", err, time.Since(start))
	}
}

func TestCounting(t *testing.T) {
	s, _ := server(t, nil, "")
	c := &Counting{}
	for range 3 {
		get(t, c, s.URL+"/a")
	}
	get(t, c, s.URL+"/b")
	if c.Total() != 4 || c.Requests()["GET /a"] != 3 {
		t.Errorf("counts %v", c.Requests())
	}
}

func TestFetcherNotFound(t *testing.T) {
	s, _ := server(t, []int{404}, "")
	_, err := Fetcher{}.Fetch(context.Background(), s.URL+"/x")
	if se, ok := err.(*StatusError); !ok || !se.NotFound() {
		t.Fatalf("want a not-found StatusError, got %v", err)
	}
}
