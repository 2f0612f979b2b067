package github

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tooo/relpolicy/internal/github/githubtest"
	"github.com/tooo/relpolicy/internal/httpx"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/sweep"
)

var sweepNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// readTree reads a directory into path → content.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// org builds a fake organisation: compliant, with findings, copied from
// another repository (RP105), missing a policy, archived and a fork.
func org(t *testing.T) *githubtest.Server {
	s := githubtest.New()
	t.Cleanup(s.Close)
	s.Token = token
	s.MaxPerPage = 2 // the server caps the 100 asked for: real pagination
	add := func(name string, files map[string][]byte) *githubtest.Repo {
		r := s.AddRepo("tooo", name)
		r.Files = files
		return r
	}
	add("aurora-api", readTree(t, "../../examples/aurora-api"))
	add("tern-firmware", readTree(t, "../../examples/tern-firmware"))
	add("comet", readTree(t, "../../testdata/demo/broken"))
	add("aurora-copy", readTree(t, "../../examples/aurora-api"))
	add("no-policy", map[string][]byte{"README.md": []byte("# no policy\nThis tool is signed.\n")})
	add("old", readTree(t, "../../examples/aurora-os")).Archived = true
	add("forked", readTree(t, "../../examples/aurora-os")).Fork = true
	return s
}

type sweeper struct {
	src     *Org
	cache   string
	results sweep.Store
	waits   []string
	mu      sync.Mutex
}

