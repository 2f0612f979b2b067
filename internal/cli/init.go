package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/internal/starter"
	"github.com/tooo/relpolicy/lint/surface"
)

func initCmd() *cobra.Command {
	var force, showDiff bool
	var output string
	var c common
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Draft a commented release-policy.yaml from what the repository shows",
		Long: `init drafts release-policy.yaml from the repository at DIR (default .):
its release workflows (what they push, upload and sign, and on which tags),
GoReleaser and ko configuration, build targets (Makefile, Taskfile,
justfile, magefiles, package.json) and OS-image or firmware build systems.

Every value read from the repository carries a "# from ..." comment saying
where; every guess carries "# TODO: ..." saying what to check. relpolicy lint
on the draft reports findings only on TODO lines.

init refuses to overwrite an existing release-policy.yaml without --force;
--diff prints what it would change and writes nothing.`,
		Example: `  relpolicy init                 # draft ./release-policy.yaml
  relpolicy init --diff          # compare the draft with the existing policy
  relpolicy init -o - ../widget  # print the draft for ../widget
  relpolicy init --force         # replace the existing policy with a new draft`,
		Args: cobra.MaximumNArgs(1),
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
			old, err := surface.Read(root.FS(), surface.PolicyFile)
			exists := err == nil
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return usage("reading %s: %v", target, err)
			}
			if exists && !force && !showDiff && output == "" {
				return usage("%s exists; use --force to overwrite, or --diff to see what init would change", target)
			}
			now, err := c.reference()
			if err != nil {
				return err
			}
			b, err := starter.Render(starter.Inspect(dir, root.FS(), now))
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch {
			case showDiff:
				d := diff.Diff(target, old, target+" (init draft)", b)
				if len(d) == 0 {
					fmt.Fprintf(out, "%s matches the draft\n", target)
					return nil
				}
				_, err := out.Write(d)
				return err
			case output == "-":
				_, err := out.Write(b)
				return err
			case output != "":
				if err := os.WriteFile(output, b, 0o644); err != nil {
					return usage("writing %s: %w", output, err)
				}
				target = output
			default:
				if err := root.WriteFile(surface.PolicyFile, b, 0o644); err != nil {
					return usage("writing %s: %v", target, err)
				}
			}
			if !quiet(cmd) {
				fmt.Fprintf(out, "wrote %s: resolve every TODO (the guesses), then run relpolicy lint %s\n", target, dir)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing release-policy.yaml")
	cmd.Flags().BoolVar(&showDiff, "diff", false, "print a unified diff from the existing policy to the draft; write nothing")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the draft to this file instead (- for standard output)")
	cmd.Flags().StringVar(&c.now, "now", "", "date written as review.last (default $SOURCE_DATE_EPOCH, else today)")
	return cmd
}
