#!/usr/bin/env bash
# extract.sh MIRROR_ROOT CORPUS: extract the real-world corpus of
# docs/accuracy.md. MIRROR_ROOT holds bare git mirrors named owner+name/repo
# (as the session's fetch tool leaves them); each is extracted at HEAD to
# CORPUS/owner__name with its commit in .commit and an empty .complete
# marker written last. A directory that already has .complete is kept.
# Nothing here is committed: only labels and scripts are.
set -euo pipefail
mirrors=${1:?usage: extract.sh MIRROR_ROOT CORPUS}
corpus=${2:?usage: extract.sh MIRROR_ROOT CORPUS}
repos=(
  helm/helm argoproj/argo-cd kubernetes-sigs/kind docker/buildx moby/buildkit
  prometheus/prometheus traefik/traefik caddyserver/caddy kyverno/kyverno
  anchore/syft anchore/grype ossf/scorecard sigstore/rekor
  slsa-framework/slsa-github-generator in-toto/witness chainguard-dev/apko
  grafana/loki armbian/build coreos/fedora-coreos-config balena-os/meta-balena
  esphome/esphome
)
mkdir -p "$corpus"
for r in "${repos[@]}"; do
  git_dir="$mirrors/${r/\//+}/repo"
  out="$corpus/${r/\//__}"
  [[ -e "$out/.complete" ]] && continue
  [[ -d "$git_dir" ]] || { echo "extract.sh: no mirror for $r at $git_dir" >&2; exit 1; }
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  git --git-dir="$git_dir" archive HEAD | tar -x -C "$out.tmp"
  git --git-dir="$git_dir" rev-parse HEAD >"$out.tmp/.commit"
  rm -rf "$out" && mv "$out.tmp" "$out" && touch "$out/.complete"
done
