package cli

import (
	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/lint/disclosure"
)

// newScanner builds the disclosure scanner: RP5xx for lint, and the gate
// of everything site writes.
func newScanner(cfg *config.Config) (*disclosure.Scanner, error) {
	s, err := disclosure.New(cfg)
	if err != nil {
		return nil, &exitError{ExitUsage, err}
	}
	return s, nil
}
