package verify

import (
	"strings"
	"testing"
)

func TestParseChecksums(t *testing.T) {
	h := strings.Repeat("a", 64)
	H := strings.Repeat("B", 64)
	in := "# comment\n" +
		h + "  text.tar.gz\n" +
		H + " *binary.zip\r\n" +
		"\\" + h + "  with\\\\backslash\\nnewline\n" +
		"\n" +
		h + "  name with  spaces\n"
	got, err := ParseChecksums(strings.NewReader(in), 64)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"text.tar.gz":              h,
		"binary.zip":               strings.ToLower(H),
		"with\\backslash\nnewline": h,
		"name with  spaces":        h,
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%q: got %q want %q", k, got[k], v)
		}
	}
}

func TestParseChecksumsErrors(t *testing.T) {
	h := strings.Repeat("a", 64)
	for _, in := range []string{
		"nothex  file\n",
		h[:63] + "  short\n",
		h + "\tfile\n",
		h + "  \n",
		"\\" + h + "  bad\\qescape\n",
		"\\" + h + "  trailing\\\n",
		strings.Repeat("c", 128) + "  sha512-in-a-sha256-file\n",
	} {
		if _, err := ParseChecksums(strings.NewReader(in), 64); err == nil {
			t.Errorf("%q: want an error", in)
		} else if !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: error should name the line: %v", in, err)
		}
	}
	if _, err := ParseChecksums(strings.NewReader(strings.Repeat(h+"  f\n", MaxChecksumFile/60)), 64); err == nil {
		t.Error("oversized checksum file accepted")
	}
}

func FuzzParseChecksums(f *testing.F) {
	f.Add(strings.Repeat("a", 64) + "  file\n")
	f.Add("\\" + strings.Repeat("a", 64) + " *a\\\\b\n")
	f.Fuzz(func(t *testing.T, s string) {
		ParseChecksums(strings.NewReader(s), 64)
	})
}
