// Scorer, built only with -tags bench so that `go install ./...`
// (pre-commit's golang hooks) builds relpolicy alone.

//go:build bench

// Command score lints a directory of real-world checkouts with relpolicy and
// scores the claim and leak rules against hand labels:
//
//	go run -tags bench ./bench/realworld/score -corpus /tmp/corpus
//
// The corpus holds one directory per repository, named owner__name (for
// example /tmp/corpus/helm__helm), each an extracted tree of the repository
// with its commit in a file .commit (one line, 40 hex digits) and an empty
// file .complete written last; directories without .complete are skipped as
// unfinished (bench/realworld/extract.sh makes such a corpus).
//
// None of these repositories has a release-policy.yaml, so the scorer writes
// one per checkout, .relpolicy-realworld.yaml (see policyFor: the repository's
// own name and URL, one artifact named after the project on its GitHub
// releases, signatures and attestations not used), and lints that file, so
// every claim of signing, attestation or verification is checked against a
// policy that says neither is used. Rewriting the file is idempotent.
//
// Labels are the rows of every testdata/realworld/*.tsv file: tab-separated
// repo (owner/name), commit, path, line, rule, verdict (tp or fp) and kind
// (a short word for the kind of text); lines starting with # are comments.
// A finding matches a label with the same repo, path, line and rule.
//
// The report gives, per rule group (claims: RP401-RP403; leaks:
// RP502-RP505), true and false positives among findings at or above
// -min-confidence, the findings no label covers (a precision figure counts
// only when none is left), precision, and recall of the labelled true
// positives; then per repository the group counts and the median
// whole-process lint time (wall and CPU, user+sys) over -runs runs. -unlabelled FILE writes the
// unlabelled findings as label rows with verdict "?", the text of the line
// and the finding's confidence as eighth and ninth columns, for review.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// group is a set of rules scored together.
type group struct {
	name  string
	rules []string
}

var groups = []group{
	{"claims RP401-RP403", []string{"RP401", "RP402", "RP403"}},
	{"leaks RP502-RP505", []string{"RP502", "RP503", "RP504", "RP505"}},
}

func groupOf(rule string) int {
	for i, g := range groups {
		if slices.Contains(g.rules, rule) {
			return i
		}
	}
	return -1
}

// label is one row of a label file.
type label struct {
	repo, commit, path string
	line               int
	rule, verdict      string
	kind               string
	where              string // file:line of the row, for messages
}

func (l label) key() string { return key(l.repo, l.path, l.line, l.rule) }

func key(repo, path string, line int, rule string) string {
	return repo + "\x00" + path + "\x00" + strconv.Itoa(line) + "\x00" + rule
}

// finding is the part of relpolicy's JSON finding the scorer reads.
type finding struct {
	Rule       string `json:"rule"`
	Path       string `json:"path"`
	Line       int    `json:"line"`
	Message    string `json:"message"`
	Confidence string `json:"confidence"`
}

func rank(conf string) int {
	switch conf {
	case "medium":
		return 2
	case "low":
		return 1
	}
	return 3 // "high" or empty
}

type repoResult struct {
	repo, dir, commit string
	findings          []finding
	median, cpu       time.Duration // median wall and CPU (user+sys) time of a lint
}

func main() {
	corpus := flag.String("corpus", "", "directory of checkouts named owner__name (required)")
	bin := flag.String("bin", "", "relpolicy binary to score (default: build ./cmd/relpolicy)")
	labelGlob := flag.String("labels", "testdata/realworld/*.tsv", "label files (glob)")
	runs := flag.Int("runs", 3, "timed lint runs per repository (median reported)")
	minConf := flag.String("min-confidence", "medium", "score findings at or above: high|medium|low")
	now := flag.String("now", "2026-11-30", "reference date passed to lint --now")
	unlabelled := flag.String("unlabelled", "", "write unlabelled findings as label rows to this file")
	flag.Parse()
	if err := run(*corpus, *bin, *labelGlob, *runs, *minConf, *now, *unlabelled); err != nil {
		fmt.Fprintln(os.Stderr, "score:", err)
		os.Exit(1)
	}
}

func run(corpus, bin, labelGlob string, runs int, minConf, now, unlabelledOut string) error {
	if corpus == "" {
		return errors.New("-corpus is required")
	}
	if rank(minConf) == 3 && minConf != "high" {
		return fmt.Errorf("-min-confidence %q: want high, medium or low", minConf)
	}
	if bin == "" {
		dir, err := os.MkdirTemp("", "relpolicy-score")
		if err != nil {
			return fmt.Errorf("making a build directory: %w", err)
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "relpolicy")
		cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/relpolicy")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building relpolicy: %w", err)
		}
	}
	labels, err := readLabels(labelGlob)
	if err != nil {
		return err
	}
	dirs, err := checkouts(corpus)
	if err != nil {
		return err
	}
	var results []repoResult
	for _, d := range dirs {
		r, err := lintOne(bin, d, now, runs)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	return report(os.Stdout, results, labels, rank(minConf), unlabelledOut)
}

