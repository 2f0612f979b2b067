package lint

import (
	"slices"
	"testing"
)

func TestMarkers(t *testing.T) {
	cases := []struct {
		line   string
		rules  []string
		reason string
	}{
		{"# relpolicy:ignore RP205 -- HSM-held key", []string{"RP205"}, "HSM-held key"},
		{"credentials: long-lived  # relpolicy:ignore RP205,RP206 -- both reviewed", []string{"RP205", "RP206"}, "both reviewed"},
		{"# relpolicy:ignore RP205", []string{"RP205"}, ""},
		{"<!-- relpolicy:ignore RP503 -->", []string{"RP503"}, ""},
		{"<!-- relpolicy:ignore RP503 -- public mirror name -->", []string{"RP503"}, "public mirror name"},
		{"<!-- relpolicy:ignore RP503 RP502 --> text", []string{"RP503", "RP502"}, ""},
		{"<!-- relpolicy:ignore RP503 --reason-->", []string{"RP503"}, "reason"},
	}
	for _, c := range cases {
		ms := markers([]byte("first line\n"+c.line+"\n"), false)
		if len(ms) != 1 {
			t.Errorf("%q: %d markers", c.line, len(ms))
			continue
		}
		m := ms[0]
		if m.line != 2 || !slices.Equal(m.rules, c.rules) || m.reason != c.reason {
			t.Errorf("%q: got %+v, want rules %v reason %q", c.line, m, c.rules, c.reason)
		}
	}
	if ms := markers([]byte("```\n# relpolicy:ignore RP205\n```\n"), true); len(ms) != 0 {
		t.Errorf("YAML example in Markdown taken as a marker: %+v", ms)
	}
	if ms := markers([]byte("<!-- relpolicy:ignore RP503 -- ok -->\n"), true); len(ms) != 1 {
		t.Errorf("Markdown marker missed")
	}
	if ms := markers([]byte("relpolicy:ignore everything\n"), false); len(ms) != 0 {
		t.Errorf("marker without rule IDs accepted: %+v", ms)
	}
}
