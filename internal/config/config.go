// Package config loads the private organisation config (SPEC section 2):
// internal domains, internal runner labels and paths exempt from disclosure
// rules, into the disclosure package's Config. It never lives in a public
// repository.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/tooo/relpolicy/lint/disclosure"
)

// EnvVar names the config file when --config is not given.
const EnvVar = "RELPOLICY_CONFIG"

// maxSize caps the config file; it is a short list of names.
const maxSize = 1 << 20

// Config is the organisation's private configuration: what the disclosure
// rules need (the only part of relpolicy that reads it).
type Config = disclosure.Config

// Load reads the config from path, or from $RELPOLICY_CONFIG when path is
// empty. No path and no variable yield an empty config.
func Load(path string) (*Config, error) {
	if path == "" {
		path = os.Getenv(EnvVar)
	}
	c := &Config{}
	if path == "" {
		return c, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	if len(b) > maxSize {
		return nil, fmt.Errorf("reading config %s: larger than %d bytes", path, maxSize)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parsing config %s: %w", path, err)
	}
	for i, d := range c.InternalDomains {
		c.InternalDomains[i] = strings.ToLower(strings.Trim(strings.TrimSpace(d), "."))
	}
	for _, g := range c.Allow {
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("parsing config %s: invalid allow glob %q", path, g)
		}
	}
	return c, nil
}
