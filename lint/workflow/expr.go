package workflow

import (
	"strings"

	"github.com/rhysd/actionlint"
)

// Expr is one parsed `${{ … }}` expression in a string.
type Expr struct {
	// Src is the expression text between the braces.
	Src string
	Pos
	Node actionlint.ExprNode
}

// Exprs finds and parses the `${{ … }}` expressions of a string with
// actionlint's expression lexer and parser. at is the string's position;
// lines are counted inside multi-line (block) strings, whose content
// starts on the line after the indicator, indented by indent columns.
// (Folded `>` scalars join lines, so their line numbers are approximate.)
// An expression that does not parse is kept with a nil Node (GitHub
// rejects the workflow).
func Exprs(s string, at Pos, quoted bool, indent int) []Expr {
	if !strings.Contains(s, "${{") {
		return nil
	}
	var out []Expr
	block := strings.Contains(s, "\n") && !quoted
	off := 0
	for {
		i := strings.Index(s[off:], "${{")
		if i < 0 {
			return out
		}
		start := off + i + 3
		lex := actionlint.NewExprLexer(s[start:])
		node, err := actionlint.NewExprParser().Parse(lex)
		end := start + lex.Offset()
		e := Expr{Pos: posIn(s, off+i, at, block, quoted, indent)}
		if err == nil {
			e.Node = node
			e.Src = strings.TrimSpace(strings.TrimSuffix(s[start:min(end, len(s))], "}}"))
		} else {
			// Skip to the closing braces, if any, and go on.
			j := strings.Index(s[start:], "}}")
			if j < 0 {
				return append(out, e)
			}
			end = start + j + 2
			e.Src = strings.TrimSpace(s[start : start+j])
		}
		out = append(out, e)
		if end <= start {
			end = start
		}
		off = end
	}
}

// posIn is the position of byte i of s, given the string's position.
func posIn(s string, i int, at Pos, block, quoted bool, indent int) Pos {
	nl := strings.Count(s[:i], "\n")
	if nl == 0 && !block {
		c := at.Column + i
		if quoted {
			c++
		}
		return Pos{at.Line, c}
	}
	line := at.Line + nl
	if block {
		line++
	}
	col := i - strings.LastIndex(s[:i], "\n")
	if block {
		col += indent
	}
	return Pos{line, max(col, 1)}
}

// secretsIn returns the secrets an expression-bearing value reads:
// secrets.X and secrets['X'] by name, and `secrets` used whole
// (toJSON(secrets), secrets[expr]) as All. Context names are
// case-insensitive; GITHUB_TOKEN is left out (permissions describe it).
func secretsIn(v Value) []Secret {
	var out []Secret
	for _, e := range v.Exprs {
		if e.Node == nil {
			continue
		}
		named := map[actionlint.ExprNode]bool{}
		actionlint.VisitExprNode(e.Node, func(n, parent actionlint.ExprNode, entering bool) {
			if !entering {
				return
			}
			switch n := n.(type) {
			case *actionlint.ObjectDerefNode:
				if isVar(n.Receiver, "secrets") {
					named[n.Receiver] = true
					out = appendSecret(out, n.Property, e.Pos)
				}
			case *actionlint.IndexAccessNode:
				if isVar(n.Operand, "secrets") {
					if lit, ok := n.Index.(*actionlint.StringNode); ok {
						named[n.Operand] = true
						out = appendSecret(out, lit.Value, e.Pos)
					}
				}
			case *actionlint.VariableNode:
				if n.Name == "secrets" && !named[n] {
					out = append(out, Secret{All: true, Pos: e.Pos})
				}
			}
		})
	}
	return out
}

func appendSecret(out []Secret, name string, p Pos) []Secret {
	name = strings.ToUpper(name)
	if name == "GITHUB_TOKEN" {
		return out
	}
	return append(out, Secret{Name: name, Pos: p})
}

func isVar(n actionlint.ExprNode, name string) bool {
	v, ok := n.(*actionlint.VariableNode)
	return ok && v.Name == name
}

