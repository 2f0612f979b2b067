package disclosure

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// TestHandedCases are the real-world cases of issue 7
// (../shared/cases/realworld): none of the fp50* docs may give an RP5xx
// finding at the default confidence (medium), and the release workflow
// naming in-cluster CI and internal hosts must give RP502 and RP503 at high.
func TestHandedCases(t *testing.T) {
	docs := map[string]string{
		"docs/fp501-pem.md": "Keys have a PEM header of `ENCRYPTED PRIVATE KEY`:\n\n```\n-----BEGIN ENCRYPTED EXAMPLE PRIVATE KEY-----\n...\n" +
			"-----END ENCRYPTED EXAMPLE PRIVATE KEY-----\n```\n\nPublic keys use the header `PUBLIC KEY`:\n\n```\n-----BEGIN PUBLIC KEY-----\n```\n",
		"docs/fp502-registry.md":    "To bypass TLS verification for a private registry at `192.168.31.250:5000`, create hosts.toml.\n",
		"docs/fp503-goident.md":     "The command package wraps backends in an instance of `local.Local`.\n",
		"docs/fp503-placeholder.md": "1. Serve the archive from your own server (e.g `https://server.local/main.zip`).\n",
	}
	for path, text := range docs {
		for _, f := range testScanner().ScanFile(path, surface.Markdown, []byte(text)) {
			if f.Confidence.Rank() >= finding.Medium.Rank() {
				t.Errorf("%s: %s %s (confidence %s) at the default confidence", path, f.Rule, f.Message, f.Confidence.Level())
			}
		}
	}
	workflow := "name: release\non:\n  push:\n    tags: [\"v*\"]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - run: docker buildx create --driver remote tcp://buildkit-amd64.ci.svc.cluster.local:1234\n" +
		"      - run: curl http://10.20.30.40:8080/cache\n" +
		"      - run: ssh -J bastion.corp build01.corp\n"
	got := map[string]int{}
	for _, f := range testScanner().ScanFile(".github/workflows/release.yml", surface.Workflow, []byte(workflow)) {
		if f.Confidence != finding.High {
			t.Errorf("release workflow: %s %s at %s, want high", f.Rule, f.Message, f.Confidence.Level())
		}
		got[f.Rule]++
	}
	if got["RP502"] != 1 || got["RP503"] != 3 {
		t.Errorf("release workflow findings %v, want 1 RP502 and 3 RP503", got)
	}
}

