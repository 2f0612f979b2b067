package cli

import (
	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/lint/disclosure"
	"github.com/tooo/relpolicy/lint/secrets"
)

// credentialEngine builds the RP501 engine (tests replace it with a broken
// one to check that lint fails closed).
var credentialEngine = secrets.Default

// newScanner builds the disclosure scanner: RP5xx for lint, and the gate
// of everything site writes. An engine that cannot be built is exit 2.
func newScanner(cfg *config.Config) (*disclosure.Scanner, error) {
	e, err := credentialEngine()
	if err != nil {
		return nil, usage("building the credential scan (RP501): %v", err)
	}
	s, err := disclosure.NewWithEngine(cfg, e)
	if err != nil {
		return nil, &exitError{ExitUsage, err}
	}
	return s, nil
}
