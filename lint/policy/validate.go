package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/tooo/relpolicy/schema"
	"go.yaml.in/yaml/v3"
)

// compiled is the schema compiled once per process, with its raw JSON for
// looking up property names and enums by keyword location.
var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	if err := c.AddResource(schema.ID, bytes.NewReader(schema.JSON)); err != nil {
		return nil, fmt.Errorf("adding schema: %w", err)
	}
	s, err := c.Compile(schema.ID)
	if err != nil {
		return nil, fmt.Errorf("compiling schema: %w", err)
	}
	return s, nil
})

var rawSchema = sync.OnceValue(func() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(schema.JSON, &m); err != nil {
		panic("embedded schema is not JSON: " + err.Error()) // a build defect, caught by tests
	}
	return m
})

// schemaAt returns the schema object at an absolute keyword location's
// fragment, e.g. "#/$defs/Channel/additionalProperties" with drop=1 gives
// the Channel definition.
func schemaAt(absLoc string, drop int) map[string]any {
	_, frag, _ := strings.Cut(absLoc, "#")
	toks := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	if frag == "" {
		toks = nil
	}
	if drop > len(toks) {
		return nil
	}
	var cur any = rawSchema()
	for _, t := range toks[:len(toks)-drop] {
		t, _ = url.PathUnescape(t)
		t = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			cur = c[t]
		case []any:
			i := 0
			if _, err := fmt.Sscan(t, &i); err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	m, _ := cur.(map[string]any)
	return m
}

// leaves flattens a validation error tree into its most specific causes.
func leaves(e *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return append(out, e)
	}
	for _, c := range e.Causes {
		out = leaves(c, out)
	}
	return out
}

// schemaFindings validates v and maps every error to RP002/RP003 at the
// offending YAML node.
func (d *Document) schemaFindings(v any) ([]problem, error) {
	s, err := compiled()
	if err != nil {
		return nil, err
	}
	err = s.Validate(v)
	if err == nil {
		return nil, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, fmt.Errorf("validating: %w", err)
	}
	var out []problem
	all := leaves(ve, nil)
	patterned := map[string]bool{}
	for _, e := range all {
		if strings.HasSuffix(e.KeywordLocation, "/pattern") {
			patterned[e.InstanceLocation] = true
		}
	}
	for _, e := range all {
		// A value failing its pattern needs no second word about its format.
		if strings.HasSuffix(e.KeywordLocation, "/format") && patterned[e.InstanceLocation] {
			continue
		}
		out = append(out, d.describe(e)...)
	}
	return out, nil
}

// problem is a finding before it gets a path and severity.
type problem struct {
	rule      string
	line, col int
	msg, hint string
}

func (d *Document) describe(e *jsonschema.ValidationError) []problem {
	ptr := e.InstanceLocation
	where := YAMLPath(ptr)
	kw := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
	node, deepest, keyNode := nodeAt(d.Root, ptr)
	at := func(n *yaml.Node) (int, int) {
		if n == nil {
			n = deepest
		}
		if n == nil {
			return 1, 1
		}
		return n.Line, n.Column
	}
	line, col := at(node)
	p := problem{rule: "RP002", line: line, col: col}
	parent := schemaAt(e.AbsoluteKeywordLocation, 1)
	switch kw {
	case "additionalProperties":
		return d.unknownKeys(node, ptr, parent)
	case "required":
		if keyNode != nil {
			p.line, p.col = keyNode.Line, keyNode.Column
		}
		m := resolveAlias(node)
		var out []problem
		req, _ := parent["required"].([]any)
		for _, r := range req {
			name, _ := r.(string)
			if m != nil && m.Kind == yaml.MappingNode {
				if _, v := lookupKey(m, name, 0); v != nil {
					continue
				}
			}
			q := p
			q.msg = fmt.Sprintf("%s: missing required key %q", where, name)
			q.hint = fmt.Sprintf("add %q%s", name, describeProp(parent, name))
			if strings.Contains(e.KeywordLocation, "/then/") {
				q.hint += " (required when used is true)"
			}
			out = append(out, q)
		}
		if len(out) == 0 {
			p.msg, p.hint = where+": "+e.Message, "see relpolicy schema"
			out = append(out, p)
		}
		return out
	case "type":
		p.msg = fmt.Sprintf("%s: %s%s", where, e.Message, gotValue(node))
		p.hint = "use a value of the expected type" + describeSelf(parent)
	case "enum":
		vals := enumStrings(parent)
		got := ""
		if node != nil {
			got = node.Value
		}
		p.msg = fmt.Sprintf("%s: %q is not one of %s", where, got, strings.Join(vals, ", "))
		p.hint = "use one of " + strings.Join(vals, ", ")
		if s := nearest(got, vals); s != "" {
			p.hint = fmt.Sprintf("did you mean %q?", s)
		}
	case "const":
		p.msg = fmt.Sprintf("%s: %s", where, e.Message)
		p.hint = "see relpolicy schema"
	case "pattern":
		pat, _ := parent["pattern"].(string)
		desc, ok := schema.PatternDescriptions[pat]
		if !ok {
			desc = "text matching " + pat
		}
		p.msg = fmt.Sprintf("%s: %s must be %s", where, quoteNode(node), desc)
		p.hint = "write " + desc
		switch pat {
		case schema.RepoPathPattern:
			p.hint = "paths are relative to the repository root and never leave it"
		case schema.DatePattern:
			p.hint = "write a calendar date as YYYY-MM-DD, e.g. 2026-09-30"
		}
	case "format":
		f, _ := parent["format"].(string)
		p.msg = fmt.Sprintf("%s: %s is not a valid %s", where, quoteNode(node), f)
		switch f {
		case "date":
			p.hint = "write a calendar date as YYYY-MM-DD, e.g. 2026-09-30"
		case "date-time":
			p.hint = "write an RFC 3339 timestamp, e.g. 2026-11-02T10:00:00Z"
		default:
			p.hint = "write a valid " + f
		}
	case "minItems":
		p.msg = fmt.Sprintf("%s: needs at least %v item(s)", where, parent["minItems"])
		p.hint = "add an entry" + describeSelf(parent)
	case "minLength":
		p.msg = fmt.Sprintf("%s: must not be empty", where)
		p.hint = "fill it in" + describeSelf(parent)
	case "uniqueItems":
		p.msg = fmt.Sprintf("%s: %s", where, e.Message)
		p.hint = "remove the repeated entry"
	case "minimum":
		p.msg = fmt.Sprintf("%s: must be at least %v", where, parent["minimum"])
		p.hint = "use a positive number"
	default:
		p.msg = fmt.Sprintf("%s: %s", where, e.Message)
		p.hint = "see relpolicy schema"
	}
	return []problem{p}
}

