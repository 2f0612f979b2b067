package rules

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/surface"
)

// A claim is a word in public text asserting a control is in place.
type claim struct {
	off  int    // byte offset in the text
	word string // the claiming word as written
}

// claimKind describes one family of claims.
type claimKind struct {
	// name identifies the kind.
	name string
	// stems are lower-case literals every claiming word contains; text
	// without any of them holds no claim of this kind.
	stems []string
	// word matches the claiming word.
	word *regexp.Regexp
	// about, when set, must also match the clause for it to be a claim
	// about artifacts rather than, say, commits.
	about *regexp.Regexp
	// exempt marks clauses about something else.
	exempt *regexp.Regexp
}

var (
	// honest marks negated, future or conditional clauses: "not signed yet",
	// "we plan to sign", "once signing is enabled", "unsigned".
	honest = regexp.MustCompile(`(?i)\b(?:not|no|never|none|neither|nor|without|unsigned|unattested|unverified|yet|plan|plans|planned|planning|will|would|could|might|future|roadmap|intend|intends|until|once|if|whether|lack|lacks|lacking|absence|absent|instead|rather|eventually|upcoming|todo|tbd|someday|unless|status|claims?|claimed|claiming|calls?|called|describes?|described|says?|said|speaks?|mentions?|cannot|can't|won't|isn't|aren't|doesn't|don't|hasn't|haven't|wasn't|weren't)\b|n't\b`)

	signClaims = claimKind{
		name:   "signed",
		stems:  []string{"signed", "signature"},
		word:   regexp.MustCompile(`(?i)\b(?:signed|signatures?|cosign-signed|gpg-signed)\b`),
		exempt: regexp.MustCompile(`(?i)\b(?:commits?|sign-?off|signed-off|dco|cla|contributor|signed up|signed in|signed integer|git tags?|tag signatures?|email)\b`),
	}
	attestClaims = claimKind{
		name:  "attested",
		stems: []string{"attest", "slsa", "in-toto"},
		word:  regexp.MustCompile(`(?i)\b(?:attested|attestations?|attests|slsa provenance|in-toto|slsa (?:build )?(?:level|l)\s*[1-4])\b`),
		about: regexp.MustCompile(`(?i)\b(?:artifacts?|images?|releases?|builds?|binar(?:y|ies)|packages?|firmware|bundles?|provenance|sboms?|slsa|downloads?|files?|every|each|all|ships?|publish(?:es|ed)?|comes?|carr(?:y|ies)|include[sd]?|attached)\b`),
	}
	verifyClaims = claimKind{
		name:   "verified",
		stems:  []string{"verified", "verifiable"},
		word:   regexp.MustCompile(`(?i)\b(?:verified|verifiable|cryptographically verif(?:ied|iable))\b`),
		about:  regexp.MustCompile(`(?i)\b(?:artifacts?|images?|releases?|builds?|binar(?:y|ies)|packages?|firmware|bundles?|provenance|origin|publisher|authentic(?:ity)?|supply chain|tamper)\b`),
		exempt: regexp.MustCompile(`(?i)\b(?:checksums?|sha-?256(?:sum)?|sha-?512(?:sum)?|sha256sums|digests?|hash(?:es)?|email|account|domain|badge)\b`),
	}
)

// Words around a claim in which a negation, future or condition makes it
// honest: "not signed yet", "we plan to publish signed images",
// "signatures are not used".
const (
	honestBefore = 8
	honestAfter  = 4
)

// findClaims returns the claims of kind k in text, skipping honest
// (negated, future, conditional) ones. lower is text lower-cased (ASCII
// only, so offsets agree). Only the clauses around the kind's stems are
// examined, so text without them costs one scan per stem.
func findClaims(text, lower string, k claimKind) []claim {
	var hits []int
	for _, st := range k.stems {
		for off := 0; ; {
			i := strings.Index(lower[off:], st)
			if i < 0 {
				break
			}
			hits = append(hits, off+i)
			off += i + len(st)
		}
	}
	slices.Sort(hits)
	var out []claim
	done := -1
	for _, h := range hits {
		if h < done {
			continue // this clause was examined
		}
		start, end := clauseAround(text, h)
		done = end
		if c, ok := claimIn(text, start, end, k); ok {
			out = append(out, c)
		}
	}
	return out
}

