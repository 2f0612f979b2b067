package disclosure

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/lint/surface"
)

// RP504: runner registration details. A registration command
// (config.sh/config.cmd, gitlab-runner register) or a registration-token
// variable with a literal token; a configured internal runner label,
// anywhere in public text and in the runs-on of workflows. Placeholders
// (<TOKEN>, $TOKEN, ${{ secrets.X }}, YOUR_TOKEN, ***) are instructions,
// not details.

const (
	rp504TokenHint = `remove the token and revoke it; document runner registration in private ` +
		`runbooks and describe runners in general terms ("organization-controlled build infrastructure")`
	rp504LabelHint = `internal runner labels are private: use a generic label such as "self-hosted" ` +
		`in public text, or describe the runner as "organization-controlled build infrastructure"`
)

// Words of the runner detector; labels follow.
var runnerWords = []string{
	"config.sh", "config.cmd", "gitlab-runner register", // 0-2: registration commands
	"registration token", "registration-token", "registration_token", // 3-5: token names
	"runner token", "runner-token", "runner_token", "runners_token",
	"runs-on", // 10
}

const (
	wordRunsOn     = 10
	firstTokenWord = 3
	firstLabel     = 11
)

func newRunners(labels []string) *detector {
	d := &detector{rule: "RP504", workflows: true}
	d.words = slices.Clone(runnerWords)
	for _, l := range labels {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			d.words = append(d.words, l)
		}
	}
	d.scan = func(t *text, hits []hit) []finding.Finding {
		var out []finding.Finding
		var runsOn [][2]int // value spans of runs-on in workflows
		for _, h := range hits {
			if h.word == wordRunsOn && t.kind == surface.Workflow {
				runsOn = append(runsOn, runsOnSpan(t.s, h.off))
			}
		}
		for _, h := range hits {
			switch {
			case h.word < firstTokenWord:
				if tok, at, ok := commandToken(t.s, h.off); ok {
					out = append(out, t.finding("RP504", finding.Error, at,
						fmt.Sprintf("runner registration command with a literal token %s", redact(tok)), rp504TokenHint))
				}
			case h.word < wordRunsOn:
				if tok, at, ok := assignedToken(t.s, h.off+len(d.words[h.word])); ok {
					out = append(out, t.finding("RP504", finding.Error, at,
						fmt.Sprintf("runner registration token %s", redact(tok)), rp504TokenHint))
				}
			case h.word >= firstLabel:
				label := d.words[h.word]
				if !wholeToken(t.s, h.off, len(label)) {
					continue
				}
				if t.kind == surface.Workflow && !slices.ContainsFunc(runsOn, func(sp [2]int) bool {
					return sp[0] <= h.off && h.off < sp[1]
				}) {
					continue
				}
				out = append(out, t.finding("RP504", finding.Error, h.off,
					fmt.Sprintf("internal runner label %q", t.s[h.off:h.off+len(label)]), rp504LabelHint))
			}
		}
		return out
	}
	return d
}

// runsOnSpan returns the value of the runs-on key at off: the rest of its
// line and, for a block value, the following lines indented deeper.
func runsOnSpan(s string, off int) [2]int {
	ls := strings.LastIndexByte(s[:off], '\n') + 1
	indent := off - ls
	end := lineEndAt(s, off)
	for end < len(s) {
		next := end + 1
		le := lineEndAt(s, next)
		line := s[next:le]
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed != "" && len(line)-len(trimmed) <= indent && !strings.HasPrefix(trimmed, "#") {
			break
		}
		end = le
	}
	return [2]int{off, end}
}

func lineEndAt(s string, off int) int {
	if i := strings.IndexByte(s[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(s)
}

// wholeToken reports whether s[off:off+n] stands alone: no label character
// on either side.
func wholeToken(s string, off, n int) bool {
	return (off == 0 || !isLabelByte(s[off-1])) && (off+n == len(s) || !isLabelByte(s[off+n]))
}

func isLabelByte(c byte) bool { return isWordByte(c) || c == '-' }

// commandToken finds a literal --token (or --registration-token, -r) value
// in the registration command at off, following backslash continuations.
func commandToken(s string, off int) (string, int, bool) {
	end := off
	for range 8 {
		le := lineEndAt(s, end)
		end = le
		if !strings.HasSuffix(strings.TrimRight(s[off:le], " \t\r"), "\\") || le == len(s) {
			break
		}
		end = le + 1
	}
	cmd := s[off:end]
	for _, flag := range []string{"--registration-token", "--token", "-r"} {
		i := strings.Index(cmd, flag)
		for i >= 0 {
			after := i + len(flag)
			if after < len(cmd) && (cmd[after] == ' ' || cmd[after] == '=' || cmd[after] == '\t') {
				if tok, at, ok := literalToken(cmd, after+1); ok {
					return tok, off + at, true
				}
			}
			j := strings.Index(cmd[after:], flag)
			if j < 0 {
				break
			}
			i = after + j
		}
	}
	return "", 0, false
}

// assignedToken finds a literal token assigned after a token name ending at
// off: "registration token: X", "RUNNER_TOKEN=X", "runner token is X".
func assignedToken(s string, off int) (string, int, bool) {
	le := lineEndAt(s, off)
	rest := s[off:le]
	i := 0
	for i < len(rest) && strings.IndexByte(" \t\"'`", rest[i]) >= 0 {
		i++
	}
	switch {
	case strings.HasPrefix(strings.ToLower(rest[i:]), "is "):
		i += 3
	case i < len(rest) && (rest[i] == ':' || rest[i] == '='):
		i++
	default:
		return "", 0, false
	}
	return literalToken(s[:le], off+i)
}

// literalToken reads a token starting at or after off (past blanks and
// quotes); placeholders and short words are not tokens.
func literalToken(s string, off int) (string, int, bool) {
	for off < len(s) && strings.IndexByte(" \t\"'`=", s[off]) >= 0 {
		off++
	}
	end := off
	for end < len(s) && (isWordByte(s[end]) || s[end] == '-' || s[end] == '.') {
		end++
	}
	tok := strings.TrimRight(s[off:end], ".")
	if len(tok) < 20 || isPlaceholder(tok) || !hasDigit(tok) {
		return "", 0, false
	}
	return tok, off, true
}

// isPlaceholder reports tokens that stand for a value: XXXX, ****, TOKEN,
// YOUR_TOKEN_HERE and the like (letters and underscores only).
func isPlaceholder(tok string) bool {
	if strings.Trim(tok, "xX*._-") == "" {
		return true
	}
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}
