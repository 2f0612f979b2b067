package site

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/tooo/relpolicy/lint/finding"
)

// testCompliance is a sweep of the test organisation plus two
// repositories without a page: one missing its policy, one unreadable.
func testCompliance() *Compliance {
	f := func(repo, rule string, sev finding.Severity, line int) finding.Finding {
		return finding.Finding{Repo: repo, Rule: rule, Severity: sev, Path: "release-policy.yaml", Line: line, Column: 3, Message: rule + " <message>", Hint: "fix"}
	}
	return &Compliance{
		Org: "tooo", SweptAt: "2026-11-30T12:00:00Z",
		Repos: []ComplianceRepo{
			{Repo: "tooo/aurora", Status: "compliant", Revision: "0123456789abcdef0123456789abcdef01234567", Policy: "tooo/aurora"},
			{Repo: "tooo/nimbus", Status: "findings", Revision: "1123456789abcdef0123456789abcdef01234567", Errors: 2, Warnings: 1, Policy: "tooo/nimbus"},
			{Repo: "tooo/quiet", Status: "findings", Revision: "2123456789abcdef0123456789abcdef01234567", Errors: 1, Policy: "tooo/quiet"},
			{Repo: "tooo/ghost", Status: "missing-policy", Revision: "3123456789abcdef0123456789abcdef01234567"},
			{Repo: "tooo/locked", Status: "error", Error: "reading head of main: 502 Bad Gateway"},
		},
		Findings: []finding.Finding{
			f("tooo/nimbus", "RP201", finding.Error, 30), f("tooo/nimbus", "RP208", finding.Error, 46), f("tooo/nimbus", "RP205", finding.Warning, 38),
			f("tooo/quiet", "RP201", finding.Error, 12),
		},
		Rules: []ComplianceRule{
			{ID: "RP201", Severity: "error", Title: "trusted release context not protected", Doc: "A release context is not *protected*."},
			{ID: "RP205", Severity: "warning", Title: "long-lived credentials", Doc: "Long-lived."},
			{ID: "RP208", Severity: "error", Title: "builder review overdue", Doc: "Overdue."},
		},
	}
}

func buildCompliance(t *testing.T) string {
	out := filepath.Join(t.TempDir(), "public")
	build(t, out, orgRepos(t), func(o *Options) { o.Compliance = testCompliance() })
	return out
}

