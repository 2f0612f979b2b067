#!/bin/sh
# Public build entrypoint for the airgap bundle (`make airgap-bundle`).
# Builds firmware for every board, the ternflash tool and the offline docs,
# and packs them into $OUT/tern-airgap-$VERSION.tar.zst.
set -eu

: "${VERSION:?}" "${OUT:=out}"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

for board in r2 r3; do
	make firmware BOARD="$board" OUT="$OUT"
	cp "$OUT/tern-fw-$VERSION-$board.bin" "$stage/"
done

docker run --rm -v "$PWD":/src -w /src -e GOOS=linux tern-toolchain:local \
	go build -trimpath -o "tools/out/ternflash-linux-amd64" ./tools/ternflash
docker run --rm -v "$PWD":/src -w /src -e GOOS=windows tern-toolchain:local \
	go build -trimpath -o "tools/out/ternflash-windows-amd64.exe" ./tools/ternflash
cp tools/out/ternflash-* "$stage/"

docker run --rm -v "$PWD":/src -w /src tern-toolchain:local \
	pandoc -s -o "tools/out/tern-offline-manual.html" docs/manual/*.md
cp tools/out/tern-offline-manual.html "$stage/"

tar --sort=name --mtime="@${SOURCE_DATE_EPOCH:-0}" --owner=0 --group=0 --numeric-owner \
	-C "$stage" -cf - . | zstd -19 -T0 -o "$OUT/tern-airgap-$VERSION.tar.zst"
