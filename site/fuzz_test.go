package site

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzMarkdown: whatever the policy text, the HTML has no raw tags of its
// own making beyond goldmark's safe set, no event handlers and no link
// with a scheme other than http, https or mailto.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"**bold** [x](https://example.org) <script>alert(1)</script>",
		"[a](javascript:alert(1)) [b](JAVA&#x09;SCRIPT:x) <javascript:x> ![i](data:image/png;base64,AA)",
		"[rel](docs/a.md#x) [proto](//evil/x) <a href=x onclick=y>raw</a>",
		"# h\n\n| a |\n|---|\n| <b>x</b> |\n\n- [ ] task\n\n```html\n<script>\n```",
		"[![img](https://i.example/x.png)](https://e.example)",
	} {
		f.Add(s)
	}
	md := newMarkdown()
	tag := regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)`)
	allowed := map[string]bool{
		"p": true, "a": true, "strong": true, "em": true, "code": true, "pre": true, "ul": true, "ol": true,
		"li": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "hr": true, "br": true,
		"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "del": true, "input": true,
	}
	href := regexp.MustCompile(`href="([^"]*)"`)
	f.Fuzz(func(t *testing.T, src string) {
		out := string(md.HTML(src, "https://github.com/o/r"))
		for _, m := range tag.FindAllStringSubmatch(out, -1) {
			if !allowed[strings.ToLower(m[1])] {
				t.Fatalf("tag <%s> in %q from %q", m[1], out, src)
			}
		}
		if strings.Contains(strings.ToLower(out), " on") && regexp.MustCompile(`<[^>]*\son[a-z]+=`).MatchString(out) {
			t.Fatalf("event handler in %q from %q", out, src)
		}
		for _, m := range href.FindAllStringSubmatch(out, -1) {
			u := strings.ToLower(m[1])
			if !strings.HasPrefix(u, "https:") && !strings.HasPrefix(u, "http:") && !strings.HasPrefix(u, "mailto:") && !strings.HasPrefix(u, "#") {
				t.Fatalf("link %q in %q from %q", m[1], out, src)
			}
		}
		_ = md.Summary(src, 50)
	})
}

// FuzzCheckSegment: anything accepted is one safe path segment.
func FuzzCheckSegment(f *testing.F) {
	for _, s := range []string{"1.4.0", "..", "a/b", ".x", "v1+build", "a..b", "x\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkSegment("version", s) != nil {
			return
		}
		if strings.ContainsAny(s, "/\\\x00") || strings.Contains(s, "..") || strings.HasPrefix(s, ".") || s == "" {
			t.Fatalf("accepted %q", s)
		}
	})
}
