package rules

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// A claim is a sentence in public text asserting that a control (signing,
// attestation, verification) is in place for this project's own published
// artifacts. Whether a sentence is such a claim is decided from its subject
// and where it stands, not from the presence of a word:
//
//   - its subject names this project's own artifacts ("we sign every
//     release", "our images", "Argo CD container images", the policy's
//     artifact names, channel locations or checksum file, "this project",
//     a SLSA badge), or its releases, official downloads or published
//     artifacts ("the release blob", "release binaries");
//   - or it asserts the control of artifacts in general ("images are
//     signed") where nothing says whose, which counts with less confidence
//     outside release, install, download, verification and security text;
//   - and it is not about something else: users' or third-party artifacts
//     ("the image you sign", "images pulled from registries"), what a tool
//     can do (features, options, policies), code (function signatures,
//     signed integers), protocols (packets, requests, tokens, HMAC), TLS
//     certificates (self-signed, CA), commits and sign-offs, accounts, or
//     compound labels ("Build-verified"); history (changelogs, release
//     notes) is at most a low-confidence claim.
type claim struct {
	off     int                // byte offset of the claiming word in the text
	word    string             // the claiming word as written
	end     int                // byte offset where the clause ends
	start   int                // byte offset where the clause starts
	subject string             // what the claim is about, as written
	conf    finding.Confidence // how sure the claim is about official artifacts
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
	// assert matches a clause that asserts the control of some artifacts
	// without saying whose ("images are signed", "each image carries a
	// signature").
	assert *regexp.Regexp
	// exempt marks clauses of this kind that are about something else.
	exempt *regexp.Regexp
	// ends lists, for a stem, the endings that make it a claiming word
	// ("" for the stem alone); a stem without a list takes any ending.
	ends map[string][]string
}

// artifactNoun is what a project publishes.
const artifactNoun = `(?:releases?|release blobs?|binar(?:y|ies)|artifacts?|images?|packages?|builds|archives?|assets?|downloads?|tarballs?|containers?|charts?|firmware|bundles?|blobs?|executables?|distributions?|installers?|isos?|wheels?|sboms?|files?)`

