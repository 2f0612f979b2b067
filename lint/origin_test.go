package lint

import (
	"testing"
	"testing/fstest"
)

func TestOriginFromURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/tooo/lumen.git":            "github.com/tooo/lumen",
		"https://GitHub.com/tooo/lumen/":               "github.com/tooo/lumen",
		"git@github.com:tooo/lumen.git":                "github.com/tooo/lumen",
		"ssh://git@ghe.example.com:2222/tooo/lumen":    "ghe.example.com/tooo/lumen",
		"https://gitlab.example.com/group/sub/project": "",
		"/srv/git/lumen.git":                           "",
		"":                                             "",
	} {
		if got := OriginFromURL(in); got != want {
			t.Errorf("OriginFromURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitOrigin(t *testing.T) {
	fsys := fstest.MapFS{".git/config": {Data: []byte("[remote \"upstream\"]\n\turl = https://github.com/a/b\n[remote \"origin\"]\n\turl = git@github.com:tooo/c.git\n")}}
	if got := GitOrigin(fsys); got != "github.com/tooo/c" {
		t.Errorf("GitOrigin = %q", got)
	}
	if got := GitOrigin(fstest.MapFS{}); got != "" {
		t.Errorf("GitOrigin without .git = %q", got)
	}
}
