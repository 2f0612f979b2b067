package site

import (
	"bytes"
	"html/template"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders the Markdown of a policy (descriptions, build.compatible,
// verification instructions) into HTML that is safe to embed:
//
//   - raw HTML is never passed through (goldmark without html.WithUnsafe
//     replaces it with a comment);
//   - every link keeps only an http, https or mailto destination; other
//     schemes (javascript:, data:, vbscript:, file:, ...) turn the link into
//     plain text, and relative links point into the source repository;
//   - images become links, so the site makes no request to a third party;
//   - headings move down two levels to fit under the page's own headings.
//
// A markdown value is safe for concurrent use.
type markdown struct {
	md goldmark.Markdown
}

// repoBaseKey carries the source repository URL into the AST transformer.
var repoBaseKey = parser.NewContextKey()

func newMarkdown() *markdown {
	return &markdown{md: goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 1000))),
	)}
}

// HTML renders src. repoURL (may be empty) resolves relative links to
// repoURL/blob/HEAD/<path>.
func (m *markdown) HTML(src, repoURL string) template.HTML {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	pc := parser.NewContext()
	pc.Set(repoBaseKey, strings.TrimSuffix(repoURL, "/"))
	var b bytes.Buffer
	if err := m.md.Convert([]byte(src), &b, parser.WithContext(pc)); err != nil {
		// Convert only fails when writing to the buffer fails, which it
		// does not; fall back to escaped text rather than dropping it.
		return template.HTML(template.HTMLEscapeString(src)) //nolint:gosec // escaped above
	}
	return template.HTML(b.String()) //nolint:gosec // goldmark without WithUnsafe, links filtered by safeLinks
}

// Summary returns the plain text of the first paragraph of src, cut to
// about limit characters.
func (m *markdown) Summary(src string, limit int) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	source := []byte(src)
	doc := m.md.Parser().Parse(text.NewReader(source))
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if _, ok := n.(*ast.Paragraph); ok && b.Len() > 0 {
				return ast.WalkStop, nil
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(source))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(source))
		}
		return ast.WalkContinue, nil
	})
	s := strings.Join(strings.Fields(b.String()), " ")
	if utf8.RuneCountInString(s) > limit {
		r := []rune(s)[:limit]
		s = strings.TrimRight(string(r), " ") + "…"
	}
	return s
}

// safeLinks is the AST transformer described on markdown.
type safeLinks struct{}

// Transform implements parser.ASTTransformer.
func (safeLinks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	base, _ := pc.Get(repoBaseKey).(string)
	source := reader.Source()
	var headings []*ast.Heading
	var images []*ast.Image
	var autos []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings = append(headings, n)
		case *ast.Image:
			images = append(images, n)
		case *ast.AutoLink:
			autos = append(autos, n)
		}
		return ast.WalkContinue, nil
	})
	for _, h := range headings {
		h.Level = min(h.Level+2, 6)
	}
	for _, img := range images {
		if insideLink(img) {
			// [![alt](img)](href): keep the outer link, show the alt text.
			parent := img.Parent()
			for c := img.FirstChild(); c != nil; {
				next := c.NextSibling()
				parent.InsertBefore(parent, img, c)
				c = next
			}
			parent.RemoveChild(parent, img)
			continue
		}
		link := ast.NewLink()
		link.Destination = img.Destination
		link.Title = img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		if link.ChildCount() == 0 {
			link.AppendChild(link, ast.NewString([]byte("image")))
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
	for _, a := range autos {
		link := ast.NewLink()
		dest := a.URL(source)
		if a.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
			dest = append([]byte("mailto:"), dest...)
		}
		link.Destination = dest
		link.AppendChild(link, ast.NewString(a.Label(source)))
		a.Parent().ReplaceChild(a.Parent(), a, link)
	}
	// Links last: images and autolinks have become links too.
	var links []*ast.Link
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			links = append(links, l)
		}
		return ast.WalkContinue, nil
	})
	for _, l := range links {
		// The HTML renderer resolves character references in destinations
		// ("java&#x09;script:"); judge the URL the browser will see.
		raw := util.ResolveNumericReferences(util.ResolveEntityNames(l.Destination))
		dest, ok := safeURL(string(raw), base)
		if ok {
			l.Destination = []byte(dest)
			continue
		}
		// Unwrap: keep the link text, drop the link.
		parent := l.Parent()
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, l, c)
			c = next
		}
		parent.RemoveChild(parent, l)
	}
}

func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Link); ok {
			return true
		}
	}
	return false
}

// safeURL returns the destination to link to, or false when the link must
// be dropped. Browsers ignore tabs and newlines anywhere in a URL
// ("java\tscript:"), so they are removed before the scheme is judged.
func safeURL(dest, base string) (string, bool) {
	// As the URL parser of browsers: drop tabs and newlines anywhere,
	// trim C0 controls and spaces at both ends; refuse other controls.
	s := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, dest)
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", false
	}
	if strings.HasPrefix(s, "#") {
		return s, true
	}
	if strings.HasPrefix(s, "//") || strings.HasPrefix(s, `\\`) || strings.HasPrefix(s, `/\`) {
		// Scheme-relative: would become file:// on a local copy.
		s = "https:" + strings.ReplaceAll(s, `\`, "/")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return s, true
	case "":
	default:
		return "", false
	}
	if base == "" || strings.Contains(u.Path, `\`) {
		return "", false
	}
	// Relative to the repository root, as on the forge.
	p := path.Clean("/" + u.Path)
	r := base + "/blob/HEAD" + (&url.URL{Path: p}).EscapedPath()
	if u.RawQuery != "" {
		r += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		r += "#" + url.PathEscape(u.Fragment)
	}
	return r, true
}
