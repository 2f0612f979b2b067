package site

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestSiteDocFields ties docs/site.md's table of template fields to the
// model: every `.Field` it documents must be a field or method of the page
// data the templates receive, nested as the table nests them ("`.X`
// (`.A`, `.B`)" and "`.X` with `.A`, `.B`" list the fields of X's type, or
// of its elements for a slice or map).
func TestSiteDocFields(t *testing.T) {
	b, err := os.ReadFile("../docs/site.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "## Templates")
	if !ok {
		t.Fatal("docs/site.md has no Templates section")
	}
	token := regexp.MustCompile("`\\.([A-Z][A-Za-z0-9]*)`|\\(|\\)|\\bwith\\b")
	pageType := reflect.TypeOf(page{})
	checked := 0
	for _, line := range strings.Split(after, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`.") {
			continue
		}
		var heads []reflect.Type
		for _, m := range token.FindAllStringSubmatch(cells[1], -1) {
			if m[1] == "" {
				continue
			}
			ft, ok := member(pageType, m[1])
			if !ok {
				t.Errorf("docs/site.md documents .%s, which the page data lacks", m[1])
				continue
			}
			checked++
			heads = append(heads, ft)
		}
		if len(heads) != 1 {
			continue // the second column describes, it lists no fields
		}
		type frame struct {
			typ  reflect.Type
			with bool
		}
		stack := []frame{{typ: heads[0]}}
		var last reflect.Type
		for _, m := range token.FindAllStringSubmatch(cells[2], -1) {
			switch {
			case m[0] == "(" || m[0] == "with":
				if last == nil {
					t.Errorf("docs/site.md: %q opens a list after no field in %q", m[0], strings.TrimSpace(cells[2]))
					return
				}
				stack = append(stack, frame{typ: last, with: m[0] == "with"})
			case m[0] == ")":
				for len(stack) > 1 && stack[len(stack)-1].with {
					stack = stack[:len(stack)-1]
				}
				if len(stack) > 1 {
					stack = stack[:len(stack)-1]
				}
			default:
				top := stack[len(stack)-1].typ
				ft, ok := member(top, m[1])
				if !ok {
					t.Errorf("docs/site.md documents .%s on %s, which has no such field or method", m[1], top)
					last = nil
					continue
				}
				checked++
				last = ft
			}
		}
	}
	t.Logf("checked %d documented fields", checked)
	if checked < 60 {
		t.Errorf("checked only %d documented fields: the table's format changed", checked)
	}
}

// member returns the type of t's field or method name (the result of a
// method), looking through pointers, slices and maps to their elements.
func member(t reflect.Type, name string) (reflect.Type, bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if m, ok := reflect.PointerTo(t).MethodByName(name); ok && m.Type.NumOut() > 0 {
		return m.Type.Out(0), true
	}
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	f, ok := t.FieldByName(name)
	if !ok {
		return nil, false
	}
	return f.Type, true
}