// asciiLower lower-cases ASCII letters only, keeping every byte offset.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

// clauseWindow bounds the search for a clause's ends around a hit.
const clauseWindow = 600

// clauseAround returns the clause holding offset h: it ends at a sentence
// end (. ! ? before a space), a semicolon, a table cell bar, the word
// "but", a blank line, a list item or a heading.
func clauseAround(text string, h int) (start, end int) {
	start, end = max(0, h-clauseWindow), min(len(text), h+clauseWindow)
	for i := h - 1; i >= start; i-- {
		if n := breakAt(text, i); n > 0 {
			start = i + n
			break
		}
	}
	for i := h; i < end; i++ {
		if breakAt(text, i) > 0 {
			end = i
			break
		}
	}
	return start, end
}

// breakAt returns the length of the clause break starting at text[i], or 0.
func breakAt(text string, i int) int {
	switch c := text[i]; c {
	case ';', '|':
		return 1
	case '.', '!', '?':
		if i+1 == len(text) || isSpace(text[i+1]) {
			return 1
		}
	case 'b', 'B':
		if i+3 <= len(text) && strings.EqualFold(text[i:i+3], "but") &&
			(i == 0 || !isWord(text[i-1])) && (i+3 == len(text) || !isWord(text[i+3])) {
			return 3
		}
	case '\n':
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
			j++
		}
		if j == len(text) || text[j] == '\n' || text[j] == '#' {
			return j - i
		}
		if (text[j] == '-' || text[j] == '*' || text[j] == '+') && j+1 < len(text) && isSpace(text[j+1]) {
			return j - i
		}
		k := j
		for k < len(text) && text[k] >= '0' && text[k] <= '9' {
			k++
		}
		if k > j && k+1 < len(text) && text[k] == '.' && isSpace(text[k+1]) {
			return j - i
		}
	}
	return 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// claimIn returns the first claim of kind k in text[start:end], the clause.
func claimIn(text string, start, end int, k claimKind) (claim, bool) {
	clause := text[start:end]
	if k.exempt != nil && k.exempt.MatchString(clause) {
		return claim{}, false
	}
	if k.about != nil && !k.about.MatchString(clause) {
		return claim{}, false
	}
	for _, m := range k.word.FindAllStringIndex(clause, -1) {
		before := strings.Fields(clause[:m[0]])
		after := strings.Fields(clause[m[1]:])
		window := strings.Join(before[max(0, len(before)-honestBefore):], " ") + " " + strings.Join(after[:min(len(after), honestAfter)], " ")
		if honest.MatchString(window) {
			continue
		}
		return claim{off: start + m[0], word: clause[m[0]:m[1]]}, true
	}
	return claim{}, false
}

// maxQuote bounds a quoted span that counts as a quotation.
const maxQuote = 120

// prose blanks out what is not prose in Markdown (fenced and inline code,
// HTML comments, link targets) and what only quotes (quoted spans,
// blockquotes), keeping byte offsets so positions stay true. One pass,
// line by line.
func prose(text string, kind surface.Kind) string {
	if kind != surface.Markdown && kind != surface.Policy {
		return text
	}
	b := []byte(text)
	blank := func(from, to int) {
		for i := from; i < to; i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	inFence, inComment := false, false
	for ls := 0; ls < len(b); {
		le := ls + strings.IndexByte(text[ls:], '\n')
		if le < ls {
			le = len(b)
		}
		line := text[ls:le]
		trimmed := strings.TrimLeft(line, " \t")
		switch {
		case !inComment && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			inFence = !inFence
			blank(ls, le)
		case inFence, !inComment && strings.HasPrefix(trimmed, ">"):
			blank(ls, le)
		default:
			inComment = blankInline(text, b, ls, le, inComment, blank)
		}
		ls = le + 1
	}
	return string(b)
}

// blankInline blanks comments, code spans, link targets and quoted spans in
// the line text[ls:le]; it returns whether an HTML comment is still open.
func blankInline(text string, b []byte, ls, le int, inComment bool, blank func(int, int)) bool {
	for i := ls; i < le; {
		if inComment {
			j := strings.Index(text[i:le], "-->")
			if j < 0 {
				blank(i, le)
				return true
			}
			blank(i, i+j+3)
			i, inComment = i+j+3, false
			continue
		}
		rest := text[i:le]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			inComment = true
		case rest[0] == '`':
			j := strings.IndexByte(rest[1:], '`')
			if j < 0 {
				i++
				continue
			}
			blank(i, i+j+2)
			i += j + 2
		case strings.HasPrefix(rest, "]("):
			j := strings.IndexAny(rest[2:], ") \t")
			if j < 0 || rest[2+j] != ')' {
				i++
				continue
			}
			blank(i, i+j+3)
			i += j + 3
		case rest[0] == '"':
			j := strings.IndexByte(rest[1:], '"')
			if j < 0 || j > maxQuote {
				i++
				continue
			}
			blank(i, i+j+2)
			i += j + 2
		case strings.HasPrefix(rest, "“"):
			j := strings.Index(rest[len("“"):], "”")
			if j < 0 || j > maxQuote {
				i++
				continue
			}
			blank(i, i+len("“")+j+len("”"))
			i += len("“") + j + len("”")
		default:
			i++
		}
	}
	return inComment
}

