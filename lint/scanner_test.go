package lint_test

import (
	"testing"

	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/lint"
	"github.com/tooo/relpolicy/lint/disclosure"
)

// testScanner returns the disclosure scanner the CLI uses.
func testScanner(t testing.TB, cfg *config.Config) lint.Scanner {
	t.Helper()
	s, err := disclosure.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func benchScanner(b *testing.B) lint.Scanner { return testScanner(b, &config.Config{}) }
