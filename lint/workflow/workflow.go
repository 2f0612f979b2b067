// Package workflow reads the facts relpolicy needs from a GitHub Actions
// workflow file: its triggers with positions, the permissions its token
// holds, and the secrets it references.
package workflow

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"go.yaml.in/yaml/v3"
)

// MaxSize caps a workflow file.
const MaxSize = 1 << 20

// Trigger is one event in the workflow's `on:`.
type Trigger struct {
	Event        string
	Line, Column int
}

// Workflow holds what a workflow file says about its privileges.
type Workflow struct {
	Triggers []Trigger
	// Writes lists token scopes granted write, as "scope: write"
	// ("write-all" when all are); the top level and every job.
	Writes []string
	// DefaultToken is true when neither the workflow nor any of its jobs
	// sets permissions, so the token has the repository's default, which
	// may include write access.
	DefaultToken bool
	// Secrets lists the secrets referenced (${{ secrets.X }}, secrets: inherit),
	// except GITHUB_TOKEN, whose power the permissions describe.
	Secrets []string
}

// Untrusted are the events that run code or data an outsider controls.
var Untrusted = []string{"pull_request_target", "issue_comment", "workflow_run", "pull_request"}

var secretRef = regexp.MustCompile(`secrets\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)|secrets\s*\[\s*['"]([^'"]+)['"]\s*\]`)

// Parse reads a workflow file.
func Parse(src []byte) (*Workflow, error) {
	if len(src) > MaxSize {
		return nil, fmt.Errorf("workflow larger than %d KiB", MaxSize>>10)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("parsing workflow: %w", err)
	}
	w := &Workflow{}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return w, nil
	}
	top := doc.Content[0]
	if on := value(top, "on"); on != nil {
		w.Triggers = triggers(on)
	}
	any := false
	if p := value(top, "permissions"); p != nil {
		any = true
		w.Writes = append(w.Writes, writes(p, "")...)
	}
	if jobs := value(top, "jobs"); jobs != nil && jobs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(jobs.Content); i += 2 {
			job := jobs.Content[i+1]
			if job.Kind != yaml.MappingNode {
				continue
			}
			if p := value(job, "permissions"); p != nil {
				any = true
				w.Writes = append(w.Writes, writes(p, jobs.Content[i].Value)...)
			}
			if s := value(job, "secrets"); s != nil && s.Kind == yaml.ScalarNode && s.Value == "inherit" {
				w.Secrets = append(w.Secrets, "inherit (all secrets)")
			}
		}
	}
	w.DefaultToken = !any
	seen := map[string]bool{}
	for _, m := range secretRef.FindAllSubmatch(src, -1) {
		name := string(bytes.Join(m[1:], nil))
		if name != "GITHUB_TOKEN" && !seen[name] {
			seen[name] = true
			w.Secrets = append(w.Secrets, name)
		}
	}
	sort.Strings(w.Secrets)
	w.Writes = slices.Compact(w.Writes)
	return w, nil
}

// Untrusted returns the workflow's untrusted triggers.
func (w *Workflow) UntrustedTriggers() []Trigger {
	var out []Trigger
	for _, t := range w.Triggers {
		if slices.Contains(Untrusted, t.Event) {
			out = append(out, t)
		}
	}
	return out
}

// Privileged reports whether the workflow's runs hold secrets or a token
// that can write.
func (w *Workflow) Privileged() bool {
	return len(w.Secrets) > 0 || len(w.Writes) > 0 || w.DefaultToken
}

func value(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func triggers(on *yaml.Node) []Trigger {
	var out []Trigger
	switch on.Kind {
	case yaml.ScalarNode:
		out = append(out, Trigger{on.Value, on.Line, on.Column})
	case yaml.SequenceNode:
		for _, n := range on.Content {
			if n.Kind == yaml.ScalarNode {
				out = append(out, Trigger{n.Value, n.Line, n.Column})
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(on.Content); i += 2 {
			k := on.Content[i]
			out = append(out, Trigger{k.Value, k.Line, k.Column})
		}
	}
	return out
}

func writes(p *yaml.Node, job string) []string {
	prefix := ""
	if job != "" {
		prefix = "jobs." + job + ": "
	}
	switch p.Kind {
	case yaml.ScalarNode:
		if p.Value == "write-all" {
			return []string{prefix + "write-all"}
		}
	case yaml.MappingNode:
		var out []string
		for i := 0; i+1 < len(p.Content); i += 2 {
			if p.Content[i+1].Value == "write" {
				out = append(out, prefix+p.Content[i].Value+": write")
			}
		}
		return out
	}
	return nil
}