// lineCol converts a byte offset in text to a 1-based line and column.
func lineCol(text string, off int) (int, int) {
	line := strings.Count(text[:off], "\n") + 1
	col := off - strings.LastIndexByte(text[:off], '\n')
	return line, col
}

// markdownFields are the policy's public Markdown, by JSON pointer.
func markdownFields(c *Context) []string {
	p := c.Doc.Policy
	out := []string{"/repository/description", "/build/compatible", "/provenance/signatures/verify", "/provenance/attestations/verify"}
	for i := range p.Channels {
		out = append(out, ptr("channels", i, "description"))
	}
	for i := range p.Artifacts {
		out = append(out, ptr("artifacts", i, "name"))
	}
	return out
}

// reportClaims reports every claim of kind k in the policy's Markdown
// fields and the repository's public text.
func reportClaims(c *Context, k claimKind, msg func(word string) string, hint string) {
	for _, pt := range markdownFields(c) {
		n := c.Doc.Node(pt)
		if n == nil || n.Value == "" {
			continue
		}
		text := prose(n.Value, surface.Markdown)
		for _, cl := range findClaims(text, asciiLower(text), k) {
			line, col := c.Doc.TextPos(pt, cl.off)
			c.Report(c.Doc.Path, line, col, msg(cl.word), hint)
		}
	}
	for _, cl := range c.publicClaims()[k.name] {
		c.Report(cl.path, cl.line, cl.col, msg(cl.word), hint)
	}
}

// publicClaim is a claim found in a public file.
type publicClaim struct {
	path      string
	line, col int
	word      string
}

// claimKinds are the kinds the claim rules report, by name.
var claimKinds = []claimKind{signClaims, attestClaims, verifyClaims}

// publicClaims finds the claims of every kind in the repository's public
// text in one pass, once per run: each file is read, blanked to prose and
// searched for all three kinds, then dropped, so memory does not grow with
// the size of the docs tree.
func (c *Context) publicClaims() map[string][]publicClaim {
	c.claimsOnce.Do(func() {
		c.claims = map[string][]publicClaim{}
		c.Public(func(f TextFile) {
			if f.Kind != surface.Markdown && f.Kind != surface.Text {
				return
			}
			raw := string(f.Content)
			var text, lower string
			for _, k := range claimKinds {
				if !hasStem(raw, k.stems) {
					continue
				}
				if text == "" {
					text = prose(raw, f.Kind)
					lower = asciiLower(text)
				}
				for _, cl := range findClaims(text, lower, k) {
					line, col := lineCol(text, cl.off)
					c.claims[k.name] = append(c.claims[k.name], publicClaim{f.Path, line, col, cl.word})
				}
			}
		})
	})
	return c.claims
}

// hasStem reports whether text holds any of the stems, ignoring ASCII case.
func hasStem(text string, stems []string) bool {
	for _, st := range stems {
		for i := 0; i+len(st) <= len(text); {
			j := strings.IndexAny(text[i:], st[:1]+strings.ToUpper(st[:1]))
			if j < 0 {
				break
			}
			i += j
			if i+len(st) <= len(text) && strings.EqualFold(text[i:i+len(st)], st) {
				return true
			}
			i++
		}
	}
	return false
}