var (
	// honest marks negated, future or conditional clauses: "not signed yet",
	// "we plan to sign", "once signing is enabled", "unsigned".
	honest = regexp.MustCompile(`(?i)\b(?:not|no|never|none|neither|nor|without|unsigned|unattested|unverified|yet|plan|plans|planned|planning|will|would|could|might|future|roadmap|intend|intends|until|once|if|whether|lack|lacks|lacking|absence|absent|instead|rather|eventually|upcoming|todo|tbd|someday|unless|status|claims?|claimed|claiming|calls?|called|describes?|described|says?|said|speaks?|mentions?|cannot|can't|won't|isn't|aren't|doesn't|don't|hasn't|haven't|wasn't|weren't)\b|n't\b`)

	// elsewhere marks clauses about something other than published
	// artifacts, whatever the kind: TLS certificates, code, protocols,
	// commits and sign-offs, accounts.
	elsewhere = regexp.MustCompile(`(?i)\b(?:self[- ]?signed|tls|ssl|https|x\.?509|root ca|ca (?:key|cert(?:ificate)?s?)|certificate authorit(?:y|ies)|(?:function|method|type|call|interface|api|handler|constructor|func|go|rust|python|typescript|parameter|argument)s? signatures?|signatures? of (?:the |a |an )?(?:function|method|type|call)|signed (?:integers?|ints?|chars?|longs?|shorts?|bytes?|numbers?|values?|overflow|arithmetic|types?|fields?|offsets?)|(?:un)?signed/(?:un)?signed|hmac|jwts?|jws|jwk|saml|tokens?|packets?|requests?|webhooks?|headers?|cookies?|ssh|gpg keys? of|signature (?:algorithms?|hash(?:es)?|schemes?|computations?|keys?)|key signatures?|signed-off(?:-by)?|sign-?offs?|dco|cla|commits?|git tags?|signed tags?|tag signatures?|signed (?:up|in|out)|sign (?:up|in|out)|e-?mails?|log(?:ging|ged)? in|login|vulnerab\w*|cve-\d+|single sign-on|sign-on|sso|uefi|kernel modules?|bootloaders?|grub|shim|mok|kek|dbx)\b`)

	// feature marks text on what a tool can do or how to configure it,
	// rather than what the project publishes.
	feature = regexp.MustCompile(`(?i)\b(?:can (?:(?:now|also|then|optionally|automatically) )?(?:sign|attest|verify|generate|create|discover|produce|attach|store|check|validate|enforce|add|include|emit|export|push|find|detect|scan|read|parse|upload|fetch|download|use)|allows?|lets?|enables?|supports?|supported|option|options|flags?|configure[sd]?|configuring|configuration|parameters?|settings?|policy|policies|admission|plugins?|integrations?|feature|features|capabilit(?:y|ies)|command|commands|api|subcommand|probes?|(?:this|the) check|checks (?:for|if|whether|that)|looks? for|determines?)\b`)

	// userOwned marks artifacts that belong to users or third parties: "the
	// image you sign", "your images", "images pulled from registries".
	userOwned = regexp.MustCompile(`(?i)\b(?:your|yours|user'?s|users'|customers?'|third[- ]party|pulled|arbitrary|upstream|existing)\b|\b(?:their|any) (?:[\w-]+ ){0,2}` + artifactNoun + `\b|\byou(?:'ll| can| may| must| should| need to| want to| will)? (?:sign|attest|generate|create|build|push|own|publish|upload|store|produce|attach|deploy|pull|run)\b|\b` + artifactNoun + ` (?:that |which )?you\b|\b(?:generated|resulting) ` + artifactNoun + `\b`)

	// imperative marks an instruction to the reader to perform the control
	// ("Sign the release archive with this key"): the reader's artifacts,
	// except in release text, where such lists are the project's own steps.
	imperative = regexp.MustCompile(`(?i)^\W*(?:\d+\.\s*)?(?:sign|attach|generate|create|upload|add|use|run|configure|enable|set up|set)\b`)

	// ownPhrase names this project as the one publishing: "we sign",
	// "our releases", "this project". The project's name counts only with
	// an artifact after it ("Argo CD container images"): alone it names
	// the product, whose features are not claims (see projectPhrase).
	ownPhrase = regexp.MustCompile(`(?i)\bour (?:[\w-]+ ){0,2}` + artifactNoun + `\b|\bwe(?:'ve| have| are| also| now| always)? (?:\w+ )?(?:sign|signs|signing|signed|attest|attests|attested|publish|publishes|published|ship|ships|provide|generate|produce|release|attach|include|upload|verify|verified)\b|\bthis (?:project|repository|repo)(?:'s)?\b`)

	// releasePhrase names the project's releases, official downloads or
	// published artifacts: "every release", "release binaries", "the
	// official images", "downloaded releases".
	releasePhrase = regexp.MustCompile(`(?i)\b(?:(?:every|each|all|the|our|official|latest|downloaded) \[?(?:(?:new|stable|signed|github|tagged) )?releases?|release[- ](?:blobs?|binar(?:y|ies)|artifacts?|images?|assets?|archives?|tarballs?|packages?|builds?|files?|bundles?|checksums?|process|pipeline|workflow)|official (?:[\w-]+ )?` + artifactNoun + `|published (?:[\w-]+ )?` + artifactNoun + `|(?:the|our|official) downloads?)\b`)

	// officialPhrase names the project's official releases or artifacts.
	officialPhrase = regexp.MustCompile(`(?i)\bofficial (?:[\w-]+ ){0,2}` + artifactNoun + `\b|\bofficial (?:[\w-]+ )?release\b`)

	// artifactPhrase finds the artifact a clause speaks of, as its subject.
	artifactPhrase = regexp.MustCompile(`(?i)\b(?:(?:every|each|all|the|these|those|official|release|container|oci|docker|binary) ){0,2}` + artifactNoun + `\b`)

	// badge is what stands before the alt text of a Markdown image: a SLSA
	// level as an image is a badge the project shows for itself.
	badge = regexp.MustCompile(`!\[\s*$`)

	// history names changelogs and release notes by file name.
	history = regexp.MustCompile(`(?i)(?:^|/)(?:changelog|changes|history|news|release[-_ ]?notes|releasenotes)[^/]*$|(?:^|/)(?:changelogs?|release[-_]?notes)/`)

	// users names files in which adopters speak of their own use.
	users = regexp.MustCompile(`(?i)(?:^|/)(?:adopters|users|case[-_]?studies)[^/]*$`)

	// releaseText names release, download, install, verification and
	// security documents by path.
	releaseText = regexp.MustCompile(`(?i)releas|download|install|security|supply[-_]?chain`)

	signClaims = claimKind{
		name:   "signed",
		stems:  []string{"sign"},
		ends:   map[string][]string{"sign": {"", "s", "ed", "ing", "ature", "atures"}},
		word:   regexp.MustCompile(`(?i)\b(?:signed|signing|signs?|signatures?|cosign-signed|gpg-signed)\b`),
		assert: regexp.MustCompile(`(?i)\b(?:are|is|were|was|be|been|being|gets?|got)\s+(?:\w+\s+)?(?:signed|cosign-signed|gpg-signed)\b|\b(?:carr(?:y|ies)|ships?|comes? with|include[sd]?|ha(?:s|ve)|attached|accompanied by|published with)\b[^.]{0,40}\bsignatures?\b|\bsigned\s+(?:[\w-]+\s+)?` + artifactNoun + `\b|\bsignatures? (?:is|are) (?:generated|published|attached|provided|created|uploaded|produced)\b`),
		exempt: regexp.MustCompile(`(?i)\b(?:signed (?:by|with) (?:the |a )?(?:kernel|module|secure ?boot|uefi|shim|mok)\b|signed-by|signed yaml)`),
	}
	attestClaims = claimKind{
		name:   "attested",
		stems:  []string{"attest", "slsa", "in-toto", "provenance"},
		word:   regexp.MustCompile(`(?i)\b(?:attested|attestations?|attests?|attesting|slsa(?: build)?(?: level| l)?\s*[1-4]|slsa provenance|slsa|in-toto|(?:build )?provenance)\b`),
		assert: regexp.MustCompile(`(?i)\b(?:are|is|were|be|been)\s+(?:\w+\s+)?attested\b|\b(?:carr(?:y|ies)|ships?|comes? with|include[sd]?|ha(?:s|ve)|contains?|attached|publish(?:es|ed)?|provides?|produces?)\b[^.]{0,60}\b(?:attestations?|provenance)\b|\bslsa(?: build)?(?: level| l)?\s*[1-4]\b|\b(?:provenance|attestations?) (?:is|are) (?:generated|published|attached|provided|created|uploaded|produced|signed)\b`),
		exempt: regexp.MustCompile(`(?i)\bverifi(?:ed|able) provenance\b|\bprovenance (?:policy|policies|section|fields?|metadata|controls?|requirements?|and traceability)\b`),
	}
	verifyClaims = claimKind{
		name:   "verified",
		stems:  []string{"verifi"},
		ends:   map[string][]string{"verifi": {"ed", "able", "ably"}},
		word:   regexp.MustCompile(`(?i)\b(?:verified|verifiable|verifiably)\b`),
		assert: regexp.MustCompile(`(?i)\b(?:are|is|were|be|been)\s+(?:\w+\s+)?(?:verified|verifiable)\b|\bverified\s+(?:provenance|builds?|artifacts?|releases?|images?|binaries|origin|publisher|supply chain)\b|\bverifiably\b`),
		exempt: regexp.MustCompile(`(?i)\b(?:checksums?|sha-?256(?:sum)?|sha-?512(?:sum)?|sha256sums|digests?|hash(?:es)?|badge|verified by \w+ing|verified (?:that|whether|using|by running|with a test)|(?:\w+-)verified)\b`),
	}
)

