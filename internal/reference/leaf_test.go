package reference

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeaf keeps the package a leaf: RP306, lookup, the site and verify
// all import it, so it imports no relpolicy package and nothing that
// talks to the network (only go-containerregistry's pkg/name).
func TestLeaf(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list printed %d packages: the listing is wrong", len(deps))
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "github.com/tooo/relpolicy/") && d != "github.com/tooo/relpolicy/internal/reference" {
			t.Errorf("internal/reference depends on %s", d)
		}
		if d == "net/http" || strings.HasPrefix(d, "github.com/google/go-containerregistry/") && d != "github.com/google/go-containerregistry/pkg/name" {
			t.Errorf("internal/reference depends on %s", d)
		}
	}
}
