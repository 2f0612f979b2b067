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
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				return nil, fmt.Errorf("running git %s: %w", strings.Join(args, " "), err)
			}
			return nil, fmt.Errorf("running git %s: %w: %s", strings.Join(args, " "), err, msg)
		}
		return out, nil
	}
	prefix, err := git("rev-parse", "--show-prefix")
	if err != nil {
		var ue *UsageError
		if errors.As(err, &ue) {
			return nil, err
		}
		return nil, &UsageError{fmt.Errorf("--base %q: %s is not in a git repository: %w", ref, dir, err)}
	}
	if _, err := git("rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, &UsageError{fmt.Errorf("--base %q: unknown git ref in %s: %w", ref, dir, err)}
	}
	name := path.Join(strings.TrimSpace(string(prefix)), file)
	src, err := git("show", ref+":"+name)
	if err != nil {
		return nil, nil // not committed at ref
	}
	doc, _ := policy.Parse(file, src)
	return doc, nil
}
