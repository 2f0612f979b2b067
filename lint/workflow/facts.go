package workflow

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Holds is what a job's run can reach: token writes, OIDC, secrets, a
// self-hosted runner, cache writes.
type Holds struct {
	// Writes are the token scopes with write ("write-all" for all).
	Writes []string
	// DefaultToken: neither job nor workflow sets permissions, so the
	// token has the repository default, which may include write.
	DefaultToken bool
	IDToken      bool
	// Secrets are the secret names read; AllSecrets when every secret is
	// (secrets: inherit, toJSON(secrets)).
	Secrets    []string
	AllSecrets bool
	SelfHosted bool
	// Cache: the job saves a cache (actions/cache, a setup-* action's
	// cache input), which later runs on the same scope restore.
	Cache bool
}

// Privileged reports whether the job holds release credentials: a token
// that can write, an OIDC token, or secrets.
func (h Holds) Privileged() bool {
	return len(h.Writes) > 0 || h.DefaultToken || h.IDToken || len(h.Secrets) > 0 || h.AllSecrets
}

// MaxListed bounds how many names a message lists.
const MaxListed = 5

// List joins names, listing at most MaxListed and then "and N more".
func List(names []string) string {
	if len(names) <= MaxListed {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:MaxListed], ", "), len(names)-MaxListed)
}

// String says what the job holds in a short phrase, bounded in length.
func (h Holds) String() string {
	var parts []string
	switch {
	case h.AllSecrets:
		parts = append(parts, "every secret")
	case len(h.Secrets) > 0:
		parts = append(parts, "secrets ("+List(h.Secrets)+")")
	}
	if len(h.Writes) > 0 {
		ws := make([]string, len(h.Writes))
		for i, w := range h.Writes {
			ws[i] = w
			if w != "write-all" {
				ws[i] += ": write"
			}
		}
		parts = append(parts, "write permissions ("+List(ws)+")")
	}
	if h.DefaultToken {
		parts = append(parts, "the default token (no permissions block)")
	}
	if h.IDToken && !slices.Contains(h.Writes, "id-token") && !slices.Contains(h.Writes, "write-all") {
		parts = append(parts, "id-token: write")
	}
	return strings.Join(parts, " and ")
}

// Holds computes what the job can reach.
func (j *Job) Holds() Holds {
	h := Holds{Writes: j.Token.Writes(), DefaultToken: j.Token == nil, IDToken: j.Token.IDToken()}
	for _, s := range j.Secrets {
		if s.All {
			h.AllSecrets = true
		} else if !slices.Contains(h.Secrets, s.Name) {
			h.Secrets = append(h.Secrets, s.Name)
		}
	}
	h.SelfHosted = j.SelfHosted()
	h.Cache = j.WritesCache()
	return h
}

// SelfHosted reports whether the job runs on a self-hosted runner: the
// self-hosted label, a runner group, or any label GitHub does not host.
func (j *Job) SelfHosted() bool {
	if j.RunnerGroup != "" {
		return true
	}
	for _, l := range j.RunsOn {
		if l == "self-hosted" || !GitHubHosted(l) {
			return true
		}
	}
	return false
}

var storedRe = regexp.MustCompile(`PASSWORD|PASSWD|TOKEN|KEY|SECRET|(^|_)PAT($|_)|CREDENTIAL|AUTH`)

// StoredCredential reports whether a secret name (upper-cased, as in
// Secret.Name) names a stored credential: PASSWORD, TOKEN, KEY, SECRET, PAT,
// CREDENTIAL or AUTH in it. RP205 and RP219 judge credentials by it, and
// relpolicy init drafts credentials from it.
func StoredCredential(name string) bool { return storedRe.MatchString(name) }

var hostedRe = regexp.MustCompile(`^(ubuntu|windows|macos)-(latest|[0-9][0-9.]*)(-[a-z0-9-]+)?$`)

// GitHubHosted reports whether a runs-on label names a GitHub-hosted
// runner image (ubuntu-24.04, windows-latest, macos-14-arm64, …).
// Expressions are not hosted labels.
func GitHubHosted(label string) bool {
	return hostedRe.MatchString(strings.ToLower(label))
}

// Action splits a `uses:` into owner/repo[/path] and ref, lowercased
// except the ref. Local ("./") and docker:// references return ok false.
func Action(uses string) (name, ref string, ok bool) {
	if strings.HasPrefix(uses, "./") || strings.HasPrefix(uses, "docker://") || uses == "" {
		return "", "", false
	}
	name, ref, _ = strings.Cut(uses, "@")
	return strings.ToLower(name), ref, true
}

// Is reports whether the step uses an action (owner/repo or a path
// inside it), ignoring the ref.
func (s *Step) Is(names ...string) bool {
	n, _, ok := Action(s.Uses.S)
	if !ok {
		return false
	}
	for _, want := range names {
		if n == want || strings.HasPrefix(n, want+"/") {
			return true
		}
	}
	return false
}

// FirstParty reports whether an action belongs to GitHub (actions/*,
// github/*).
func FirstParty(name string) bool {
	return strings.HasPrefix(name, "actions/") || strings.HasPrefix(name, "github/")
}

var shaRe = regexp.MustCompile(`^[0-9a-f]{40}$`)

// Pinned reports whether a ref is a full commit SHA.
func Pinned(ref string) bool { return shaRe.MatchString(ref) }

// Restores reports whether a step restores a cache: actions/cache (and
// /restore), a setup-* action given a cache input, or buildx's GitHub
// cache backend.
func (s *Step) Restores() bool {
	if s.Is("actions/cache") {
		return true
	}
	n, _, _ := Action(s.Uses.S)
	if strings.Contains(n, "/setup-") {
		if c, ok := s.With["cache"]; ok && c.S != "" && c.S != "false" {
			return true
		}
	}
	return strings.Contains(s.With["cache-from"].S, "type=gha")
}

// WritesCache reports whether the job saves a cache entry: actions/cache
// (not /restore), setup-* with caching on, or buildx's cache-to type=gha.
func (j *Job) WritesCache() bool {
	for _, s := range j.Steps {
		if s.Is("actions/cache/restore") {
			continue
		}
		if s.Restores() && !strings.Contains(s.With["cache-from"].S, "type=gha") || strings.Contains(s.With["cache-to"].S, "type=gha") {
			return true
		}
	}
	return false
}

var tagGate = regexp.MustCompile(`(?i)startswith\(\s*github\.ref\s*,\s*'refs/tags/|github\.ref_type\s*==\s*'tag'|github\.ref\s*==\s*'refs/tags/|github\.event_name\s*==\s*'(push|release|schedule)'`)

// TagGated reports whether the job's `if:` runs it only for tag refs (or
// only on push/release/schedule events), so pull-request, comment and
// workflow_run events never reach it. A condition with `||` is not a gate.
func (j *Job) TagGated() bool {
	return tagGate.MatchString(j.If) && !strings.Contains(j.If, "||")
}

// Gated reports whether the job is honoured as outside untrusted reach:
// gated to tag refs by `if:`, or guarded by a deployment environment
// (whose protection rules — required reviewers, deployment branches —
// live in the repository settings relpolicy cannot read).
func (j *Job) Gated() bool { return j.TagGated() || j.Environment != "" }
