// Package tree generates the repositories the disclosure benchmarks scan:
// a typical repository (policy, README, 30 docs) and a large docs tree of
// prose dense with the words secret scanners key on (key, token, secret,
// credential, password), with realistic fake credentials sprinkled in.
// The same seed always yields the same files.
package tree

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Files maps slash paths to contents.
type Files map[string][]byte

// Size returns the total bytes.
func (f Files) Size() int64 {
	var n int64
	for _, b := range f {
		n += int64(len(b))
	}
	return n
}

// Typical is a repository as relpolicy usually meets one: a policy, a
// README, a SECURITY file, 30 docs and a release workflow, with a few
// disclosures planted.
func Typical(seed uint64) Files {
	g := newGen(seed)
	f := Files{
		"release-policy.yaml":           []byte(policy),
		"README.md":                     []byte(g.doc("Aurora", 3, 0)),
		"SECURITY.md":                   []byte("# Security\n\nReport vulnerabilities to security@example.org. Release credentials are short-lived and held by official builders.\n"),
		".github/workflows/release.yml": []byte(workflow),
	}
	topics := []string{"building", "releasing", "verifying", "signing", "provenance", "channels", "heavy-artifacts", "runners", "secrets", "continuity"}
	for i := range 30 {
		name := fmt.Sprintf("docs/%s-%02d.md", topics[i%len(topics)], i)
		leaks := 0
		if i%10 == 3 {
			leaks = 1
		}
		topic := topics[i%len(topics)]
		f[name] = []byte(g.doc(strings.ToUpper(topic[:1])+topic[1:], 6+g.r.IntN(10), leaks))
	}
	return f
}

// Docs is a docs tree of n Markdown files of about size bytes each; one in
// every leakEvery files holds a credential or two. A few files are larger
// than gitleaks' 100 kB read buffer, so fragments are exercised.
func Docs(seed uint64, n, size, leakEvery int) Files {
	g := newGen(seed)
	f := Files{}
	for i := range n {
		dir := fmt.Sprintf("docs/section-%02d", i%50)
		target := size/2 + g.r.IntN(size)
		if i%1000 == 999 {
			target = 150_000
		}
		leaks := 0
		if leakEvery > 0 && i%leakEvery == leakEvery/2 {
			leaks = 1 + g.r.IntN(2)
		}
		f[fmt.Sprintf("%s/page-%04d.md", dir, i)] = []byte(g.sized(fmt.Sprintf("Page %d", i), target, leaks))
	}
	return f
}

type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// doc writes a document of roughly sections sections.
func (g *gen) doc(title string, sections, leaks int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	for s := range sections {
		g.section(&b, s)
		if leaks > 0 && s == sections/2 {
			b.WriteString(g.leak())
			leaks--
		}
	}
	return b.String()
}

// sized writes a document of about target bytes.
func (g *gen) sized(title string, target, leaks int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	leakAt := make([]int, leaks)
	for i := range leakAt {
		leakAt[i] = g.r.IntN(max(target, 1))
	}
	s := 0
	for b.Len() < target {
		g.section(&b, s)
		s++
		for i, at := range leakAt {
			if at >= 0 && b.Len() >= at {
				b.WriteString(g.leak())
				leakAt[i] = -1
			}
		}
	}
	return b.String()
}

var (
	subjects = []string{"the signing key", "the registry token", "each release credential", "the deploy key",
		"the API token", "the service password", "a short-lived token", "the access key", "the client secret",
		"the webhook secret", "every credential", "the session token", "the upload key", "the admin password",
		"the OIDC token", "the publish token", "the recovery key", "the encryption key", "the auth token"}
	verbs = []string{"is rotated", "expires", "is scoped to the release workflow", "is never written to logs",
		"is revoked", "is stored outside the repository", "is issued per job", "must not be shared",
		"is requested at build time", "is checked before publication", "is held by official builders",
		"is mounted read-only", "lasts one hour", "is audited every quarter"}
	tails = []string{"after each release", "when a maintainer leaves", "before the artifact is signed",
		"on every tag", "if the key, token or password leaks", "and the old credential is revoked",
		"so secrets never reach forks", "while the build runs", "once the upload finishes",
		"as the secret policy requires", "for API access", "with least privilege"}
	headings = []string{"Keys and tokens", "Credentials", "Secret handling", "Passwords", "API access",
		"Token lifetime", "Rotating keys", "Auth flows", "Access control", "Publishing"}
	codeLines = []string{
		"export REGISTRY_TOKEN=${{ secrets.REGISTRY_TOKEN }}",
		"password: ${{ secrets.PYPI_PASSWORD }}",
		"api_key = os.environ[\"API_KEY\"]",
		"token := os.Getenv(\"GITHUB_TOKEN\")",
		"cosign sign --key env://COSIGN_KEY $IMAGE@$DIGEST",
		"docker login ghcr.io -u release-bot --password-stdin < token.txt",
		"curl -H \"Authorization: Bearer $TOKEN\" https://api.github.com/repos/tooo/aurora/releases",
		"secret_name: release-signing-key",
		"key_id: release-2026",
		"credentials: short-lived",
		"auth: oidc",
		"access_token_lifetime: 3600",
	}
)

