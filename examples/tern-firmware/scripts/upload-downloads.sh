#!/bin/sh
# Upload files to https://downloads.tooo.example.org/tern-firmware/TAG/ with a
# short-lived upload credential for the current job.
# Usage: scripts/upload-downloads.sh TAG FILE...
set -eu

tag=$1
shift
oidc=$(curl -fsS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
	"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=downloads.tooo.example.org" | jq -r .value)
for f in "$@"; do
	curl -fsS --upload-file "$f" -H "Authorization: Bearer $oidc" \
		"https://downloads.tooo.example.org/tern-firmware/$tag/$(basename "$f")"
done