// unknownKeys reports each key of the mapping at ptr that the schema does
// not know, with the nearest known key as a hint (RP003).
func (d *Document) unknownKeys(node *yaml.Node, ptr string, def map[string]any) []problem {
	props, _ := def["properties"].(map[string]any)
	known := make([]string, 0, len(props))
	for k := range props {
		known = append(known, k)
	}
	sort.Strings(known)
	m := resolveAlias(node)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var out []problem
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if isMerge(k) || props[k.Value] != nil {
			continue
		}
		where := YAMLPath(ptr + "/" + strings.ReplaceAll(strings.ReplaceAll(k.Value, "~", "~0"), "/", "~1"))
		p := problem{rule: "RP003", line: k.Line, col: k.Column}
		if s := nearest(k.Value, known); s != "" {
			p.msg = fmt.Sprintf("unknown key %q at %s; did you mean %q?", k.Value, where, s)
			p.hint = fmt.Sprintf("rename it to %q", s)
		} else {
			p.msg = fmt.Sprintf("unknown key %q at %s", k.Value, where)
			p.hint = "known keys here: " + strings.Join(known, ", ")
		}
		out = append(out, p)
	}
	return out
}

func gotValue(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return " " + quoteNode(n)
}

func quoteNode(n *yaml.Node) string {
	if n == nil {
		return "value"
	}
	if n.Kind != yaml.ScalarNode {
		return "value"
	}
	v := n.Value
	if len(v) > 80 {
		v = v[:77] + "..."
	}
	return fmt.Sprintf("%q", v)
}

func enumStrings(s map[string]any) []string {
	e, _ := s["enum"].([]any)
	out := make([]string, 0, len(e))
	for _, v := range e {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

func describeSelf(s map[string]any) string {
	if d, _ := s["description"].(string); d != "" {
		return " (" + strings.TrimSuffix(lowerFirst(d), ".") + ")"
	}
	return ""
}

func describeProp(def map[string]any, name string) string {
	props, _ := def["properties"].(map[string]any)
	p, _ := props[name].(map[string]any)
	return describeSelf(p)
}

func lowerFirst(s string) string {
	if s == "" || strings.HasPrefix(s, "HTTPS") || strings.HasPrefix(s, "OCI") || strings.HasPrefix(s, "SHA") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// nearest returns the candidate closest to s by edit distance, if close
// enough to be a plausible typo.
func nearest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len(s)/3)
	if bestD <= limit && bestD < len(s) {
		return best
	}
	// Also accept a candidate that contains s or is contained in it (e.g. "interval" → "interval_days").
	for _, c := range slices.Sorted(slices.Values(candidates)) {
		if len(s) >= 4 && (strings.Contains(c, s) || strings.Contains(s, c)) {
			return c
		}
	}
	return ""
}

func levenshtein(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