// UntrustedContexts are the attacker-controllable context paths ("*" is
// any array element): actionlint's BuiltinUntrustedInputs plus
// workflow_run's head branch, title and head commit, which come from the
// run that triggered it (often a fork's pull request).
var UntrustedContexts = []string{
	"github.event.issue.title", "github.event.issue.body",
	"github.event.pull_request.title", "github.event.pull_request.body",
	"github.event.pull_request.head.ref", "github.event.pull_request.head.label",
	"github.event.pull_request.head.repo.default_branch",
	"github.event.comment.body", "github.event.review.body", "github.event.review_comment.body",
	"github.event.pages.*.page_name",
	"github.event.commits.*.message", "github.event.commits.*.author.email", "github.event.commits.*.author.name",
	"github.event.head_commit.message", "github.event.head_commit.author.email", "github.event.head_commit.author.name",
	"github.event.discussion.title", "github.event.discussion.body",
	"github.event.workflow_run.head_branch", "github.event.workflow_run.display_title",
	"github.event.workflow_run.head_commit.message",
	"github.event.workflow_run.head_commit.author.email", "github.event.workflow_run.head_commit.author.name",
	"github.head_ref",
}

var untrustedInputs = buildRoots(UntrustedContexts)

// buildRoots turns dotted paths into actionlint's search tree.
func buildRoots(paths []string) actionlint.UntrustedInputSearchRoots {
	type tree map[string]tree
	root := tree{}
	for _, p := range paths {
		t := root
		for _, part := range strings.Split(p, ".") {
			if t[part] == nil {
				t[part] = tree{}
			}
			t = t[part]
		}
	}
	var build func(name string, t tree) *actionlint.UntrustedInputMap
	build = func(name string, t tree) *actionlint.UntrustedInputMap {
		var kids []*actionlint.UntrustedInputMap
		for k, sub := range t {
			kids = append(kids, build(k, sub))
		}
		return actionlint.NewUntrustedInputMap(name, kids...)
	}
	out := actionlint.UntrustedInputSearchRoots{}
	for k, t := range root {
		out.AddRoot(build(k, t))
	}
	return out
}

// untrustedIn returns the attacker-controllable contexts in a value's
// expressions, found by actionlint's UntrustedInputChecker.
func untrustedIn(v Value) []Untrusted {
	var out []Untrusted
	for _, e := range v.Exprs {
		if e.Node == nil {
			continue
		}
		c := actionlint.NewUntrustedInputChecker(untrustedInputs)
		actionlint.VisitExprNode(e.Node, func(n, _ actionlint.ExprNode, entering bool) {
			if entering {
				c.OnVisitNodeEnter(n)
			} else {
				c.OnVisitNodeLeave(n)
			}
		})
		c.OnVisitEnd()
		for _, err := range c.Errs() {
			out = append(out, Untrusted{Path: untrustedPath(err.Message), Pos: e.Pos})
		}
		// toJSON of an object that contains attacker-controlled fields
		// (the whole event, a pull request, an issue) dumps them too.
		actionlint.VisitExprNode(e.Node, func(n, _ actionlint.ExprNode, entering bool) {
			if f, ok := n.(*actionlint.FuncCallNode); entering && ok && strings.EqualFold(f.Callee, "tojson") && len(f.Args) == 1 {
				if p := objectPath(f.Args[0]); untrustedObject(p) {
					out = append(out, Untrusted{Path: "toJSON(" + p + ")", Pos: e.Pos})
				}
			}
		})
	}
	return out
}

// objectPath renders a chain of property accesses (github.event.issue),
// or "" for anything else.
func objectPath(n actionlint.ExprNode) string {
	switch n := n.(type) {
	case *actionlint.VariableNode:
		return n.Name
	case *actionlint.ObjectDerefNode:
		if r := objectPath(n.Receiver); r != "" {
			return r + "." + n.Property
		}
	}
	return ""
}

// untrustedObject reports whether a context object has an untrusted
// context inside it (github, github.event, github.event.pull_request, …).
func untrustedObject(p string) bool {
	if p == "" {
		return false
	}
	for _, u := range UntrustedContexts {
		if strings.HasPrefix(u, p+".") {
			return true
		}
	}
	return false
}

// untrustedPath pulls the context path out of actionlint's message
// (`"github.event.issue.title" is potentially untrusted. …`).
func untrustedPath(msg string) string {
	if i := strings.IndexByte(msg, '"'); i >= 0 {
		if j := strings.IndexByte(msg[i+1:], '"'); j >= 0 {
			return msg[i+1 : i+1+j]
		}
	}
	return msg
}

// Mentions reports whether any expression of v reads a context path with
// the given prefix (lowercase, e.g. "github.event.pull_request.head").
func Mentions(v Value, prefixes ...string) bool {
	for _, e := range v.Exprs {
		src := strings.ToLower(strings.Join(strings.Fields(e.Src), ""))
		for _, p := range prefixes {
			if strings.Contains(src, p) {
				return true
			}
		}
	}
	return false
}
