package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/schema"
)

// hostilePolicy puts attacker-controlled text everywhere a policy author
// can write free text.
func hostilePolicy() *schema.Policy {
	p := minimalPolicy("evil/repo")
	p.Repository.Description = strings.Join([]string{
		`<script>alert("desc")</script>`,
		`<img src=x onerror=alert(1)>`,
		`[click](javascript:alert(1)) [caps](JaVaScRiPt:alert(2)) [tab](java&#x09;script:alert(3))`,
		`[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox) [file](file:///etc/passwd)`,
		`<javascript:alert(4)> <a href="javascript:alert(5)">raw</a>`,
		`![tracker](https://tracker.example/pixel.png) [![badge](https://img.example/b.svg)](https://ci.example/)`,
		`[ok](https://example.org/ok) [rel](docs/x.md) [proto](//evil.example/x)`,
		"# Heading one",
		`<iframe src="https://evil.example"></iframe><style>body{display:none}</style>`,
	}, "\n\n")
	p.Artifacts[0].Name = `<img src=x onerror=alert("name")>`
	p.Channels[0].Description = `<script>alert("channel")</script>[x](javascript:alert("channel"))`
	p.Build.Compatible = "</div></main><script>alert('compat')</script>"
	p.Build.Entrypoints[0].Command = `make "$(curl evil)" </code><script>alert('cmd')</script>`
	p.Build.Entrypoints[0].Requirements = []string{`<b onmouseover=alert(1)>`}
	p.Release.Builders[0].Ref = `"><script>alert('ref')</script>`
	p.Releases = []schema.LedgerEntry{{
		Version: "1.0.0", Tag: `v1"><script>alert('tag')</script>`, Revision: strings.Repeat("d", 40), Published: "2026-01-01T00:00:00Z",
		Record: "https://ci.example/run?a=1&b=<script>",
		Artifacts: []schema.ReleaseArtifact{
			{ID: "tool", Files: []schema.ReleaseFile{{
				Name: `tool<img src=x onerror=alert('file')>.tgz`, URL: "https://example.org/t.tgz",
				SHA256: schema.SHA256Hex(sha("t")),
			}}},
			{ID: "img", Reference: `ghcr.io/evil/x:1"><script>alert('ref')</script>`, Digest: schema.Digest("sha256:" + sha("img"))},
		},
	}}
	return p
}

func TestHostileInputIsInert(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s")
	build(t, out, []Repo{{Policy: hostilePolicy()}})
	// Raw tags or event attributes inside a tag; escaped text (&lt;img) is
	// fine. No src= may point off-site.
	ownScripts := regexp.MustCompile(`<script src="(\.\./)*assets/(site|search-index)\.js" defer></script>`)
	active := regexp.MustCompile(`(?i)<(script|img|iframe|style|object|embed)\b|<[^>]*\son\w+=|(href|src|action)="\s*(javascript|vbscript|data|file):|src="(https?:)?//`)
	for _, f := range allFiles(t, out) {
		content := read(t, out, f)
		if strings.HasSuffix(f, ".json") || strings.HasSuffix(f, ".js") {
			// JSON escapes <, > and & as \u003c, \u003e, \u0026.
			if strings.Contains(content, "<script") {
				t.Errorf("%s: unescaped <script", f)
			}
			continue
		}
		if strings.HasSuffix(f, "SUMS") {
			continue // plain text, checked by TestUnsafeNamesRejected
		}
		if strings.HasSuffix(f, ".xml") {
			if strings.Contains(content, "<script") {
				t.Errorf("%s: unescaped <script in XML", f)
			}
			continue
		}
		content = ownScripts.ReplaceAllString(content, "")
		for _, m := range active.FindAllStringIndex(content, -1) {
			t.Errorf("%s: active content %q in …%s…", f, content[m[0]:m[1]], content[max(0, m[0]-40):min(len(content), m[1]+40)])
		}
	}
	p := read(t, out, "evil/repo/index.html")
	mustContain(t, p,
		// The text survives, escaped.
		"&lt;img src=x onerror=alert(&#34;name&#34;)&gt;",
		// Link text stays, the unsafe link goes.
		"click", "caps", "data",
		`<a href="https://example.org/ok">ok</a>`,
		`<a href="https://github.com/evil/repo/blob/HEAD/docs/x.md">rel</a>`,
		`<a href="https://evil.example/x">proto</a>`,
		// Images become links; a linked image keeps only the outer link.
		`<a href="https://tracker.example/pixel.png">tracker</a>`,
		`<a href="https://ci.example/">badge</a>`,
		// Markdown headings sit below the page's own.
		"<h3>Heading one</h3>",
	)
	mustNotContain(t, p, `href="java`, "vbscript:", "data:text", "file:///", "&#x09;", "<h1>Heading one")
	// The raw-HTML autolink and anchor are text or dropped, never links.
	mustContain(t, p, "<p>javascript:alert(4) <!-- raw HTML omitted -->raw<!-- raw HTML omitted --></p>", "<p>click caps tab</p>")
}

