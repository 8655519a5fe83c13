#!/usr/bin/env bash
# scripts/run-example.sh — the README's first command: installs what is missing, builds
# decorum (build/decorum), the C library (build/libdecorum_c.so) and the bash completion
# script, and scores the example logs of examples/ with the built-in rulebook.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# An existing build/ (scripts/test.sh made one with the tests) is kept as it is configured.
[ -f build/CMakeCache.txt ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDECORUM_BUILD_TESTS=OFF >/dev/null
cmake --build build --target decorum_cli decorum_c decorum_completion
./build/decorum score --format table examples/nov-2026.jsonl examples/nov-2026-front-desk.csv "$@"
