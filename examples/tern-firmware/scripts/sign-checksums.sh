#!/bin/sh
# Request a detached GPG signature of a checksum file from the organization's
# signing service, authenticated with the job's short-lived OIDC identity.
# The service endpoint is provided by the release builder environment; the
# release key never leaves the service. Writes FILE.asc next to FILE.
# Run only by the trusted release workflow.
set -eu

file=$1
: "${TOOO_SIGNING_URL:?provided by the release builder environment}"
: "${TOOO_SIGNING_AUDIENCE:?provided by the release builder environment}"

oidc=$(curl -fsS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
	"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=$TOOO_SIGNING_AUDIENCE" | jq -r .value)

curl -fsS -X POST -H "Authorization: Bearer $oidc" \
	-H "Content-Type: application/octet-stream" --data-binary "@$file" \
	"$TOOO_SIGNING_URL/gpg/tern-firmware/detach-sign" > "$file.asc"

gpg --verify "$file.asc" "$file"
