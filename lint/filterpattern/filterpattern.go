// Package filterpattern matches branch and tag names against GitHub Actions
// filter patterns, the syntax of on.push.tags and on.push.branches, so a
// release context can be pasted from the workflow that publishes.
//
// Source: GitHub Docs, "Workflow syntax for GitHub Actions", section
// "Filter pattern cheat sheet". The special characters are:
//
//   - zero or more characters, but not /      v*      matches v1.2, not v1/2
//     **   zero or more of any character           rel/**  matches rel/a/b
//     ?    zero or one of the preceding character  v1?     matches v and v1
//   - one or more of the preceding character  v[0-9]+ matches v10
//     []   one character listed or in a range      [0-9a-z]
//     !    at the start: excludes what earlier patterns matched
//     \    escapes the next character
//
// A pattern matches the whole name. Plain globs that use only * (v*,
// release-*) mean the same as they did as path.Match globs; ? differs (glob:
// any one character; filter pattern: the preceding character is optional).
package filterpattern

import (
	"fmt"
	"regexp"
	"strings"
)

// Error is a pattern that does not parse; Offset is the byte offset of the
// offending character in the pattern as written.
type Error struct {
	Pattern string
	Offset  int
	Msg     string
}

func (e *Error) Error() string {
	return fmt.Sprintf("parsing filter pattern %q: %s", e.Pattern, e.Msg)
}

// Pattern is one compiled filter pattern.
type Pattern struct {
	Source  string // the pattern as written, with any leading !
	Negated bool   // the pattern started with !
	re      *regexp.Regexp
}

// Compile parses one filter pattern. Errors are *Error and name the offset (0-based, in
// bytes) of the offending character: an unterminated [ or trailing \, a ? or
// + with no character before it, an empty pattern.
func Compile(src string) (*Pattern, error) {
	p := &Pattern{Source: src}
	body := src
	if strings.HasPrefix(body, "!") {
		p.Negated, body = true, body[1:]
	}
	if body == "" {
		return nil, &Error{src, 0, "empty pattern"}
	}
	off := len(src) - len(body)
	var re strings.Builder
	re.WriteString("^")
	repeatable := false // the last token is one character or class
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch c {
		case '*':
			if i+1 < len(body) && body[i+1] == '*' {
				re.WriteString(".*")
				i++
			} else {
				re.WriteString("[^/]*")
			}
			repeatable = false
		case '?', '+':
			if !repeatable {
				return nil, &Error{src, off + i, fmt.Sprintf("%q at offset %d follows no character it could repeat (write \\%c for a literal)", c, off+i, c)}
			}
			re.WriteByte(c)
			repeatable = false
		case '[':
			end := strings.IndexByte(body[i+1:], ']')
			if end < 0 {
				return nil, &Error{src, off + i, fmt.Sprintf("[ at offset %d is never closed", off+i)}
			}
			class := body[i+1 : i+1+end]
			if class == "" {
				return nil, &Error{src, off + i, fmt.Sprintf("[] at offset %d lists no character", off+i)}
			}
			re.WriteByte('[')
			for _, r := range class {
				if r == '\\' || r == '[' || r == ']' || r == '^' {
					re.WriteByte('\\')
				}
				re.WriteRune(r)
			}
			re.WriteByte(']')
			i += end + 1
			repeatable = true
		case '\\':
			if i+1 >= len(body) {
				return nil, &Error{src, off + i, fmt.Sprintf("\\ at offset %d escapes nothing", off+i)}
			}
			i++
			re.WriteString(regexp.QuoteMeta(body[i : i+1]))
			repeatable = true
		default:
			re.WriteString(regexp.QuoteMeta(body[i : i+1]))
			repeatable = true
		}
	}
	re.WriteString("$")
	r, err := regexp.Compile(re.String())
	if err != nil {
		return nil, fmt.Errorf("parsing filter pattern %q: %w", src, err)
	}
	p.re = r
	return p, nil
}

// Match reports whether name matches the pattern, ignoring any negation.
func (p *Pattern) Match(name string) bool { return p.re.MatchString(name) }

// Regexp returns the Go regular expression the pattern compiles to,
// anchored at both ends ("^v[0-9]+.*$" style), for callers that embed a
// pattern in a larger expression such as a certificate subject.
func (p *Pattern) Regexp() string { return p.re.String() }

// Match reports whether name matches the pattern, ignoring any leading !.
// An invalid pattern matches nothing.
func Match(pattern, name string) bool {
	p, err := Compile(pattern)
	return err == nil && p.Match(name)
}

// MatchList applies patterns in order as GitHub does for one filter: a
// name is selected when the last pattern that matches it is not negated.
// Invalid patterns match nothing.
func MatchList(patterns []string, name string) bool {
	in := false
	for _, s := range patterns {
		p, err := Compile(s)
		if err != nil {
			continue
		}
		if p.Match(name) {
			in = !p.Negated
		}
	}
	return in
}
