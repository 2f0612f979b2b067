package disclosure

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/secrets"
)

const rp501Hint = `remove it, revoke and rotate the credential (treat it as exposed: ` +
	`it stays in history and in every clone), and refer to secrets by role only, ` +
	`e.g. "a short-lived token held by the release workflow"`

// scanCredentials reports RP501 findings in t, whose engine keywords are
// recorded in t.cred. The engine (package secrets) reports exactly what
// `gitleaks dir` reports.
func scanCredentials(e *secrets.Engine, t *text) ([]finding.Finding, error) {
	hits, err := e.Scan(&t.cred)
	if err != nil {
		return nil, err
	}
	out := make([]finding.Finding, 0, len(hits))
	for _, h := range hits {
		if strings.HasPrefix(h.Secret, "-----BEGIN") && !pemBody(h.Secret) {
			continue // a placeholder header: no key material before its END line
		}
		out = append(out, t.finding("RP501", finding.Error, h.Offset,
			fmt.Sprintf("credential %s matches gitleaks rule %s", excerpt(h.Secret), h.Rule), rp501Hint))
	}
	return out, nil
}

// pemBody reports whether a PEM block matched by gitleaks' private-key rule
// holds key material: at least 32 base64 characters between the BEGIN line
// and the first END line. gitleaks' expression runs from a BEGIN header to
// the next "KEY-----", so a placeholder ("-----BEGIN EXAMPLE PRIVATE
// KEY-----\n...\n-----END ...") followed later by a public key header
// matches although no private key is there.
func pemBody(block string) bool {
	nl := strings.IndexByte(block, '\n')
	if nl < 0 {
		return false
	}
	body := block[nl+1:]
	if end := strings.Index(body, "-----END"); end >= 0 {
		body = body[:end]
	}
	n := 0
	for _, line := range strings.Split(body, "\n") {
		if strings.Contains(line, ":") {
			continue // Proc-Type, DEK-Info headers
		}
		for i := 0; i < len(line); i++ {
			if c := line[i]; isWordByte(c) && c != '_' || c == '+' || c == '/' || c == '=' {
				n++
			}
		}
	}
	return n >= 32
}

// excerpt shows a credential without repeating it: a PEM block by its
// header line (which names the key type and holds no key material), any
// other secret by its first few characters (redact) and its length.
func excerpt(secret string) string {
	if strings.HasPrefix(secret, "-----BEGIN") {
		header, _, _ := strings.Cut(secret, "\n")
		if i := strings.Index(header[len("-----BEGIN"):], "-----"); i >= 0 {
			header = header[:len("-----BEGIN")+i+len("-----")]
		}
		return fmt.Sprintf("%q block", truncate(header))
	}
	return fmt.Sprintf("%s (%d characters)", redact(secret), utf8.RuneCountInString(secret))
}

// redact shows at most the first four characters of a secret, fewer for
// short ones, so the finding identifies it without repeating it.
func redact(secret string) string {
	n := min(4, utf8.RuneCountInString(secret)/4)
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(secret[i:])
		i += size
	}
	return fmt.Sprintf("%q", secret[:i]+"…")
}
