#!/usr/bin/env bash
# Builds the release archives twice and compares them byte for byte: once
# from this checkout, once from a copy at another path with every package
# rebuilt (-a), so neither the build cache nor the checkout's location can
# make them agree by accident.
#
#   scripts/reproducible-check.sh [PLATFORM...]   (default: linux/amd64)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PLATFORMS=("$@")
[ ${#PLATFORMS[@]} -gt 0 ] || PLATFORMS=(linux/amd64)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VERSION=${VERSION:-$(git -C "$ROOT" describe --tags --always 2>/dev/null || echo dev)}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}

bash "$ROOT/scripts/release.sh" "$work/a" "${PLATFORMS[@]}" >/dev/null
mkdir -p "$work/elsewhere/src"
git -C "$ROOT" ls-files -z | (cd "$ROOT" && xargs -0 cp --parents -t "$work/elsewhere/src")
GOFLAGS_EXTRA=-a bash "$work/elsewhere/src/scripts/release.sh" "$work/b" "${PLATFORMS[@]}" >/dev/null

pass=0 fail=0
for f in "$work/a"/*; do
  n=$(basename "$f")
  if cmp -s "$f" "$work/b/$n"; then
    pass=$((pass+1)); echo "identical: $n ($(sha256sum < "$f" | cut -c1-16)...)"
  else
    fail=$((fail+1)); echo "DIFFERENT: $n"
  fi
done
echo "reproducible-check: $pass passed, $fail failed"
[ "$fail" = 0 ]
