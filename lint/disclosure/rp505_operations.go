package disclosure

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
)

// RP505 (warning): operational details the policy keeps private:
// break-glass procedures, secret-storage mechanics (Vault paths and
// commands, KMS key and secret ARNs, secret-manager names and commands) and
// network topology (VLAN numbers, bastion and jump hosts). Mentions inside a
// sentence that says they are not published ("break-glass procedures are
// never published") pass, and so do the policy's general terms.

const rp505Hint = `describe the control in general terms (for example "short-lived credentials ` +
	`held by official builders" or "organization-controlled build infrastructure") and keep ` +
	`the mechanics in private runbooks`

// An operation is one kind of detail, found from a keyword.
type operation struct {
	word string
	// what names the finding; check returns the detail at the keyword's
	// offset (what the message quotes) or false.
	what  string
	check func(s string, off, n int) (string, bool)
}

var operations = []operation{
	{"break-glass", "break-glass procedure", breakGlass},
	{"break glass", "break-glass procedure", breakGlass},
	{"breakglass", "break-glass procedure", breakGlass},
	{"secret/data/", "secret-storage path", storagePath},
	{"secret/metadata/", "secret-storage path", storagePath},
	{"kv/data/", "secret-storage path", storagePath},
	{"vault kv ", "secret-storage command", vaultCommand},
	{"vault read ", "secret-storage command", vaultCommand},
	{"vault write ", "secret-storage command", vaultCommand},
	{"vault login ", "secret-storage command", vaultCommand},
	{"vault path ", "secret-storage path", vaultCommand},
	{"arn:aws:kms:", "key ARN in AWS KMS", arn},
	{"arn:aws:secretsmanager:", "secret ARN in AWS Secrets Manager", arn},
	{"arn:aws:ssm:", "parameter ARN in AWS Systems Manager", arn},
	{"secretsmanager get-secret-value", "secret-manager command", command},
	{"gcloud secrets ", "secret-manager command", command},
	{"az keyvault secret", "secret-manager command", command},
	{".vault.azure.net", "key vault address", vaultHost},
	{"op://", "secret reference", storagePath},
	{"secrets manager", "secret-manager name", managerName},
	{"secret manager", "secret-manager name", managerName},
	{"key vault", "secret-manager name", managerName},
	{"parameter store", "secret-manager name", managerName},
	{"vlan", "network topology (VLAN)", vlan},
	{"bastion", "network topology (bastion host)", bastion},
	{"jump host", "network topology (jump host)", word},
	{"jumphost", "network topology (jump host)", word},
	{"jump box", "network topology (jump host)", word},
	{"jumpbox", "network topology (jump host)", word},
	{"jump server", "network topology (jump host)", word},
	{"proxyjump", "network topology (jump host)", word},
	{"ssh -j", "network topology (jump host)", word},
}

func newOperations() *detector {
	d := &detector{rule: "RP505", workflows: true}
	for _, op := range operations {
		d.words = append(d.words, op.word)
	}
	d.scan = func(t *text, hits []hit) []finding.Finding {
		var out []finding.Finding
		for _, h := range hits {
			op := operations[h.word]
			detail, ok := op.check(t.s, h.off, len(op.word))
			if !ok || negated(t.s, h.off) {
				continue
			}
			against := weight(strings.HasPrefix(op.word, "arn:") && exampleARN(detail))
			if placeholderDetail(detail) {
				against = valueUniversal
			}
			c := t.confidenceAbout(h.off, h.off+len(op.word), against, ownOperations)
			out = append(out, t.weighed("RP505", finding.Warning, h.off, c, fmt.Sprintf("%s %q", op.what, detail), rp505Hint))
		}
		return out
	}
	return d
}

// word accepts the keyword standing as a word.
func word(s string, off, n int) (string, bool) {
	if !wordAt(s, off, n) {
		return "", false
	}
	return s[off : off+n], true
}

