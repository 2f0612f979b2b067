package cli

import (
	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/schema"
)

func schemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "schema",
		Example: "  relpolicy schema > release-policy.schema.json",
		Short:   "Print the JSON Schema of release-policy.yaml (draft 2020-12)",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write(schema.JSON)
			return err
		},
	}
}
