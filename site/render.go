package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tooo/relpolicy/schema"
	"github.com/tooo/relpolicy/templates"
)

// SchemaPath is where every site publishes the JSON Schema of
// release-policy.yaml (schema.JSON, byte for byte what `relpolicy schema`
// prints), so that an editor's `$schema` line can point at a served URL:
// for relpolicy's own site, schema.ID.
const SchemaPath = "schema/v1.json"

// pageFiles are the page templates; every other *.html is a partial.
var pageFiles = []string{"compliance.html", "digest.html", "index.html", "release.html", "repo.html", "rules.html"}

// theme is the parsed templates and the assets to copy.
type theme struct {
	pages    map[string]*template.Template
	partials *template.Template // the shared templates, for cached
	assets   []asset
	hash     string // of every file's name and content

	mu        sync.Mutex
	fragments map[fragmentKey]template.HTML
}

// frame is what the parts of a page around its content depend on. Pages
// with the same frame share those parts, so they are rendered once per
// frame ({{cached "name" .Frame}}) instead of once per page.
type frame struct {
	Kind string // index, repo, release or digest
	Root string // relative prefix to the site root
	Feed string // site-relative feed
}

type fragmentKey struct {
	name string
	data any
}

// cached executes the shared template name with data, once per (name,
// data), and returns the HTML; like Hugo's partialCached. data must be
// comparable: the page's .Frame, or a pointer such as .Repo whose
// fragment depends on nothing else.
func (th *theme) cached(name string, data any) (template.HTML, error) {
	if data == nil || !reflect.TypeOf(data).Comparable() {
		return "", fmt.Errorf("cached %q: data of type %T cannot be a cache key", name, data)
	}
	k := fragmentKey{name, data}
	th.mu.Lock()
	h, ok := th.fragments[k]
	th.mu.Unlock()
	if ok {
		return h, nil
	}
	var b bytes.Buffer
	// Executions of one template may run concurrently.
	if err := th.partials.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	h = template.HTML(b.String()) //nolint:gosec // output of html/template
	th.mu.Lock()
	th.fragments[k] = h
	th.mu.Unlock()
	return h, nil
}

type asset struct {
	name string
	data []byte
}

// loadTheme reads the embedded templates, overlaid by the files in dir
// (when not empty): a file in dir replaces the embedded one of the same
// name; subdirectories and dotfiles in dir are ignored.
func loadTheme(dir string) (*theme, error) {
	files := map[string][]byte{}
	entries, err := fs.ReadDir(templates.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("reading embedded templates: %w", err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(templates.FS, e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading embedded template %s: %w", e.Name(), err)
		}
		files[e.Name()] = b
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("reading templates overlay: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".go") {
				continue
			}
			if err := checkSegment("template file name", name); err != nil {
				return nil, fmt.Errorf("reading templates overlay: %w", err)
			}
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return nil, fmt.Errorf("reading templates overlay: %w", err)
			}
			files[name] = b
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%d:%s%d:", len(n), n, len(files[n]))
		h.Write(files[n])
	}
	th := &theme{pages: map[string]*template.Template{}, hash: hex.EncodeToString(h.Sum(nil)), fragments: map[fragmentKey]template.HTML{}}
	common := template.New("").Funcs(template.FuncMap{
		"join":   strings.Join,
		"cached": th.cached,
		"lower":  strings.ToLower,
		"short": func(rev string) string {
			if len(rev) > 12 {
				return rev[:12]
			}
			return rev
		},
	})
	for _, n := range names {
		switch {
		case !strings.HasSuffix(n, ".html"):
			th.assets = append(th.assets, asset{name: n, data: files[n]})
		case !slices.Contains(pageFiles, n):
			if _, err := common.New(n).Parse(string(files[n])); err != nil {
				return nil, fmt.Errorf("parsing template %s: %w", n, err)
			}
		}
	}
	if th.partials, err = common.Clone(); err != nil {
		return nil, fmt.Errorf("parsing templates: %w", err)
	}
	for _, n := range pageFiles {
		src, ok := files[n]
		if !ok {
			return nil, fmt.Errorf("parsing templates: page template %s is missing", n)
		}
		t, err := common.Clone()
		if err != nil {
			return nil, fmt.Errorf("parsing template %s: %w", n, err)
		}
		if _, err := t.New(n).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("parsing template %s: %w", n, err)
		}
		if t.Lookup("layout") == nil {
			return nil, fmt.Errorf("parsing template %s: no \"layout\" template defined", n)
		}
		th.pages[n] = t
	}
	return th, nil
}

