package schema

import (
	"bytes"
	"os"
	"regexp"
	"testing"
)

// TestSchemaUpToDate fails when the committed schema differs from fresh
// reflection of the Go types: run `go generate ./schema`.
func TestSchemaUpToDate(t *testing.T) {
	fresh, err := Generate(".")
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("release-policy.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatal("schema/release-policy.schema.json is stale: run `go generate ./schema` (make generate)")
	}
	if !bytes.Equal(JSON, committed) {
		t.Fatal("embedded schema differs from the file: rebuild")
	}
}

func TestSchemaDescribesEveryProperty(t *testing.T) {
	fresh, err := Generate(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"additionalProperties": false`, `"$schema": "https://json-schema.org/draft/2020-12/schema"`, `"if"`, `"then"`, `"Trusted release contexts`} {
		if !bytes.Contains(fresh, []byte(want)) {
			t.Errorf("schema lacks %s", want)
		}
	}
}

func TestDateAndTimestampParse(t *testing.T) {
	if _, ok := Date("2026-09-30").Time(); !ok {
		t.Error("valid date rejected")
	}
	if _, ok := Date("2026-13-01").Time(); ok {
		t.Error("invalid date accepted")
	}
	if _, ok := Timestamp("2026-11-02T10:00:00Z").Time(); !ok {
		t.Error("valid timestamp rejected")
	}
}

func TestIsHeavy(t *testing.T) {
	f := false
	cases := []struct {
		a    Artifact
		want bool
	}{
		{Artifact{Type: "os-image"}, true},
		{Artifact{Type: "os-image", Heavy: &f}, false},
		{Artifact{Type: "oci-image"}, false},
		{Artifact{Type: "firmware"}, true},
	}
	for _, c := range cases {
		if got := c.a.IsHeavy(); got != c.want {
			t.Errorf("%s heavy=%v: got %v", c.a.Type, c.a.Heavy, got)
		}
	}
}

// TestFileNamePattern: a ledger file name must be one that sha256sum -c
// (GNU coreutils) reads literally from the site's SHA256SUMS (issue 10).
func TestFileNamePattern(t *testing.T) {
	re := regexp.MustCompile(FileNamePattern)
	for _, ok := range []string{"fw.bin", "-fw.bin", "--", "a-", ".hidden", "..x", "x y", "Änderung.tar.gz", "a*b", " lead", "trail "} {
		if !re.MatchString(ok) {
			t.Errorf("%q rejected", ok)
		}
	}
	for _, bad := range []string{"", "-", ".", "..", "a/b", `a\b`, "a\nb", "tr\r", "a\x00", "a\x7f", "\\x"} {
		if re.MatchString(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