// readLabels reads every label file matching glob.
func readLabels(glob string) (map[string]label, error) {
	files, err := filepath.Glob(glob)
	if err != nil {
		return nil, fmt.Errorf("matching label files %q: %w", glob, err)
	}
	out := map[string]label{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading labels: %w", err)
		}
		for i, ln := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(ln) == "" || strings.HasPrefix(ln, "#") {
				continue
			}
			col := strings.Split(ln, "\t")
			where := fmt.Sprintf("%s:%d", f, i+1)
			if len(col) < 7 {
				return nil, fmt.Errorf("reading labels: %s: %d columns, want 7 (repo commit path line rule verdict kind)", where, len(col))
			}
			n, err := strconv.Atoi(col[3])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("reading labels: %s: line %q is not a positive number", where, col[3])
			}
			if col[5] != "tp" && col[5] != "fp" {
				return nil, fmt.Errorf("reading labels: %s: verdict %q, want tp or fp", where, col[5])
			}
			l := label{repo: col[0], commit: col[1], path: col[2], line: n, rule: col[4], verdict: col[5], kind: col[6], where: where}
			if prev, ok := out[l.key()]; ok && prev.verdict != l.verdict {
				return nil, fmt.Errorf("reading labels: %s contradicts %s", where, prev.where)
			}
			out[l.key()] = l
		}
	}
	return out, nil
}

// checkouts lists the finished repository directories under corpus.
func checkouts(corpus string) ([]string, error) {
	ents, err := os.ReadDir(corpus)
	if err != nil {
		return nil, fmt.Errorf("reading corpus: %w", err)
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() || !strings.Contains(e.Name(), "__") {
			continue
		}
		if _, err := os.Stat(filepath.Join(corpus, e.Name(), ".complete")); err != nil {
			fmt.Fprintf(os.Stderr, "score: skipping %s: no .complete marker\n", e.Name())
			continue
		}
		out = append(out, filepath.Join(corpus, e.Name()))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("reading corpus: no owner__name directories in %s", corpus)
	}
	return out, nil
}

// policyFile is the name of the policy the scorer writes into a checkout.
const policyFile = ".relpolicy-realworld.yaml"

// policyFor is the minimal policy for a checkout of owner/name: one artifact
// named after the project on its GitHub releases, checksummed, with
// signatures and attestations not used.
func policyFor(repo string) string {
	name := repo[strings.IndexByte(repo, '/')+1:]
	return fmt.Sprintf(`version: 1
repository:
  name: %[1]s
  url: https://github.com/%[1]s
artifacts:
  - id: release
    name: %[2]s release archives
    type: archive
    identity: checksum
    channels: [gh]
    build: make-build
channels:
  - id: gh
    type: github-release
    location: https://github.com/%[1]s/releases/download/
build:
  entrypoints:
    - id: make-build
      command: make build
      path: Makefile
  compatible: |
    Anyone can build from source; such builds are not the official artifacts.
release:
  contexts:
    - type: tag
      pattern: "v*"
      protected: true
  builders:
    - id: release-workflow
      kind: workflow
      ref: .github/workflows/release.yml
      infrastructure: third-party-hosted
      isolated: true
      runs_untrusted_code: false
      credentials: short-lived
provenance:
  surfaced: [source, revision, version, created, digest]
  checksums:
    algorithm: sha256
    file: SHA256SUMS
  signatures:
    used: false
  attestations:
    used: false
review:
  last: 2026-11-30
  interval_days: 90
`, repo, name)
}

