package disclosure

import (
	"fmt"
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
		out = append(out, t.finding("RP501", finding.Error, h.Offset,
			fmt.Sprintf("credential %s matches gitleaks rule %s", redact(h.Secret), h.Rule), rp501Hint))
	}
	return out, nil
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
