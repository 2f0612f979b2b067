package lint

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path"
	"strings"

	"github.com/tooo/relpolicy/lint/policy"
)

// loadBase reads the policy file as committed at ref, for RP308. A missing
// git or an unknown ref is a UsageError; a file absent at ref yields nil
// (a new policy has no history to keep).
func loadBase(dir, file, ref string) (*policy.Document, error) {
	if strings.HasPrefix(ref, "-") {
		return nil, &UsageError{fmt.Errorf("--base %q: not a git ref", ref)}
	}
	git := func(args ...string) ([]byte, error) {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			if errors.Is(err, exec.ErrNotFound) {
				return nil, &UsageError{fmt.Errorf("--base needs git, which is not installed: %w", err)}
			}
			return nil, fmt.Errorf("%s", strings.TrimSpace(stderr.String()))
		}
		return out, nil
	}
	prefix, err := git("rev-parse", "--show-prefix")
	if err != nil {
		var ue *UsageError
		if errors.As(err, &ue) {
			return nil, err
		}
		return nil, &UsageError{fmt.Errorf("--base: %s is not in a git repository: %w", dir, err)}
	}
	if _, err := git("rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, &UsageError{fmt.Errorf("--base: unknown git ref %q in %s", ref, dir)}
	}
	name := path.Join(strings.TrimSpace(string(prefix)), file)
	src, err := git("show", ref+":"+name)
	if err != nil {
		return nil, nil // not committed at ref
	}
	doc, _ := policy.Parse(file, src)
	return doc, nil
}
