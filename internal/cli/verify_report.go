package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/rules"
	"github.com/tooo/relpolicy/verify"
)

// readVerifyReport reads a `relpolicy verify --format json` report, for
// site --verify and lint --verify. It refuses anything else: a file that
// is not JSON, or JSON without the tool name and verified_at.
func readVerifyReport(path string) (*verify.Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, errors.Unwrap(err))
	}
	var rep verify.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("reading %s: not a verify JSON report: %w", path, err)
	}
	if rep.Tool != "relpolicy" || rep.VerifiedAt.IsZero() {
		return nil, fmt.Errorf("reading %s: not a relpolicy verify --format json report (no verified_at)", path)
	}
	return &rep, nil
}

// loadSigning reads a verify report into the facts lint's RP401-RP403
// take about each repository's newest release; "" means none.
func loadSigning(path string) (map[string]*rules.SigningFacts, error) {
	if path == "" {
		return nil, nil
	}
	rep, err := readVerifyReport(path)
	if err != nil {
		return nil, err
	}
	return verify.SigningFacts(rep), nil
}

// noteUnverified says on stderr which linted repositories the --verify
// report does not cover: their RP401-RP403 judged the policy alone.
func noteUnverified(w io.Writer, res *lint.Result, signing map[string]*rules.SigningFacts, path string) {
	if signing == nil {
		return
	}
	for _, r := range res.Repos {
		if r.Doc == nil || r.Doc.Policy == nil {
			continue
		}
		if name := string(r.Doc.Policy.Repository.Name); signing[name] == nil {
			fmt.Fprintf(w, "relpolicy: %s: the verify report %s has no release of %s; RP401-RP403 judged the policy alone\n", r.Name, path, name)
		}
	}
}