// projectPhrase matches the project's name followed by an artifact noun.
func projectPhrase(lower, name string) (int, int) {
	for off := 0; ; {
		i := strings.Index(lower[off:], name)
		if i < 0 {
			return -1, -1
		}
		i += off
		off = i + len(name)
		if !wordAt(lower, i, len(name)) {
			continue
		}
		if m := projectTail.FindStringIndex(lower[off:]); m != nil {
			return i, off + m[1]
		}
	}
}

// projectTail is what follows a project's name when it names its artifacts.
var projectTail = regexp.MustCompile(`^(?:'s)? (?:(?:official|release|released|published|signed|container|oci|docker|cli|binary|source|linux|windows|macos|[\w.-]*\d[\w.-]*) ){0,2}` + artifactNoun + `\b`)

// claimScope is what the claim rules know about a text: where it stands
// and the names of this project's own artifacts.
type claimScope struct {
	// path is the repo-relative path; empty for the policy's own fields.
	path string
	// project are the repository's name in its spellings, lower-case.
	project []string
	// own are lower-case names of the project's artifacts: the artifacts'
	// names, the channels' locations and the checksum file.
	own []string
}

// place classifies where a text stands.
type place int

const (
	placeOther   place = iota
	placeHistory       // changelogs, release notes
	placeUsers         // adopters' own words: ADOPTERS*, USERS*
	placePage          // root README*, SECURITY*
	placeRelease       // release, download, install, verification, security text
	placePolicy        // the policy's own fields
)

