#!/usr/bin/env bash
# Whole-process lint benchmarks (issue 2 targets):
#   one example repository, cold start: median < 30 ms wall, < 40 MiB peak RSS
#   1,000 repositories in one invocation: < 3 s
# Usage: bench/lint/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-50}
mkdir -p bin
go build -trimpath -o bin/relpolicy ./cmd/relpolicy
go build -tags bench -o bin/measure ./bench/measure
now=--now=2026-11-22

echo "== machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(uname -r)"
for ex in examples/*/; do
  bin/measure -n "$runs" -label "lint $(basename "$ex")" -- bin/relpolicy lint $now "$ex"
done
bin/measure -n "$runs" -label "lint examples/* (3 repos)" -- bin/relpolicy lint $now examples/aurora-api examples/aurora-os examples/tern-firmware

# 1,000 repositories: copies of the examples, linted in one invocation.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ $i -lt 1000 ]; do
  for ex in examples/*/; do
    [ $i -lt 1000 ] || break
    cp -r "$ex" "$tmp/repo$i"
    i=$((i+1))
  done
done
bin/measure -n 5 -warmup 1 -label "lint 1000 repositories" -- bin/relpolicy lint $now "$tmp"/repo*
