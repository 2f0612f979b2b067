package reference

import (
	"errors"
	"testing"
)

// TestParseImage: Docker's normalisation rules (distribution/reference's
// ParseNormalizedNamed and its docs: no registry means Docker Hub, docker.io
// and index.docker.io are the same registry, Docker Hub names without a
// namespace are official images under library/, the host is
// case-insensitive) and the cases of issue 10.
func TestParseImage(t *testing.T) {
	const dig = "sha256:4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d"
	for _, c := range []struct{ in, name, tag, digest string }{
		{"tooo/app:1.4.0", "docker.io/tooo/app", "1.4.0", ""},
		{"index.docker.io/tooo/app:1.3.1", "docker.io/tooo/app", "1.3.1", ""},
		{"DOCKER.IO/tooo/app:1.3.0", "docker.io/tooo/app", "1.3.0", ""},
		{"docker.io/tooo/app:1.3.0", "docker.io/tooo/app", "1.3.0", ""},
		{"registry-1.docker.io/tooo/app", "docker.io/tooo/app", "", ""},
		{"x:1.3.1", "docker.io/library/x", "1.3.1", ""},
		{"nginx", "docker.io/library/nginx", "", ""},
		{"docker.io/nginx", "docker.io/library/nginx", "", ""},
		{"index.docker.io/library/nginx:1.27", "docker.io/library/nginx", "1.27", ""},
		{"library/nginx", "docker.io/library/nginx", "", ""},
		{"GHCR.io/tooo/app:v1", "ghcr.io/tooo/app", "v1", ""},
		{"ghcr.io/tooo/app:1.0@" + dig, "ghcr.io/tooo/app", "1.0", dig},
		{"ghcr.io/tooo/app@SHA256:4D3C2B1A0F9E8D7C6B5A49382716F5E4D3C2B1A0F9E8D7C6B5A49382716F5E4D", "ghcr.io/tooo/app", "", dig},
		{"localhost:5000/app:dev", "localhost:5000/app", "dev", ""},
		{"localhost/app", "localhost/app", "", ""},
		{"registry.example.org:8443/team/sub/app:2", "registry.example.org:8443/team/sub/app", "2", ""},
	} {
		img, err := ParseImage(c.in)
		if err != nil {
			t.Errorf("ParseImage(%q): %v", c.in, err)
			continue
		}
		if img.Name() != c.name || img.Tag != c.tag || img.Digest != c.digest {
			t.Errorf("ParseImage(%q) = %q %q %q, want %q %q %q", c.in, img.Name(), img.Tag, img.Digest, c.name, c.tag, c.digest)
		}
	}
	img, _ := ParseImage("nginx")
	if img.TagOrDefault() != "latest" || img.String() != "docker.io/library/nginx" {
		t.Errorf("default tag: %q %q", img.TagOrDefault(), img.String())
	}
	for _, bad := range []string{
		"", "Tooo/App:1", "tooo/app:", "tooo/app@sha256:12", "tooo/app@md5:" + "00",
		"ghcr.io/tooo/app:bad tag", "https://ghcr.io/tooo/app", "a b/c",
	} {
		if img, err := ParseImage(bad); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseImage(%q) = %+v, %v; want ErrInvalid", bad, img, err)
		}
	}
}

