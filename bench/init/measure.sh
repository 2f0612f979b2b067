#!/usr/bin/env bash
# Drafts a policy with relpolicy init for each repository under CORPUS
# (default /tmp/corpus/<owner>__<name>, extracted from the search tool's
# mirrors; never committed), lints the draft in a light copy (root files,
# .github, and the paths the draft names) and prints, per repository, how
# many TODO lines the draft has and how many policy findings fall on lines
# without a TODO, and the RP219/RP213 findings the draft's declarations
# raise in the workflows. Usage: bash bench/init/measure.sh [REPO...]
# DRAFTS=DIR lints DIR/<repo>.yaml instead of drafting.
set -euo pipefail
BIN=${BIN:-bin/relpolicy}
CORPUS=${CORPUS:-/tmp/corpus}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
repos=("$@")
[ ${#repos[@]} -gt 0 ] || repos=(helm__helm argoproj__argo-cd kubernetes-sigs__kind docker__buildx caddyserver__caddy anchore__syft ossf__scorecard sigstore__rekor prometheus__prometheus esphome__esphome coreos__fedora-coreos-config balena-os__meta-balena armbian__build)
printf '%-32s %6s %9s %14s %6s %6s\n' repository TODOs findings 'off-TODO lines' RP219 RP213
for r in "${repos[@]}"; do
  src=$CORPUS/$r
  [ -d "$src" ] || { echo "$r: not in $CORPUS"; continue; }
  dst=$WORK/$r
  mkdir -p "$dst"
  find "$src" -maxdepth 1 -type f -exec cp {} "$dst/" \;
  [ -d "$src/.github" ] && cp -r "$src/.github" "$dst/"
  if [ -n "${DRAFTS:-}" ]; then  # drafts made elsewhere, e.g. by an older init
    cp "$DRAFTS/$r.yaml" "$WORK/$r.yaml"
  else
    "$BIN" init --now 2026-11-30 -o "$WORK/$r.yaml" "$src" >/dev/null
  fi
  cp "$WORK/$r.yaml" "$dst/release-policy.yaml"
  # Copy the repository paths the draft names so RP103/RP104 see them.
  grep -oE '(path|docs|ref): "?[A-Za-z0-9_./-]+' "$dst/release-policy.yaml" | sed -E 's/^[a-z]+: "?//' | while read -r p; do
    if [ -e "$src/$p" ]; then mkdir -p "$dst/$(dirname "$p")"; cp -r "$src/$p" "$dst/$p"; fi
  done
  "$BIN" lint --now 2026-11-30 --format json --fail-on never "$dst" > "$WORK/$r.json" 2>/dev/null || true
  todos=$(grep -c '# TODO:' "$dst/release-policy.yaml" || true)
  python3 - "$WORK/$r.json" "$dst/release-policy.yaml" "$r" "$todos" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
fs = [f for f in data.get("findings", []) if f.get("path") == "release-policy.yaml"]
off = [f for f in fs if not (0 < f["line"] <= len(lines) and "# TODO:" in lines[f["line"]-1])]
# RP219 and RP213 report in the workflow when it contradicts what the
# draft declares (infrastructure, credentials, isolated, contexts).
wf = lambda rule: sum(1 for f in data.get("findings", []) if f.get("rule") == rule and f.get("path") != "release-policy.yaml")
print(f"{sys.argv[3]:32s} {sys.argv[4]:>6s} {len(fs):9d} {len(off):14d} {wf('RP219'):6d} {wf('RP213'):6d}")
for f in off:
    print(f"    off-TODO {f['line']}: {f['rule']} {f['message']}")
PY
done
