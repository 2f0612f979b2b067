package policy

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits that keep hostile input bounded in time and memory.
const (
	// MaxFileSize caps release-policy.yaml.
	MaxFileSize = 4 << 20
	// MaxDepth caps nesting of mappings and sequences.
	MaxDepth = 64
	// MaxNodes caps the number of values after alias expansion, so an alias
	// bomb ("billion laughs") fails fast instead of exhausting memory.
	MaxNodes = 1_000_000
)

// treeError is a problem building the value tree, at a node.
type treeError struct {
	node *yaml.Node
	msg  string
}

func (e *treeError) Error() string { return e.msg }

// converter turns a yaml.Node tree into the generic JSON value the schema
// validator takes, expanding aliases and merge keys under a budget.
type converter struct {
	nodes int
}

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	c.nodes++
	if c.nodes > MaxNodes {
		return nil, &treeError{n, fmt.Sprintf("document expands to more than %d values (alias bomb?)", MaxNodes)}
	}
	if depth > MaxDepth {
		return nil, &treeError{n, fmt.Sprintf("nesting deeper than %d levels", MaxDepth)}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth)
	case yaml.AliasNode:
		return c.value(n.Alias, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		if err := c.mapping(n, m, depth, map[string]*yaml.Node{}); err != nil {
			return nil, err
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := c.value(item, depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, &treeError{n, "unsupported YAML node"}
}

// mapping fills m from n, applying merge keys (<<) first so explicit keys win.
func (c *converter) mapping(n *yaml.Node, m map[string]any, depth int, seen map[string]*yaml.Node) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMerge(k) {
			for _, src := range mergeSources(v) {
				if src.Kind != yaml.MappingNode {
					return &treeError{v, "merge key << needs a mapping or a list of mappings"}
				}
				c.nodes++
				if c.nodes > MaxNodes {
					return &treeError{v, fmt.Sprintf("document expands to more than %d values (alias bomb?)", MaxNodes)}
				}
				sub := map[string]any{}
				if err := c.mapping(src, sub, depth+1, map[string]*yaml.Node{}); err != nil {
					return err
				}
				for sk, sv := range sub {
					if _, ok := m[sk]; !ok {
						m[sk] = sv
					}
				}
			}
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return &treeError{k, "mapping keys must be plain scalars"}
		}
		if first, dup := seen[k.Value]; dup {
			return &treeError{k, fmt.Sprintf("duplicate key %q (first at line %d)", k.Value, first.Line)}
		}
		seen[k.Value] = k
		val, err := c.value(v, depth+1)
		if err != nil {
			return err
		}
		m[k.Value] = val
	}
	return nil
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag == "!!merge"
}

func mergeSources(v *yaml.Node) []*yaml.Node {
	v = resolveAlias(v)
	if v.Kind == yaml.SequenceNode {
		out := make([]*yaml.Node, 0, len(v.Content))
		for _, s := range v.Content {
			out = append(out, resolveAlias(s))
		}
		return out
	}
	return []*yaml.Node{v}
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// scalar converts a resolved YAML scalar. Dates and timestamps stay exactly
// as written, so `last: 2026-09-30` loads as the string users expect.
func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, &treeError{n, fmt.Sprintf("reading boolean %q: %v", n.Value, err)}
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return json.Number(strconv.FormatInt(i, 10)), nil
		}
		var u uint64
		if err := n.Decode(&u); err == nil {
			return json.Number(strconv.FormatUint(u, 10)), nil
		}
		return nil, &treeError{n, fmt.Sprintf("integer %q out of range", n.Value)}
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, &treeError{n, fmt.Sprintf("reading number %q: %v", n.Value, err)}
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, &treeError{n, fmt.Sprintf("number %q is not finite", n.Value)}
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	case "!!binary":
		return nil, &treeError{n, "binary values are not supported"}
	}
	// !!str, !!timestamp and custom tags: the text as written.
	return n.Value, nil
}

// nodeAt returns the YAML node at a JSON pointer, and the deepest node that
// exists on the way (for positions of missing values). key reports whether
// the last step named a mapping key whose key node is returned in keyNode.
func nodeAt(root *yaml.Node, ptr string) (found, deepest, keyNode *yaml.Node) {
	n := root
	if n == nil {
		return nil, nil, nil
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	deepest = n
	if ptr == "" || ptr == "/" {
		return n, n, nil
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		n = resolveAlias(n)
		switch n.Kind {
		case yaml.MappingNode:
			k, v := lookupKey(n, tok, 0)
			if v == nil {
				return nil, deepest, nil
			}
			keyNode, n = k, v
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil, deepest, nil
			}
			keyNode, n = nil, n.Content[i]
		default:
			return nil, deepest, nil
		}
		deepest = n
	}
	return n, deepest, keyNode
}

// lookupKey finds key in a mapping, following merge keys.
func lookupKey(m *yaml.Node, key string, depth int) (k, v *yaml.Node) {
	if depth > MaxDepth {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && !isMerge(m.Content[i]) {
			return m.Content[i], m.Content[i+1]
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if isMerge(m.Content[i]) {
			for _, src := range mergeSources(m.Content[i+1]) {
				if src.Kind == yaml.MappingNode {
					if k, v := lookupKey(src, key, depth+1); v != nil {
						return k, v
					}
				}
			}
		}
	}
	return nil, nil
}

// YAMLPath renders a JSON pointer as the YAML path users read:
// /release/contexts/0/protected → release.contexts[0].protected.
func YAMLPath(ptr string) string {
	if ptr == "" {
		return "(top level)"
	}
	var b strings.Builder
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}
