#!/usr/bin/env bash
# The lint step of the GitHub Action (action.yml): writes SARIF for code
# scanning (never failing), then lints again with --format github so findings
# annotate the run, exiting as --fail-on says.
set -euo pipefail
args=()
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_MIN_CONFIDENCE:-}" ] && args+=(--min-confidence "$INPUT_MIN_CONFIDENCE")
# Paths split on spaces and expand globs (repos/*), as a shell would.
paths=()
for p in ${INPUT_PATHS:-.}; do paths+=("$p"); done
sarif=${INPUT_SARIF:-relpolicy.sarif}
relpolicy lint "${args[@]}" --quiet --format sarif --fail-on never "${paths[@]}" > "$sarif"
echo "sarif=$sarif" >> "${GITHUB_OUTPUT:-/dev/null}"
relpolicy lint "${args[@]}" --format github --fail-on "${INPUT_FAIL_ON:-error}" "${paths[@]}"