func (s claimScope) place() place {
	switch {
	case s.path == "":
		return placePolicy
	case history.MatchString(s.path):
		return placeHistory
	case users.MatchString(s.path):
		return placeUsers
	case releaseText.MatchString(s.path):
		return placeRelease
	case !strings.Contains(s.path, "/") && (strings.HasPrefix(strings.ToUpper(s.path), "README") || strings.HasPrefix(strings.ToUpper(s.path), "SECURITY")):
		return placePage
	}
	return placeOther
}

// scopeOf returns the scope of a text at path in the repository of c.
func scopeOf(c *Context, path string) claimScope {
	s := claimScope{path: path}
	if c.Doc == nil || c.Doc.Policy == nil {
		return s
	}
	p := c.Doc.Policy
	add := func(to *[]string, n string) {
		n = strings.ToLower(strings.TrimSpace(n))
		if len(n) >= 3 && !slices.Contains(*to, n) {
			*to = append(*to, n)
		}
	}
	name := string(p.Repository.Name)
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	add(&s.project, name)
	add(&s.project, strings.NewReplacer("-", " ", "_", " ").Replace(name))
	add(&s.project, strings.NewReplacer("-", "", "_", "").Replace(name))
	for _, a := range p.Artifacts {
		add(&s.own, a.Name)
	}
	for _, ch := range p.Channels {
		loc := strings.TrimPrefix(strings.TrimPrefix(ch.Location, "https://"), "http://")
		add(&s.own, strings.TrimSuffix(loc, "/"))
	}
	if p.Provenance.Checksums != nil {
		add(&s.own, p.Provenance.Checksums.File)
	}
	return s
}

// Words around a claim in which a negation, future or condition makes it
// honest: "not signed yet", "we plan to publish signed images",
// "signatures are not used".
const (
	honestBefore = 8
	honestAfter  = 4
)