func (g *gen) sentence() string {
	s := g.pick(subjects) + " " + g.pick(verbs)
	if g.r.IntN(2) == 0 {
		s += ", " + g.pick(tails)
	}
	if g.r.IntN(4) == 0 {
		s += ": the key, token and password " + g.pick(verbs)
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func (g *gen) section(b *strings.Builder, i int) {
	fmt.Fprintf(b, "## %s %d\n\n", g.pick(headings), i+1)
	for range 2 + g.r.IntN(3) {
		var p []string
		for range 3 + g.r.IntN(5) {
			p = append(p, g.sentence())
		}
		text := strings.Join(p, " ")
		if g.r.IntN(2) == 0 {
			text = wrap(text, 80)
		}
		b.WriteString(text + "\n\n")
	}
	switch g.r.IntN(4) {
	case 0:
		b.WriteString("```yaml\n")
		for range 3 + g.r.IntN(4) {
			b.WriteString(g.pick(codeLines) + "\n")
		}
		b.WriteString("```\n\n")
	case 1:
		b.WriteString("| Credential | Lifetime | Holder |\n|---|---|---|\n")
		for range 3 {
			fmt.Fprintf(b, "| %s | %d min | %s |\n", g.pick(subjects), 5+g.r.IntN(60), g.pick([]string{"release workflow", "official builders", "registry"}))
		}
		b.WriteString("\n")
	case 2:
		for range 3 {
			b.WriteString("- " + g.sentence() + "\n")
		}
		b.WriteString("\n")
	}
}

func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteByte('\n')
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexd   = "0123456789abcdef"
	base64 = alnum + "+/"
)

func (g *gen) rnd(n int, set string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.IntN(len(set))]
	}
	return string(b)
}

// leak returns a block holding one realistic fake credential.
func (g *gen) leak() string {
	switch g.r.IntN(10) {
	case 0:
		return "```sh\nexport GITHUB_TOKEN=ghp_" + g.rnd(36, alnum) + "\n```\n\n"
	case 1:
		return "```ini\naws_access_key_id = AKIA" + g.rnd(16, upper) + "\naws_secret_access_key = " + g.rnd(40, base64) + "\n```\n\n"
	case 2:
		return "```\n-----BEGIN RSA PRIVATE KEY-----\n" + g.rnd(64, base64) + "\n" + g.rnd(64, base64) + "\n" + g.rnd(64, base64) + "\n-----END RSA PRIVATE KEY-----\n```\n\n"
	case 3:
		return "Slack alerts use `xoxb-" + g.rnd(12, "0123456789") + "-" + g.rnd(13, "0123456789") + "-" + g.rnd(24, alnum) + "`.\n\n"
	case 4:
		return "```yaml\nclient_secret: \"" + g.rnd(32, alnum) + "\"\n```\n\n"
	case 5:
		return "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IlJlbGVhc2UgQm90In0." + g.rnd(43, alnum+"-_") + "\n\n"
	case 6:
		return "```\nnpm config set //registry.npmjs.org/:_authToken npm_" + g.rnd(36, alnum) + "\n```\n\n"
	case 7:
		return "```\nSTRIPE_KEY=sk_live_" + g.rnd(32, alnum) + "\n```\n\n"
	case 8:
		return "GitLab: `glpat-" + g.rnd(20, alnum) + "`\n\n"
	}
	return "```\ndb_password = \"" + g.rnd(24, alnum) + "\"\n```\n\n"
}

const policy = `version: 1
repository:
  name: tooo/aurora
  url: https://github.com/tooo/aurora
  homepage: https://aurora.example.org
  description: Aurora is an OS image built on organization-controlled build infrastructure.
artifacts:
  - id: aurora-image
    name: Aurora container image
    type: oci-image
    identity: digest
    channels: [ghcr]
    build: make-image
  - id: aurora-os
    name: Aurora OS image
    type: os-image
    identity: checksum
    channels: [releases]
    build: make-os
channels:
  - id: ghcr
    type: oci-registry
    location: ghcr.io/tooo/aurora
  - id: releases
    type: github-release
    location: https://github.com/tooo/aurora/releases
build:
  entrypoints:
    - id: make-image
      command: make image
      path: Makefile
      docs: docs/building-00.md
    - id: make-os
      command: make os
      path: Makefile
  compatible: |
    Anyone can run make image; official artifacts come from trusted release workflows.
release:
  contexts:
    - type: tag
      pattern: "v*"
      protected: true
  builders:
    - id: release-workflow
      kind: workflow
      ref: .github/workflows/release.yml
      infrastructure: organization-controlled
      isolated: true
      runs_untrusted_code: false
      credentials: short-lived
  continuity:
    path: docs/continuity-09.md
    revalidated: 2026-10-01
provenance:
  surfaced: [source, revision, version, created, digest]
  checksums:
    algorithm: sha256
    file: SHA256SUMS
  signatures:
    used: false
  attestations:
    used: false
review:
  last: 2026-09-30
`

const workflow = `name: release
on:
  push:
    tags: ["v*"]
permissions:
  contents: write
  packages: write
  id-token: write
jobs:
  image:
    runs-on: [self-hosted, linux]
    steps:
      - uses: actions/checkout@v4
      - run: make image
      - run: echo "${{ secrets.GITHUB_TOKEN }}" | docker login ghcr.io -u release-bot --password-stdin
`
