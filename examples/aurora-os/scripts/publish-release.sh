#!/bin/sh
# Publish a built release to the official channels.
# Usage: scripts/publish-release.sh TAG DIR
#
# Run only by the official builders (the release workflow or the documented
# release procedure). Credentials are short-lived and provided by the builder
# environment for the current job; this script never stores them.
set -eu

tag=$1
dir=$2

cd "$dir"
sha256sum --check SHA256SUMS

# GitHub Releases
gh release create "$tag" --repo tooo/aurora-os --verify-tag \
	--title "Aurora OS ${tag#v}" --generate-notes \
	./*.img.zst ./*.iso SHA256SUMS

# Download mirror
for f in ./*.img.zst ./*.iso SHA256SUMS; do
	curl -fsS --upload-file "$f" \
		-H "Authorization: Bearer ${MIRROR_UPLOAD_TOKEN:?set by the builder for this job}" \
		"https://downloads.tooo.example.org/aurora-os/$tag/$(basename "$f")"
done
