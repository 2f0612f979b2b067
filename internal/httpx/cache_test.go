package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCacheConditional(t *testing.T) {
	var full, notModified int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("X-RateLimit-Remaining", "42")
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full++
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	c := &Cache{Dir: dir}
	get := func() (*http.Response, string) {
		req, _ := http.NewRequest("GET", srv.URL+"/x", nil)
		req.Header.Set("Authorization", "Bearer secret-token")
		resp, err := c.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	r1, b1 := get()
	r2, b2 := get()
	if r1.StatusCode != 200 || r2.StatusCode != 200 || b1 != b2 || b2 != `{"ok":true}` {
		t.Errorf("answers %d %q, %d %q", r1.StatusCode, b1, r2.StatusCode, b2)
	}
	if full != 1 || notModified != 1 || r2.Header.Get(CacheHeader) != "hit" || r2.Header.Get("X-RateLimit-Remaining") != "42" || c.Hits() != 1 {
		t.Errorf("full %d, 304 %d, header %q, hits %d", full, notModified, r2.Header.Get(CacheHeader), c.Hits())
	}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), "secret-token") {
				t.Errorf("token in %s", p)
			}
		}
		return err
	})
}
