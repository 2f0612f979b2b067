package secrets

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lucasjones/reggen"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/sources"
)

// reference is gitleaks itself, configured as the CLI configures it.
var reference = sync.OnceValue(func() *detect.Detector {
	d, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		panic(err)
	}
	d.MaxDecodeDepth = gitleaksDecodeDepth
	return d
})

// referenceHits is what `gitleaks dir` reports for a file at path.
func referenceHits(t testing.TB, path, s string) []secretHit {
	t.Helper()
	d := reference()
	var out []secretHit
	src := &sources.File{Content: strings.NewReader(s), Path: path}
	err := src.Fragments(context.Background(), func(f sources.Fragment, err error) error {
		if err != nil {
			return err
		}
		//lint:ignore SA1019 gitleaks v8's detector takes detect.Fragment; parity is measured against it
		for _, fd := range d.Detect(detect.Fragment(f)) {
			out = append(out, secretHit{rule: fd.RuleID, line: fd.StartLine, secret: fd.Secret})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ourHits is what the anchored scan reports.
func ourHits(t testing.TB, path, s string) []secretHit {
	t.Helper()
	rs, err := defaultRules()
	if err != nil {
		t.Fatal(err)
	}
	tx := newText(path, s)
	rs.gate(tx)
	hs, err := gitleaksHits(rs, tx)
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func sortHits(hs []secretHit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%d %s %q", h.line, h.rule, h.secret)
	}
	slices.Sort(out)
	return out
}

// assertParity checks that the anchored scan reports what gitleaks reports
// and places every secret it can see in the raw text.
func assertParity(t *testing.T, name, path, s string) {
	t.Helper()
	want := sortHits(referenceHits(t, path, s))
	ours := ourHits(t, path, s)
	got := sortHits(ours)
	if !slices.Equal(got, want) {
		t.Errorf("%s: anchored scan differs from gitleaks\n got: %q\nwant: %q", name, got, want)
	}
	for _, h := range ours {
		if !h.decoded && !strings.HasPrefix(s[h.off:], h.secret) {
			t.Errorf("%s: %s secret %q placed at %d, not there", name, h.rule, h.secret, h.off)
		}
	}
}

var prose = strings.Fields(`the release key token secret credential password api auth access
build artifact digest checksum provenance workflow runner official public docs keys tokens
secrets passwords they eye ask task risk s. a3- sk ey api- test_ live_ pat. sat. hf_ sg.
intra curl 4b1d q~ _pub ops_ hvs. -----begin xoxb ghp_ = : , "`)

// sampleDoc builds a document that mixes prose with strings generated from
// gitleaks' own rule expressions, placed at line starts and ends, next to
// each other, across CRLF lines and at the end of the file.
func sampleDoc(rng *rand.Rand, samples []string) string {
	var b strings.Builder
	nl := "\n"
	if rng.IntN(5) == 0 {
		nl = "\r\n"
	}
	for _, s := range samples {
		for range rng.IntN(4) {
			for range 3 + rng.IntN(12) {
				b.WriteString(prose[rng.IntN(len(prose))])
				b.WriteByte(" \t"[rng.IntN(2)])
			}
			b.WriteString(nl)
		}
		switch rng.IntN(8) {
		case 5:
			b.WriteString("config: " + base64.StdEncoding.EncodeToString([]byte("token = "+s)) + nl)
		case 6:
			b.WriteString("url: https://example.com/x?secret=" + url.QueryEscape(s) + "&a=%20b" + nl)
		case 7:
			b.WriteString("hex " + hex.EncodeToString([]byte(s)) + nl)
		case 0:
			b.WriteString(s)
		case 1:
			b.WriteString("export TOKEN=" + s + nl)
		case 2:
			b.WriteString(prose[rng.IntN(len(prose))] + ": \"" + s + "\"" + nl)
		case 3:
			b.WriteString("| " + s + " | " + s[:len(s)/2] + nl + nl)
		default:
			b.WriteString(s + nl)
		}
	}
	return b.String()
}

func TestGitleaksParity(t *testing.T) {
	rs, err := defaultRules()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(17, 19))
	perRule := 20
	if testing.Short() || raceEnabled {
		perRule = 3
	}
	for i, r := range rs.rules {
		c, err := rs.compile(i)
		if err != nil {
			t.Fatal(err)
		}
		if c.rule.Regex == nil {
			continue
		}
		g, err := reggen.NewGenerator(c.rule.Regex.String())
		if err != nil {
			t.Fatal(err)
		}
		g.SetSeed(int64(i))
		var samples []string
		for range perRule {
			s := g.Generate(3 + rng.IntN(20))
			if len(r.keywords) > 0 && rng.IntN(2) == 0 {
				s = r.keywords[rng.IntN(len(r.keywords))] + " " + s
			}
			samples = append(samples, s)
		}
		for _, path := range []string{"docs/notes.md", "k8s/secret.yaml", "main.tf"} {
			if r.path != nil && !r.path.MatchString(path) {
				continue
			}
			assertParity(t, r.id, path, sampleDoc(rng, samples))
			if c.branches != nil {
				// One sample per document too: windows then sit at the ends.
				for _, s := range samples[:2] {
					assertParity(t, r.id+" alone", path, s)
				}
			}
		}
	}
}

func TestGitleaksParityEdges(t *testing.T) {
	big := strings.Repeat("key = \"not a secret at all\" and more prose about tokens\n", 3000)
	cases := map[string]string{
		"empty":           "",
		"crlf":            "password: \"Xk9#mQ2$vL7pR4wZ\"\r\napi_key = 'ab12cd34ef56gh78ij90'\r\n",
		"no newline":      `aws_secret = "AKIAIOSFODNN7EXAMPLF"`,
		"private key":     "notes\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq98Z5ed8Ma5sH2MhDIUUG+kFpKbCnCnZP43YaXKxAbmSnX\nqr2uXGGvYb2cVQuGpwyoVwwaVMomD8BxIx5rNyq4Eq5W1Pn9dZnz3LBEyb7GvCcn\n-----END RSA PRIVATE KEY-----\nmore",
		"decoded base64":  "config: " + "cGFzc3dvcmQ9IlhrOSNtUTIkdkw3cFI0d1oi" + "\n",
		"percent":         "https://example.com/?token=ghp_%41bcdefghijklmnopqrstuvwxyz0123456789\n",
		"kelvin":          "\u212Aey = \"a9f8e7d6c5b4a3928170\"\n",
		"long s":          "\u017Fecret = \"a9f8e7d6c5b4a3928170\"\n",
		"dotted i":        "DAP\u0130 dapi0123456789abcdef0123456789abcdef\n",
		"chunked":         big + "github_token = ghp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3\n" + big,
		"invalid utf8":    "key = \xff\xfe" + "ghp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3\n",
		"line start ^":    "abc\nxyz8Q~abcdefghijklmnopqrstuvwxyz01234\n",
		"generic at eof":  "client_secret = aB3dE5fG7hI9jK1lM3nO",
		"generic two":     "token = aB3dE5fG7hI9jK1lM3nO\ntoken = pQ5rS7tU9vW1xY3zA5bC\n",
		"generic wrapped": "password =\n\n  \"aB3dE5fG7hI9jK1lM3nO\"\n",
		"gitleaks allow":  "api_key = 'Zx81Qm2Lp0Vn7Tr3Ws5Y' # gitleaks:allow\napi_key = 'Zx81Qm2Lp0Vn7Tr3Ws5Y'\n",
		"allow far left":  "gitleaks:allow " + strings.Repeat("padding words here ", 10) + "secret = 'Zx81Qm2Lp0Vn7Tr3Ws5Y'\n",
		"mount secret":    "RUN --mount=type=secret,id=npm " + strings.Repeat("x ", 40) + "token = Zx81Qm2Lp0Vn7Tr3Ws5Y\n",
		"stopword":        "password = 'example-Zx81Qm2Lp0Vn7Tr3Ws5Y'\npassword = 'Zx81Qm2Lp0Vn7Tr3Ws5Y'\n",
		"word glued":      "mykey=Zx81Qm2Lp0Vn7Tr3Ws5Y;otherkey=Ab81Qm2Lp0Vn7Tr3Ws5Y\n",
		"utf8 around":     "clé: «token = Zx81Qm2Lp0Vn7Tr3Ws5Y» — ok\n",
		"double base64":   base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString([]byte("password = 'Zx81Qm2Lp0Vn7Tr3Ws5Y'")))) + "\n",
		"unicode escape":  "k = \"\\u0067hp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3\"\n",
		"encoded + plain": "token = Zx81Qm2Lp0Vn7Tr3Ws5Y\n" + base64.StdEncoding.EncodeToString([]byte("api_key: Ab81Qm2Lp0Vn7Tr3Ws5Y")) + "\n",
		"jwt":             "Authorization: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n",
	}
	for name, s := range cases {
		assertParity(t, name, "docs/x.md", s)
	}
	// What sources.File skips by name or content, and gitleaks' global
	// path allowlist.
	secret := "export GITHUB_TOKEN=ghp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3\n"
	for path, s := range map[string]string{
		"docs/bundle.zip":        secret,
		"docs/notes.tar.gz":      secret,
		"docs/guide.pdf.md":      "%PDF-1.7\n" + secret,
		"docs/wasm.md":           "\x00asm\x01\x00\x00\x00" + secret,
		"docs/go.sum":            secret,
		"docs/package-lock.json": secret,
		"docs/node_modules/x.md": secret,
		"docs/plain.md":          secret,
	} {
		assertParity(t, path, path, s)
	}
}