// page is the data every page template receives.
type page struct {
	Kind      string // index, repo, release, digest, compliance or rules
	Path      string // site-relative path of this page
	Root      string // relative prefix from this page to the site root ("../../")
	Feed      string // site-relative feed for this page
	Frame     frame  // Kind, Root and Feed, the key of cached fragments
	Title     string
	Canonical string // absolute URL when --base-url is set
	Site      *siteModel
	Repo      *repoModel
	Release   *releaseModel
	Digest    *digestModel
}

func (th *theme) render(b *bytes.Buffer, tmpl string, p *page) error {
	return th.pages[tmpl].ExecuteTemplate(b, "layout", p)
}

// outFile is one file of the site.
type outFile struct {
	path   string // slash-separated, relative to the site root
	what   string // for error messages
	render func(b *bytes.Buffer) error
}

// plan lists every file of the site, sorted by path, and rejects paths
// that collide (case-insensitively, or a file where a directory must be).
func plan(m *siteModel, th *theme, baseURL string, now time.Time) ([]outFile, error) {
	var files []outFile
	add := func(path, what string, r func(b *bytes.Buffer) error) {
		files = append(files, outFile{path: path, what: what, render: r})
	}
	mkPage := func(kind, path, title, feed string) *page {
		p := &page{
			Kind: kind, Path: path, Title: title, Feed: feed, Site: m,
			Root: strings.Repeat("../", strings.Count(path, "/")),
		}
		p.Frame = frame{Kind: p.Kind, Root: p.Root, Feed: p.Feed}
		if baseURL != "" {
			p.Canonical = baseURL + "/" + strings.TrimSuffix(path, "index.html")
		}
		return p
	}
	add("index.html", "the site index", func(b *bytes.Buffer) error {
		return th.render(b, "index.html", mkPage("index", "index.html", "Official artifacts", "feed.xml"))
	})
	add("feed.xml", "the site feed", func(b *bytes.Buffer) error {
		return writeFeed(b, "feed.xml", "Official releases", "urn:relpolicy:feed", m.feed, baseURL, now)
	})
	add("api/v1/index.json", "the JSON index", func(b *bytes.Buffer) error {
		return writeIndexJSON(b, m)
	})
	add("assets/search-index.js", "the search index", func(b *bytes.Buffer) error {
		return writeSearchIndex(b, m)
	})
	add(SchemaPath, "the JSON Schema of release-policy.yaml", func(b *bytes.Buffer) error {
		b.Write(schema.JSON)
		return nil
	})
	for _, a := range th.assets {
		add("assets/"+a.name, "template asset "+a.name, func(b *bytes.Buffer) error {
			b.Write(a.data)
			return nil
		})
	}
	for _, r := range m.Repos {
		add(r.Dir+"index.html", "the page of "+r.Name, func(b *bytes.Buffer) error {
			p := mkPage("repo", r.Dir+"index.html", r.Name+": official artifacts", r.Dir+"feed.xml")
			p.Repo = r
			return th.render(b, "repo.html", p)
		})
		add(r.Dir+"feed.xml", "the feed of "+r.Name, func(b *bytes.Buffer) error {
			return writeFeed(b, r.Dir+"feed.xml", r.Name+" releases", "urn:relpolicy:repo:"+r.Name, r.Releases, baseURL, now)
		})
		add("api/v1/"+r.Name+".json", "the JSON of "+r.Name, func(b *bytes.Buffer) error {
			return writeJSON(b, APIRepoFile{Schema: APISchema, Repo: apiRepo(r, true)})
		})
		for _, rel := range r.Releases {
			add(rel.Dir+"index.html", "the page of "+r.Name+" release "+rel.Version, func(b *bytes.Buffer) error {
				p := mkPage("release", rel.Dir+"index.html", r.Name+" "+rel.Version, r.Dir+"feed.xml")
				p.Repo, p.Release = r, rel
				return th.render(b, "release.html", p)
			})
			if len(rel.Sums) > 0 {
				add(rel.Dir+"SHA256SUMS", "SHA256SUMS of "+r.Name+" release "+rel.Version, func(b *bytes.Buffer) error {
					writeSums(b, rel.Sums)
					return nil
				})
			}
			if len(rel.Sums512) > 0 {
				add(rel.Dir+"SHA512SUMS", "SHA512SUMS of "+r.Name+" release "+rel.Version, func(b *bytes.Buffer) error {
					writeSums(b, rel.Sums512)
					return nil
				})
			}
		}
	}
	if m.Compliance != nil {
		add("compliance/index.html", "the compliance dashboard", func(b *bytes.Buffer) error {
			return th.render(b, "compliance.html", mkPage("compliance", "compliance/index.html", "Release policy compliance of "+m.Compliance.Org, "feed.xml"))
		})
		add("compliance/rules.html", "the rule documentation", func(b *bytes.Buffer) error {
			return th.render(b, "rules.html", mkPage("rules", "compliance/rules.html", "relpolicy rules", "feed.xml"))
		})
	}
	for _, d := range m.Digests {
		add(DigestPage(d.Hex), "the page of digest sha256:"+d.Hex, func(b *bytes.Buffer) error {
			p := mkPage("digest", DigestPage(d.Hex), "sha256:"+d.Hex[:12]+"…: official artifact", "feed.xml")
			p.Digest = d
			return th.render(b, "digest.html", p)
		})
	}
	slices.SortFunc(files, func(a, b outFile) int { return strings.Compare(a.path, b.path) })
	if err := checkCollisions(files); err != nil {
		return nil, err
	}
	return files, nil
}