// TestConfidence: where a value stands and what surrounds it decide the
// confidence; a configured internal domain is high everywhere.
func TestConfidence(t *testing.T) {
	for _, c := range []struct {
		path string
		kind surface.Kind
		text string
		rule string
		want finding.Confidence
	}{
		{surface.PolicyFile, surface.Policy, "repository:\n  homepage: https://build01.corp/aurora\n", "RP503", finding.High},
		{"SECURITY.md", surface.Markdown, "Reports reach the triage host at 10.1.2.3.", "RP502", finding.High},
		{"docs/releasing.md", surface.Markdown, "Upload the bundle to 10.1.2.3.", "RP502", finding.High},
		{"docs/releasing.md", surface.Markdown, "Upload the bundle to 10.1.2.3, for example.", "RP502", finding.Medium},
		{"docs/building.md", surface.Markdown, "Our release builders cache at 10.1.2.3.", "RP502", finding.Medium},
		// Plain user docs with no example wording: medium (the labelled
		// corpus's runbook lines).
		{"docs/building.md", surface.Markdown, "The cache is at 10.1.2.3.", "RP502", finding.Medium},
		{"docs/tutorials/registry.md", surface.Markdown, "Our registry runs at 10.1.2.3.", "RP502", finding.Low},
		// A shared default is outweighed by one kind of own wording...
		{"docs/building.md", surface.Markdown, "Our builders use the service CIDR 10.96.0.0/12.", "RP502", finding.Medium},
		{"docs/building.md", surface.Markdown, "We ship to builders on 172.17.0.1.", "RP502", finding.Medium},
		// ...and is low without it.
		{"docs/building.md", surface.Markdown, "Set the bridge to 172.17.0.1.", "RP502", finding.Low},
		// A name every installation has is never raised by wording.
		{"docs/building.md", surface.Markdown, "Our release builders reach host.docker.internal.", "RP503", finding.Low},
		{"docs/tutorials/x.md", surface.Markdown, "Logs go to logs.corp.tooo.net.", "RP503", finding.High},
		{"docs/building.md", surface.Markdown, "Pull base images from https://mirror.internal/v2/ first.", "RP503", finding.Medium},
		{"docs/building.md", surface.Markdown, "Pull base images from cache.internal first.", "RP503", finding.Medium},
		{"docs/building.md", surface.Markdown, "You can pull base images from cache.internal first.", "RP503", finding.Low},
		{"docs/index.md", surface.Markdown, "Push to http://loki.monitoring.svc.cluster.local:3100", "RP503", finding.Low},
		{"docs/index.md", surface.Markdown, "For example, https://mirror.internal/v2/", "RP503", finding.Low},
		{".github/workflows/ci.yml", surface.Workflow, "on: push\njobs:\n  t:\n    steps:\n      - run: curl http://10.9.9.9/\n", "RP502", finding.Medium},
		{".github/workflows/ci.yml", surface.Workflow, "on: push\njobs:\n  t:\n    steps:\n      - run: docker network create --subnet 172.18.0.0/16 kind\n", "RP502", finding.Low},
		{".github/workflows/ci.yml", surface.Workflow, "on: push\njobs:\n  t:\n    env:\n      FLAGS: |\n        --bip=10.66.66.1/24\n", "RP502", finding.Low},
		{".github/workflows/ci.yml", surface.Workflow, "on: push\njobs:\n  t:\n    env:\n      KO_DOCKER_REPO: ko.local\n", "RP503", finding.Low},
		{"docs/query.md", surface.Markdown, `{"upstream": "172.19.0.255:3006", "geoip_country_code": "US"}`, "RP502", finding.Low},
		{"docs/signers/kms.md", surface.Markdown, "The following URIs are valid:\n\n- Key ARN: `awskms:///arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`", "RP505", finding.Low},
		{"docs/building.md", surface.Markdown, "Signing uses arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab.", "RP505", finding.Medium},
		{"docs/signers/kms.md", surface.Markdown, "Our release signing key is arn:aws:kms:eu-north-1:465819230523:key/742e8ff2-9b9f-6f4b-09a2-50b6dfe2127c", "RP505", finding.Medium},
		{".github/workflows/publish.yml", surface.Workflow, "on: push\njobs:\n  t:\n    steps:\n      - run: curl http://cache.ci.svc.cluster.local/\n", "RP503", finding.High},
	} {
		fs := ofRule(testScanner().ScanFile(c.path, c.kind, []byte(c.text)), c.rule)
		if len(fs) != 1 || fs[0].Confidence != c.want {
			t.Errorf("%s %q: got %v, want one %s at %s", c.path, c.text, fs, c.rule, c.want)
		}
	}
}

// TestNotHosts: identifiers written like code are not hosts.
func TestNotHosts(t *testing.T) {
	for _, text := range []string{"an instance of `local.Local`", "returns cfg.Internal", "type x.Private struct", "if: ${{ !github.event.repository.private }}"} {
		if fs := ofRule(scan(t, surface.Markdown, text), "RP503"); len(fs) > 0 {
			t.Errorf("%q: %v", text, fs)
		}
	}
}

// TestLargeFile: a file over surface.MaxSize is scanned in pieces, with
// findings on the file's own lines.
func TestLargeFile(t *testing.T) {
	var b strings.Builder
	line := "* fixed a bug in the parser of the configuration files\n"
	n := surface.MaxSize/len(line) + 1000
	for range n {
		b.WriteString(line)
	}
	b.WriteString("Our release builders now upload from 10.44.0.12.\n")
	fsys := fstest.MapFS{"CHANGELOG.md": {Data: []byte(b.String())}}
	fs, cov, err := testScanner().Scan(fsys, surface.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%d %s", f.Path, f.Line, f.Rule))
	}
	if want := fmt.Sprintf("CHANGELOG.md:%d RP502", n+1); len(got) != 1 || got[0] != want || cov.Scanned != 1 || len(cov.Skipped) != 0 {
		t.Errorf("got %v, coverage %+v; want [%s], 1 scanned, none skipped", got, cov, want)
	}
}
