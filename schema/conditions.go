package schema

import (
	"github.com/invopop/jsonschema"
	orderedmap "github.com/pb33f/ordered-map/v2"
)

// JSONSchemaExtend requires a method when signatures are used.
func (Signatures) JSONSchemaExtend(s *jsonschema.Schema) {
	s.If = usedTrue()
	s.Then = &jsonschema.Schema{Required: []string{"method"}}
}

// JSONSchemaExtend requires types when attestations are used.
func (Attestations) JSONSchemaExtend(s *jsonschema.Schema) {
	s.If = usedTrue()
	s.Then = &jsonschema.Schema{Required: []string{"types"}}
}

func usedTrue() *jsonschema.Schema {
	props := orderedmap.New[string, *jsonschema.Schema]()
	props.Set("used", &jsonschema.Schema{Const: true})
	return &jsonschema.Schema{Properties: props, Required: []string{"used"}}
}
