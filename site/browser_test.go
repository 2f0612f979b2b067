package site

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium or Chrome binary.
func chromium() string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactsDir is where screenshots go: $RELPOLICY_ARTIFACTS, or
// _artifacts next to testdata.
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("RELPOLICY_ARTIFACTS")
	if dir == "" {
		dir = "_artifacts"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browserLog collects what the page reports as going wrong: uncaught
// exceptions, console.error/assert calls and browser log errors (CSP
// violations, failed loads).
type browserLog struct {
	mu   sync.Mutex
	errs []string
}

func (l *browserLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, fmt.Sprintf(format, args...))
}

func (l *browserLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.errs
	l.errs = nil
	return e
}

func (l *browserLog) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		l.add("exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			l.add("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
			l.add("browser %s (%s): %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
}

// TestBrowser drives headless Chromium over the rendered site, served over
// HTTP and opened from file://.
func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		msg := "no chromium binary found (/usr/bin/chromium, chromium, chromium-browser, google-chrome); install it with: apt-get install -y chromium"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	out := filepath.Join(t.TempDir(), "public")
	build(t, out, orgRepos(t))
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()

	ctx, logs := startBrowser(t, bin)

	// Each step gets its own deadline; the first Run above started the
	// browser with the untimed context.
	step := func(t *testing.T) context.Context {
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		t.Cleanup(cancel)
		return c
	}
	noErrors := func(t *testing.T) {
		t.Helper()
		for _, e := range logs.take() {
			t.Errorf("browser reported: %s", e)
		}
	}
	resultsText := func(t *testing.T, c context.Context, want string) string {
		t.Helper()
		got, err := chromedp.Run(c, chromedp.Poll[string](
			fmt.Sprintf(`(() => { const r = document.getElementById("results"); return r && r.textContent.includes(%q) ? r.textContent : null; })()`, want),
			chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			txt, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.getElementById("results").textContent`))
			t.Fatalf("waiting for %q in the search results: %v (results: %q)", want, err, txt)
		}
		return got
	}
	auroraImage := "sha256:" + sha("aurora-image-1.4.0")
	auroraOS := sha("aurora 1.4.0 x86_64 image")

	t.Run("search by name", func(t *testing.T) {
		c := step(t)
		if err := chromedp.Do(c,
			chromedp.Navigate(srv.URL+"/index.html"),
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), "nimbus"),
		); err != nil {
			t.Fatal(err)
		}
		got := resultsText(t, c, "tooo/nimbus")
		if strings.Contains(got, "tooo/aurora") {
			t.Errorf("search for nimbus also found aurora: %q", got)
		}
		href, err := chromedp.Run(c, chromedp.Evaluate[string](`document.querySelector("#results a").getAttribute("href")`))
		if err != nil || href != "tooo/nimbus/index.html" {
			t.Errorf("first result links %q (%v)", href, err)
		}
		noErrors(t)
	})

	t.Run("search by digest", func(t *testing.T) {
		c := step(t)
		if err := chromedp.Do(c,
			chromedp.Navigate(srv.URL+"/index.html"),
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), auroraImage),
		); err != nil {
			t.Fatal(err)
		}
		// SendKeys types one key at a time and the results follow each key:
		// wait for the whole digest, not for a result a prefix already
		// shows (under load the poll can land between keys).
		got := resultsText(t, c, auroraImage)
		if !strings.Contains(got, "tooo/aurora 1.4.0") || !strings.Contains(got, "aurora-image") {
			t.Errorf("digest search results: %q", got)
		}
		// A file checksum prefix, passed in the URL as the header search
		// box of every page does; then follow the result.
		if err := chromedp.Do(c, chromedp.Navigate(srv.URL+"/index.html?q="+auroraOS[:16])); err != nil {
			t.Fatal(err)
		}
		resultsText(t, c, "aurora-1.4.0-x86_64.img.zst")
		if _, err := chromedp.Run(c, chromedp.WaitEvent(cdppage.LoadEventFired, nil,
			chromedp.Click(chromedp.CSS(`#results a[href^="digests/"]`)))); err != nil {
			t.Fatalf("following the digest result: %v", err)
		}
		loc, err := chromedp.Run(c, chromedp.Location())
		if err != nil || !strings.Contains(loc, "/digests/sha256/"+auroraOS+"/") {
			t.Errorf("followed the result to %s (%v)", loc, err)
		}
		h1, err := chromedp.Run(c, chromedp.Text(chromedp.CSS("h1")))
		if err != nil || h1 != "Official artifact" {
			t.Errorf("digest page h1 = %q (%v)", h1, err)
		}
		noErrors(t)
	})

	t.Run("copy button", func(t *testing.T) {
		c := step(t)
		if _, err := chromedp.CallBrowser(c, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: "clipboard-read"}, Setting: browser.PermissionSettingGranted, Origin: srv.URL,
		}); err != nil {
			t.Logf("granting clipboard-read: %v", err)
		}
		if err := chromedp.Do(c,
			chromedp.Navigate(srv.URL+"/tooo/aurora/1.4.0/index.html"),
			chromedp.WaitVisible(chromedp.CSS("button.copy")),
			chromedp.Click(chromedp.CSS("button.copy")),
		); err != nil {
			t.Fatal(err)
		}
		status, err := chromedp.Run(c, chromedp.Poll[string](`(() => { const s = document.getElementById("copy-status").textContent; return s.startsWith("Copied") ? s : null; })()`, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			s, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.getElementById("copy-status").textContent`))
			t.Fatalf("no Copied status: %v (status %q)", err, s)
		}
		want := "ghcr.io/tooo/aurora@" + auroraImage
		if status != "Copied "+want {
			t.Errorf("status %q, want it to name %s", status, want)
		}
		clip, err := chromedp.Run(c, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Logf("reading the clipboard back is not possible here: %v", err)
		} else if clip != want {
			t.Errorf("clipboard holds %q, want %q", clip, want)
		}
		noErrors(t)
	})

	t.Run("screenshots", func(t *testing.T) {
		c := step(t)
		dir := artifactsDir(t)
		shot := func(name string) {
			b, err := chromedp.Run(c, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", p)
		}
		if err := chromedp.Do(c, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/tooo/aurora/index.html"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
			t.Fatal(err)
		}
		shot("site-repo-page.png")

		// A phone, dark theme: readable without sideways scrolling.
		if _, err := chromedp.Call(c, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(c, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)), chromedp.Navigate(srv.URL+"/tooo/aurora/1.4.0/index.html"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
			t.Fatal(err)
		}
		bg, err := chromedp.Run(c, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		if err != nil || bg != "rgb(15, 18, 22)" {
			t.Errorf("dark theme background = %q (%v)", bg, err)
		}
		overflow, err := chromedp.Run(c, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil || overflow > 0 {
			t.Errorf("release page is %d px wider than a phone (%v)", overflow, err)
		}
		shot("site-release-phone-dark.png")
		if _, err := chromedp.Call(c, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(c, chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
		noErrors(t)
	})

	t.Run("file URL", func(t *testing.T) {
		c := step(t)
		base := "file://" + filepath.ToSlash(out)
		if err := chromedp.Do(c,
			chromedp.Navigate(base+"/index.html?q=quiet"),
			chromedp.WaitVisible(chromedp.ID("q")),
		); err != nil {
			t.Fatal(err)
		}
		resultsText(t, c, "tooo/quiet")
		if err := chromedp.Do(c,
			chromedp.Navigate(base+"/tooo/aurora/1.4.0/index.html"),
			chromedp.WaitVisible(chromedp.CSS("button.copy")),
			chromedp.Click(chromedp.CSS("button.copy")),
		); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(c, chromedp.Poll[string](`(() => { const s = document.getElementById("copy-status").textContent; return s.startsWith("Copied") ? s : null; })()`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			s, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.getElementById("copy-status").textContent`))
			t.Errorf("copy from file:// gave status %q: %v", s, err)
		}
		color, err := chromedp.Run(c, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".site-header")).borderBottomStyle`))
		if err != nil || color != "solid" {
			t.Errorf("stylesheet not applied from file:// (%q, %v)", color, err)
		}
		noErrors(t)
	})

	t.Run("without JavaScript", func(t *testing.T) {
		c := step(t)
		if _, err := chromedp.Call(c, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		defer chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		if err := chromedp.Do(c, chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitVisible(chromedp.CSS("table.repos"))); err != nil {
			t.Fatal(err)
		}
		rows, err := chromedp.Run(c, chromedp.Nodes(chromedp.CSSAll("table.repos tbody tr")))
		if err != nil || len(rows) != 3 {
			t.Errorf("fallback table has %d rows (%v)", len(rows), err)
		}
		if err := chromedp.Do(c, chromedp.Navigate(srv.URL+"/tooo/aurora/1.4.0/index.html"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
			t.Fatal(err)
		}
		visible, err := chromedp.Run(c, chromedp.Nodes(chromedp.CSSAll("button.copy:not([hidden])"), chromedp.AtLeast(0)))
		if err != nil || len(visible) != 0 {
			t.Errorf("%d copy buttons shown without JavaScript (%v)", len(visible), err)
		}
		noErrors(t)
	})
}

// startBrowser starts headless Chromium at bin for one test, with the
// background-networking features off (this machine has no network), and
// returns its context and a log of console errors and exceptions. The
// browser stops when the test ends.
func startBrowser(t *testing.T, bin string) (context.Context, *browserLog) {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)

	logs := &browserLog{}
	if err := chromedp.Listen(ctx, logs.listen); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	return ctx, logs
}
