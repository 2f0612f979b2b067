// Command gen writes lint/secrets/gitleaks_table.go, the credential
// engine's rule table, from gitleaks' own loading of its embedded default
// configuration (see package gentable). Run by go generate ./lint/secrets.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tooo/relpolicy/lint/secrets/internal/gentable"
)

func main() {
	out := flag.String("o", "gitleaks_table.go", "output file")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	version, err := gentable.GitleaksVersion()
	if err != nil {
		return err
	}
	cfg, err := gentable.Load()
	if err != nil {
		return err
	}
	src, err := gentable.Generate(cfg, version)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return nil
}