// lintOne writes the policy into dir, lints it runs times and keeps the
// last run's findings and the median wall time.
func lintOne(bin, dir, now string, runs int) (repoResult, error) {
	repo := strings.Replace(filepath.Base(dir), "__", "/", 1)
	r := repoResult{repo: repo, dir: dir, commit: "unknown"}
	if b, err := os.ReadFile(filepath.Join(dir, ".commit")); err == nil {
		r.commit = strings.TrimSpace(string(b))
	}
	pf := filepath.Join(dir, policyFile)
	if err := os.WriteFile(pf, []byte(policyFor(repo)), 0o644); err != nil {
		return r, fmt.Errorf("writing the policy for %s: %w", repo, err)
	}
	var times, cpus []time.Duration
	for i := 0; i < max(1, runs); i++ {
		var out bytes.Buffer
		cmd := exec.Command(bin, "lint", "--now", now, "--format", "json", "--fail-on", "never", pf)
		cmd.Stdout = &out
		cmd.Stderr = os.Stderr
		start := time.Now()
		err := cmd.Run()
		times = append(times, time.Since(start))
		if cmd.ProcessState != nil {
			cpus = append(cpus, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		}
		if err != nil {
			return r, fmt.Errorf("linting %s: %w", repo, err)
		}
		var doc struct {
			Findings []finding `json:"findings"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			return r, fmt.Errorf("reading lint output for %s: %w", repo, err)
		}
		r.findings = doc.Findings
	}
	slices.Sort(times)
	slices.Sort(cpus)
	r.median, r.cpu = times[len(times)/2], cpus[len(cpus)/2]
	return r, nil
}

// counts are one group's figures.
type counts struct{ tp, fp, unl, hidden int }

func report(w *os.File, results []repoResult, labels map[string]label, minRank int, unlabelledOut string) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	total := make([]counts, len(groups))
	per := make([][]counts, len(results))
	found := map[string]bool{}
	var unl []string
	commits := map[string]string{}
	for i, r := range results {
		commits[r.repo] = r.commit
		per[i] = make([]counts, len(groups))
		for _, f := range r.findings {
			g := groupOf(f.Rule)
			if g < 0 {
				continue
			}
			if rank(f.Confidence) < minRank {
				per[i][g].hidden++
				total[g].hidden++
				continue
			}
			k := key(r.repo, f.Path, f.Line, f.Rule)
			l, ok := labels[k]
			switch {
			case !ok:
				per[i][g].unl++
				total[g].unl++
				unl = append(unl, strings.Join([]string{r.repo, r.commit, f.Path, strconv.Itoa(f.Line), f.Rule, "?", "", lineText(r.dir, f.Path, f.Line), cmpOr(f.Confidence, "high")}, "\t"))
			case l.verdict == "tp":
				per[i][g].tp++
				total[g].tp++
				found[k] = true
			default:
				per[i][g].fp++
				total[g].fp++
			}
		}
	}
	// Recall: labelled true positives of repositories in this corpus.
	recallHave, recallAll := make([]int, len(groups)), make([]int, len(groups))
	var missed []string
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		l := labels[k]
		g := groupOf(l.rule)
		c, ok := commits[l.repo]
		if g < 0 || !ok || l.verdict != "tp" {
			continue
		}
		if c != l.commit {
			fmt.Fprintf(bw, "warning: %s labels %s at %s but the checkout is at %s\n", l.where, l.repo, l.commit, c)
		}
		recallAll[g]++
		if found[k] {
			recallHave[g]++
		} else {
			missed = append(missed, fmt.Sprintf("  missed %s %s:%d %s (%s)", l.repo, l.path, l.line, l.rule, l.kind))
		}
	}
	fmt.Fprintf(bw, "%d repositories, findings at or above confidence %s\n\n", len(results), []string{"", "low", "medium", "high"}[minRank])
	for g, gr := range groups {
		t := total[g]
		prec := "n/a"
		if t.tp+t.fp > 0 {
			prec = fmt.Sprintf("%.3f", float64(t.tp)/float64(t.tp+t.fp))
		}
		if t.unl > 0 {
			prec += " (not final: unlabelled findings)"
		}
		rec := "n/a"
		if recallAll[g] > 0 {
			rec = fmt.Sprintf("%.3f (%d/%d)", float64(recallHave[g])/float64(recallAll[g]), recallHave[g], recallAll[g])
		}
		fmt.Fprintf(bw, "%-20s tp %4d  fp %4d  unlabelled %4d  below confidence %4d  precision %s  recall %s\n", gr.name, t.tp, t.fp, t.unl, t.hidden, prec, rec)
	}
	for _, m := range missed {
		fmt.Fprintln(bw, m)
	}
	fmt.Fprintf(bw, "\n%-40s %-12s", "repository", "commit")
	for _, gr := range groups {
		fmt.Fprintf(bw, " %-24s", strings.Fields(gr.name)[0]+" tp/fp/unl/hidden")
	}
	fmt.Fprintf(bw, " %s\n", "median lint wall / cpu")
	var meds, cpuMeds []time.Duration
	for i, r := range results {
		fmt.Fprintf(bw, "%-40s %-12.12s", r.repo, r.commit)
		for g := range groups {
			c := per[i][g]
			fmt.Fprintf(bw, " %-24s", fmt.Sprintf("%d/%d/%d/%d", c.tp, c.fp, c.unl, c.hidden))
		}
		fmt.Fprintf(bw, " %v / %v\n", r.median.Round(time.Millisecond), r.cpu.Round(time.Millisecond))
		meds = append(meds, r.median)
		cpuMeds = append(cpuMeds, r.cpu)
	}
	slices.Sort(meds)
	slices.Sort(cpuMeds)
	fmt.Fprintf(bw, "median of per-repository medians: wall %v, cpu %v\n", meds[len(meds)/2].Round(time.Millisecond), cpuMeds[len(cpuMeds)/2].Round(time.Millisecond))
	if unlabelledOut != "" {
		data := "# repo\tcommit\tpath\tline\trule\tverdict\tkind\ttext\tconfidence\n" + strings.Join(unl, "\n") + "\n"
		if err := os.WriteFile(unlabelledOut, []byte(data), 0o644); err != nil {
			return fmt.Errorf("writing unlabelled findings: %w", err)
		}
	}
	return nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// lineText returns line n of dir/path, trimmed, tabs as spaces, at most 240
// bytes, for review.
func lineText(dir, path string, n int) string {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
	if err != nil {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	s := strings.TrimSpace(strings.ReplaceAll(lines[n-1], "\t", " "))
	if len(s) > 240 {
		s = s[:240]
	}
	return s
}
