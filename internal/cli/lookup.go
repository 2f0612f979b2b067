package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/tooo/relpolicy/internal/lookup"
)

func lookupCmd() *cobra.Command {
	var siteSrc, format string
	cmd := &cobra.Command{
		Use:   "lookup DIGEST|REF [--site URL|DIR]",
		Short: "Is this an official artifact? Which repository and release?",
		Long: `Look up a digest (sha256:<hex>, or a file's bare SHA-256) or an OCI reference
(registry/repo:tag, registry/repo@sha256:...) in a relpolicy site's index.
Exit 0 when it is official, 1 when it is not, 2 when the site cannot be read.`,
		Example: "  relpolicy lookup --site public sha256:4d3c...\n  relpolicy lookup --site https://releases.example.org ghcr.io/tooo/app:1.4.0",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usage("--format %q: want text or json", format)
			}
			if siteSrc == "" {
				siteSrc = os.Getenv("RELPOLICY_SITE")
			}
			if siteSrc == "" {
				return usage("lookup needs --site URL|DIR (or $RELPOLICY_SITE)")
			}
			ix, err := lookup.OpenContext(cmd.Context(), siteSrc, &http.Client{Timeout: 30 * time.Second})
			if err != nil {
				return usage("%v", err)
			}
			m, ok := ix.Find(args[0])
			w := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				if err := enc.Encode(m); err != nil {
					return usage("writing: %v", err)
				}
			} else {
				writeMatch(w, m)
			}
			if !ok || !m.Official {
				return exitCode(ExitFindings)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&siteSrc, "site", "", "site directory or URL (default $RELPOLICY_SITE)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text|json")
	return cmd
}

func writeMatch(w interface{ Write([]byte) (int, error) }, m lookup.Match) {
	if !m.Official {
		fmt.Fprintf(w, "%s: not an official artifact\n", m.Query)
		if m.Note != "" {
			fmt.Fprintf(w, "  %s\n", m.Note)
		}
		for _, h := range m.Hits {
			fmt.Fprintf(w, "  (that digest is official for %s %s %s as %s)\n", h.Repo, h.Artifact, h.Version, h.Pinned+h.File)
		}
		return
	}
	fmt.Fprintf(w, "%s: official artifact\n", m.Query)
	for _, h := range m.Hits {
		fmt.Fprintf(w, "  repository: %s\n  artifact:   %s (%s)\n  release:    %s", h.Repo, h.ArtifactName, h.Artifact, h.Version)
		if h.Tag != "" {
			fmt.Fprintf(w, " (tag %s)", h.Tag)
		}
		fmt.Fprintf(w, "\n  revision:   %s\n  published:  %s\n", h.Revision, h.Published)
		if h.Pinned != "" {
			fmt.Fprintf(w, "  pin:        %s\n", h.Pinned)
		}
		if h.File != "" {
			fmt.Fprintf(w, "  file:       %s\n  url:        %s\n  sha256:     %s\n", h.File, h.URL, h.Digest)
		}
		if h.ReleasePage != "" {
			fmt.Fprintf(w, "  details:    %s\n", h.ReleasePage)
		}
	}
	if m.Note != "" {
		fmt.Fprintf(w, "  note: %s\n", m.Note)
	}
}
