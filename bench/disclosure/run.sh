#!/usr/bin/env bash
# Disclosure benchmark: the whole `relpolicy lint` (schema, every rule and
# the RP5xx scan) against the gitleaks CLI, side by side on two generated
# trees:
#   typical  a repository: policy, README, SECURITY, 30 docs, a workflow
#   docs     5,000 Markdown files, about 50 MB of prose dense with key,
#            token, secret, credential and password, with fake credentials
# For each tree it prints the best wall time of RUNS runs, throughput and
# peak RSS of both, the ratio, and checks that relpolicy's RP501 findings
# are exactly gitleaks' (bench/disclosure/compare).
#
# Usage: bench/disclosure/run.sh            (RUNS=3, gitleaks from PATH or
#        GITLEAKS=/path/to/gitleaks         installed at v8.30.1 into the
#        KEEP=1 keeps the trees              temp dir)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/relpolicy-disclosure.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "trees kept in $work"; fi
mkdir -p "$work/bin"

go build -tags bench -o "$work/bin/gen" ./bench/disclosure/gen
go build -trimpath -o "$work/bin/relpolicy" ./cmd/relpolicy
go build -tags bench -o "$work/bin/compare" ./bench/disclosure/compare
gitleaks=${GITLEAKS:-$(command -v gitleaks || true)}
if [ -z "$gitleaks" ]; then
  GOBIN="$work/bin" GOFLAGS=-mod=mod go install github.com/zricethezav/gitleaks/v8@v8.30.1
  gitleaks="$work/bin/gitleaks"
fi
timer=/usr/bin/time
[ -x "$timer" ] || timer=""

"$work/bin/gen" -kind typical -out "$work/typical"
"$work/bin/gen" -kind docs -out "$work/docs"

# run LABEL DIR CMD...: runs CMD in DIR $runs times; sets best (seconds)
# and rss (peak KB of the best run, or "n/a").
run() {
  local dir=$2; shift 2
  best="" rss="n/a"
  for _ in $(seq "$runs"); do
    local out
    if [ -n "$timer" ]; then
      out=$(cd "$dir" && "$timer" -f '%e %M' "$@" 2>&1 >/dev/null | tail -1)
    else
      local t0 t1
      t0=$(date +%s.%N); (cd "$dir" && "$@" >/dev/null 2>&1); t1=$(date +%s.%N)
      out="$(echo "$t1 - $t0" | bc) n/a"
    fi
    local t=${out% *} m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t rss=$m; fi
  done
}

echo
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a), $(go version | cut -d' ' -f3)," \
  "gitleaks $(go version -m "$gitleaks" 2>/dev/null | awk '$1 == "mod" {print $3}')"
printf '%-8s %8s %9s | %9s %8s %9s | %9s %8s %9s | %7s\n' tree files MB gitleaks MB/s RSS relpolicy MB/s RSS speedup
status=0
for tree in typical docs; do
  dir="$work/$tree"
  files=$(find "$dir" -type f | wc -l)
  bytes=$(find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  run gitleaks "$dir" "$gitleaks" dir . --no-banner --log-level error --exit-code 0 \
    --report-format json --report-path "$work/$tree.gitleaks.json"
  gl=$best gl_rss=$rss
  run relpolicy "$dir" sh -c "'$work/bin/relpolicy' lint --now 2026-11-22 --fail-on never --format json . > '$work/$tree.relpolicy.json'"
  rp=$best rp_rss=$rss
  awk -v t="$tree" -v f="$files" -v b="$bytes" -v g="$gl" -v gr="$gl_rss" -v r="$rp" -v rr="$rp_rss" 'BEGIN {
    mb = b / 1e6
    printf "%-8s %8d %9.1f | %8.3fs %8.1f %8sK | %8.3fs %8.1f %8sK | %6.1fx\n", t, f, mb, g, mb / g, gr, r, mb / r, rr, g / r
  }'
  if ! "$work/bin/compare" "$work/$tree.gitleaks.json" "$work/$tree.relpolicy.json" | sed "s/^/  $tree: /"; then
    status=1
  fi
done
exit $status
