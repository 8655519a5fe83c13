#!/usr/bin/env bash
# scripts/ci-clang.sh — builds decorum and its tests with clang (Debian 12: clang 14 with
# libstdc++ 12) and runs them, so code only gcc accepts cannot land (issue 11: a std::pair of
# an incomplete type in the rulebook model compiled with gcc and not with clang).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
if ! command -v clang++ >/dev/null; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang >/dev/null
fi
jobs=$(nproc)
cmake -S . -B build-clang -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DDECORUM_BUILD_TESTS=ON -DDECORUM_BUILD_PYTHON=OFF >/dev/null  # the Python package is tested with g++ (test.sh)
cmake --build build-clang -j"$jobs"
ctest --test-dir build-clang --output-on-failure -j"$jobs"
