#!/usr/bin/env bash
# scripts/test.sh — the README's second command: installs what is missing, builds decorum
# with its tests and runs them (ctest): the C++ tests first, then the Python package's pytest
# suite (ctest's python_package, against build/python). `--sanitize` builds and runs them again under
# AddressSanitizer and UndefinedBehaviorSanitizer, as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDECORUM_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs" -E '^python_package$'
ctest --test-dir build --output-on-failure -R '^python_package$'
if [ "${1:-}" = "--sanitize" ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="-O1" -DDECORUM_SANITIZE=ON -DDECORUM_BUILD_TESTS=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j"$jobs"
fi
