#!/bin/sh
# Publish a built and signed release to the official channels.
# Usage: scripts/publish-release.sh TAG DIR
# Run only by the trusted release workflow or the documented continuity path.
set -eu

tag=$1
dir=$2
cd "$dir"
sha512sum --check SHA512SUMS
gpg --verify SHA512SUMS.asc SHA512SUMS

# GitHub Releases: firmware and checksums (bundles exceed the asset limit).
gh release create "$tag" --repo tooo/tern-firmware --verify-tag \
	--title "tern-firmware ${tag#v}" --generate-notes \
	./tern-fw-*.bin SHA512SUMS SHA512SUMS.asc

# Download site: everything.
../scripts/upload-downloads.sh "$tag" ./tern-fw-*.bin ./tern-airgap-*.tar.zst SHA512SUMS SHA512SUMS.asc
