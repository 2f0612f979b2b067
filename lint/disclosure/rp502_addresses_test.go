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

// TestRP502Weighed: kinds of evidence around a private address, each with
// a snippet the default confidence reports and one it hides.
func TestRP502Weighed(t *testing.T) {
	runWeighed(t, "RP502", []weighed{
		{"plain runbook line", "", "The artifact store answers on 10.31.7.9.", true},
		{"plain config line", "", "`export CACHE_ADDR=10.31.7.9:9000`", true},
		{"subnet definition in docs", "", "```yaml\nsubnet: 10.77.0.0/16\n```", true},
		{"release machinery beats a shared default", "", "Our release runners pull through 172.17.0.3.", true},
		{"release machinery beats a whole range", "", "Signers are kept inside 10.0.0.0/8 on the release network.", true},
		{"second person", "", "If you run the daemon on 10.31.7.9, point the client at it.", false},
		{"your wins a tie", "", "Replace 10.31.7.9 with your cache.", false},
		{"how-to purpose clause", "", "To skip TLS checks for a local registry at `10.31.7.9:5000`, add hosts.toml.", false},
		{"hypothetical instance", "", "Point the tool at a private server running on 10.31.7.9.", false},
		{"example marker", "", "Use any address, e.g. 10.31.7.9.", false},
		{"example-headed section", "", "## Examples\n\n### Two targets\n\n```json\n{\"targets\": [\"10.31.7.9:9100\"]}\n```", false},
		{"a comment in a code block is not a heading", "", "```sh\n# Example\nmake\n```\n\nThe artifact store answers on 10.31.7.9.", true},
		{"a closed example block does not reach past its end", "", "For example:\n\n```\nmake\n```\n\n## Store\n\nSome text.\n\nMore text.\n\nThe artifact store answers on 10.31.7.9.", true},
		{"code block introduced as an example", "", "The following is an example configuration:\n\n```yaml\ntargets:\n  - 10.31.7.9:9093\n```", false},
		{"sample output: echoed headers", "", "```\nHostname: whoami-1\nIP: 127.0.0.1\nIP: 10.31.7.9\n```", false},
		{"sample output: result comment", "", "x = cidrsubnet(base, 4, 2) # => \"10.31.32.0/20\"", false},
		{"sample output: JSON log field", "", `{"level":"info","client_ip":"10.31.7.9","status":200}`, false},
		{"query-language argument", "", `{job="app"} | addr = ip("10.31.7.0/24")`, false},
		{"query-language range argument", "", `{job="app"} != ip("10.31.7.5-10.31.7.20")`, false},
		{"shared default without own wording", "", "Set the bridge to 172.17.0.1.", false},
		{"link-local IPv6 is per interface", "", "Interface address fe80::5054:ff:fe12:3456", false},
		{"tutorial place", "docs/getting-started/registry.md", "Our registry runs at 10.31.7.9.", false},
		{"proposal place", "docs/proposals/cache.md", "The cache answers on 10.31.7.9.", false},
		{"changelog needs own wording", "CHANGELOG.md", "* Set the bridge subnet to 10.31.7.0/24", false},
		{"changelog with own wording", "CHANGELOG.md", "* Our release builders moved to 10.31.7.9", true},
		{"CI network for tests", ".github/workflows/ci.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: dockerd --bip=10.31.7.1/24\n", false},
		{"release workflow", ".github/workflows/release.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: curl http://10.31.7.9/\n", true},
	})
}
