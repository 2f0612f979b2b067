package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// enumTag returns the enum values of a struct field's jsonschema tag.
func enumTag(t *testing.T, v any, field string) []string {
	t.Helper()
	f, ok := reflect.TypeOf(v).FieldByName(field)
	if !ok {
		t.Fatalf("%T has no field %s", v, field)
	}
	var out []string
	for _, part := range strings.Split(f.Tag.Get("jsonschema"), ",") {
		if e, ok := strings.CutPrefix(part, "enum="); ok {
			out = append(out, e)
		}
	}
	return out
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestEnums: the typed enumerations list exactly the schema's enum values,
// in its order, and each has a label of its own.
func TestEnums(t *testing.T) {
	for _, c := range []struct {
		name   string
		tag    []string
		values []string
		labels func(string) string
	}{
		{"artifact type", enumTag(t, Artifact{}, "Type"), strs(ArtifactTypes), func(s string) string { return ArtifactType(s).Label() }},
		{"channel type", enumTag(t, Channel{}, "Type"), strs(ChannelTypes), func(s string) string { return ChannelType(s).Label() }},
		{"identity", enumTag(t, Artifact{}, "Identity"), strs(Identities), func(s string) string { return Identity(s).Label() }},
		{"signature method", enumTag(t, Signatures{}, "Method"), strs(SignatureMethods), func(s string) string { return SignatureMethod(s).Label() }},
	} {
		if len(c.tag) == 0 || !slices.Equal(c.tag, c.values) {
			t.Errorf("%s: schema enum %q, Go constants %q", c.name, c.tag, c.values)
		}
		seen := map[string]bool{}
		for _, v := range c.values {
			l := c.labels(v)
			if l == "" || l == v && v != "minisign" {
				t.Errorf("%s %q has no label", c.name, v)
			}
			if seen[l] {
				t.Errorf("%s: label %q used twice", c.name, l)
			}
			seen[l] = true
		}
	}
	if got := ArtifactType("unknown").Label(); got != "unknown" {
		t.Errorf("an unknown type labels as %q, want itself", got)
	}
}

func TestArtifactFacts(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		a          Artifact
		heavy, oci bool
	}{
		{Artifact{Type: OCIImage}, false, true},
		{Artifact{Type: OCIArtifact}, false, true},
		{Artifact{Type: OSImage}, true, false},
		{Artifact{Type: Firmware, Heavy: &no}, false, false},
		{Artifact{Type: Archive, Heavy: &yes}, true, false},
		{Artifact{Type: AirgapBundle}, true, false},
		{Artifact{Type: Installer}, true, false},
		{Artifact{Type: File}, false, false},
	} {
		if c.a.IsHeavy() != c.heavy || c.a.IsOCI() != c.oci {
			t.Errorf("%s (heavy %v): IsHeavy %v IsOCI %v", c.a.Type, c.a.Heavy, c.a.IsHeavy(), c.a.IsOCI())
		}
	}
}