func TestComplianceDashboard(t *testing.T) {
	out := buildCompliance(t)
	page := read(t, out, "compliance/index.html")
	// Worst first: error, findings (more errors first), missing-policy, compliant.
	order := regexp.MustCompile(`data-repo="([^"]+)"`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, m := range order {
		got = append(got, m[1])
	}
	if want := "tooo/locked tooo/nimbus tooo/quiet tooo/ghost tooo/aurora"; strings.Join(got, " ") != want {
		t.Errorf("row order %v, want %s", got, want)
	}
	for _, want := range []string{
		`<a href="../tooo/nimbus/index.html">tooo/nimbus</a>`, // repository page
		`<a href="rules.html#rp201">RP201</a></th><td>error</td><td>trusted release context not protected</td><td>2</td><td>2</td>`,
		`id="status-error"`, `href="#status-missing-policy"`,
		`reading head of main: 502 Bad Gateway`,
		`RP201 &lt;message&gt;`, // escaped
		`<form id="compliance-filter" class="compliance-filter" hidden>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}
	if strings.Contains(page, `href="../tooo/ghost/`) {
		t.Error("a repository without a policy links a page")
	}
	for _, m := range regexp.MustCompile(`href="\.\./(tooo/[a-z]+/index\.html)"`).FindAllStringSubmatch(page, -1) {
		if _, err := os.Stat(filepath.Join(out, m[1])); err != nil {
			t.Errorf("dashboard links a missing page %s", m[1])
		}
	}
	rules := read(t, out, "compliance/rules.html")
	if !strings.Contains(rules, `id="rp201"`) || !strings.Contains(rules, "<em>protected</em>") {
		t.Errorf("rules page lacks rp201 or its rendered doc")
	}
	// Without a sweep, no dashboard.
	plain := filepath.Join(t.TempDir(), "public")
	build(t, plain, orgRepos(t))
	if _, err := os.Stat(filepath.Join(plain, "compliance")); err == nil {
		t.Error("compliance/ written without a sweep")
	}
}

func TestComplianceBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no chromium binary found")
		}
		t.Skip("no chromium binary found; install it with: apt-get install -y chromium")
	}
	out := buildCompliance(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	ctx, logs := startBrowser(t, bin)
	step := func(t *testing.T) context.Context {
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		t.Cleanup(cancel)
		return c
	}
	visibleRepos := func(t *testing.T, c context.Context) string {
		t.Helper()
		got, err := chromedp.Run(c, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#compliance tbody tr")).filter(r => !r.hidden).map(r => r.dataset.repo).join(" ")`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	url := srv.URL + "/compliance/index.html"

	t.Run("filter and sort", func(t *testing.T) {
		c := step(t)
		if err := chromedp.Do(c, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("cf-q")), chromedp.SendKeys(chromedp.ID("cf-q"), "rp201")); err != nil {
			t.Fatal(err)
		}
		if got := visibleRepos(t, c); got != "tooo/nimbus tooo/quiet" {
			t.Errorf("filter rp201 shows %q", got)
		}
		count, _ := chromedp.Run(c, chromedp.Text(chromedp.ID("cf-count")))
		if count != "2 of 5 repositories" {
			t.Errorf("count %q", count)
		}
		if err := chromedp.Do(c, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("cf-status")), chromedp.SetValue(chromedp.ID("cf-status"), "missing-policy")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(c, chromedp.Evaluate[bool](`document.getElementById("cf-status").dispatchEvent(new Event("change"))`)); err != nil {
			t.Fatal(err)
		}
		if got := visibleRepos(t, c); got != "tooo/ghost" {
			t.Errorf("status filter shows %q", got)
		}
		// Sort by name, ascending then descending.
		if err := chromedp.Do(c, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`th[data-sort="repo"] button`)), chromedp.Click(chromedp.CSS(`th[data-sort="repo"] button`))); err != nil {
			t.Fatal(err)
		}
		if got := visibleRepos(t, c); got != "tooo/aurora tooo/ghost tooo/locked tooo/nimbus tooo/quiet" {
			t.Errorf("sorted by name: %q", got)
		}
		if err := chromedp.Do(c, chromedp.Click(chromedp.CSS(`th[data-sort="errors"] button`)), chromedp.Click(chromedp.CSS(`th[data-sort="errors"] button`))); err != nil {
			t.Fatal(err)
		}
		if got := visibleRepos(t, c); !strings.HasPrefix(got, "tooo/nimbus tooo/quiet") {
			t.Errorf("sorted by errors, descending: %q", got)
		}
		// The rule link leads to its documentation.
		if err := chromedp.Do(c, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`.rule-counts a`)), chromedp.Click(chromedp.CSS(`.rule-counts a[href="rules.html#rp201"]`)), chromedp.WaitVisible(chromedp.ID("rp201-h"))); err != nil {
			t.Fatalf("following the rule link: %v", err)
		}
		for _, e := range logs.take() {
			t.Errorf("browser reported: %s", e)
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		c := step(t)
		if _, err := chromedp.Call(c, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		defer chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		if err := chromedp.Do(c, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("compliance"))); err != nil {
			t.Fatal(err)
		}
		hidden, err := chromedp.Run(c, chromedp.Evaluate[bool](`document.getElementById("compliance-filter").offsetParent === null`))
		if err != nil || !hidden {
			t.Errorf("filter controls shown without JavaScript (%v)", err)
		}
		rows, err := chromedp.Run(c, chromedp.Nodes(chromedp.CSSAll("#compliance tbody tr")))
		if err != nil || len(rows) != 5 {
			t.Errorf("fallback table has %d rows (%v)", len(rows), err)
		}
		if err := chromedp.Do(c, chromedp.Click(chromedp.CSS(`a[href="#status-missing-policy"]`))); err != nil {
			t.Errorf("status anchor: %v", err)
		}
		for _, e := range logs.take() {
			t.Errorf("browser reported: %s", fmt.Sprint(e))
		}
	})
}
