package disclosure

import (
	"net/netip"
	"path"
	"regexp"
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
//     organisation's CI (medium); other docs, READMEs and tutorials are
//     read as user documentation (low, medium with first-person or
//     build-infrastructure wording around the value);
//   - what surrounds it: example or placeholder wording ("e.g.", "for
//     example", "your-", "replace") and well-known defaults (Kubernetes'
//     service and pod CIDRs, Docker's bridge, whole RFC 1918 ranges, cloud
//     metadata addresses, host.docker.internal) make it low wherever it is
//     unless the place is high.
//
// Documentation ranges (RFC 5737, RFC 3849) and code identifiers are not
// findings at all; the detectors drop them.

// place is how strongly a file's location says it speaks about the
// organisation's own infrastructure.
type place int

const (
	placeUser     place = iota // user docs, READMEs, tutorials: low by default
	placeExamples              // tutorials, examples, guides: low, wording does not raise it
	placeWorkflow              // CI workflows other than release ones: medium
	placeOwn                   // policy, release workflows, SECURITY*, release/security docs: high
)

// ownDocWords in a docs path mark release, security or infrastructure docs.
var ownDocWords = []string{"release", "releasing", "security", "signing", "provenance", "verif", "maintainer", "infra", "runbook", "governance"}

// exampleDocWords in a path mark user tutorials and configuration examples.
var exampleDocWords = []string{"example", "tutorial", "guide", "how-to", "howto", "getting-started", "getting_started", "quickstart", "quick-start", "sample", "demo", "blog", "cookbook", "recipe", "user", "reference", "config"}

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
		return placeUser // history of the product's features
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

// exampleWording marks a value written as an example or placeholder.
var exampleWording = regexp.MustCompile(`(?i)\be\.?g\b|\bfor (?:example|instance)\b|\bexamples?\b|\bsample\b|\bsuch as\b|\byour[-_ ]|\byours\b|\breplace\b|\bplaceholder\b|\bdummy\b|\bfake\b|\bmy[-_]|<[a-z_-]+>|\bi\.e\b|\bdefaults? (?:to|is)\b|\bby default\b`)

// ownWording marks prose about the organisation's own build infrastructure
// (first person case-sensitive: "US" is a country code in sample logs).
var ownWording = regexp.MustCompile(`\b(?:[Ww]e|[Oo]ur|us)\b|(?i)\breleases?\b|\breleasing\b|\bbuilders?\b|\brunners?\b|\bsigners?\b|\bsigning\b|\bupload(?:s|ed)?\b|\bstag(?:ed|ing)\b|\bpublish(?:es|ed|er)?\b|\bbuild (?:network|farm|hosts?|servers?|machines?|racks?|vlan)\b|\bracks?\b|\bhsm\b|\bair-?gapped\b|\bvpn\b|\blab\b|\bmirror\b|\bfirmware\b|\bheavy\b`)

// confidence weighs a value found at [off, end) of t. isDefault says the
// value itself is a well-known default or example (see wellKnownAddress,
// placeholderHost).
func (t *text) confidence(off, end int, isDefault bool) finding.Confidence {
	lineEnd := t.lineEnd(min(end, len(t.s)))
	around := t.s[t.linesUp(off, 1):lineEnd]
	// Example wording often introduces a code block a few lines up.
	example := isDefault || exampleWording.MatchString(t.s[t.linesUp(off, 3):lineEnd]) ||
		networkDefinition.MatchString(t.s[t.lineStart(off):off])
	if t.place == placeOwn {
		if example {
			return finding.Medium
		}
		return finding.High
	}
	if example {
		return finding.Low
	}
	switch t.place {
	case placeWorkflow:
		return finding.Medium
	case placeUser:
		if ownWording.MatchString(around) {
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
func placeholderHost(host string) bool {
	h := strings.ToLower(host)
	for _, w := range wellKnownHosts {
		if h == w || strings.HasSuffix(h, "."+w) {
			return true
		}
	}
	if strings.HasSuffix(h, ".ec2.internal") || strings.HasSuffix(h, ".compute.internal") {
		return true // AWS default instance names
	}
	first, _, _ := strings.Cut(h, ".")
	return placeholderLabels[first] || strings.HasPrefix(first, "my") || strings.HasPrefix(first, "your") ||
		strings.ContainsAny(first, "<>{}$*")
}
