package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// The build state makes a re-render of an unchanged organisation cost
// about as much as reading the site: when everything the output depends
// on (the policies, the templates, the base URL, Now and the relpolicy
// binary itself) hashes to the fingerprint recorded by the last build of
// the same output directory, and the directory still holds exactly the
// files that build left there, unmodified since, nothing is rendered. The
// files are only read and passed to the Gate, because its configuration
// may have changed, unless it states its identity (GateIdentity), which is
// then part of the fingerprint: the files are only checked to be intact and
// the last build's gate findings are reported again.
//
// The state lives outside the site (Options.CacheDir), so the published
// tree carries no build metadata. It is removed before the output is
// replaced and written after, so a crash in between costs a full render,
// never a stale site.

// stateVersion changes when the meaning of the state or the fingerprint
// changes.
const stateVersion = "relpolicy-site-state/2"

type buildState struct {
	Version     string `json:"version"`
	Out         string `json:"out"`
	Fingerprint string `json:"fingerprint"`
	Files       int    `json:"files"`
	// Findings are the gate's findings on the recorded build (warnings:
	// an error would have stopped it).
	Findings []finding.Finding `json:"findings,omitempty"`
}

// gateIdentity returns the gate's identity, or "" when it has none (it is
// then run on every file of a reused build).
func gateIdentity(g Gate) string {
	if id, ok := g.(GateIdentity); ok {
		return "gate:" + id.Identity()
	}
	return ""
}

// stateFile is where the state of the site at out is kept.
func stateFile(cacheDir, out string) string {
	if cacheDir == "" {
		return ""
	}
	h := sha256.Sum256([]byte(out))
	return filepath.Join(cacheDir, "site-"+hex.EncodeToString(h[:12])+".json")
}

// exeHash identifies the running binary, whose templates and code shape
// the output: its path, size and modification time with its build info. A
// rebuilt or replaced binary changes them; hashing the file itself would
// cost about 20 ms on every run.
var exeHash = sync.OnceValue(func() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(p)
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00", p, fi.Size(), fi.ModTime().UnixNano())
	if bi, ok := debug.ReadBuildInfo(); ok {
		h.Write([]byte(bi.String()))
	}
	return hex.EncodeToString(h.Sum(nil))
})