// checkCollisions rejects two files at the same path (ignoring case, for
// case-insensitive file systems) and a file where another needs a
// directory, such as a release named "feed.xml".
func checkCollisions(files []outFile) error {
	byPath := make(map[string]int, len(files))
	for i, f := range files {
		k := strings.ToLower(f.path)
		if j, ok := byPath[k]; ok {
			return fmt.Errorf("planning output: %s and %s would both be written to %s: %w", files[j].what, f.what, f.path, ErrUnsafeName)
		}
		byPath[k] = i
	}
	for _, f := range files {
		k := strings.ToLower(f.path)
		for i := strings.IndexByte(k, '/'); i >= 0; i = next(k, i) {
			if j, ok := byPath[k[:i]]; ok {
				return fmt.Errorf("planning output: %s would be written inside %s (%s): %w", f.what, files[j].what, files[j].path, ErrUnsafeName)
			}
		}
	}
	return nil
}

func next(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// writeSums writes `sha256sum -c` (or sha512sum) lines: hex, two spaces
// (text mode, as sha256sum prints), the name.
func writeSums(b *bytes.Buffer, lines []sumLine) {
	for _, l := range lines {
		b.WriteString(l.Hex)
		b.WriteString("  ")
		b.WriteString(l.Name)
		b.WriteByte('\n')
	}
}

// searchIndex is assets/search-index.js: a compact copy of what the
// search box matches, loaded with a <script> tag so that it also works
// from file://, where fetch() of api/v1/index.json is refused.
type searchIndex struct {
	// Repos: [name, latest version].
	Repos [][2]string `json:"repos"`
	// Releases: [repo index, version, published date].
	Releases [][3]any `json:"releases"`
	// Items: [release index, artifact id, reference or file name, "sha256:<hex>" or ""].
	Items [][4]any `json:"items"`
}

func writeSearchIndex(b *bytes.Buffer, m *siteModel) error {
	b.WriteString(`window.RELPOLICY_SEARCH={"repos":[`)
	for i, r := range m.Repos {
		if i > 0 {
			b.WriteByte(',')
		}
		latest := ""
		if r.Latest != nil {
			latest = r.Latest.Version
		}
		if err := appendJSON(b, [2]string{r.Name, latest}); err != nil {
			return err
		}
	}
	// Releases and items are written one at a time, in repository and
	// release order; items refer to releases by their position.
	b.WriteString(`],"releases":[`)
	n := 0
	for ri, r := range m.Repos {
		for _, rel := range r.Releases {
			if n > 0 {
				b.WriteByte(',')
			}
			if err := appendJSON(b, [3]any{ri, rel.Version, rel.PublishedDate}); err != nil {
				return err
			}
			n++
		}
	}
	b.WriteString(`],"items":[`)
	reli, first := 0, true
	item := func(v [4]any) error {
		if !first {
			b.WriteByte(',')
		}
		first = false
		return appendJSON(b, v)
	}
	for _, r := range m.Repos {
		for _, rel := range r.Releases {
			for _, a := range rel.Artifacts {
				if a.Digest != "" || len(a.Files) == 0 {
					ref := a.Reference
					if ref == "" {
						ref = a.Pinned
					}
					d := ""
					if a.DigestHex != "" {
						d = "sha256:" + a.DigestHex
					}
					if err := item([4]any{reli, a.ID, ref, d}); err != nil {
						return err
					}
				}
				for _, f := range a.Files {
					d := ""
					if f.SHA256 != "" {
						d = "sha256:" + f.SHA256
					}
					if err := item([4]any{reli, a.ID, f.Name, d}); err != nil {
						return err
					}
				}
			}
			reli++
		}
	}
	b.WriteString("]};\n")
	return nil
}