func TestMarkdownSafeURL(t *testing.T) {
	base := "https://github.com/o/r"
	for _, tc := range []struct{ in, want string }{
		{"https://example.org/a?b=c#d", "https://example.org/a?b=c#d"},
		{"http://example.org", "http://example.org"},
		{"mailto:sec@example.org", "mailto:sec@example.org"},
		{"#section", "#section"},
		{"docs/a b.md", base + "/blob/HEAD/docs/a%20b.md"},
		{"./docs/../README.md#usage", base + "/blob/HEAD/README.md#usage"},
		{"/SECURITY.md", base + "/blob/HEAD/SECURITY.md"},
		{"../../../../etc/passwd", base + "/blob/HEAD/etc/passwd"},
		{"//evil.example/x", "https://evil.example/x"},
		{"javascript:alert(1)", ""},
		{" JAVASCRIPT:alert(1)", ""},
		{"java\tscript:alert(1)", ""},
		{"java\nscript:alert(1)", ""},
		{"\x01javascript:alert(1)", ""},
		{"vbscript:x", ""},
		{"data:image/png;base64,AAAA", ""},
		{"file:///etc/passwd", ""},
		{"ftp://example.org/x", ""},
		{`\\evil\share`, "https://evil/share"},
		{"", ""},
	} {
		got, ok := safeURL(tc.in, base)
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("safeURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if _, ok := safeURL("docs/x.md", ""); ok {
		t.Error("relative link kept without a repository URL")
	}
}

func TestMarkdownRendering(t *testing.T) {
	md := newMarkdown()
	for _, tc := range []struct{ in, want string }{
		{"<b>raw</b> text", "<p><!-- raw HTML omitted -->raw<!-- raw HTML omitted --> text</p>\n"},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<table>"},
		{"~~gone~~", "<del>gone</del>"},
		{"see www.example.org", `<a href="http://www.example.org">www.example.org</a>`},
		{"<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n"},
		{"mail <sec@example.org>", `<a href="mailto:sec@example.org">sec@example.org</a>`},
	} {
		got := string(md.HTML(tc.in, "https://github.com/o/r"))
		if !strings.Contains(got, tc.want) {
			t.Errorf("HTML(%q) = %q, want it to contain %q", tc.in, got, tc.want)
		}
	}
	if got := md.Summary("**Bold** start\nsecond line\n\nNext paragraph", 200); got != "Bold start second line" {
		t.Errorf("Summary = %q", got)
	}
	if got := md.Summary(strings.Repeat("word ", 100), 20); got != "word word word word…" {
		t.Errorf("Summary cut = %q", got)
	}
}

func TestUnsafeNamesRejected(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(p *schema.Policy)
	}{
		{"dotdot version", func(p *schema.Policy) { p.Releases[0].Version = "../../etc" }},
		{"dotdot only", func(p *schema.Policy) { p.Releases[0].Version = ".." }},
		{"embedded dotdot", func(p *schema.Policy) { p.Releases[0].Version = "1..2" }},
		{"absolute version", func(p *schema.Policy) { p.Releases[0].Version = "/etc/passwd" }},
		{"slash in version", func(p *schema.Policy) { p.Releases[0].Version = "1.0/evil" }},
		{"backslash in version", func(p *schema.Policy) { p.Releases[0].Version = `1.0\evil` }},
		{"hidden version", func(p *schema.Policy) { p.Releases[0].Version = ".git" }},
		{"empty version", func(p *schema.Policy) { p.Releases[0].Version = "" }},
		{"space in version", func(p *schema.Policy) { p.Releases[0].Version = "1.0 beta" }},
		{"NUL in version", func(p *schema.Policy) { p.Releases[0].Version = "1.0\x00" }},
		{"HTML in version", func(p *schema.Policy) { p.Releases[0].Version = "<b>1</b>" }},
		{"version named like the feed", func(p *schema.Policy) { p.Releases[0].Version = "feed.xml" }},
		{"version named like the page", func(p *schema.Policy) { p.Releases[0].Version = "INDEX.html" }},
		{"duplicate version", func(p *schema.Policy) { p.Releases = append(p.Releases, p.Releases[0]) }},
		{"dotdot repo", func(p *schema.Policy) { p.Repository.Name = "tooo/.." }},
		{"dot owner", func(p *schema.Policy) { p.Repository.Name = "./x" }},
		{"nested name", func(p *schema.Policy) { p.Repository.Name = "a/b/c" }},
		{"no owner", func(p *schema.Policy) { p.Repository.Name = "justname" }},
		{"HTML in name", func(p *schema.Policy) { p.Repository.Name = "<script>/x" }},
		{"owner api collides", func(p *schema.Policy) { p.Repository.Name = "api/v1"; p.Releases[0].Version = "index.json" }},
		{"file name with slash", func(p *schema.Policy) { p.Releases[0].Artifacts[0].Files[0].Name = "../SHA256SUMS" }},
		{"file name sha256sum -c reads as stdin", func(p *schema.Policy) { p.Releases[0].Artifacts[0].Files[0].Name = "-" }},
		{"file name with newline", func(p *schema.Policy) {
			p.Releases[0].Artifacts[0].Files[0].Name = schema.FileName("a\n" + sha("forged") + "  /etc/passwd")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := minimalPolicy("tooo/tool")
			p.Releases = []schema.LedgerEntry{{
				Version: "1.0.0", Revision: strings.Repeat("a", 40), Published: "2026-01-01T00:00:00Z",
				Artifacts: []schema.ReleaseArtifact{{ID: "tool", Files: []schema.ReleaseFile{{Name: "tool.tgz", URL: "https://example.org/tool.tgz", SHA256: schema.SHA256Hex(sha("tool"))}}}},
			}}
			tc.mod(p)
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			_, err := Build(context.Background(), Options{Out: out}, []Repo{{Policy: p, Dir: "repo"}})
			if !errors.Is(err, ErrUnsafeName) {
				t.Fatalf("Build: %v, want ErrUnsafeName", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("wrote %v despite the error", entries)
			}
		})
	}
}

func TestTemplateOverlay(t *testing.T) {
	overlay := t.TempDir()
	files := map[string]string{
		"style.css":     "body{color:red}\n",
		"extra.css":     "/* new asset */\n",
		"partials.html": `{{define "brand"}}ACME artifacts{{end}}`,
		"digest.html":   `{{define "title"}}digest{{end}}{{define "main"}}<p>{{template "brand"}} {{.Digest.Hex}}</p>{{end}}`,
		".hidden.html":  "{{broken",
	}
	for name, c := range files {
		if err := os.WriteFile(filepath.Join(overlay, name), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(overlay, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "s")
	build(t, out, orgRepos(t), func(o *Options) { o.Templates = overlay })
	if got := read(t, out, "assets/style.css"); got != files["style.css"] {
		t.Errorf("style.css not overridden: %q", got)
	}
	if got := read(t, out, "assets/extra.css"); got != files["extra.css"] {
		t.Errorf("extra.css not copied: %q", got)
	}
	d := read(t, out, "digests/sha256/"+sha("aurora-image-1.4.0")+"/index.html")
	mustContain(t, d, "<p>ACME artifacts "+sha("aurora-image-1.4.0")+"</p>", "<title>digest</title>")
	mustContain(t, read(t, out, "tooo/aurora/index.html"), "<h1>tooo/aurora</h1>")

	// A broken overlay fails before anything is written.
	if err := os.WriteFile(filepath.Join(overlay, "repo.html"), []byte(`{{define "main"}}{{.Nope`), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(t.TempDir(), "s")
	if _, err := Build(context.Background(), Options{Out: fresh, Templates: overlay}, orgRepos(t)); err == nil || !strings.Contains(err.Error(), "repo.html") {
		t.Errorf("broken overlay: %v", err)
	}
	// A template that fails while rendering also writes nothing.
	if err := os.WriteFile(filepath.Join(overlay, "repo.html"), []byte(`{{define "title"}}x{{end}}{{define "main"}}{{.Repo.NoSuchField}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), Options{Out: fresh, Templates: overlay}, orgRepos(t)); err == nil || !strings.Contains(err.Error(), "NoSuchField") {
		t.Errorf("failing overlay: %v", err)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("output written despite a template error: %v", err)
	}
	if _, err := Build(context.Background(), Options{Out: fresh, Templates: filepath.Join(overlay, "missing")}, nil); err == nil {
		t.Error("missing overlay directory accepted")
	}
}
