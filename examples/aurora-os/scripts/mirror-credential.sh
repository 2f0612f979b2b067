#!/bin/sh
# Exchange the job's GitHub OIDC token for an upload credential for the
# download mirror that is valid for this job only, and print it as a step
# output. The mirror accepts only tokens issued for the release workflow of
# tooo/aurora-os on a v* tag.
set -eu

oidc=$(curl -fsS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
	"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=downloads.tooo.example.org" | jq -r .value)

upload=$(curl -fsS -X POST -H "Content-Type: application/json" \
	-d "{\"oidc_token\": \"$oidc\", \"path\": \"aurora-os/\"}" \
	https://downloads.tooo.example.org/api/v1/upload-credentials | jq -r .token)

echo "::add-mask::$upload"
echo "token=$upload"
