package site

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	mk := func(rel string, policy bool) string {
		dir := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if policy {
			if err := os.WriteFile(filepath.Join(dir, "release-policy.yaml"), []byte("version: 1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	flatA := mk("flat/a", true)
	flatB := mk("flat/b", true)
	mk("flat/notrepo", false)
	mk("flat/.git", true) // hidden: skipped
	nested := mk("nested/tooo/x", true)
	nestedY := mk("nested/other/y", true)
	mk("nested/tooo/x/sub", true) // below a repo: not a separate repo
	mk("nested/deep/a/b", true)   // two levels below: out of reach
	single := mk("single", true)
	mk("empty/child", false)
	if err := os.WriteFile(filepath.Join(root, "other.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name  string
		paths []string
		want  []string
		err   string
	}{
		{"repo dir", []string{single}, []string{single}, ""},
		{"policy file", []string{filepath.Join(single, "release-policy.yaml")}, []string{single}, ""},
		{"org checkout", []string{filepath.Join(root, "flat")}, []string{flatA, flatB}, ""},
		{"owner/repo layout", []string{filepath.Join(root, "nested")}, []string{nestedY, nested}, ""},
		{"duplicates merged, sorted", []string{single, flatB, filepath.Join(root, "flat"), single + "/"}, []string{flatA, flatB, single}, ""},
		{"missing path", []string{filepath.Join(root, "nope")}, nil, "no such file"},
		{"other file", []string{filepath.Join(root, "other.yaml")}, nil, "not a release-policy.yaml"},
		{"nothing found", []string{filepath.Join(root, "empty")}, nil, "no release-policy.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Discover(tc.paths)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Discover: %v, want error containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Discover:\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}
