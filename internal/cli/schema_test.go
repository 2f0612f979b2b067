package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tooo/relpolicy/schema"
	"github.com/tooo/relpolicy/site"
)

// TestSitePublishesSchema: every site carries schema/v1.json, byte for
// byte what `relpolicy schema` prints, and the $schema lines relpolicy
// hands out (README, init's draft) point at the URL relpolicy's own site
// serves it from, which is also the schema's $id.
func TestSitePublishesSchema(t *testing.T) {
	code, printed, errs := run("schema")
	if code != ExitClean {
		t.Fatalf("schema: exit %d: %s", code, errs)
	}
	out := filepath.Join(t.TempDir(), "public")
	if code, _, errs := run("site", "--no-cache", "--now", "2026-11-22", "--out", out, "../../examples/aurora-api"); code != ExitClean {
		t.Fatalf("site: exit %d: %s", code, errs)
	}
	published, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(site.SchemaPath)))
	if err != nil {
		t.Fatal(err)
	}
	if string(published) != printed {
		t.Errorf("%s (%d bytes) is not what `relpolicy schema` prints (%d bytes)", site.SchemaPath, len(published), len(printed))
	}
	if !strings.HasSuffix(schema.ID, "/"+site.SchemaPath) {
		t.Errorf("schema.ID %s is not served at the site path %s", schema.ID, site.SchemaPath)
	}
	line := "# yaml-language-server: $schema=" + schema.ID + "\n"
	for _, f := range []string{"../../README.md", "../starter/render.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), line) {
			t.Errorf("%s lacks %q", f, line)
		}
	}
}
