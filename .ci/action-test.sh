#!/usr/bin/env bash
# Tests the GitHub Action's scripts (action.yml) on this machine: install
# from a release directory served as file:// (checksums checked, a tampered
# SHA256SUMS refused), install from source for a non-release ref, and the
# lint step's SARIF, annotations and exit codes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
check() { if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: $*"; fi; }
export SOURCE_DATE_EPOCH=$(date -u -d 2026-11-22 +%s)

# The action's inputs are the ones documented.
check python3 - "$ROOT/action.yml" <<'PY'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
assert a["runs"]["using"] == "composite"
assert {"paths", "fail-on", "min-confidence", "config", "sarif", "version"} <= set(a["inputs"]), a["inputs"]
PY

VERSION=v0.0.0-test bash "$ROOT/scripts/release.sh" "$work/rel" linux/amd64 >/dev/null
run_install() {
  RELPOLICY_VERSION=$1 RELPOLICY_DOWNLOAD_BASE=file://$2 RUNNER_OS=Linux RUNNER_ARCH=X64 \
    RUNNER_TEMP=$3 GITHUB_PATH=$3/path ACTION_PATH=$ROOT bash "$ROOT/scripts/action-install.sh"
}
# A release installs after its checksum is checked.
check run_install v0.0.0-test "$work/rel" "$work/ok" >"$work/ok.log" 2>&1
check test -x "$work/ok/relpolicy-bin/relpolicy"
check grep -q '^relpolicy 0.0.0-test$' "$work/ok.log"
check grep -qx "$work/ok/relpolicy-bin" "$work/ok/path"

# A release whose SHA256SUMS does not match the archive is refused.
cp -r "$work/rel" "$work/bad"
sed -i 's/^./0/; s/^00/11/' "$work/bad/SHA256SUMS"
if run_install v0.0.0-test "$work/bad" "$work/badt" >"$work/bad.log" 2>&1; then ok=1; else ok=0; fi
check test "$ok" = 0
check test ! -e "$work/badt/relpolicy-bin/relpolicy"

# Any other ref builds from the action's source.
check run_install main "$work/none" "$work/src" >"$work/src.log" 2>&1
check test -x "$work/src/relpolicy-bin/relpolicy"

# The lint step: SARIF always written, annotations, exit by fail-on.
export PATH="$work/ok/relpolicy-bin:$PATH"
lint() {
  (cd "$ROOT" && INPUT_PATHS="examples/aurora-api testdata/demo/broken" INPUT_FAIL_ON=$1 \
    INPUT_SARIF=$work/out.sarif GITHUB_OUTPUT=$work/out bash scripts/action-lint.sh)
}
if lint error >"$work/lint.log" 2>&1; then ok=1; else ok=0; fi
check test "$ok" = 0
check grep -q '^::error file=testdata/demo/broken/release-policy.yaml' "$work/lint.log"
check python3 -c "import json,sys; r=json.load(open('$work/out.sarif'))['runs'][0]['results']; sys.exit(0 if r else 1)"
check grep -qx "sarif=$work/out.sarif" "$work/out"
check lint never >/dev/null 2>&1

echo "action: $pass passed, $fail failed"
[ "$fail" = 0 ]
