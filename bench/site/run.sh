#!/usr/bin/env bash
# Site benchmark (docs/performance-site.md):
# Every build is the real command, `relpolicy site` (lint of every policy,
# rendering, and the disclosure gate over every file written).
#   (a) cold build of N repos × R releases × A artifacts, whole-process wall
#       time against the "floor" (creating the same files with the same sizes)
#       and peak RSS;
#   (b) pages/second against Hugo rendering the equivalent pages;
#   (c) re-render of the unchanged organisation: files written, time against
#       reading the site;
#   (d) how the cost grows with repositories and releases.
#
# Usage: bench/site/run.sh            (REPOS=1000 RELEASES=20 ARTIFACTS=3 RUNS=3)
#        SKIP_HUGO=1 SKIP_SCALING=1 bench/site/run.sh
# Needs /usr/bin/time (GNU) and, for (b), hugo on PATH or in $(go env GOPATH)/bin:
#        go install github.com/gohugoio/hugo@v0.165.0
set -euo pipefail

REPOS=${REPOS:-1000}
RELEASES=${RELEASES:-20}
ARTIFACTS=${ARTIFACTS:-3}
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/relpolicy-bench-site}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HUGO=${HUGO:-$(command -v hugo || echo "$(go env GOPATH)/bin/hugo")}
TIME=/usr/bin/time

mkdir -p "$WORK/bin"
(cd "$ROOT" && go build -tags bench -o "$WORK/bin/" ./bench/site/gen ./bench/site/build ./bench/site/floor ./cmd/relpolicy)
BIN=$WORK/bin
: >"$WORK/results.txt"

# measure LABEL CMD...: run CMD under GNU time; append "LABEL wall_s rss_kib".
measure() {
	local label=$1
	shift
	sync
	"$TIME" -v "$@" >"$WORK/$label.out" 2>"$WORK/$label.time"
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$WORK/$label.time")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$label.time")
	echo "$label $wall $rss" >>"$WORK/results.txt"
	echo "$label $wall $rss"
}

