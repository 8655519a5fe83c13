#!/usr/bin/env bash
# scripts/ci-embed.sh — the embedding checks of issue #6, after scripts/test.sh has built
# `build/`: install to a scratch prefix; build examples/embed against it with find_package;
# build the add_subdirectory consumer; compile the README's C++ example with pkg-config and
# run its Python example; run examples/python/score.py; build tests/tsan with
# ThreadSanitizer and run it. Issue 17: the installed Python package imports; the README's
# package snippet, examples/python/package.py and examples/dask/run.py (DASK_RECORDS records,
# default 200000, to keep CI short) run against build/python. Ends with "embed: N passed, 0 failed" (any failure stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null; }
jobs=$(nproc)
build=${DECORUM_BUILD_DIR:-build}  # the build scripts/test.sh made
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0
step() { echo "== embed: $*"; }
ok() { passed=$((passed + 1)); }

step "cmake --install to a scratch prefix"
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
test -f "$scratch/prefix/bin/decorum" && ok

step "examples/embed with find_package(decorum)"
cmake -S examples/embed -B "$scratch/nightly" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/nightly" -j"$jobs" >/dev/null
"$scratch/nightly/nightly" | tee "$scratch/nightly.txt"
grep -q "5 rows: 4 scored, 1 rejected" "$scratch/nightly.txt" && ok

step "examples/embed/subdir with add_subdirectory(decorum)"
cmake -S examples/embed/subdir -B build-embed-subdir -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-embed-subdir -j"$jobs" >/dev/null
cmp <(build-embed-subdir/nightly) "$scratch/nightly.txt" && ok

step "README: the C++ example with pkg-config, the Python example"
python3 scripts/readme_snippets.py README.md "$scratch/readme" >/dev/null
export PKG_CONFIG_PATH="$(dirname "$(find "$scratch/prefix" -name decorum.pc | head -1)")"
c++ -std=c++20 "$scratch/readme/readme_embed.cpp" $(pkg-config --cflags --libs decorum) -o "$scratch/readme_embed"
"$scratch/readme_embed" | tee "$scratch/readme.txt"
grep -q "E1 2026-11: score 90" "$scratch/readme.txt" && ok
sed -i "s|\"build/libdecorum_c.so\"|\"$build/libdecorum_c.so\"|" "$scratch/readme/readme_embed.py"
python3 "$scratch/readme/readme_embed.py" | tee "$scratch/readme_py.txt"
grep -qx "90" "$scratch/readme_py.txt" && ok

step "examples/python/score.py through ctypes"
python3 examples/python/score.py "$build/libdecorum_c.so" | tee "$scratch/python.txt"
grep -q "3 records: 2 scored, 1 rejected" "$scratch/python.txt" && ok

if [ -d "$build/python/decorum" ]; then
  step "the installed Python package imports (issue 17)"
  pkg=$(dirname "$(find "$scratch/prefix" -path '*/decorum/__init__.py' | head -1)")
  PYTHONPATH=$(dirname "$pkg") /usr/bin/python3 -c 'import decorum; print(decorum.builtin().name)' | tee "$scratch/pkg.txt"
  grep -qx "property-customer-service" "$scratch/pkg.txt" && ok

  step "README: the Python package example"
  PYTHONPATH="$build/python" /usr/bin/python3 "$scratch/readme/readme_package.py" | tee "$scratch/readme_pkg.txt"
  grep -qx "90" "$scratch/readme_pkg.txt" && ok

  step "examples/python/package.py"
  PYTHONPATH="$build/python" /usr/bin/python3 examples/python/package.py | tee "$scratch/package.txt"
  grep -q "merged shards equal one run: True" "$scratch/package.txt" && ok

  step "examples/dask/run.py: a LocalCluster of two workers"
  PYTHONPATH="$build/python" /usr/bin/python3 examples/dask/run.py --records "${DASK_RECORDS:-200000}" && ok
fi

step "tests/tsan: concurrent scorers under ThreadSanitizer"
cmake -S tests/tsan -B build-tsan -G Ninja >/dev/null
cmake --build build-tsan -j"$jobs" >/dev/null
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/decorum_tsan examples && ok

echo "embed: $passed passed, 0 failed"
