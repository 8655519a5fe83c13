#!/usr/bin/env bash
# scripts/deps.sh — installs decorum's build dependencies from Debian's packages, only
# those that are missing, so the README's commands work on a fresh Debian machine.
# libjs-chart.js: Chart.js, inlined into HTML reports at build time (CMakeLists.txt);
# libxlsxwriter-dev: `--format xlsx`; libuchardet-dev: `--encoding auto` (a log's encoding detected);
# pybind11-dev, python3-dev: the Python package `decorum` (python/, issue 17) for /usr/bin/python3.
set -euo pipefail
pkgs=(g++ cmake ninja-build pkg-config libyaml-cpp-dev libfmt-dev libboost-dev libsimdjson-dev libcli11-dev doctest-dev libjs-chart.js
      libxlsxwriter-dev libuchardet-dev pybind11-dev python3-dev)
# `--test`: also what only the tests use: Chromium and Python for the HTML report's browser
# test (tests/html/check_html.py; ctest skips it where chromium is missing), openpyxl to read
# `--format xlsx` workbooks back (tests/xlsx/), jsonschema and PyYAML to check the rulebook
# schema (tests/schema/); zsh and fish to parse and load `decorum completion zsh|fish`
# (tests/cli/test_guide.cpp; without them the scripts are checked by content only); pytest,
# pandas and Dask for the Python package's tests (python/tests/) and examples/dask.
[ "${1:-}" = "--test" ] && pkgs+=(chromium python3 python3-openpyxl python3-jsonschema python3-yaml zsh fish
                                  python3-pytest python3-pandas python3-dask python3-distributed)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