# median / best LABEL-PREFIX: median and minimum wall time of the runs with
# that prefix. This machine is shared, so the minimum ("best of N") is the
# estimate of the intrinsic cost; medians are printed for context.
median() {
	grep "^$1" "$WORK/results.txt" | awk '{print $2}' | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
best() {
	grep "^$1" "$WORK/results.txt" | awk '{print $2}' | sort -n | head -1
}
maxrss() {
	grep "^$1" "$WORK/results.txt" | awk '{print $3}' | sort -n | tail -1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# The generator version is in the name: an org from an older generator is not reused.
org=$WORK/org-v2-$REPOS-$RELEASES-$ARTIFACTS
hugo=$WORK/hugo-v2-$REPOS-$RELEASES-$ARTIFACTS
if [ ! -d "$org" ]; then
	rm -rf "$hugo"
	echo "generating $REPOS repos × $RELEASES releases × $ARTIFACTS artifacts"
	"$BIN/gen" -out "$org" -hugo "$hugo" -repos "$REPOS" -releases "$RELEASES" -artifacts "$ARTIFACTS"
fi
# Every measured run writes into a fresh directory; old trees are removed
# only at the end, because deleting a large tree on a file system mounted
# with "discard" slows down whatever runs next.
rm -rf "$WORK/runs"
mkdir -p "$WORK/runs"
run=0
# fresh sets $dir to a new, not yet existing directory.
fresh() {
	run=$((run + 1))
	dir=$WORK/runs/$run
}

echo "== (a) cold build vs floor, $RUNS runs each, interleaved"
rm -f "$WORK/manifest.txt"
for i in $(seq "$RUNS"); do
	fresh
	public=$dir
	measure "cold-$i" "$BIN/relpolicy" site --strict --no-cache --now 2026-11-22 --out "$public" "$org"
	[ -f "$WORK/manifest.txt" ] || "$BIN/floor" -src "$public" -manifest "$WORK/manifest.txt"
	fresh
	measure "floor-$i" "$BIN/floor" -manifest "$WORK/manifest.txt" -out "$dir"
done
files=$(wc -l <"$WORK/manifest.txt")
pages=$(find "$public" -name '*.html' | wc -l)
bytes=$(du -sb "$public" | awk '{print $1}')
cold=$(best cold-)
flr=$(best floor-)
echo "files=$files html=$pages bytes=$bytes"
echo "cold best=${cold}s median=$(median cold-)s; floor best=${flr}s median=$(median floor-)s; ratio (best) $(ratio "$cold" "$flr") (target <= 1.5), ratio (median) $(ratio "$(median cold-)" "$(median floor-)")"
echo "peak RSS $(maxrss cold-) KiB (target < 512000)"

echo "== (c) re-render of the unchanged organisation"
# The first build with a cache directory renders and compares (nothing
# changes, nothing is written) and records the build state; the next ones
# reuse it.
rm -rf "$WORK/cache"
export XDG_CACHE_HOME=$WORK/cache # relpolicy site keeps its build state under the user cache dir
measure "compare-1" "$BIN/relpolicy" site --strict --now 2026-11-22 --out "$public" "$org"
touch "$WORK/marker"
sleep 1
for i in $(seq "$RUNS"); do
	measure "warm-$i" "$BIN/relpolicy" site --strict --now 2026-11-22 --out "$public" "$org"
	measure "read-$i" "$BIN/floor" -read "$public"
	measure "load-$i" "$BIN/build" -load-only "$org"
done
changed=$(find "$public" -newer "$WORK/marker" | wc -l)
echo "compare (no state) $(best compare-)s: $(cat "$WORK/compare-1.out")"
echo "reuse: $(cat "$WORK/warm-1.out")"
floor_c=$(awk -v a="$(best read-)" -v b="$(best load-)" 'BEGIN {print a + b}')
echo "warm best=$(best warm-)s median=$(median warm-)s; reading the site best=$(best read-)s + loading the policies best=$(best load-)s = ${floor_c}s; ratio $(ratio "$(best warm-)" "$floor_c")"
echo "files newer than the previous build: $changed (want 0)"

if [ -z "${SKIP_HUGO:-}" ]; then
	echo "== (b) pages/second vs Hugo ($HUGO)"
	if [ ! -x "$HUGO" ]; then
		echo "hugo not found; go install github.com/gohugoio/hugo@v0.165.0" >&2
		exit 1
	fi
	for i in $(seq "$RUNS"); do
		fresh
		measure "ours-$i" "$BIN/relpolicy" site --strict --no-cache --now 2026-11-22 --out "$dir" "$org"
		fresh
		hout=$dir
		measure "hugo-$i" "$HUGO" --source "$hugo" --destination "$hout" --quiet
	done
	hpages=$(find "$hout" -name '*.html' | wc -l)
	ours=$(best ours-)
	theirs=$(best hugo-)
	echo "medians: relpolicy $(median ours-)s, hugo $(median hugo-)s"
	ops=$(awk -v p="$pages" -v t="$ours" 'BEGIN {printf "%.0f", p / t}')
	hps=$(awk -v p="$hpages" -v t="$theirs" 'BEGIN {printf "%.0f", p / t}')
	echo "relpolicy: $pages pages in ${ours}s = $ops pages/s (also writes feeds, JSON, SHA256SUMS); hugo: $hpages pages in ${theirs}s = $hps pages/s; ratio $(ratio "$ops" "$hps") (target >= 2)"
fi

if [ -z "${SKIP_SCALING:-}" ]; then
	echo "== (d) scaling (one cold run each)"
	for spec in 250x20 500x20 1000x20 250x5 250x10 250x40; do
		n=${spec%x*}
		r=${spec#*x}
		d=$WORK/org-v2-$n-$r-$ARTIFACTS
		[ -d "$d" ] || "$BIN/gen" -out "$d" -repos "$n" -releases "$r" -artifacts "$ARTIFACTS"
		fresh
		measure "scale-$spec" "$BIN/relpolicy" site --strict --no-cache --now 2026-11-22 --out "$dir" "$d" >/dev/null
		f=$(find "$dir" -type f | wc -l)
		echo "repos=$n releases=$r files=$f $(grep "^scale-$spec " "$WORK/results.txt" | awk -v f="$f" '{printf "wall=%ss rss=%s KiB us/file=%.0f", $2, $3, $2 * 1e6 / f}')"
	done
fi
echo "removing $WORK/runs"
rm -rf "$WORK/runs"
