package rules

import (
	"regexp"
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
	honest = regexp.MustCompile(`(?i)\b(?:not|no|never|none|neither|nor|without|unsigned|unattested|unverified|yet|plan|plans|planned|planning|will|would|could|might|future|roadmap|intend|intends|until|once|if|whether|lack|lacks|lacking|absence|absent|instead|rather|eventually|upcoming|todo|tbd|someday|unless|claims?|claimed|claiming|calls?|called|describes?|described|says?|said|speaks?|mentions?|cannot|can't|won't|isn't|aren't|doesn't|don't|hasn't|haven't|wasn't|weren't)\b|n't\b`)

	signClaims = claimKind{
		word:   regexp.MustCompile(`(?i)\b(?:signed|signatures?|cosign-signed|gpg-signed)\b`),
		exempt: regexp.MustCompile(`(?i)\b(?:commits?|sign-?off|signed-off|dco|cla|contributor|signed up|signed in|signed integer|git tags?|tag signatures?|email)\b`),
	}
	attestClaims = claimKind{
		word:  regexp.MustCompile(`(?i)\b(?:attested|attestations?|attests|slsa provenance|in-toto|slsa (?:build )?(?:level|l)\s*[1-4])\b`),
		about: regexp.MustCompile(`(?i)\b(?:artifacts?|images?|releases?|builds?|binar(?:y|ies)|packages?|firmware|bundles?|provenance|sboms?|slsa|downloads?|files?|every|each|all|ships?|publish(?:es|ed)?|comes?|carr(?:y|ies)|include[sd]?|attached)\b`),
	}
	verifyClaims = claimKind{
		word:   regexp.MustCompile(`(?i)\b(?:verified|verifiable|cryptographically verif(?:ied|iable))\b`),
		about:  regexp.MustCompile(`(?i)\b(?:artifacts?|images?|releases?|builds?|binar(?:y|ies)|packages?|firmware|bundles?|provenance|origin|publisher|authentic(?:ity)?|supply chain|tamper)\b`),
		exempt: regexp.MustCompile(`(?i)\b(?:checksums?|sha-?256(?:sum)?|sha-?512(?:sum)?|sha256sums|digests?|hash(?:es)?|email|account|domain|badge)\b`),
	}
)

// clauseBreak splits text into clauses: sentence ends, semicolons, "but",
// line breaks between list items and table cells.
var clauseBreak = regexp.MustCompile(`[.!?](?:\s|$)|;|\bbut\b|\n\s*\n|\n\s*(?:[-*+]|\d+\.)\s|\||\n#`)

// Words around a claim in which a negation, future or condition makes it
// honest: "not signed yet", "we plan to publish signed images",
// "signatures are not used".
const (
	honestBefore = 8
	honestAfter  = 4
)

// findClaims returns the claims of kind k in text, skipping honest
// (negated, future, conditional) ones.
func findClaims(text string, k claimKind) []claim {
	var out []claim
	start := 0
	emit := func(end int) {
		clause := text[start:end]
		if k.exempt != nil && k.exempt.MatchString(clause) {
			return
		}
		if k.about != nil && !k.about.MatchString(clause) {
			return
		}
		for _, m := range k.word.FindAllStringIndex(clause, -1) {
			before := strings.Fields(clause[:m[0]])
			after := strings.Fields(clause[m[1]:])
			window := strings.Join(before[max(0, len(before)-honestBefore):], " ") + " " + strings.Join(after[:min(len(after), honestAfter)], " ")
			if honest.MatchString(window) {
				continue
			}
			out = append(out, claim{off: start + m[0], word: clause[m[0]:m[1]]})
			return // one finding per clause
		}
	}
	for _, b := range clauseBreak.FindAllStringIndex(text, -1) {
		emit(b[0])
		start = b[1]
	}
	emit(len(text))
	return out
}

var (
	fence      = regexp.MustCompile("(?m)^[ \t]*(?:```|~~~)")
	inlineCode = regexp.MustCompile("`[^`\n]*`")
	htmlComent = regexp.MustCompile(`(?s)<!--.*?-->`)
	linkTarget = regexp.MustCompile(`\]\([^)\s]*\)`)
	// Quotations mention words rather than claim them: “signed”, "verified"
	// and blockquoted text.
	quoted     = regexp.MustCompile(`“[^”\n]{0,120}”|"[^"\n]{0,120}"`)
	blockquote = regexp.MustCompile(`(?m)^[ \t]*>[^\n]*`)
)

// prose blanks out what is not prose in Markdown (fenced and inline code,
// HTML comments, link targets) and what only quotes (quoted spans,
// blockquotes), keeping byte offsets so positions stay true.
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
	locs := fence.FindAllStringIndex(text, -1)
	for i := 0; i < len(locs); i += 2 {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][1]
		}
		blank(locs[i][0], end)
	}
	for _, re := range []*regexp.Regexp{htmlComent, inlineCode, linkTarget, quoted, blockquote} {
		for _, m := range re.FindAllIndex(b, -1) {
			blank(m[0], m[1])
		}
	}
	return string(b)
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
		for _, cl := range findClaims(prose(n.Value, surface.Markdown), k) {
			line, col := c.Doc.TextPos(pt, cl.off)
			c.Report(c.Doc.Path, line, col, msg(cl.word), hint)
		}
	}
	for _, f := range c.Public() {
		if f.Kind != surface.Markdown && f.Kind != surface.Text {
			continue
		}
		text := string(f.Content)
		for _, cl := range findClaims(prose(text, f.Kind), k) {
			line, col := lineCol(text, cl.off)
			c.Report(f.Path, line, col, msg(cl.word), hint)
		}
	}
}
