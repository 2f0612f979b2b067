// Command gen writes the JSON Schema generated from the schema package's Go types.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tooo/relpolicy/schema"
)

func main() {
	out := flag.String("out", "release-policy.schema.json", "file to write")
	flag.Parse()
	b, err := schema.Generate(".")
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
