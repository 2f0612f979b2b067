// Package policy loads release-policy.yaml into the schema model, keeping
// the YAML node tree so every finding can name a line and column. Loading
// reports RP001 (unreadable or invalid YAML), RP002 (schema violation),
// RP003 (unknown key) and RP004 (unsupported version).
package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/tooo/relpolicy/lint/filterpattern"
	"github.com/tooo/relpolicy/lint/finding"
	"github.com/tooo/relpolicy/schema"
	"go.yaml.in/yaml/v3"
)

// Document is a loaded policy file.
type Document struct {
	// Path is the file's repo-relative slash path.
	Path string
	// Source is the file's content.
	Source []byte
	// Root is the YAML document node; nil when the file is not YAML.
	Root *yaml.Node
	// Policy is the typed model; nil unless the file is valid against the schema.
	Policy *schema.Policy
}

// Load reads and parses name from fsys. Findings are RP001-RP004; the
// document is returned whenever the file could be read, so callers can still
// scan its text.
func Load(fsys fs.FS, name string) (*Document, []finding.Finding) {
	fail := func(msg, hint string) (*Document, []finding.Finding) {
		return nil, []finding.Finding{{Rule: "RP001", Severity: finding.Error, Path: name, Message: msg, Hint: hint}}
	}
	info, err := fs.Lstat(fsys, name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fail(name+" not found", "add a release-policy.yaml at the repository root (relpolicy init writes a starter)")
	case err != nil:
		return fail(fmt.Sprintf("reading %s: %v", name, cleanErr(err)), "make the file readable")
	case info.Mode()&fs.ModeSymlink != 0:
		// Symlinks are followed only within the repository: os.Root-backed
		// file systems refuse the escape when the file is opened below.
	case info.IsDir():
		return fail(name+" is a directory", "release-policy.yaml must be a regular file")
	case !info.Mode().IsRegular() && info.Mode()&fs.ModeSymlink == 0:
		return fail(name+" is not a regular file", "release-policy.yaml must be a regular file")
	}
	f, err := fsys.Open(name)
	if err != nil {
		msg := fmt.Sprintf("reading %s: %v", name, cleanErr(err))
		if strings.Contains(err.Error(), "escapes") {
			msg = name + " is a symlink that points outside the repository"
		}
		return fail(msg, "commit the policy file itself, not a link to a file elsewhere")
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return fail(name+" is a directory", "release-policy.yaml must be a regular file")
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return fail(fmt.Sprintf("reading %s: %v", name, cleanErr(err)), "make the file readable")
	}
	if len(src) > MaxFileSize {
		return fail(fmt.Sprintf("%s is larger than %d MiB", name, MaxFileSize>>20), "a policy file is a short record; move release history older than needed out of the ledger")
	}
	return Parse(name, src)
}

func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse parses src as the policy file name.
func Parse(name string, src []byte) (*Document, []finding.Finding) {
	d := &Document{Path: name, Source: src}
	var out []finding.Finding
	add := func(p problem) {
		out = append(out, finding.Finding{Rule: p.rule, Severity: finding.Error, Path: name, Line: p.line, Column: p.col, Message: p.msg, Hint: p.hint})
	}
	if len(bytes.TrimSpace(src)) == 0 {
		add(problem{rule: "RP001", line: 1, col: 1, msg: name + " is empty", hint: "start from relpolicy init or examples/"})
		return d, out
	}
	if bytes.IndexByte(src, 0) >= 0 {
		line, col := position(src, bytes.IndexByte(src, 0))
		add(problem{rule: "RP001", line: line, col: col, msg: name + " is binary (NUL byte), not YAML", hint: "release-policy.yaml must be UTF-8 text"})
		return d, out
	}
	if !utf8.Valid(src) {
		off := invalidUTF8(src)
		line, col := position(src, off)
		add(problem{rule: "RP001", line: line, col: col, msg: fmt.Sprintf("%s is not valid UTF-8 (byte 0x%02x)", name, src[off]), hint: "save the file as UTF-8"})
		return d, out
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		line, col, msg := yamlError(err)
		add(problem{rule: "RP001", line: line, col: col, msg: "invalid YAML: " + msg, hint: "fix the YAML syntax (indent with spaces, close quotes and brackets)"})
		return d, out
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		add(problem{rule: "RP001", line: extra.Line, col: extra.Column, msg: "more than one YAML document in " + name, hint: "keep a single document; remove the extra '---'"})
		return d, out
	} else if !errors.Is(err, io.EOF) {
		line, col, msg := yamlError(err)
		add(problem{rule: "RP001", line: line, col: col, msg: "invalid YAML: " + msg, hint: "fix the YAML syntax"})
		return d, out
	}
	d.Root = &root
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		add(problem{rule: "RP001", line: top.Line, col: top.Column, msg: "the document must be a mapping of keys (version, repository, artifacts, ...)", hint: "start from relpolicy init or examples/"})
		return d, out
	}
	var c converter
	v, err := c.value(&root, 0)
	if err != nil {
		var te *treeError
		if errors.As(err, &te) {
			add(problem{rule: "RP001", line: te.node.Line, col: te.node.Column, msg: te.msg, hint: "simplify the YAML: no alias bombs, deep nesting or duplicate keys"})
		} else {
			add(problem{rule: "RP001", line: 1, col: 1, msg: err.Error(), hint: "fix the YAML"})
		}
		return d, out
	}
	m, _ := v.(map[string]any)
	if ver, ok := m["version"].(json.Number); ok && ver.String() != "1" {
		_, vn := lookupKey(top, "version", 0)
		add(problem{rule: "RP004", line: vn.Line, col: vn.Column, msg: fmt.Sprintf("unsupported version %s; this relpolicy reads version 1", ver), hint: "set version: 1 (see relpolicy schema), or upgrade relpolicy"})
		return d, out
	}
	probs, err := d.schemaFindings(v)
	if err != nil {
		add(problem{rule: "RP002", line: 1, col: 1, msg: err.Error(), hint: "report this as a relpolicy bug"})
		return d, out
	}
	blocking := false
	for _, p := range probs {
		add(p)
		// Unknown keys leave the known ones sound, so the rules still run;
		// any other schema error makes the model's meaning uncertain.
		blocking = blocking || p.rule != "RP003"
	}
	if blocking {
		return d, out
	}
	b, err := json.Marshal(v)
	if err == nil {
		var p schema.Policy
		if err = json.Unmarshal(b, &p); err == nil {
			d.Policy = &p
			for _, pr := range d.patternProblems() {
				add(pr)
				d.Policy = nil // as any RP002: the rules need a sound model
			}
		}
	}
	if err != nil {
		add(problem{rule: "RP002", line: 1, col: 1, msg: "decoding policy: " + err.Error(), hint: "report this as a relpolicy bug"})
	}
	return d, out
}

