#!/usr/bin/env bash
# Installs relpolicy for the GitHub Action (action.yml) and puts it on PATH.
#
# RELPOLICY_VERSION vX.Y.Z: downloads relpolicy_X.Y.Z_<os>_<arch>.tar.gz and
# SHA256SUMS from the GitHub release and refuses an archive whose SHA-256 is
# not listed; when cosign is on PATH it also verifies the keyless signature
# of SHA256SUMS against the release workflow's identity. Any other value (a
# branch or commit the action was used at): builds from ACTION_PATH with Go.
#
# RELPOLICY_DOWNLOAD_BASE overrides the release URL prefix (tests use file://).
# Needs RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP and GITHUB_PATH (set by Actions).
set -euo pipefail
: "${RUNNER_TEMP:=$(mktemp -d)}" "${GITHUB_PATH:=/dev/null}"
dest=$RUNNER_TEMP/relpolicy-bin
mkdir -p "$dest"
version=${RELPOLICY_VERSION:-}

if [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  case "${RUNNER_OS:-Linux}" in
    Linux) os=linux ;; macOS) os=darwin ;; Windows) os=windows ;;
    *) echo "relpolicy: unsupported runner OS ${RUNNER_OS}" >&2; exit 1 ;;
  esac
  case "${RUNNER_ARCH:-X64}" in
    X64) arch=amd64 ;; ARM64) arch=arm64 ;;
    *) echo "relpolicy: unsupported runner architecture ${RUNNER_ARCH}" >&2; exit 1 ;;
  esac
  name=relpolicy_${version#v}_${os}_${arch}
  base=${RELPOLICY_DOWNLOAD_BASE:-https://github.com/tooo/relpolicy/releases/download/$version}
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cd "$work"
  curl -fsSL --retry 3 -o "$name.tar.gz" "$base/$name.tar.gz"
  curl -fsSL --retry 3 -o SHA256SUMS "$base/SHA256SUMS"
  if command -v cosign >/dev/null 2>&1 && curl -fsSL -o SHA256SUMS.sigstore.json "$base/SHA256SUMS.sigstore.json"; then
    cosign verify-blob SHA256SUMS --bundle SHA256SUMS.sigstore.json \
      --certificate-identity-regexp '^https://github.com/tooo/relpolicy/.github/workflows/release.yml@refs/tags/v' \
      --certificate-oidc-issuer https://token.actions.githubusercontent.com
  fi
  grep -E "^[0-9a-f]{64} [ *]$name\.tar\.gz\$" SHA256SUMS > want || {
    echo "relpolicy: $name.tar.gz is not listed in SHA256SUMS" >&2; exit 1; }
  if command -v sha256sum >/dev/null 2>&1; then sha256sum --check --quiet want
  else shasum -a 256 --check --quiet want; fi
  tar -xzf "$name.tar.gz"
  exe=relpolicy
  [ "$os" = windows ] && exe=relpolicy.exe
  install -m 0755 "$name/$exe" "$dest/$exe"
else
  echo "relpolicy: ${version:-no version}: not a release tag; building from ${ACTION_PATH:?} with $(go version)"
  (cd "$ACTION_PATH" && CGO_ENABLED=0 go build -trimpath -o "$dest/" ./cmd/relpolicy)
fi
echo "$dest" >> "$GITHUB_PATH"
"$dest"/relpolicy* version
