#!/bin/sh
# Hardware-in-the-loop tests: flash each image in DIR onto the attached r2 and
# r3 test boards and run the smoke suite. Only meaningful on the release
# runners, which have boards attached; prints a notice and exits elsewhere.
set -eu

dir=$1
if ! command -v ternrig >/dev/null 2>&1; then
	echo "no board test rig attached; skipping hardware tests" >&2
	exit 0
fi
for board in r2 r3; do
	ternrig flash --board "$board" "$dir"/tern-fw-*-"$board".bin
	ternrig smoke --board "$board"
done