func TestNormalizeRepository(t *testing.T) {
	for in, want := range map[string]string{
		"nginx":                        "docker.io/library/nginx",
		"docker.io/nginx":              "docker.io/library/nginx",
		"index.docker.io/library/x":    "docker.io/library/x",
		"tooo/lib":                     "docker.io/tooo/lib",
		"tooo/lib/":                    "docker.io/tooo/lib",
		"GHCR.io/tooo/x":               "ghcr.io/tooo/x",
		"localhost/x":                  "localhost/x",
		"localhost:5000/a/b":           "localhost:5000/a/b",
		"registry.example.org:443/x/y": "registry.example.org:443/x/y",
	} {
		if got, err := NormalizeRepository(in); err != nil || got != want {
			t.Errorf("NormalizeRepository(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "Tooo/lib", "ghcr.io/tooo/x:1", "ghcr.io//x"} {
		if got, err := NormalizeRepository(bad); err == nil {
			t.Errorf("NormalizeRepository(%q) = %q, want an error", bad, got)
		}
	}
}

func TestOCILocation(t *testing.T) {
	for _, c := range []struct{ loc, want string }{
		{"docker.io/tooo/app", "docker.io/tooo/app"},
		{"docker.io/tooo", "docker.io/tooo"},
		{"index.docker.io/tooo", "docker.io/tooo"},
		{"docker.io/library/x", "docker.io/library/x"},
		{"ghcr.io/tooo/", "ghcr.io/tooo"},
		{"GHCR.IO/tooo", "ghcr.io/tooo"},
		{"registry.example.org", "registry.example.org"},
		{"tooo/app", "docker.io/tooo/app"},
	} {
		got, err := OCILocation(c.loc)
		if err != nil || got != c.want {
			t.Errorf("OCILocation(%q) = %q, %v; want %q", c.loc, got, err, c.want)
		}
	}
	// Issue 10: every spelling of a Docker Hub repository is in its channel.
	for _, c := range []struct {
		ref, loc string
		in       bool
	}{
		{"tooo/app:1.4.0", "docker.io/tooo/app", true},
		{"index.docker.io/tooo/app:1.3.1", "docker.io/tooo/app", true},
		{"DOCKER.IO/tooo/app:1.3.0", "docker.io/tooo/app", true},
		{"x:1.3.1", "docker.io/library/x", true},
		{"docker.io/library/x:1", "x", true},
		{"tooo/app:1", "docker.io/tooo", true},
		{"ghcr.io/tooo/app:1", "ghcr.io/tooo", true},
		{"ghcr.io/tooo/app-fork:1", "ghcr.io/tooo/app", false},
		{"someone/app:1", "docker.io/tooo/app", false},
		{"ghcr.io/tooo/app:1", "docker.io/tooo/app", false},
		{"y:1", "docker.io/library/x", false},
	} {
		img, err := ParseImage(c.ref)
		if err != nil {
			t.Fatal(err)
		}
		loc, err := OCILocation(c.loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := InOCILocation(img.Name(), loc); got != c.in {
			t.Errorf("%q in %q = %v, want %v", c.ref, c.loc, got, c.in)
		}
	}
}

func TestParseURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://github.com/tooo/fw/releases/download/v1/fw.bin", "https://github.com/tooo/fw/releases/download/v1/fw.bin"},
		{"HTTPS://GitHub.COM:443/tooo/fw/", "https://github.com/tooo/fw/"},
		{"https://github.com", "https://github.com/"},
		{"http://example.org:8080/a/./b/../c", "http://example.org:8080/a/c"},
		{"https://example.org/a/%2e%2E/b", "https://example.org/b"},
		{"https://example.org/a/%2e/b/", "https://example.org/a/b/"},
		{"https://example.org/a/b/..", "https://example.org/a/"},
		{"https://example.org/%41%20b/c%23d", "https://example.org/A%20b/c%23d"},
		{"https://example.org/a//b", "https://example.org/a//b"},
		{"https://example.org/a?x=../y#frag", "https://example.org/a?x=../y"},
		{"https://example.org/ümlaut", "https://example.org/%C3%BCmlaut"},
	} {
		u, err := ParseURL(c.in)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.in, err)
			continue
		}
		if u.String() != c.want {
			t.Errorf("ParseURL(%q) = %q, want %q", c.in, u.String(), c.want)
		}
	}
	for _, bad := range []string{
		"", "ftp://example.org/a", "github.com/tooo/fw", "/tooo/fw", "https:///a",
		"https://github.com@evil.example/tooo/fw", "https://example.org/a%2Fb", "https://example.org/a%5Cb",
		`https://example.org/a\b`, "https://example.org/../a", "https://example.org/a/../../b",
		"https://example.org/%zz", "https://example.org/a\nb", "https://example.org/a%0Ab",
	} {
		if u, err := ParseURL(bad); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseURL(%q) = %v, %v; want ErrInvalid", bad, u, err)
		}
	}
}

// TestUnder holds the reproducers of issue 10's URL bug: dot segments,
// plain or percent-encoded, must not walk out of a channel's prefix.
func TestUnder(t *testing.T) {
	const ch = "https://github.com/tooo/fw/releases/download"
	for _, c := range []struct {
		url, loc string
		in       bool
	}{
		{"https://github.com/tooo/fw/releases/download/v3.2.0/fw.bin", ch, true},
		{"https://github.com/tooo/fw/releases/download/v3.2.0/fw.bin", ch + "/", true},
		{"https://GITHUB.com/tooo/fw/releases/download/v3.2.0/fw.bin", ch, true},
		{"https://github.com/tooo/fw/releases/download/v3.1/../v3.2.0/fw.bin", ch, true},
		{"https://github.com/tooo/fw/releases/download/../../../../someone-else/fork/releases/download/v3.2.0/fw.bin", ch, false},
		{"https://github.com/tooo/fw/releases/download/%2e%2e/%2e%2e/%2e%2e/%2E%2E/someone-else/fork/releases/download/v3.2.0/fw.bin", ch, false},
		{"https://github.com/tooo/fw/../other-product/releases/download/v1/x.bin", "https://github.com/tooo/fw", false},
		{"https://github.com/tooo/fw-fork/releases/download/v1/x.bin", "https://github.com/tooo/fw", false},
		{"http://github.com/tooo/fw/releases/download/v1/x.bin", ch, false},
		{"https://github.com.evil.example/tooo/fw/releases/download/v1/x.bin", ch, false},
		{"https://downloads.example.org/fw/1.0/fw.bin", "https://downloads.example.org/fw/", true},
	} {
		u, err := ParseURL(c.url)
		if err != nil {
			t.Fatalf("ParseURL(%q): %v", c.url, err)
		}
		loc, err := ParseURL(c.loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := u.Under(loc); got != c.in {
			t.Errorf("%q under %q = %v, want %v (normalised %s)", c.url, c.loc, got, c.in, u)
		}
	}
}

func FuzzParseURL(f *testing.F) {
	f.Add("https://github.com/tooo/fw/releases/download/../x")
	f.Add("https://example.org/a/%2e%2e/b?q#f")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURL(s)
		if err != nil {
			return
		}
		// Normalising is idempotent, and the result has no dot segments.
		v, err := ParseURL(u.String())
		if err != nil || v.String() != u.String() {
			t.Fatalf("ParseURL(%q) = %q, reparsed %q, %v", s, u, v, err)
		}
		for _, seg := range u.Segments {
			if seg == "." || seg == ".." {
				t.Fatalf("ParseURL(%q) kept a dot segment: %q", s, u)
			}
		}
	})
}