// fingerprint hashes every input of the output. It is empty (no reuse)
// when the running binary cannot be identified.
func fingerprint(m *siteModel, th *theme, baseURL string, now time.Time, gateID string) (string, error) {
	exe := exeHash()
	if exe == "" {
		return "", nil
	}
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	field(stateVersion)
	field(exe)
	field(baseURL)
	field(now.UTC().Format(time.RFC3339Nano))
	field(th.hash)
	field(gateID)
	for _, r := range m.Repos {
		b, err := json.Marshal(r.policy)
		if err != nil {
			return "", fmt.Errorf("hashing the policy of %s: %w", r.Name, err)
		}
		field(string(b))
		if r.verified != nil {
			b, err := json.Marshal(r.verified)
			if err != nil {
				return "", fmt.Errorf("hashing the verify results of %s: %w", r.Name, err)
			}
			field("verified:" + string(b))
		}
	}
	if m.Compliance != nil {
		c, err := fingerprintCompliance(m.Compliance.raw)
		if err != nil {
			return "", err
		}
		field("compliance:" + c)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// reuse checks whether out still holds what the last build wrote for the
// same fingerprint. When it does, it gates every file and reports them all
// unchanged; ok is false when a full build is needed.
func reuse(ctx context.Context, out, state, fp string, files []outFile, gate Gate, workers int) (rep *Report, ok bool, err error) {
	if state == "" || fp == "" {
		return nil, false, nil
	}
	b, err := os.ReadFile(state)
	if err != nil {
		return nil, false, nil
	}
	var st buildState
	if json.Unmarshal(b, &st) != nil || st.Version != stateVersion || st.Out != out || st.Fingerprint != fp || st.Files != len(files) {
		return nil, false, nil
	}
	sfi, err := os.Stat(state)
	if err != nil {
		return nil, false, nil
	}
	built := sfi.ModTime()
	// Intact means: every planned file is a regular file not modified
	// since the build, and no directory of the site changed since (a
	// directory's mtime moves when an entry is added, removed or renamed),
	// so there is nothing extra either. Files are read only when they must
	// be gated.
	dirSet := map[string]bool{".": true}
	for _, f := range files {
		for d := filepath.Dir(filepath.FromSlash(f.path)); d != "." && !dirSet[d]; d = filepath.Dir(d) {
			dirSet[d] = true
		}
	}
	dirs := make([]string, 0, len(dirSet))
	for d := range dirSet {
		dirs = append(dirs, d)
	}
	// A gate with an identity in the fingerprint gave its verdict on these
	// very files: only check they are intact.
	regate := gate != nil && gateIdentity(gate) == ""
	var broken atomic.Bool
	findings := make([][]finding.Finding, len(files))
	jobs := make(chan int, 256)
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Go(func() {
			for i := range jobs {
				if ctx.Err() != nil || broken.Load() {
					continue
				}
				if i < len(dirs) {
					fi, err := os.Lstat(filepath.Join(out, dirs[i]))
					if err != nil || !fi.IsDir() || fi.ModTime().After(built) {
						broken.Store(true)
					}
					continue
				}
				f := files[i-len(dirs)]
				data, ok := readIntact(filepath.Join(out, filepath.FromSlash(f.path)), built, regate)
				if !ok {
					broken.Store(true)
					continue
				}
				if regate {
					findings[i-len(dirs)] = gate.ScanFile(f.path, surface.Text, data)
				}
			}
		})
	}
	for i := range len(dirs) + len(files) {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, true, err
	}
	if broken.Load() {
		return nil, false, nil
	}
	rep = &Report{Out: out, Reused: true}
	for _, f := range findings {
		rep.Findings = append(rep.Findings, f...)
	}
	if !regate {
		rep.Findings = append(rep.Findings, st.Findings...)
	}
	rep.Findings = finding.Sort(rep.Findings)
	if nerr, _ := finding.Count(rep.Findings); nerr > 0 {
		return rep, true, fmt.Errorf("refusing to keep %s: %d disclosure error(s) in the site: %w", out, nerr, ErrDisclosure)
	}
	rep.Unchanged = make([]string, 0, len(files))
	for _, f := range files {
		rep.Unchanged = append(rep.Unchanged, f.path)
	}
	slices.Sort(rep.Unchanged)
	return rep, true, nil
}

// readIntact checks that p is a regular file not modified after built,
// and reads it when read is set.
func readIntact(p string, built time.Time, read bool) ([]byte, bool) {
	if !read {
		fi, err := os.Lstat(p)
		return nil, err == nil && fi.Mode().IsRegular() && !fi.ModTime().After(built)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.ModTime().After(built) {
		return nil, false
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, false
	}
	return data, true
}

// saveState records the build; its own modification time marks when the
// output was complete.
func saveState(state, out, fp string, files int, gated []finding.Finding) error {
	if state == "" || fp == "" {
		return nil
	}
	dir := filepath.Dir(state)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("saving build state: %w", err)
	}
	b, err := json.Marshal(buildState{Version: stateVersion, Out: out, Fingerprint: fp, Files: files, Findings: gated})
	if err != nil {
		return fmt.Errorf("saving build state: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".site-state-")
	if err != nil {
		return fmt.Errorf("saving build state: %w", err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), state)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("saving build state: %w", err)
	}
	return nil
}

// dropState forgets the state before the output changes.
func dropState(state string) error {
	if state == "" {
		return nil
	}
	if err := os.Remove(state); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing build state: %w", err)
	}
	return nil
}
