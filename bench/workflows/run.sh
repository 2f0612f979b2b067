#!/usr/bin/env bash
# Peer comparison for docs/workflows.md: lint the workflow fixtures of
# zizmor, Scorecard and actionlint (local copies, never committed) and print
# the confusion tables. Usage: bench/workflows/run.sh CORPUS_DIR
# where CORPUS_DIR holds zizmorcore+zizmor/, ossf+scorecard/ and
# rhysd+actionlint/ (trees extracted from the mirrors).
set -euo pipefail
corpus=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=${TMPDIR:-/tmp}/relpolicy-peers
mkdir -p "$out"
find "$corpus"/zizmorcore+zizmor "$corpus"/ossf+scorecard "$corpus"/rhysd+actionlint -type f \( -name '*.yml' -o -name '*.yaml' \) \
  | grep -E 'test-data|testdata' | grep -v '/configs/\|dependabot\|action.ya\?ml$\|config' | sort > "$out/list.txt"
cd "$here/../.."
RELPOLICY_PEERS="$out/list.txt" RELPOLICY_PEERS_OUT="$out/as-is.jsonl" go test ./lint -run TestPeerCorpus -count=1
RELPOLICY_PEERS_PRIVILEGED=1 RELPOLICY_PEERS="$out/list.txt" RELPOLICY_PEERS_OUT="$out/privileged.jsonl" go test ./lint -run TestPeerCorpus -count=1
python3 "$here/zlabels.py" "$corpus" "$out/zlabels.json"
for mode in as-is privileged; do
  echo "== $mode"
  python3 "$here/confusion.py" "$corpus" "$out/zlabels.json" "$out/$mode.jsonl"
done