// findClaims returns the claims of kind k in text, skipping honest
// (negated, future, conditional) ones and sentences about something other
// than the project's own artifacts. lower is text lower-cased (ASCII only,
// so offsets agree). Only the clauses around the kind's stems are
// examined, so text without them costs one scan per stem.
func findClaims(text, lower string, k claimKind, s claimScope) []claim {
	var hits []int
	for _, st := range k.stems {
		for off := 0; ; {
			i := strings.Index(lower[off:], st)
			if i < 0 {
				break
			}
			if wordStart(lower, off+i) && stemEnds(lower[off+i+len(st):], k.ends[st]) { // not "design", "signal"
				hits = append(hits, off+i)
			}
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
		if c, ok := claimIn(text, lower, start, end, k, s); ok {
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
const clauseWindow = 300

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

// mayClaim is a cheap necessary condition for judge: outside the policy
// and release text, a claim needs a badge, a name of the project's, a
// first-person or "this project" subject, "official", a release or
// download, or an artifact noun. lower is the clause lower-cased.
func mayClaim(lower string, s claimScope) bool {
	if pl := s.place(); pl == placePolicy || pl == placeRelease {
		return true
	}
	for _, n := range s.own {
		if strings.Contains(lower, n) {
			return true
		}
	}
	for _, n := range s.project {
		if strings.Contains(lower, n) {
			return true
		}
	}
	for _, w := range anchorStems {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// anchorStems are literals one of which every anchor of judge contains.
var anchorStems = []string{"![", "we", "our", "this", "official", "releas", "download", "binar", "artifact", "image", "package", "build", "archive", "asset", "tarball", "container", "chart", "firmware", "bundle", "blob", "executable", "distribution", "installer", "iso", "wheel", "sbom", "file", "slsa"}

// elsewhereWindow bounds, in bytes on each side of a claiming word, the
// text searched for signs that a clause is about something else.
const elsewhereWindow = 160

// claimIn returns the first claim of kind k in text[start:end], the clause,
// with its subject and confidence; see claim for how it is decided.
func claimIn(text, lower string, start, end int, k claimKind, s claimScope) (claim, bool) {
	clause := text[start:end]
	if end < len(text) && text[end] == '?' {
		return claim{}, false // a question claims nothing
	}
	if !mayClaim(lower[start:end], s) {
		return claim{}, false
	}
	words := k.word.FindAllStringIndex(clause, -1)
	checked := false
	for _, m := range words {
		if m[0] > 0 && clause[m[0]-1] == '-' && !strings.HasSuffix(strings.ToLower(clause[:m[0]]), "cosign-") {
			continue // a compound label: "Build-verified"
		}
		if m[1] < len(clause) && clause[m[1]] == '-' {
			continue // a compound name: "Signed-Releases"
		}
		if m[0] > 0 && strings.IndexByte("./_", clause[m[0]-1]) >= 0 || m[1]+1 < len(clause) && clause[m[1]] == '.' && isWord(clause[m[1]+1]) {
			continue // part of a file name or path: "builder.slsa3.yml"
		}
		before := strings.Fields(clause[:m[0]])
		after := strings.Fields(clause[m[1]:])
		window := strings.Join(before[max(0, len(before)-honestBefore):], " ") + " " + strings.Join(after[:min(len(after), honestAfter)], " ")
		if honest.MatchString(window) {
			continue
		}
		if !checked {
			// What the clause is about shows near its first claiming
			// word; a window keeps the long patterns cheap on long lines.
			near := clause[max(0, m[0]-elsewhereWindow):min(len(clause), m[1]+elsewhereWindow)]
			if elsewhere.MatchString(near) || k.exempt != nil && k.exempt.MatchString(clause) {
				return claim{}, false
			}
			checked = true
		}
		subject, conf, ok := judge(clause, lower[start:end], m[0], k, s)
		if !ok {
			continue
		}
		return claim{off: start + m[0], word: clause[m[0]:m[1]], start: start, end: end, subject: subject, conf: conf}, true
	}
	return claim{}, false
}

// judge decides whether clause, holding a claiming word at offset at, is a
// claim about this project's own artifacts; it returns the subject and the
// confidence. lower is clause lower-cased.
func judge(clause, lower string, at int, k claimKind, s claimScope) (string, finding.Confidence, bool) {
	pl := s.place()
	if pl == placeUsers {
		return "", "", false // "we" there is an adopter, not the project
	}
	capped := func(c finding.Confidence) finding.Confidence {
		if pl == placeHistory {
			return finding.Low // history records what changed, not what is published
		}
		return c
	}
	subject := func(fallback string) string {
		if m := artifactPhrase.FindString(clause); m != "" {
			return plainCase(strings.Join(strings.Fields(m), " "))
		}
		return plainCase(fallback)
	}
	if k.name == attestClaims.name && badge.MatchString(clause[:at]) {
		return "this project (a SLSA badge)", capped(finding.High), true
	}
	if pl == placePolicy {
		return subject("this project's artifacts"), finding.High, true
	}
	for _, n := range s.own {
		if i := strings.Index(lower, n); i >= 0 && wordAt(lower, i, len(n)) {
			return strings.Join(strings.Fields(clause[i:i+len(n)]), " "), capped(finding.High), true
		}
	}
	for _, n := range s.project {
		if i, j := projectPhrase(lower, n); i >= 0 && !featureIn(clause) {
			return strings.Join(strings.Fields(clause[i:j]), " "), capped(finding.High), true
		}
	}
	if pl != placeRelease && imperative.MatchString(clause) {
		return "", "", false
	}
	if m := ownPhrase.FindString(clause); m != "" && !userOwned.MatchString(clause) && (strings.HasPrefix(strings.ToLower(m), "our ") || artifactPhrase.MatchString(clause)) {
		return subject(strings.Join(strings.Fields(m), " ")), capped(finding.High), true
	}
	if m := officialPhrase.FindString(clause); m != "" {
		// "Official upstream release tags publish their images": the
		// project's official artifacts, whoever else is named.
		return subject(strings.Join(strings.Fields(m), " ")), capped(finding.High), true
	}
	if userOwned.MatchString(clause) || pl != placeRelease && featureIn(clause) {
		return "", "", false
	}
	if m := releasePhrase.FindString(clause); m != "" {
		conf := finding.Medium
		if pl == placeRelease || pl == placePage {
			conf = finding.High
		}
		return subject(strings.Join(strings.Fields(m), " ")), capped(conf), true
	}
	if pl == placeRelease && (artifactPhrase.MatchString(clause) || k.assert.MatchString(clause)) {
		// In release, download, install or verification text the
		// artifacts spoken of are the project's, unless said otherwise.
		return subject("the released artifacts"), capped(finding.Medium), true
	}
	if k.assert.MatchString(clause) && artifactPhrase.MatchString(clause) {
		conf := finding.Low
		if pl == placeRelease || pl == placePage {
			conf = finding.Medium
		}
		return subject("artifacts"), capped(conf), true
	}
	return "", "", false
}

// featureIn reports whether clause speaks of what a tool can do or how to
// configure it. "You can check them" is the reader checking the project's
// artifacts, not a tool's feature.
func featureIn(clause string) bool {
	for _, m := range feature.FindAllStringIndex(clause, -1) {
		before := strings.ToLower(clause[:m[0]])
		if strings.HasPrefix(strings.ToLower(clause[m[0]:]), "can ") && (strings.HasSuffix(before, "you ") || strings.HasSuffix(before, "users ")) {
			continue
		}
		return true
	}
	return false
}

// plainCase lower-cases the first word of a subject taken from the start
// of a sentence ("Each image" → "each image"), keeping names as written.
func plainCase(s string) string {
	w, rest, _ := strings.Cut(s, " ")
	switch lw := strings.ToLower(w); lw {
	case "every", "each", "all", "the", "these", "those", "official", "release", "container", "our", "we", "binary", "oci", "docker":
		if rest == "" {
			return lw
		}
		return lw + " " + rest
	}
	return s
}

// wordAt reports whether s[i:i+n] stands as whole words.
func wordAt(s string, i, n int) bool {
	return (i == 0 || !isWord(s[i-1])) && (i+n == len(s) || !isWord(s[i+n]))
}

// mdLink is a Markdown link or image; a quotation keeps its text only.
var mdLink = regexp.MustCompile(`!?\[([^\[\]]*)\]\([^()\s]*\)`)

// maxClaimQuote bounds the quotation of a claim in a message, in bytes.
const maxClaimQuote = 160

// quoteClaim returns the clause text[start:end] on one line, at most
// maxClaimQuote bytes around the claiming word at off, cut at spaces and
// marked with "…" where cut.
func quoteClaim(text string, start, end, off int) string {
	from, to := start, end
	if to-from > maxClaimQuote {
		from = max(start, off-maxClaimQuote/2)
		to = min(end, from+maxClaimQuote)
		from = max(start, to-maxClaimQuote)
	}
	q := strings.Join(strings.Fields(strings.ToValidUTF8(text[from:to], "")), " ")
	for range 2 { // a badge nests an image in a link
		q = mdLink.ReplaceAllString(q, "$1")
	}
	q = strings.TrimLeft(q, "#*->|[!] ")
	if from > start {
		if i := strings.IndexByte(q, ' '); i >= 0 {
			q = q[i+1:]
		}
		q = "…" + q
	}
	if to < end {
		if i := strings.LastIndexByte(q, ' '); i >= 0 {
			q = q[:i]
		}
		q += "…"
	}
	return q
}

// refDef matches a Markdown link reference definition: "[label]: url".
var refDef = regexp.MustCompile(`^\[[^\]]+\]:\s*\S`)

// maxQuote bounds a quoted span that counts as a quotation.
const maxQuote = 120

// prose blanks out what is not prose in Markdown (fenced and inline code,
// HTML comments, link targets, reference-style link labels and definitions) and what only quotes (quoted spans,
// blockquotes), keeping byte offsets so positions stay true. One pass,
// line by line.
func prose(text string, kind surface.Kind) string {
	if kind == surface.Data {
		return dataProse(text)
	}
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
		case inFence, !inComment && strings.HasPrefix(trimmed, ">"), !inComment && refDef.MatchString(trimmed):
			blank(ls, le)
		default:
			inComment = blankInline(text, b, ls, le, inComment, blank)
		}
		ls = le + 1
	}
	return string(b)
}

// freeTextKey matches a YAML key whose value is the project's own words in
// a data file such as security-insights.yml: "comment: |", "description:".
var freeTextKey = regexp.MustCompile(`^(\s*)(?:-\s+)?(?:comment|comments|description|notes?|justification|explanation)\s*:\s*(.*)$`)

// dataProse keeps only the free-text values of a YAML data file (comments,
// descriptions, notes, inline or as block scalars) and blanks the rest,
// keeping byte offsets: the data's field names and values ("attestations:",
// tool names, URLs) are not statements, but a maintainer's comment that the
// release process "achieves SLSA level 3" is.
func dataProse(text string) string {
	b := []byte(text)
	for i := range b {
		if b[i] != '\n' {
			b[i] = ' '
		}
	}
	block := -1 // indentation of the key owning an open block scalar
	for ls := 0; ls < len(text); {
		le := ls + strings.IndexByte(text[ls:], '\n')
		if le < ls {
			le = len(text)
		}
		line := text[ls:le]
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if block >= 0 {
			if strings.TrimSpace(line) == "" || indent > block {
				copy(b[ls:le], line)
				ls = le + 1
				continue
			}
			block = -1
		}
		if m := freeTextKey.FindStringSubmatchIndex(line); m != nil {
			val := line[m[4]:m[5]]
			if strings.HasPrefix(val, "|") || strings.HasPrefix(val, ">") || val == "" {
				block = m[3] - m[2]
			} else {
				copy(b[ls+m[4]:ls+m[5]], val)
			}
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
		case strings.HasPrefix(rest, "]["):
			j := strings.IndexByte(rest[2:], ']')
			if j < 0 {
				i++
				continue
			}
			blank(i+1, i+j+3) // a reference-style link's label
			i += j + 3
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

// claimMessage builds a claim rule's message from the claim's subject and
// its quotation.
type claimMessage func(subject, quote string) string

// reportClaims reports every claim of kind k in the policy's Markdown
// fields and the repository's public text, each with its confidence.
func reportClaims(c *Context, k claimKind, msg claimMessage, hint string) {
	for _, pt := range markdownFields(c) {
		n := c.Doc.Node(pt)
		if n == nil || n.Value == "" {
			continue
		}
		text := prose(n.Value, surface.Markdown)
		for _, cl := range findClaims(text, asciiLower(text), k, scopeOf(c, "")) {
			line, col := c.Doc.TextPos(pt, cl.off)
			c.reportClaim(c.Doc.Path, line, col, cl.conf, msg(cl.subject, quoteClaim(n.Value, cl.start, cl.end, cl.off)), hint)
		}
	}
	for _, cl := range c.publicClaims()[k.name] {
		c.reportClaim(cl.path, cl.line, cl.col, cl.conf, msg(cl.subject, cl.quote), hint)
	}
}

// reportClaim reports a finding of the running rule with a confidence.
func (c *Context) reportClaim(path string, line, col int, conf finding.Confidence, msg, hint string) {
	c.Report(path, line, col, msg, hint)
	c.out[len(c.out)-1].Confidence = conf
}

// publicClaim is a claim found in a public file.
type publicClaim struct {
	path      string
	line, col int
	subject   string
	quote     string
	conf      finding.Confidence
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
			if f.Kind != surface.Markdown && f.Kind != surface.Text && f.Kind != surface.Data {
				return
			}
			raw := string(f.Content)
			var text, lower string
			var scope claimScope
			for _, k := range claimKinds {
				if !hasStem(raw, k.stems) {
					continue
				}
				if text == "" {
					text = prose(raw, f.Kind)
					lower = asciiLower(text)
					scope = scopeOf(c, f.Path)
				}
				for _, cl := range findClaims(text, lower, k, scope) {
					line, col := lineCol(text, cl.off)
					c.claims[k.name] = append(c.claims[k.name], publicClaim{
						path: f.Path, line: line, col: col, subject: cl.subject,
						quote: quoteClaim(raw, cl.start, cl.end, cl.off), conf: cl.conf,
					})
				}
			}
		})
	})
	return c.claims
}

// stemEnds reports whether rest, the text after a stem, begins with one of
// ends followed by the end of the word; a nil ends takes anything.
func stemEnds(rest string, ends []string) bool {
	if ends == nil {
		return true
	}
	for _, e := range ends {
		if strings.HasPrefix(rest, e) && (len(rest) == len(e) || !isLetter(rest[len(e)])) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// wordStart reports whether a word starts at text[i]: the byte before is
// not an ASCII letter or digit.
func wordStart(text string, i int) bool {
	if i == 0 {
		return true
	}
	c := text[i-1]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
}

// hasStem reports whether text holds any of the stems at the start of a
// word, ignoring ASCII case.
func hasStem(text string, stems []string) bool {
	for _, st := range stems {
		for i := 0; i+len(st) <= len(text); {
			j := strings.IndexAny(text[i:], st[:1]+strings.ToUpper(st[:1]))
			if j < 0 {
				break
			}
			i += j
			if i+len(st) <= len(text) && strings.EqualFold(text[i:i+len(st)], st) && wordStart(text, i) {
				return true
			}
			i++
		}
	}
	return false
}
