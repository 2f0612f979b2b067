#!/usr/bin/env bash
# Builds relpolicy's release archives reproducibly: the same commit, Go
# version and flags give byte-identical archives anywhere.
#
#   scripts/release.sh OUT [PLATFORM...]     (default: every release platform)
#
# Environment: VERSION (default: git describe), SOURCE_DATE_EPOCH (default:
# the commit time), GO (default: go), GOFLAGS_EXTRA (e.g. -a to rebuild all).
# Writes OUT/relpolicy_<version>_<os>_<arch>.tar.gz, each holding
# relpolicy_<version>_<os>_<arch>/relpolicy[.exe], and OUT/SHA256SUMS.
#
# What makes it reproducible: CGO_ENABLED=0, -trimpath (no local paths),
# -buildvcs=false (no checkout state), -ldflags "-buildid=" (no build id),
# and archives with sorted names, mtime SOURCE_DATE_EPOCH, owner 0:0 and
# gzip -n (no name or time in the gzip header).
set -euo pipefail
OUT=${1:?usage: scripts/release.sh OUT [PLATFORM...]}
shift
PLATFORMS=("$@")
[ ${#PLATFORMS[@]} -gt 0 ] || PLATFORMS=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)
GO=${GO:-go}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=${VERSION:-$(git -C "$ROOT" describe --tags --always 2>/dev/null || echo dev)}
VERSION=${VERSION#v}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
archives=()
for p in "${PLATFORMS[@]}"; do
  os=${p%/*} arch=${p#*/}
  name=relpolicy_${VERSION}_${os}_${arch}
  exe=relpolicy
  [ "$os" = windows ] && exe=relpolicy.exe
  mkdir -p "$stage/$name"
  (cd "$ROOT" && CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$GO" build ${GOFLAGS_EXTRA:-} -trimpath -buildvcs=false \
    -ldflags "-s -w -buildid= -X github.com/tooo/relpolicy/internal/cli.Version=$VERSION" \
    -o "$stage/$name/$exe" ./cmd/relpolicy)
  cp "$ROOT/LICENSE" "$stage/$name/" 2>/dev/null || true
  cp "$ROOT/README.md" "$stage/$name/"
  find "$stage/$name" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  chmod 0755 "$stage/$name/$exe"
  chmod 0644 "$stage/$name/README.md"
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$stage" -cf - "$name" | gzip -n -9 > "$OUT/$name.tar.gz"
  archives+=("$name.tar.gz")
  echo "built $OUT/$name.tar.gz"
done
(cd "$OUT" && sha256sum "${archives[@]}" > SHA256SUMS)
echo "wrote $OUT/SHA256SUMS"
