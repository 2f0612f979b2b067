// Command relpolicy makes official software releases legible and
// trustworthy: see internal/cli for the verbs.
package main

import (
	"os"

	"github.com/tooo/relpolicy/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
