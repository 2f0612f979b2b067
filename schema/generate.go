package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"strings"

	"github.com/invopop/jsonschema"
)

// ID is the schema's $id: the URL where relpolicy's own site (published to
// GitHub Pages, docs/adoption.md) serves it; every site carries a copy at
// schema/v1.json (site.SchemaPath).
const ID = "https://tooo.github.io/relpolicy/schema/v1.json"

// JSON is the committed, generated JSON Schema.
//
//go:embed release-policy.schema.json
var JSON []byte

// Generate reflects the Go types into the JSON Schema. srcDir is the
// directory holding this package's sources; their doc comments become the
// schema's descriptions.
func Generate(srcDir string) ([]byte, error) {
	r := &jsonschema.Reflector{
		BaseSchemaID: jsonschema.ID(ID),
	}
	if err := r.AddGoComments("github.com/tooo/relpolicy/schema", srcDir); err != nil {
		return nil, fmt.Errorf("reading doc comments in %s: %w", srcDir, err)
	}
	s := r.Reflect(&Policy{})
	for name, def := range s.Definitions {
		def.Description = userFacing(name, def.Description)
	}
	s.ID = jsonschema.ID(ID)
	s.Title = "release-policy.yaml"
	s.Description = "The minimal audit record of a repository that publishes official artifacts (format version 1)."
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("encoding schema: %w", err)
	}
	return buf.Bytes(), nil
}

// userFacing drops the Go type name that opens a doc comment: "Artifact is
// one artifact type ..." becomes "One artifact type ...", "Review records
// ..." becomes "Records ...".
func userFacing(name, doc string) string {
	rest, ok := strings.CutPrefix(doc, name+" ")
	if !ok || rest == "" {
		return doc
	}
	if r, ok := strings.CutPrefix(rest, "is "); ok {
		rest = r
	}
	return strings.ToUpper(rest[:1]) + rest[1:]
}
