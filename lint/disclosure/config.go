package disclosure

import "github.com/bmatcuk/doublestar/v4"

// Config is what the disclosure rules need from the organisation's private
// configuration (SPEC section 2); internal/config loads it from YAML. The
// zero value is an empty configuration.
type Config struct {
	// InternalDomains: any host equal to or under one of these is internal
	// (RP503). Lower case, without leading or trailing dots.
	InternalDomains []string `yaml:"internal_domains"`
	// InternalRunnerLabels: self-hosted runner labels that must stay
	// private (RP504).
	InternalRunnerLabels []string `yaml:"internal_runner_labels"`
	// Allow: repository-relative slash path globs (doublestar syntax)
	// exempt from RP5xx.
	Allow []string `yaml:"allow"`
}

// Allowed reports whether a repository-relative slash path is exempt from
// RP5xx.
func (c *Config) Allowed(path string) bool {
	for _, g := range c.Allow {
		if ok, _ := doublestar.Match(g, path); ok {
			return true
		}
	}
	return false
}
