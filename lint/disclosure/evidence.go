package disclosure

import (
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// Evidence that a value is the organisation's own infrastructure rather
// than an example in a user tutorial (RP502, RP503, RP505). The policy's
// disclosure controls are about the organisation's build and release
// infrastructure; a private address in a how-to for the product's users is
// the user's network. So a finding's confidence weighs:
//
//   - the organisation config: a configured internal domain or runner label
//     is always high, everywhere (the caller decides that);
//   - where the value stands (place): the policy itself, release workflows,
//     SECURITY* and release or security docs are the organisation speaking
//     about its own releases (high); other workflows run on the
//     organisation's CI (medium); other docs and READMEs are medium unless
//     the wording says example; tutorials, guides, manuals and proposals
//     are the user's setup (low); changelogs are the product's history
//     (medium only with own wording);
//   - what surrounds it, tallied by kind (see confidence): wording of the
//     organisation's release machinery ("we", "our", builders, runners,
//     signers, release, mirror, cache, bastion, deploy, upload, artifacts)
//     counts for; example, placeholder, second-person and tutorial
//     wording ("e.g.", "for example", "your", "you can", "replace",
//     quick-start), a section headed as an example, a code block
//     introduced as one, sample output (echoed headers, "# =>") and
//     function arguments in query or template languages count against, as
//     do well-known defaults (Kubernetes' service and pod CIDRs, Docker's
//     bridge, whole RFC 1918 ranges, cloud metadata addresses,
//     host.docker.internal, in-cluster names outside the organisation's
//     own places).
//
// Documentation ranges (RFC 5737, RFC 3849) and code identifiers are not
// findings at all; the detectors drop them.

// place is how strongly a file's location says it speaks about the
// organisation's own infrastructure.
type place int

const (
	placeExamples place = iota // tutorials, examples, guides, proposals: low, wording does not raise it
	placeHistory               // changelogs and release notes: medium only with own wording
	placeUser                  // other docs and READMEs: medium unless example wording outweighs own wording
	placeWorkflow              // CI workflows other than release ones: medium
	placeOwn                   // policy, release workflows, SECURITY*, release/security docs: high
)

// ownDocWords in a docs path mark release, security or infrastructure docs.
var ownDocWords = []string{"release", "releasing", "security", "signing", "provenance", "verif", "maintainer", "infra", "runbook", "governance"}

// exampleDocWords in a path mark user tutorials and configuration examples.
var exampleDocWords = []string{"example", "tutorial", "guide", "how-to", "howto", "getting-started", "getting_started", "quickstart", "quick-start", "sample", "demo", "blog", "cookbook", "recipe", "user", "reference", "config", "proposal", "enhancement", "perf-test", "perf_test", "benchmark", "manual"}

// releaseWorkflow matches a workflow triggered by tags or releases.
var releaseWorkflow = regexp.MustCompile(`(?m)^\s*(?:tags|release|registry_package)\s*:|^\s*-\s*(?:release|v\*|'v\*'|"v\*")\s*$`)

// placeOf judges a file by its path, kind and (for workflows) content.
func placeOf(p string, kind surface.Kind, content string) place {
	lower := strings.ToLower(p)
	base := path.Base(lower)
	switch {
	case kind == surface.Policy, kind == surface.Data:
		return placeOwn // the policy, the project's security metadata
	case kind == surface.Workflow:
		if containsAny(base, "release", "publish", "deploy", "goreleaser") || releaseWorkflow.MatchString(content) {
			return placeOwn
		}
		return placeWorkflow
	case !strings.Contains(lower, "/") && strings.HasPrefix(base, "security"):
		return placeOwn
	case containsAny(lower, "changelog", "release-notes", "release_notes", "releasenotes", "news", "history"):
		return placeHistory // history of the product's features
	case containsAny(lower, exampleDocWords...):
		return placeExamples
	case containsAny(lower, ownDocWords...):
		return placeOwn
	}
	return placeUser
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Evidence around a value is tallied by kind: each kind of wording found
// counts once, so a sentence is judged by how many different signs point
// each way rather than by one word.

// exampleKinds are the kinds of wording that introduce an example of the
// reader's own setup: explicit example markers, placeholders, second-person
// instructions, tutorial framing and stated defaults. Each is checked from
// three lines above the value (example wording often introduces a code
// block) to the end of its line.
var exampleKinds = []*regexp.Regexp{
	// explicit example markers: "e.g.", "for example", "such as", "sample"
	regexp.MustCompile(`(?i)\be\.?g\b|\bfor (?:example|instance)\b|\bexamples?\b|\bsamples?\b|\bsuch as\b|\bi\.e\b|\blike this\b`),
	// placeholders: "your-host", "my-cluster", "<ip>", "replace", "dummy"
	regexp.MustCompile(`(?i)\byour[-_]|\bmy[-_]|<[a-z_-]+>|\breplace\b|\bplaceholder\b|\bdummy\b|\bfake\b|\bsubstitute\b|\bhypothetical\b`),
	// second person: the reader's setup ("your cluster", "you can", "if you")
	regexp.MustCompile(`(?i)\byou(?:r|rs|'ll|'re|'d)?\b|\blet's\b`),
	// tutorial framing: install and quick-start guides, walkthroughs, demos
	regexp.MustCompile(`(?i)\btutorials?\b|\bquick-?\s?start\b|\bgetting started\b|\bwalk-?through\b|\bdemo\b|\binstall(?:ation)? guide\b|\bhow-?to\b|\bstep \d`),
	// how-to framing: a purpose clause ("To bypass TLS for …, create …") or
	// a hypothetical instance ("a private registry at …", "any mirror on …")
	regexp.MustCompile(`(?i)(?:^|[.!?]\s|\n\s*(?:\d+\.|[-*])?\s*)to [a-z]+\b[^.\n]*,|\b(?:an?|any|some)\s+(?:[\w-]+\s+){0,2}(?:registry|mirror|server|proxy|host|cluster|node|machine|cache|endpoint|instance|daemon)\s+(?:at|on|in|with|running)\b`),
	// stated defaults: a value every installation starts with
	regexp.MustCompile(`(?i)\bdefaults? (?:to|is|value)\b|\bby default\b|\bdefault:`),
}

// exampleWording is any example kind (RP503's live-endpoint check).
var exampleWording = regexp.MustCompile(`(?:` + exampleKinds[0].String() + `)|(?:` + exampleKinds[1].String() + `)`)

// ownKinds are the kinds of wording that tie a value to the organisation's
// own build and release machinery, checked on the value's line and the one
// above. First person is case-sensitive: "US" is a country code in sample
// logs, and "us-east-2" is a region.
var ownKinds = []*regexp.Regexp{
	// first person plural: the organisation speaking
	regexp.MustCompile(`\b(?:[Ww]e|[Oo]ur)\b|\bus\b(?:[^-]|$)`),
	// release machinery: builders, runners, signers, publishers
	regexp.MustCompile(`(?i)\breleases?\b|\breleasing\b|\bbuilders?\b|\brunners?\b|\bsigners?\b|\bsigning\b|\bsign\b|\bpublish(?:es|ed|er|ing)?\b|\bnotar(?:y|ise|ize)\b`),
	// artifact flow: uploads, staging, mirrors, caches, bundles, artifacts
	regexp.MustCompile(`(?i)\bupload(?:s|ed|ing)?\b|\bstag(?:ed|ing)\b|\bmirror(?:s|ed)?\b|\bcache[sd]?\b|\bbundles?\b|\bartifacts?\b|\bpull-through\b`),
	// operations: deploys, bastions, jump hosts, break-glass, HSMs, vaults
	regexp.MustCompile(`(?i)\bdeploy(?:s|ed|ing|ment)?\b|\bbastion\b|\bjump ?hosts?\b|\bbreak-glass\b|\bhsm\b|\bkms\b|\bvault\b|\bsecrets? ?manager\b|\bon-?call\b`),
	// the organisation's premises: build networks, racks, labs, VPNs
	regexp.MustCompile(`(?i)\bbuild (?:network|farm|hosts?|servers?|machines?|racks?|vlan|vpc)\b|\bracks?\b|\bair-?gapped\b|\bvpn\b|\bvpc\b|\bvlan\b|\blab\b|\bfirewall\b|\bfirmware\b|\bheavy\b|\bintranet\b|\bcorp(?:orate)?\b`),
}

// countKinds counts the kinds that match s.
func countKinds(kinds []*regexp.Regexp, s string) int {
	n := 0
	for _, k := range kinds {
		if k.MatchString(s) {
			n++
		}
	}
	return n
}

// Weights of what a value itself says (the detectors pass one).
const (
	valuePlain     = 0 // nothing known about the value
	valueDefault   = 1 // a shared default or documentation value (wellKnownAddress, placeholderHost, exampleARN)
	valueUniversal = 3 // a name every installation has (host.docker.internal) or a placeholder (yourmirror.local): never the organisation's own
	valueInCluster = 4 // an in-cluster name (svc.cluster.local): the reader's cluster in user docs, the organisation's in its own places
)

// functionArgument marks a value passed to a function of a query or
// template language (LogQL ip("…"), HCL cidrhost("…")): an expression
// about addresses, not an address in use.
var functionArgument = regexp.MustCompile(`\b[a-z][a-zA-Z0-9_]*\(\s*["'\x60]?(?:[0-9a-fA-F.:/]+\s*[-,]\s*["'\x60]?)*$`)

// sampleOutput marks lines of a command's output shown in docs: echoed
// request headers and addresses (a whoami service's reply), "=>" result
// comments and the address fields of JSON log records.
var sampleOutput = regexp.MustCompile(`(?im)^\s*(?:IP|RemoteAddr|X-Forwarded-[A-Za-z]+|X-Real-Ip|Host|Hostname):\s|\s=>\s|"(?:upstream|remote_?addr|client_?ip|src_?ip|dst_?ip|source_?ip|peer_?addr|x_forwarded_for)"\s*:`)

// headingWords in a section heading mark a section of examples or a
// tutorial.
var headingWords = regexp.MustCompile(`(?i)\bexamples?\b|\bsamples?\b|\btutorial\b|\bquick-?\s?start\b|\bgetting started\b|\bwalk-?through\b|\bdemo\b|\bhow-?to\b`)

// mark is a line of a markdown file's outline: a code fence or a heading
// outside fences, with what it says about the lines after it.
type mark struct {
	off     int  // offset of the line's start
	fence   bool // a fence line (else a heading)
	fences  int  // fences up to and including this line: odd opens a block
	example bool // a fence introduced as an example
	section bool // the section here, or one enclosing it, is headed as examples
}

// markdownOutline lists t's fences and headings once per file, so weighing
// many values in a large file stays linear.
func (t *text) markdownOutline() []mark {
	if t.outlineOK {
		return t.outline
	}
	t.outline, t.outlineOK = t.outline[:0], true
	type heading struct {
		level   int
		section bool
	}
	var open []heading // the headings enclosing the current line
	fences := 0
	for start := 0; start < len(t.s); {
		end := strings.IndexByte(t.s[start:], '\n')
		if end < 0 {
			end = len(t.s)
		} else {
			end += start
		}
		line := t.s[start:end]
		section := len(open) > 0 && open[len(open)-1].section
		switch n := len(line) - len(strings.TrimLeft(line, "#")); {
		case strings.HasPrefix(strings.TrimSpace(line), "\x60\x60\x60"):
			fences++
			intro := t.s[t.linesUp(start, 3):end]
			example := countKinds(exampleKinds[:2], intro) > 0 || headingWords.MatchString(intro)
			t.outline = append(t.outline, mark{start, true, fences, example, section})
		case fences%2 == 0 && n >= 1 && n <= 6 && len(line) > n && line[n] == ' ':
			for len(open) > 0 && open[len(open)-1].level >= n {
				open = open[:len(open)-1]
			}
			section = headingWords.MatchString(line) || len(open) > 0 && open[len(open)-1].section
			open = append(open, heading{n, section})
			t.outline = append(t.outline, mark{start, false, fences, false, section})
		}
		start = end + 1
	}
	return t.outline
}

// exampleSection reports that the value at off is in a markdown section
// whose heading, or an enclosing heading, names examples or a tutorial, or
// in a fenced code block introduced (on the fence line or the three lines
// above it) with example wording.
func (t *text) exampleSection(off int) bool {
	if t.kind != surface.Markdown {
		return false
	}
	outline := t.markdownOutline()
	i, _ := slices.BinarySearchFunc(outline, t.lineStart(off), func(m mark, at int) int { return m.off - at })
	if i == 0 {
		return false
	}
	last := outline[i-1]
	return last.section || last.fence && last.fences%2 == 1 && last.example
}

// confidence weighs a value found at [off, end) of t. against is what the
// value itself says (valuePlain, valueDefault, valueUniversal).
//
// The tally is: kinds of own wording minus kinds of example wording minus
// against, minus one more for a network definition (a subnet or pool
// setting). In the organisation's own places a non-negative tally is high
// and anything else medium (a universal name stays low); in other
// workflows and user docs a non-negative tally is medium, and low below;
// tutorial and example places are low.
func (t *text) confidence(off, end int, against int) finding.Confidence {
	return t.confidenceAbout(off, end, against, -1)
}

// ownOperations is the index in ownKinds of operations wording (KMS,
// vault, bastion), which restates what an RP505 finding is rather than
// whose it is.
const ownOperations = 3

// confidenceAbout is confidence with the own kind at index restates (or -1)
// left out: wording that names the finding's own subject is not evidence
// of whose it is ("KMS" beside a KMS key ARN).
func (t *text) confidenceAbout(off, end int, against, restates int) finding.Confidence {
	lineEnd := t.lineEnd(min(end, len(t.s)))
	// The value's own text is not evidence for itself: ".corp" is not
	// corporate wording, "arn:aws:kms:" is not a KMS sentence.
	from := t.linesUp(off, 1)
	own := 0
	for i, k := range ownKinds {
		if i != restates && (k.MatchString(t.s[from:off]) || k.MatchString(t.s[min(end, len(t.s)):lineEnd])) {
			own++
		}
	}
	example := countKinds(exampleKinds, t.s[t.linesUp(off, 3):lineEnd])
	before := t.s[t.lineStart(off):off]
	if t.place == placeWorkflow && networkDefinition.MatchString(before) {
		example++ // CI creating a network for its tests
	}
	if functionArgument.MatchString(before) {
		example++
	}
	if sampleOutput.MatchString(t.s[t.linesUp(off, 3):lineEnd]) {
		example++
	}
	if t.exampleSection(off) {
		example++
	}
	if against == valueInCluster {
		against = valuePlain // the organisation's cluster in its own places
		if t.place != placeOwn {
			against = valueDefault // the reader's cluster in user docs
		}
	}
	tally := own - example - against
	switch t.place {
	case placeOwn:
		switch {
		case against >= valueUniversal:
			return finding.Low
		case example == 0 && against == 0 || tally > 0:
			return finding.High
		}
		return finding.Medium
	case placeWorkflow, placeUser:
		if tally >= 0 {
			return finding.Medium
		}
	case placeHistory:
		if tally > 0 {
			return finding.Medium
		}
	}
	return finding.Low
}

// networkDefinition marks a value that defines a network rather than
// names a machine on one: a bridge, subnet, pool or CIDR setting, which
// tutorials and test workflows create for themselves.
var networkDefinition = regexp.MustCompile(`(?i)(?:\bbip|subnet|address[-_]pools?|cidr|ip[-_]range|ip[-_]?pool|gateway|podnetwork|servicenetwork)\b["']?\s*[:=]?\s*["']?[^\s]*$|--(?:bip|subnet|ip-range|gateway|fixed-cidr|pod-network-cidr|service-cidr|cluster-cidr)[= ]\S*$`)

// wellKnownPrefixes are defaults every installation shares: values a
// tutorial shows, not an organisation's network.
var wellKnownPrefixes = []netip.Prefix{
	netip.MustParsePrefix("10.96.0.0/12"),       // Kubernetes service CIDR (kubeadm)
	netip.MustParsePrefix("10.244.0.0/16"),      // Kubernetes pod CIDR (flannel, kubeadm docs)
	netip.MustParsePrefix("10.42.0.0/16"),       // k3s pod CIDR
	netip.MustParsePrefix("10.43.0.0/16"),       // k3s service CIDR
	netip.MustParsePrefix("172.17.0.0/16"),      // Docker's default bridge
	netip.MustParsePrefix("172.18.0.0/16"),      // Docker's first user network (kind)
	netip.MustParsePrefix("10.0.2.0/24"),        // QEMU/VirtualBox user networking
	netip.MustParsePrefix("192.168.49.0/24"),    // minikube
	netip.MustParsePrefix("192.168.99.0/24"),    // docker-machine
	netip.MustParsePrefix("169.254.169.254/32"), // cloud instance metadata
	netip.MustParsePrefix("169.254.170.2/32"),   // ECS task metadata
	netip.MustParsePrefix("192.168.0.0/24"),     // home routers
	netip.MustParsePrefix("192.168.1.0/24"),     // home routers
	netip.MustParsePrefix("10.0.0.0/24"),        // the first subnet of every example
}

// wholeRanges are the reserved ranges themselves: naming one describes a
// class of networks (NO_PROXY lists, firewall rules), not a network.
var wholeRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fd00::/8"), netip.MustParsePrefix("fe80::/10"),
}

// wellKnownAddress reports an address or range that is a shared default.
func wellKnownAddress(a netip.Addr, bits int) bool {
	a = a.Unmap()
	if bits >= 0 {
		p := netip.PrefixFrom(a, bits).Masked()
		for _, r := range wholeRanges {
			if r == p {
				return true
			}
		}
		for _, r := range wellKnownPrefixes {
			if p.Bits() >= r.Bits() && r.Contains(p.Addr()) || r == p {
				return true
			}
		}
		return false
	}
	if a.Is6() && a.IsLinkLocalUnicast() {
		return true // fe80::/10 is configured by every interface itself
	}
	for _, r := range wellKnownPrefixes {
		if r.Contains(a) {
			return true
		}
	}
	return false
}

// wellKnownHosts are internal names every installation shares.
var wellKnownHosts = []string{
	"host.docker.internal", "gateway.docker.internal", "kubernetes.docker.internal",
	"host.containers.internal", "host.minikube.internal", "control-plane.minikube.internal",
	"metadata.google.internal", "host.lima.internal", "host.k3d.internal",
	"ko.local", "kind.local", // ko's and kind's names for the local daemon
}

// exampleAccounts are AWS account IDs AWS's own documentation uses.
var exampleAccounts = []string{":111122223333:", ":123456789012:", ":000000000000:", ":444455556666:", ":777788889999:"}

// placeholderDetail reports an identifier written as a template to fill in
// (azurekms://[VAULT_NAME]/[KEY], <key-id>).
func placeholderDetail(detail string) bool {
	return placeholderSlot.MatchString(detail)
}

var placeholderSlot = regexp.MustCompile(`\[[A-Z][A-Z0-9_]*\]|<[a-zA-Z][a-zA-Z0-9_-]*>`)

// exampleARN reports an ARN copied from AWS's documentation.
func exampleARN(detail string) bool {
	lower := strings.ToLower(detail)
	return containsAny(detail, exampleAccounts...) || strings.Contains(lower, "example") ||
		strings.Contains(lower, "1234abcd-12ab-34cd-56ef-1234567890ab")
}

// expressionContexts are the contexts of GitHub Actions expressions and
// common template roots: github.event.repository.private is a property,
// not a host.
var expressionContexts = map[string]bool{
	"github": true, "env": true, "inputs": true, "steps": true, "needs": true, "matrix": true,
	"secrets": true, "vars": true, "jobs": true, "runner": true, "strategy": true, "job": true,
	"values": true, "self": true, "this": true, "event": true,
}

// placeholderLabels are first labels of made-up hosts.
var placeholderLabels = map[string]bool{
	"example": true, "server": true, "host": true, "myhost": true, "hostname": true, "foo": true,
	"bar": true, "baz": true, "test": true, "acme": true, "company": true, "mycompany": true,
	"domain": true, "mydomain": true, "something": true, "name": true, "yourhost": true,
	"machine": true, "node": true, "mymachine": true, "device": true, "printer": true,
	"service": true, "my-service": true, "app": true, "myapp": true, "my-app": true, "localhost": true,
}

// placeholderHost reports a host that is a shared default or made up.
func placeholderHost(host string) bool { return hostWeight(host) > valuePlain }

// hostWeight says what a host name itself says: valueUniversal for a name
// every installation has (host.docker.internal, AWS's default instance
// names) or a placeholder (your…, template syntax), valueDefault for a
// made-up one (server.local, my-…), valueInCluster for a Kubernetes
// in-cluster name (….svc.cluster.local, kops' ….k8s.local), else
// valuePlain.
func hostWeight(host string) int {
	h := strings.ToLower(host)
	for _, w := range wellKnownHosts {
		if h == w || strings.HasSuffix(h, "."+w) {
			return valueUniversal
		}
	}
	if strings.HasSuffix(h, ".ec2.internal") || strings.HasSuffix(h, ".compute.internal") {
		return valueUniversal // AWS default instance names
	}
	first, _, _ := strings.Cut(h, ".")
	switch {
	case strings.HasPrefix(first, "your") || strings.ContainsAny(first, "<>{}$*[]"):
		return valueUniversal // a placeholder to fill in
	case placeholderLabels[first] || strings.HasPrefix(first, "my"):
		return valueDefault
	case strings.HasSuffix(h, ".cluster.local") || strings.HasSuffix(h, ".k8s.local") || strings.Contains(h, ".svc.") ||
		first == "kubernetes":
		return valueInCluster
	}
	return valuePlain
}

// weight turns a detector's "the value is a default" into a confidence
// weight.
func weight(isDefault bool) int {
	if isDefault {
		return valueDefault
	}
	return valuePlain
}
