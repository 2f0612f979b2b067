package lint_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps the network out of the checking core: schema/ and
// lint/ never import net/http themselves, and nothing they depend on pulls
// in go-github or go-containerregistry's remote package. Only internal
// packages for GitHub, registries and lookups talk to the network.
func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports,Module", "../schema/...", "../lint/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	checked := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"github.com/google/go-github", "github.com/google/go-containerregistry/pkg/v1/remote"} {
			if strings.HasPrefix(p.ImportPath, bad) {
				t.Errorf("schema/ or lint/ depends on %s", p.ImportPath)
			}
		}
		own := strings.HasPrefix(p.ImportPath, "github.com/tooo/relpolicy/schema") || strings.HasPrefix(p.ImportPath, "github.com/tooo/relpolicy/lint")
		if !own {
			continue
		}
		checked++
		for _, imp := range p.Imports {
			if imp == "net/http" || strings.HasPrefix(imp, "net/http/") || strings.HasPrefix(imp, "github.com/tooo/relpolicy/internal/lookup") {
				t.Errorf("%s imports %s: the checking core must not use the network", p.ImportPath, imp)
			}
		}
	}
	if checked < 5 {
		t.Fatalf("checked only %d packages: the listing is wrong", checked)
	}
}
