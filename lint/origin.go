package lint

import (
	"bufio"
	"bytes"
	"io/fs"
	"net/url"
	"strings"
)

// GitOrigin returns the repository fsys is a checkout of, as
// "host/owner/name", from the url of the "origin" remote in .git/config;
// empty when there is no such remote or its URL is not host/owner/name
// (RP105 then does not run). It understands https, ssh:// and scp-like
// (git@host:owner/name.git) URLs. A worktree's .git file pointing elsewhere
// is not followed: lint reads nothing outside the repository.
func GitOrigin(fsys fs.FS) string {
	b, err := fs.ReadFile(fsys, ".git/config")
	if err != nil {
		return ""
	}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			in = strings.EqualFold(strings.Join(strings.Fields(strings.Trim(line, "[]")), " "), `remote "origin"`)
			continue
		}
		if !in {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "url") {
			return OriginFromURL(strings.Trim(strings.TrimSpace(v), `"`))
		}
	}
	return ""
}

// OriginFromURL turns a git remote URL into "host/owner/name", or "".
func OriginFromURL(raw string) string {
	var host, p string
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" {
		host, p = u.Hostname(), u.Path
	} else if at, rest, ok := strings.Cut(raw, ":"); ok && !strings.Contains(at, "/") {
		// scp-like: [user@]host:owner/name.git
		if i := strings.LastIndex(at, "@"); i >= 0 {
			at = at[i+1:]
		}
		host, p = at, rest
	} else {
		return ""
	}
	p = strings.TrimSuffix(strings.Trim(p, "/"), ".git")
	parts := strings.Split(p, "/")
	if host == "" || len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	return strings.ToLower(host) + "/" + parts[0] + "/" + parts[1]
}
