#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml with Debian's pre-commit: a
# temporary git repository uses this checkout (at HEAD) as its hook
# repository; a commit of a policy with an unprotected release tag is refused
# with the finding printed, and a clean one is accepted.
#
# Offline: pre-commit's golang language uses the system Go when `go` is on
# PATH and runs `go install ./...` with GOPATH set to its own environment
# directory; GOMODCACHE is passed through so modules come from this machine's
# cache (or the Go module proxy when missing) instead of a fresh download.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v pre-commit >/dev/null || { echo "pre-commit not installed (apt-get install pre-commit)"; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PRE_COMMIT_HOME=$WORK/cache
export GOMODCACHE=${GOMODCACHE:-$(go env GOMODCACHE)}
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.org GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.org
# The example's dates are real; lint them as of the demo's day.
export SOURCE_DATE_EPOCH=$(date -u -d 2026-11-22 +%s)
REV=$(git -C "$ROOT" rev-parse HEAD)

repo=$WORK/repo
cp -r "$ROOT/examples/aurora-api" "$repo"
cd "$repo"
git init -q
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $ROOT
    rev: $REV
    hooks:
      - id: relpolicy
YAML
pre-commit install >/dev/null
git add -A

pass=0 fail=0
check() { if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $*"; fi; }

# A good commit goes through.
if git commit -q -m "policy" >"$WORK/good.log" 2>&1; then ok=1; else ok=0; cat "$WORK/good.log"; fi
check test "$ok" = 1

# A policy whose release tag is not protected is refused, with the finding.
sed -i '0,/protected: true/s//protected: false/' release-policy.yaml
git add release-policy.yaml
if git commit -q -m "unprotect" >"$WORK/bad.log" 2>&1; then ok=1; else ok=0; fi
check test "$ok" = 0
check grep -q 'RP201' "$WORK/bad.log"
grep 'RP201' "$WORK/bad.log" | head -1

# A change to a file the hook does not watch does not run it.
git checkout -q HEAD -- release-policy.yaml
echo "x" > notes.txt
git add notes.txt
if git commit -q -m "notes" >"$WORK/skip.log" 2>&1; then ok=1; else ok=0; fi
check test "$ok" = 1
check grep -q 'no files to check' "$WORK/skip.log"

echo "pre-commit: $pass passed, $fail failed"
[ "$fail" = 0 ]
