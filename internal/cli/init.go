package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/internal/starter"
	"github.com/tooo/relpolicy/lint/surface"
)

func initCmd() *cobra.Command {
	var force bool
	var c common
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented starter release-policy.yaml from what the repository shows",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			root, err := os.OpenRoot(dir)
			if err != nil {
				return usage("opening %s: %v", dir, errors.Unwrap(err))
			}
			defer root.Close()
			target := filepath.Join(dir, surface.PolicyFile)
			if _, err := root.Lstat(surface.PolicyFile); err == nil && !force {
				return usage("%s exists; use --force to overwrite", target)
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return usage("reading %s: %v", target, err)
			}
			now, err := c.reference()
			if err != nil {
				return err
			}
			b, err := starter.Render(starter.Inspect(dir, root.FS(), now))
			if err != nil {
				return err
			}
			if err := root.WriteFile(surface.PolicyFile, b, 0o644); err != nil {
				return usage("writing %s: %v", target, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: review every value (TODOs mark guesses), then run relpolicy lint %s\n", target, dir)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing release-policy.yaml")
	cmd.Flags().StringVar(&c.now, "now", "", "date written as review.last (default $SOURCE_DATE_EPOCH, else today)")
	return cmd
}
