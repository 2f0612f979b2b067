package disclosure

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
)

// RP502: private, link-local, CGNAT and unique-local addresses and ranges.
// Candidates are tokens of digits, hex digits, dots and colons that start
// and end at a word boundary; net/netip decides what they are. Loopback,
// unspecified, public and documentation addresses pass, and so do version
// numbers: a dotted quad after "v", "version" or "release", or followed by
// further dotted numbers (1.2.3.4.5), is a version.

const rp502Hint = `remove the address, or describe the network in general terms ` +
	`("organization-controlled build infrastructure"); examples can use the documentation ` +
	`ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32`

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	ula       = netip.MustParsePrefix("fc00::/7")
	private4  = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16")}
	linkLocal = []netip.Prefix{netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("fe80::/10")}
)

// versionWords precede a dotted quad that is a version, not an address.
var versionWords = []string{"v", "version", "release", "ver"}

func newAddresses() *detector {
	return &detector{rule: "RP502", workflows: true, scan: scanAddresses}
}

func scanAddresses(t *text, _ []hit) []finding.Finding {
	var out []finding.Finding
	s := t.s
	for i := 0; i < len(s); {
		if !isAddrByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAddrByte(s[j]) {
			j++
		}
		tok := strings.TrimRight(s[i:j], ".")
		if f, ok := address(t, i, tok, s[i+len(tok):]); ok {
			out = append(out, f)
		}
		i = j
	}
	return out
}

// address judges the token tok at offset i, followed by rest.
func address(t *text, i int, tok, rest string) (finding.Finding, bool) {
	if len(tok) < 3 || !isHex(tok[0]) && tok[0] != ':' {
		return finding.Finding{}, false
	}
	ipv6 := strings.Count(tok, ":") >= 2
	if ipv6 && strings.HasSuffix(tok, ":") && !strings.HasSuffix(tok, "::") {
		tok = tok[:len(tok)-1] // "fe80::1:" ends a sentence
	}
	if !ipv6 {
		tok = strings.TrimSuffix(tok, ":")
		if host, port, ok := strings.Cut(tok, ":"); ok {
			if !allDigits(port) {
				return finding.Finding{}, false
			}
			tok = host
		}
		if strings.Count(tok, ".") != 3 || strings.Trim(tok, "0123456789.") != "" || isVersionContext(t.s[:i]) {
			return finding.Finding{}, false
		}
		rest = t.s[i+len(tok):]
	}
	a, err := netip.ParseAddr(tok)
	if err != nil {
		return finding.Finding{}, false
	}
	kind, shown, bits := classify(a), tok, -1
	if b, ok := prefixLen(rest); ok {
		if b > a.BitLen() {
			return finding.Finding{}, false
		}
		bits = b
		kind, shown = classifyPrefix(netip.PrefixFrom(a, bits)), tok+"/"+strconv.Itoa(bits)
	}
	if kind == "" {
		return finding.Finding{}, false
	}
	c := t.confidence(i, i+len(shown), weight(wellKnownAddress(a, bits)))
	return t.weighed("RP502", finding.Error, i, c, fmt.Sprintf("%s %q", kind, shown), rp502Hint), true
}

// prefixLen reads a "/bits" suffix.
func prefixLen(rest string) (int, bool) {
	if len(rest) < 2 || rest[0] != '/' {
		return 0, false
	}
	n := digitsLen(rest[1:])
	if n == 0 || n > 3 || 1+n < len(rest) && isWordByte(rest[1+n]) {
		return 0, false
	}
	bits := 0
	for _, c := range rest[1 : 1+n] {
		bits = bits*10 + int(c-'0')
	}
	return bits, true
}

func digitsLen(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

func allDigits(s string) bool {
	return s != "" && digitsLen(s) == len(s)
}

// isVersionContext reports whether the text before a dotted quad names it a
// version: "v1.2.3.4" is one token already; this catches "version 1.2.3.4",
// "release: 10.0.0.1" and the like.
func isVersionContext(before string) bool {
	before = strings.TrimRight(before, " \t:=")
	k := len(before)
	for k > 0 && isWordByte(before[k-1]) {
		k--
	}
	word := strings.ToLower(before[k:])
	for _, v := range versionWords {
		if word == v {
			return true
		}
	}
	return false
}

// isAddrByte reports whether c can be part of an address token.
func isAddrByte(c byte) bool {
	return isWordByte(c) || c == '.' || c == ':'
}

// classify names what kind of non-public address a is, or "".
func classify(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.Is4() && cgnat.Contains(a):
		return "carrier-grade NAT (CGNAT) address"
	case a.Is4() && a.IsPrivate():
		return "private IPv4 address"
	case a.Is6() && ula.Contains(a):
		return "unique local IPv6 address"
	case a.IsLinkLocalUnicast():
		return "link-local address"
	}
	return ""
}

// classifyPrefix names what kind of non-public range p is, or "": p must lie
// wholly inside a private, link-local, CGNAT or unique-local range.
func classifyPrefix(p netip.Prefix) string {
	p = p.Masked()
	ranges := append(append([]netip.Prefix{cgnat, ula}, private4...), linkLocal...)
	for _, r := range ranges {
		if p.Addr().Is4() == r.Addr().Is4() && p.Bits() >= r.Bits() && r.Contains(p.Addr()) {
			return strings.Replace(classify(p.Addr()), "address", "range", 1)
		}
	}
	return ""
}
