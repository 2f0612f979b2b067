package disclosure

import (
	"testing"

	"github.com/tooo/relpolicy/lint/surface"
)

func TestRP502(t *testing.T) {
	ruleCases{
		rule: "RP502",
		kind: surface.Markdown,
		tps: []string{
			"The release builder listens on 10.20.30.40.",
			"ssh deploy@192.168.1.17",
			"Artifacts are cached at http://172.16.4.2:8080/cache/",
			"The build VLAN uses 10.0.0.0/8 for runners.",
			"subnet: 172.20.0.0/16",
			"Pods reach the mirror at 100.64.12.7 (CGNAT).",
			"Carrier range 100.64.0.0/10 is routed to the racks.",
			"Link-local metadata at 169.254.169.254 holds the token.",
			"The IPv6 mirror is fd12:3456:789a:1::10.",
			"Reach it on [fd00::1]:8443.",
			"ULA range fd00:ab::/48 is reserved for builders.",
			"Link-local peer fe80::1ff:fe23:4567:890a%eth0",
			"mapped ::ffff:10.1.2.3 still counts",
			"| builder | 192.168.100.25 |",
			"`export REGISTRY=10.9.8.7:5000`",
			"Mirror at 192.168.0.1.",
		},
		fps: []string{
			"Run the server on 127.0.0.1:8080 or ::1.",
			"Bind to 0.0.0.0 and :: for all interfaces.",
			"The public endpoint is 8.8.8.8 and 1.1.1.1.",
			"Examples use 192.0.2.10, 198.51.100.7 and 203.0.113.99.",
			"Documentation prefix 2001:db8::/32 and 2001:db8:1::5.",
			"Upgrade to v1.2.3.4 before release.",
			"version 10.0.0.1 fixed the bug",
			"Release: 10.2.0.1",
			"Chromium 120.0.6099.109 and 1.10.0.1.5 are versions.",
			"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			"commit 3f2c9a7be1d04c2f9e8a6b5d4c3b2a1908f7e6d5",
			"Timestamps like 12:30:45 and 2024-01-02T10:00:00Z are not addresses.",
			"std::string and fd::open and a::b are code.",
			"MAC fe:80:12:34:56:78 is hardware.",
			"Section 10.0.0.1a of the spec.",
			"The range 0.0.0.0/0 means everywhere; 172.0.0.0/8 is mostly public.",
			"IP 010.0.0.1 has a leading zero.",
			"host10.0.0.1 is an identifier",
			"digest 10.0.0.300 is out of range",
			"organization-controlled build infrastructure",
		},
	}.run(t)
}