func newSweeper(t *testing.T, s *githubtest.Server, cache, tok string) *sweeper {
	sw := &sweeper{cache: cache}
	rt := httpx.New(httpx.Options{Backoff: time.Millisecond, MaxWait: time.Minute, OnWait: func(reason string, d time.Duration) {
		sw.mu.Lock()
		defer sw.mu.Unlock()
		sw.waits = append(sw.waits, reason)
	}})
	etags := &httpx.Cache{Dir: cache, Base: rt}
	t.Cleanup(func() { etags.Close() })
	c, err := New(Options{BaseURL: s.URL(), Token: tok, Transport: etags})
	if err != nil {
		t.Fatal(err)
	}
	results, err := sweep.OpenStore(filepath.Join(cache, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { results.Close() })
	sw.results = results
	sw.src = c.Org("tooo")
	return sw
}

func (sw *sweeper) opts() sweep.Options {
	return sweep.Options{Org: "tooo", Lint: lint.Options{Now: sweepNow}, Tool: "relpolicy", Version: "test",
		Results: sw.results, Key: "k"}
}

func (sw *sweeper) run(t *testing.T, opts sweep.Options) *sweep.Report {
	t.Helper()
	rep, err := sweep.Run(context.Background(), sw.src, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func statuses(rep *sweep.Report) map[string]sweep.Status {
	out := map[string]sweep.Status{}
	for _, e := range rep.Repos {
		out[e.Repo] = e.Status
	}
	return out
}

func TestSweepOrg(t *testing.T) {
	s := org(t)
	sw := newSweeper(t, s, t.TempDir(), token)
	rep := sw.run(t, sw.opts())
	want := map[string]sweep.Status{
		"tooo/aurora-api": sweep.Compliant, "tooo/tern-firmware": sweep.Compliant, "tooo/comet": sweep.HasFindings,
		"tooo/aurora-copy": sweep.HasFindings, "tooo/no-policy": sweep.MissingPolicy,
		"tooo/old": sweep.Skipped, "tooo/forked": sweep.Skipped,
	}
	if got := statuses(rep); !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	rules := map[string]bool{}
	for _, f := range rep.FindingsOf("tooo/aurora-copy") {
		rules[f.Rule] = true
	}
	if !rules["RP105"] || len(rules) != 1 {
		t.Errorf("aurora-copy: rules %v, want only RP105", rules)
	}
	if e := rep.Repos[0]; e.Repo != "tooo/aurora-api" || e.Policy == nil || e.Revision == "" {
		t.Errorf("first entry %+v: want the loaded policy and revision", e)
	}
	if rep.Summary.Repos != 7 || rep.Summary.Skipped != 2 || rep.Summary.Compliant != 2 || rep.Summary.Errors == 0 {
		t.Errorf("summary %+v", rep.Summary)
	}

	// Cold: 4 list pages (7 repositories, 2 a page), then per swept
	// repository one head commit and one tarball link.
	req := s.Requests()
	if n := req["GET /orgs/tooo/repos"]; n != 4 {
		t.Errorf("list pages requested %d times, want 4", n)
	}
	swept := 5
	if got, limit := s.Charged(), 4+2*swept; got != limit {
		t.Errorf("cold: %d rate-limited requests, want %d (%v)", got, limit, req)
	}

	// Warm: nothing changed, so every API request is a 304, none charged,
	// no tarball fetched, and the report is the same.
	s.ResetCounts()
	charged := s.Charged()
	again := sw.run(t, sw.opts())
	st := s.Statuses()
	if st[200] != 0 || st[304] != 4+swept || s.Charged() != charged {
		t.Errorf("warm: statuses %v, %d charged; want only %d 304s", st, s.Charged()-charged, 4+swept)
	}
	if !reflect.DeepEqual(rep, again) {
		t.Errorf("warm report differs from cold")
	}

	// A push to one repository re-lints it, and only it.
	s.ResetCounts()
	files := readTree(t, "../../examples/aurora-api")
	files["release-policy.yaml"] = []byte(strings.Replace(string(files["release-policy.yaml"]), "protected: true", "protected: false", 1))
	s.SetFiles("tooo", "aurora-api", files)
	changed := sw.run(t, sw.opts())
	if got := statuses(changed)["tooo/aurora-api"]; got != sweep.HasFindings {
		t.Errorf("changed repository: status %s, want findings", got)
	}
	var tarballs int
	for k, n := range s.Requests() {
		if strings.Contains(k, "/tarball/") {
			tarballs += n
		}
	}
	if tarballs != 2 { // API link + download, for aurora-api only
		t.Errorf("after a push: %d tarball requests, want 2 (%v)", tarballs, s.Requests())
	}
}

// TestSweepFindingsEqualLint: every repository's findings are those lint
// gives on a checkout of the same files whose origin is the repository.
func TestSweepFindingsEqualLint(t *testing.T) {
	s := org(t)
	sw := newSweeper(t, s, t.TempDir(), token)
	rep := sw.run(t, sw.opts())
	for _, name := range []string{"aurora-api", "comet", "aurora-copy", "no-policy"} {
		dir := filepath.Join(t.TempDir(), name)
		files := map[string][]byte{"README.md": []byte("# no policy\nThis tool is signed.\n")}
		if src, ok := map[string]string{"aurora-api": "../../examples/aurora-api", "comet": "../../testdata/demo/broken",
			"aurora-copy": "../../examples/aurora-api"}[name]; ok {
			files = readTree(t, src)
		}
		files[".git/config"] = []byte("[remote \"origin\"]\n\turl = https://github.com/tooo/" + name + ".git\n")
		for p, b := range files {
			os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
			if err := os.WriteFile(filepath.Join(dir, p), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := lint.Run(context.Background(), lint.Options{Paths: []string{dir}, Now: sweepNow})
		if err != nil {
			t.Fatal(err)
		}
		lint.Fingerprint(res)
		var want []string
		for _, f := range res.Findings {
			if name == "no-policy" && f.Rule == "RP001" {
				continue // the status missing-policy says it
			}
			f.Repo = "tooo/" + name
			b, _ := json.Marshal(f)
			want = append(want, string(b))
		}
		var got []string
		for _, f := range rep.FindingsOf("tooo/" + name) {
			b, _ := json.Marshal(f)
			got = append(got, string(b))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: sweep findings differ from lint's\nsweep: %v\nlint:  %v", name, got, want)
		}
		if name == "comet" && len(want) < 5 {
			t.Errorf("comet: only %d findings: the comparison proves little", len(want))
		}
	}
}

func TestSweepFailuresAndLimits(t *testing.T) {
	s := org(t)
	// One repository's head fails for good (5xx past the retries): it is
	// an error entry and the sweep goes on. Another's tarball fails once
	// and is retried. The listing meets the secondary limit once.
	s.Fail("/repos/tooo/comet/commits", 502, 100, "")
	s.Fail("/repos/tooo/tern-firmware/tarball", 503, 1, "")
	s.Fail("/orgs/tooo/repos", 403, 1, "1")
	sw := newSweeper(t, s, t.TempDir(), token)
	start := time.Now()
	rep := sw.run(t, sw.opts())
	st := statuses(rep)
	if st["tooo/comet"] != sweep.Failed || st["tooo/tern-firmware"] != sweep.Compliant || st["tooo/aurora-api"] != sweep.Compliant {
		t.Errorf("statuses %v", st)
	}
	for _, e := range rep.Repos {
		if e.Repo == "tooo/comet" && !strings.Contains(e.Error, "502") {
			t.Errorf("error entry without its reason: %q", e.Error)
		}
	}
	if len(sw.waits) != 1 || !strings.Contains(sw.waits[0], "secondary rate limit") || time.Since(start) < time.Second {
		t.Errorf("secondary limit: waits %q after %s; want one wait of Retry-After: 1", sw.waits, time.Since(start))
	}

	// The primary limit: with 6 requests a window, the sweep waits for
	// the reset (saying so) and still finishes.
	p := org(t)
	p.RateLimit, p.Window = 6, 1500*time.Millisecond
	sw = newSweeper(t, p, t.TempDir(), token)
	rep = sw.run(t, sw.opts())
	if rep.Summary.Error != 0 || rep.Summary.Compliant != 2 {
		t.Errorf("primary limit: summary %+v", rep.Summary)
	}
	spent := 0
	for _, w := range sw.waits {
		if strings.Contains(w, "rate limit spent") {
			spent++
		}
	}
	if spent == 0 {
		t.Errorf("primary limit: no wait reported (%q)", sw.waits)
	}
}

func TestSweepListErrors(t *testing.T) {
	s := org(t)
	_, err := sweep.Run(context.Background(), newSweeper(t, s, t.TempDir(), "wrong-token").src, sweep.Options{})
	var le *sweep.ListError
	if !errors.As(err, &le) || !strings.Contains(le.Reason, "token refused") || strings.Contains(err.Error(), "wrong-token") {
		t.Errorf("bad token: %v", err)
	}
	sw := newSweeper(t, s, t.TempDir(), token)
	sw.src.name = "nobody"
	_, err = sweep.Run(context.Background(), sw.src, sweep.Options{})
	if !errors.As(err, &le) || !strings.Contains(le.Reason, "unknown organisation nobody") {
		t.Errorf("unknown org: %v", err)
	}
}

func TestSweepResumes(t *testing.T) {
	s := org(t)
	cache := t.TempDir()
	sw := newSweeper(t, s, cache, token)
	ctx, cancel := context.WithCancel(context.Background())
	opts := sw.opts()
	opts.Concurrency = 1
	swept := 0
	opts.Progress = func(done, total int, e sweep.Entry) {
		if e.Status != sweep.Skipped {
			if swept++; swept == 2 {
				cancel()
			}
		}
	}
	if _, err := sweep.Run(ctx, sw.src, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted sweep: %v", err)
	}
	links := func() int {
		n := 0
		for k, v := range s.Requests() {
			if strings.HasPrefix(k, "GET /repos/") && strings.Contains(k, "/tarball/") {
				n += v
			}
		}
		return n
	}
	before := links()
	if before < 2 || before >= 5 {
		t.Fatalf("interrupted after %d tarballs, want 2 to 4", before)
	}
	s.ResetCounts()
	rep := sw.run(t, sw.opts())
	if rep.Summary.Repos != 7 {
		t.Fatalf("resumed: %+v", rep.Summary)
	}
	// What the first run finished is not fetched again; a repository in
	// flight at the interruption may be.
	if after := links(); after > 5-swept || after < 1 {
		t.Errorf("tarballs: %d before the interruption (%d finished), %d after; want at most %d after", before, swept, after, 5-swept)
	}
}

func TestSweepShardsPartitionAndMerge(t *testing.T) {
	s := org(t)
	sw := newSweeper(t, s, t.TempDir(), token)
	whole := sw.run(t, sw.opts())
	var parts []*sweep.Report
	seen := 0
	for k := 1; k <= 3; k++ {
		o := sw.opts()
		o.Shard = sweep.Shard{K: k, N: 3}
		r := sw.run(t, o)
		if r.Shard != o.Shard.String() {
			t.Errorf("shard field %q", r.Shard)
		}
		seen += len(r.Repos)
		parts = append(parts, r)
	}
	if seen != len(whole.Repos) {
		t.Errorf("shards hold %d repositories, the whole %d", seen, len(whole.Repos))
	}
	merged, err := sweep.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(merged, whole) {
		a, _ := json.Marshal(merged)
		b, _ := json.Marshal(whole)
		t.Errorf("merged shards differ from the whole sweep\nmerged: %s\nwhole:  %s", a, b)
	}
	if _, err := sweep.Merge(parts[0], parts[0]); err == nil {
		t.Error("merging a shard twice: no error")
	}
}

// TestSweepTokenNowhere: the token is in no report and no cache file.
func TestSweepTokenNowhere(t *testing.T) {
	s := org(t)
	cache := t.TempDir()
	sw := newSweeper(t, s, cache, token)
	rep := sw.run(t, sw.opts())
	for _, f := range []string{"json", "sarif", "text", "markdown"} {
		var b strings.Builder
		if err := sweep.Write(&b, f, rep); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), token) {
			t.Errorf("token in the %s report", f)
		}
	}
	files := 0
	filepath.WalkDir(cache, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), token) || strings.Contains(string(b), "Bearer") {
			t.Errorf("token in cache file %s", p)
		}
		return nil
	})
	if files < 2 {
		t.Errorf("only %d cache files: the check proves little", files)
	}
	if b, _ := os.ReadFile(filepath.Join(cache, "etags.jsonl")); strings.Count(string(b), "\n") < 9 { // 4 list pages, 5 heads
		t.Errorf("ETag journal has %d entries: the check proves little", strings.Count(string(b), "\n"))
	}
}
