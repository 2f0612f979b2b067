package disclosure

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/lint/surface"
)

// rp501Secrets are realistic, fake credentials that gitleaks' default rules
// detect, each in a line as docs would show it.
var rp501Secrets = []struct{ line, secret string }{
	{"export GITHUB_TOKEN=ghp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3", "ghp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3"},
	{"aws_access_key_id = AKIAQ3EGTXZ7KPL5MN2R", "AKIAQ3EGTXZ7KPL5MN2R"},
	{"SLACK_BOT_TOKEN: xoxb-1234567890123-1234567890123-aBcDeFgHiJkLmNoPqRsTuVwX", "xoxb-1234567890123-1234567890123-aBcDeFgHiJkLmNoPqRsTuVwX"},
	{"npm config set //registry.npmjs.org/:_authToken npm_8fKq2Lm9Xz4Rt7Vb1Nc6Hy3Jw5Pd0Sg2Ae4U", "npm_8fKq2Lm9Xz4Rt7Vb1Nc6Hy3Jw5Pd0Sg2Ae4U"},
	{"GITLAB_TOKEN=glpat-Zk3mQ9vX2pL7wR4tY8nB", "glpat-Zk3mQ9vX2pL7wR4tY8nB"},
	{"stripe.api_key = \"sk_live_51Hq8ZkLmN3pQr7StUvWx9YzAbCdEfGh\"", "sk_live_51Hq8ZkLmN3pQr7StUvWx9YzAbCdEfGh"},
	{"GOOGLE_API_KEY=AIzaSyD4kX9mQ2vL7pR3tW8nB5cH1jF6gK0sZ2e", "AIzaSyD4kX9mQ2vL7pR3tW8nB5cH1jF6gK0sZ2e"},
	{"client_secret: 'q8Z3xV7mK2pL9wR4tY6nB1cH5jF0gD3s'", "q8Z3xV7mK2pL9wR4tY6nB1cH5jF0gD3s"},
	{"db_password = \"Xk9mQ2vL7pR4wZ8tN3qH\"", "Xk9mQ2vL7pR4wZ8tN3qH"},
	{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDd8bX2mGm9Q4RL1pD5sVk8cYtHjXyQ2wZ3nRfL0aJvKQAAAJjM8vU1zPL1\n-----END OPENSSH PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----"},
}

func TestRP501(t *testing.T) {
	var tps []string
	for _, s := range rp501Secrets {
		tps = append(tps, "Configure the release:\n\n```\n"+s.line+"\n```\n")
	}
	ruleCases{
		rule: "RP501",
		kind: surface.Markdown,
		tps:  tps,
		fps: []string{
			"Rotate the key, credentials and passwords after each release; the token is short-lived.",
			"export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
			"aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
			"password: ${{ secrets.REGISTRY_PASSWORD }}",
			"token: <your token here>",
			"api_key = os.environ['API_KEY']",
			"digest: sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			"revision: 3f2c9a7be1d04c2f9e8a6b5d4c3b2a1908f7e6d5",
			"The private key never leaves organization-controlled build infrastructure.",
			"password = \"changeme\"",
			// A placeholder private-key header, a public key later (fp501-pem).
			"Keys have a PEM header of `ENCRYPTED PRIVATE KEY`:\n\n```\n-----BEGIN ENCRYPTED EXAMPLE PRIVATE KEY-----\n...\n-----END ENCRYPTED EXAMPLE PRIVATE KEY-----\n```\n\nPublic keys use the header `PUBLIC KEY`:\n\n```\n-----BEGIN PUBLIC KEY-----\n```\n",
		},
	}.run(t)
	// A credential hard-coded in a workflow is as public as one in a README.
	if fs := ofRule(scan(t, surface.Workflow, rp501Secrets[0].line), "RP501"); len(fs) != 1 {
		t.Errorf("RP501 on a workflow: %v", fs)
	}
}

// TestRP501Redacted proves no finding carries a credential: no field of any
// finding holds any eight characters of a secret.
func TestRP501Redacted(t *testing.T) {
	for _, s := range rp501Secrets {
		fs := scan(t, surface.Markdown, s.line+"\n")
		if len(ofRule(fs, "RP501")) == 0 {
			t.Errorf("no RP501 finding for %q", s.line)
		}
		secret := s.secret
		if strings.HasPrefix(secret, "-----BEGIN") {
			secret = strings.Split(s.line, "\n")[1]
		}
		for _, f := range fs {
			v := reflect.ValueOf(f)
			for i := range v.NumField() {
				field, ok := v.Field(i).Interface().(string)
				if !ok {
					continue
				}
				for j := 0; j+8 <= len(secret); j++ {
					if strings.Contains(field, secret[j:j+8]) {
						t.Errorf("%s %s field %s holds %q of the secret: %q",
							f.Rule, s.line[:12], v.Type().Field(i).Name, secret[j:j+8], field)
						break
					}
				}
			}
		}
	}
}

func TestRedact(t *testing.T) {
	for secret, want := range map[string]string{
		"ghp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3": `"ghp_…"`,
		"Xk9#mQ2$":                               `"Xk…"`,
		"abc":                                    `"…"`,
		"":                                       `"…"`,
		"ключключключключ":                       `"ключ…"`,
	} {
		if got := redact(secret); got != want {
			t.Errorf("redact(%q) = %s, want %s", secret, got, want)
		}
	}
}

// TestRP501Excerpt: a message names the key type or the secret's first
// characters and length, never only dashes.
func TestRP501Excerpt(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{rp501Secrets[0].line, `credential "ghp_…" (38 characters) matches gitleaks rule generic-api-key`},
		{rp501Secrets[len(rp501Secrets)-1].line, `credential "-----BEGIN OPENSSH PRIVATE KEY-----" block matches gitleaks rule private-key`},
	} {
		fs := ofRule(scan(t, surface.Markdown, c.text+"\n"), "RP501")
		if len(fs) != 1 || fs[0].Message != c.want {
			t.Errorf("got %+v\nwant message %s", fs, c.want)
		}
	}
}

func TestRP501Position(t *testing.T) {
	text := "# Setup\n\nRun this:\n\n    export GITHUB_TOKEN=ghp_R2d2C3poLuk3Skyw4lk3rHanS0l0Chewi3\n"
	fs := ofRule(scan(t, surface.Markdown, text), "RP501")
	if len(fs) != 1 || fs[0].Line != 5 || fs[0].Column != 25 {
		t.Fatalf("want one finding at 5:25 (the secret), got %+v", fs)
	}
}