// patternProblems reports release context patterns that are not valid
// GitHub filter patterns, at the offending character.
func (d *Document) patternProblems() []problem {
	var out []problem
	for i, c := range d.Policy.Release.Contexts {
		_, err := filterpattern.Compile(c.Pattern)
		var fe *filterpattern.Error
		if !errors.As(err, &fe) {
			continue
		}
		ptr := fmt.Sprintf("/release/contexts/%d/pattern", i)
		line, col := d.TextPos(ptr, fe.Offset)
		out = append(out, problem{rule: "RP002", line: line, col: col,
			msg:  fmt.Sprintf("release.contexts[%d].pattern: %s", i, fe.Error()),
			hint: "write a GitHub filter pattern as in on.push.tags (v*, v[0-9]+.*); escape a literal ? + [ with \\"})
	}
	return out
}

// Pos returns the line and column of the value at a JSON pointer, or of the
// deepest existing ancestor when the value is absent.
func (d *Document) Pos(ptr string) (line, col int) {
	if d == nil || d.Root == nil {
		return 0, 0
	}
	n, deepest, _ := nodeAt(d.Root, ptr)
	if n == nil {
		n = deepest
	}
	if n == nil {
		return 1, 1
	}
	return n.Line, n.Column
}

// KeyPos returns the position of the key naming the value at ptr (the
// "protected:" of /release/contexts/0/protected), or of the value itself for
// sequence items.
func (d *Document) KeyPos(ptr string) (line, col int) {
	if d == nil || d.Root == nil {
		return 0, 0
	}
	n, _, k := nodeAt(d.Root, ptr)
	if k != nil {
		return k.Line, k.Column
	}
	if n != nil {
		return n.Line, n.Column
	}
	return d.Pos(ptr)
}

// Node returns the YAML node at ptr, or nil.
func (d *Document) Node(ptr string) *yaml.Node {
	if d == nil || d.Root == nil {
		return nil
	}
	n, _, _ := nodeAt(d.Root, ptr)
	return resolveAlias(n)
}

// TextPos maps an offset inside the string value at ptr to a file position,
// for findings inside Markdown fields. Block scalars (| and >) map line by
// line; flow scalars map to the value's line, adjusted for the opening quote.
func (d *Document) TextPos(ptr string, off int) (line, col int) {
	n := d.Node(ptr)
	if n == nil || n.Kind != yaml.ScalarNode {
		return d.Pos(ptr)
	}
	val := n.Value
	off = min(max(off, 0), len(val))
	lineIdx := strings.Count(val[:off], "\n")
	colIdx := off - (strings.LastIndexByte(val[:off], '\n') + 1)
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		l := n.Line + 1 + lineIdx
		return l, d.indentOf(l) + colIdx + 1
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if lineIdx == 0 {
			return n.Line, n.Column + 1 + colIdx
		}
	default:
		if lineIdx == 0 {
			return n.Line, n.Column + colIdx
		}
	}
	return n.Line, n.Column
}

// indentOf returns the indentation width of a 1-based source line.
func (d *Document) indentOf(line int) int {
	src := d.Source
	for i := 1; i < line && len(src) > 0; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return 0
		}
		src = src[j+1:]
	}
	return len(src) - len(bytes.TrimLeft(src, " "))
}

// position converts a byte offset into a 1-based line and column (in runes).
func position(src []byte, off int) (line, col int) {
	off = min(off, len(src))
	before := src[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

// yamlError extracts "line N" from a yaml.v3 error.
func yamlError(err error) (line, col int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	line, col = 1, 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		var n int
		if _, e := fmt.Sscanf(rest, "%d:", &n); e == nil && n > 0 {
			line = n
			msg = strings.TrimSpace(rest[strings.Index(rest, ":")+1:])
		}
	}
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	return line, col, msg
}
