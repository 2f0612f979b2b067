package disclosure

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
)

// RP503: hosts under a reserved internal name or a configured internal
// domain. The keyword scan finds the suffixes; a host is then read leftwards
// as dot-separated labels. Not hosts: file names (the suffix followed by
// another extension, as in foo.local.yaml), dotfiles (.env.local), path
// segments (docs/x.internal), Go import paths (cmd/internal has no dot),
// reversed domains (com.example.internal, Java packages), calls
// (threading.local()) and camelCase code. ".private" is a common property
// name, so it needs a URL, an address (user@), a port or three labels.

// internalTLDs are the reserved names SPEC section 3 lists.
var internalTLDs = []string{".internal", ".corp", ".local", ".lan", ".intranet", ".private", ".localdomain", ".home.arpa"}

// reversedDNSStarts are first labels of a reversed domain name.
var reversedDNSStarts = []string{"com", "org", "net", "io", "dev", "edu", "gov", "co", "uk", "de", "fr", "nl", "ch", "eu", "app", "me"}

const rp503Hint = `describe the host in general terms such as "organization-controlled build infrastructure", ` +
	`or move it to private docs; the private config's allow globs exempt example files`

func newHosts(domains []string) *detector {
	d := &detector{rule: "RP503", workflows: true}
	d.words = slices.Clone(internalTLDs)
	for _, dom := range domains {
		if dom = strings.ToLower(strings.Trim(strings.TrimSpace(dom), ".")); dom != "" {
			d.words = append(d.words, dom)
		}
	}
	d.scan = func(t *text, hits []hit) []finding.Finding {
		var out []finding.Finding
		for _, h := range hits {
			configured := h.word >= len(internalTLDs)
			host, at, ok := internalHost(t, h.off, d.words[h.word], configured)
			if !ok {
				continue
			}
			c := finding.High // a configured domain is the organisation's own
			if !configured {
				c = t.confidence(at, at+len(host), hostWeight(host))
				// A reserved name used as a live endpoint (scheme, user@ or
				// port) is evidence in itself, except mDNS and in-cluster
				// names, which are the user's own machines and clusters.
				lower := strings.ToLower(host)
				if c == finding.Low && t.place == placeUser && strongHostContext(t.s, at, at+len(host)) &&
					!strings.HasSuffix(lower, ".local") && !placeholderHost(host) && !exampleWording.MatchString(t.s[t.linesUp(at, 3):t.lineEnd(at)]) {
					c = finding.Medium
				}
			}
			out = append(out, t.weighed("RP503", finding.Error, at, c, fmt.Sprintf("internal host %q", truncate(host)), rp503Hint))
		}
		return out
	}
	return d
}

// internalHost reads the host ending with suffix at offset off (suffix
// starts with a dot for reserved names; configured domains match with or
// without a label before them).
func internalHost(t *text, off int, suffix string, configured bool) (string, int, bool) {
	s := t.s
	end := off + len(suffix)
	// The suffix must end the host.
	if end < len(s) && (isHostByte(s[end]) || s[end] == '.' && end+1 < len(s) && isHostByte(s[end+1]) || s[end] == '(') {
		return "", 0, false
	}
	start := off
	if configured {
		if off > 0 && isHostByte(s[off-1]) {
			return "", 0, false // part of a longer label
		}
		if off == 0 || s[off-1] != '.' {
			return s[off:end], off, true // the domain itself
		}
		start = off - 1
	}
	// Labels to the left.
	for start > 0 && (isHostByte(s[start-1]) || s[start-1] == '.') {
		start--
	}
	host := s[start:end]
	if configured && host[0] == '.' {
		host = host[1:]
		start++
	}
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	switch {
	case host == "" || host[0] == '.' || host[0] == '-' || strings.Contains(host, ".."):
		return "", 0, false // a dotfile or not a name
	case !configured && len(labels) < 2+strings.Count(suffix[1:], "."):
		return "", 0, false
	case strings.EqualFold(labels[0], "localhost"):
		return "", 0, false
	case start > 0 && s[start-1] == '/' && !strings.HasSuffix(s[:start], "://"):
		return "", 0, false // a path segment
	case strings.HasSuffix(s[:start], "==") || strings.HasSuffix(s[:start], "!="):
		return "", 0, false // a filter operand: type==source.local is a record type
	case len(labels) >= 3 && slices.Contains(reversedDNSStarts, strings.ToLower(labels[0])):
		return "", 0, false // a reversed domain: a package name
	case !configured && len(labels) >= 3 && expressionContexts[labels[0]]:
		return "", 0, false // an expression: github.event.repository.private
	}
	for _, l := range labels {
		if l == "" || camelCase(l) {
			return "", 0, false
		}
	}
	if !configured && identifierCase(s[off+1:end]) {
		return "", 0, false // local.Local, pkg.Internal: code, not a name
	}
	if strings.EqualFold(suffix, ".private") && !strongHostContext(s, start, end) && len(labels) < 3 {
		return "", 0, false
	}
	return host, start, true
}

// strongHostContext reports a URL scheme or user@ before the host, or a
// port after it.
func strongHostContext(s string, start, end int) bool {
	return strings.HasSuffix(s[:start], "://") || start > 0 && s[start-1] == '@' ||
		end+1 < len(s) && s[end] == ':' && isDigit(s[end+1])
}

// camelCase reports a label that reads as a code identifier: a lower-case
// letter followed by an upper-case one.
func camelCase(l string) bool {
	for i := 1; i < len(l); i++ {
		if 'a' <= l[i-1] && l[i-1] <= 'z' && 'A' <= l[i] && l[i] <= 'Z' {
			return true
		}
	}
	return false
}

// identifierCase reports a reserved name written as code writes a type or
// field: capitalised but not all upper case ("Local" in local.Local). Host
// names are written in lower case, or upper case in shouting config.
func identifierCase(tld string) bool {
	return tld != strings.ToLower(tld) && tld != strings.ToUpper(tld)
}

// isHostByte reports whether c can be part of a host label.
func isHostByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || isDigit(c) || c == '-' || c == '_'
}
