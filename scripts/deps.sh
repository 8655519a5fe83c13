#!/usr/bin/env bash
# scripts/deps.sh — installs decorum's build dependencies from Debian's packages, only
# those that are missing, so the README's commands work on a fresh Debian machine.
# python3-openpyxl is for the tests: they read `--format xlsx` workbooks back with it.
set -euo pipefail
pkgs=(g++ cmake ninja-build pkg-config libyaml-cpp-dev libfmt-dev libboost-dev libsimdjson-dev libcli11-dev doctest-dev libxlsxwriter-dev
      python3-openpyxl)
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