// wordAt reports whether s[off:off+n] has no letter on either side.
func wordAt(s string, off, n int) bool {
	letter := func(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
	return (off == 0 || !letter(s[off-1])) && (off+n >= len(s) || !letter(s[off+n]))
}

func breakGlass(s string, off, n int) (string, bool) {
	w, ok := word(s, off, n)
	if !ok || privateMention.MatchString(sentenceAround(s, off)) {
		return "", false
	}
	return w, true
}

// privateMention marks a sentence that only says a procedure exists and is
// kept private ("break-glass procedures are never published"), which is
// what public docs should say.
var privateMention = regexp.MustCompile(`(?i)\b(?:not|never|no|without|private|privately|internal runbooks?)\b|n't\b`)

// sentenceAround returns the sentence holding offset off: from the last
// sentence end or blank line before it to the next one after it.
func sentenceAround(s string, off int) string {
	start, end := off, off
	for start > 0 && !sentenceEnd(s, start-1) {
		start--
	}
	for end < len(s) && !sentenceEnd(s, end) {
		end++
	}
	return s[start:end]
}

func sentenceEnd(s string, i int) bool {
	switch s[i] {
	case '.', '!', '?':
		return i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n'
	case '\n':
		return i+1 < len(s) && s[i+1] == '\n'
	}
	return false
}

// storagePath accepts a path that continues past the keyword.
func storagePath(s string, off, n int) (string, bool) {
	end := off + n
	for end < len(s) && (isWordByte(s[end]) || strings.IndexByte("/-.", s[end]) >= 0) {
		end++
	}
	path := strings.TrimRight(s[off:end], ".")
	if len(path) <= n || off > 0 && isWordByte(s[off-1]) {
		return "", false
	}
	return path, true
}

// vaultCommand accepts a Vault command naming a path or a method.
func vaultCommand(s string, off, n int) (string, bool) {
	if off > 0 && isWordByte(s[off-1]) {
		return "", false
	}
	end := lineEndAt(s, off)
	// A command quoted in prose ends at its closing backtick or quote.
	if q := strings.IndexAny(s[off+n:end], "`\"'"); q >= 0 {
		end = off + n + q
	}
	cmd := strings.TrimSpace(s[off:end])
	rest := strings.TrimSpace(cmd[n-1:])
	if rest == "" || !strings.ContainsAny(rest, "/=-") {
		return "", false
	}
	return truncate(cmd), true
}

// arn accepts an ARN with an account and a resource.
func arn(s string, off, n int) (string, bool) {
	end := off + n
	for end < len(s) && (isWordByte(s[end]) || strings.IndexByte(":/-.", s[end]) >= 0) {
		end++
	}
	a := strings.TrimRight(s[off:end], ".:")
	parts := strings.SplitN(a, ":", 6)
	if len(parts) < 6 || parts[5] == "" {
		return "", false
	}
	return a, true
}

// command accepts a secret-manager command that names a secret.
func command(s string, off, n int) (string, bool) {
	end := lineEndAt(s, off)
	cmd := strings.TrimSpace(s[off:end])
	if len(strings.Fields(cmd)) < len(strings.Fields(s[off:off+n]))+2 {
		return "", false
	}
	return truncate(cmd), true
}

// vaultHost accepts an Azure Key Vault host.
func vaultHost(s string, off, n int) (string, bool) {
	start := off
	for start > 0 && isHostByte(s[start-1]) {
		start--
	}
	if start == off {
		return "", false
	}
	return s[start : off+n], true
}

// managerName accepts a secret manager mentioned with the name of a secret
// in it: a quoted or code-spanned path-like name later in the sentence.
func managerName(s string, off, n int) (string, bool) {
	if !wordAt(s, off, n) {
		return "", false
	}
	_, end := sentence(s, off)
	rest := s[off+n : end]
	for i := 0; i < len(rest); i++ {
		q := rest[i]
		if q != '`' && q != '"' && q != '\'' {
			continue
		}
		j := strings.IndexByte(rest[i+1:], q)
		if j < 0 {
			break
		}
		name := rest[i+1 : i+1+j]
		if len(name) >= 3 && !strings.ContainsAny(name, " \t") && strings.ContainsAny(name, "/:") {
			return name, true
		}
		i += j + 1
	}
	return "", false
}

// vlan accepts a VLAN with a number or ID.
func vlan(s string, off, n int) (string, bool) {
	if off > 0 && 'a' <= s[off-1]|0x20 && s[off-1]|0x20 <= 'z' {
		return "", false
	}
	i := off + n
	if i < len(s) && (s[i] == 's' || s[i] == 'S') {
		return "", false // "VLANs" in general
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '-' || s[i] == '_' || s[i] == ':' || s[i] == '#') {
		i++
	}
	if strings.HasPrefix(strings.ToLower(s[i:]), "id") {
		i += 2
		for i < len(s) && (s[i] == ' ' || s[i] == ':' || s[i] == '=') {
			i++
		}
	}
	d := digitsLen(s[i:])
	if d == 0 || d > 4 {
		return "", false
	}
	return strings.TrimSpace(s[off : i+d]), true
}

// bastion accepts "bastion" as a word, not in "a bastion of".
func bastion(s string, off, n int) (string, bool) {
	if !wordAt(s, off, n) || strings.HasPrefix(strings.ToLower(s[off+n:]), " of ") {
		return "", false
	}
	return s[off : off+n], true
}

// negations mark a sentence that says a detail is not published.
var negations = []string{
	"must not", "must never", "do not publish", "does not publish", "never publish", "not published",
	"never published", "not documented", "not described", "not disclosed", "kept private",
	"keep private", "private runbook", "private docs", "out of scope", "don't publish",
}

func negated(s string, off int) bool {
	start, end := sentence(s, off)
	lower := strings.ToLower(s[start:end])
	return slices.ContainsFunc(negations, func(n string) bool { return strings.Contains(lower, n) })
}

// sentence returns the bounds of the sentence holding off: up to a full
// stop, question or exclamation mark followed by a blank, or a blank line
// or list item.
func sentence(s string, off int) (int, int) {
	start := off
	for start > 0 {
		c := s[start-1]
		if c == '\n' && (start < 2 || s[start-2] == '\n') ||
			(c == ' ' || c == '\n') && start >= 2 && strings.IndexByte(".!?", s[start-2]) >= 0 {
			break
		}
		start--
	}
	end := off
	for end < len(s) {
		c := s[end]
		if c == '\n' && (end+1 >= len(s) || s[end+1] == '\n' || s[end+1] == '-' || s[end+1] == '*') ||
			strings.IndexByte(".!?", c) >= 0 && (end+1 >= len(s) || s[end+1] == ' ' || s[end+1] == '\n') {
			break
		}
		end++
	}
	return start, end
}

func truncate(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
