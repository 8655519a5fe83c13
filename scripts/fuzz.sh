#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS — runs one libFuzzer target of tests/fuzz/ for SECONDS.
#
#   TARGET    fuzz_rulebook, fuzz_expr, fuzz_jsonl, fuzz_csv, fuzz_appeals or fuzz_fmt (the fuzz_ prefix may be left out)
#   SECONDS   how long to fuzz (libFuzzer's -max_total_time)
#
# Installs what is missing (decorum's build dependencies via scripts/deps.sh, then clang and
# its libFuzzer and sanitizer runtimes), configures and builds build-fuzz/ when needed, and
# runs the target on its checked-in corpus (tests/fuzz/corpus/TARGET, read only) with its
# dictionary. New inputs go to a scratch corpus, crashes to a scratch artifact directory:
#
#   build-fuzz/work/TARGET/corpus      inputs the run found (kept between runs, not checked in)
#   build-fuzz/work/TARGET/artifacts   crash-*, leak-*, timeout-*, oom-* reproducers
#   build-fuzz/work/TARGET/log.txt     libFuzzer's output
#
# Exits 0 when the run ends without a finding; otherwise prints the finding, the reproducer's
# path and the command that replays it, and exits non-zero.
#
# Environment: FUZZ_WORK (scratch root, default build-fuzz/work), FUZZ_JOBS (build jobs,
# default 2), FUZZ_ARGS (more libFuzzer flags), DECORUM_FUZZ_SKIP (known defects to look past,
# see tests/fuzz/README.md; unset in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/fuzz.sh TARGET SECONDS   (TARGET: rulebook, expr, jsonl, csv, appeals, fmt)" >&2; exit 2; }
[ $# -eq 2 ] || usage
target="fuzz_${1#fuzz_}"
seconds="$2"
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
case "$target" in
  fuzz_rulebook) max_len=8192 ;;   # rulebooks: the seeds are up to 1.5 KB
  fuzz_expr) max_len=1024 ;;       # one expression (plus the mode byte)
  fuzz_jsonl | fuzz_csv) max_len=4096 ;;  # a few dozen records; below the pipe variant's limit
  fuzz_appeals) max_len=2048 ;;    # a dozen appeals
  fuzz_fmt) max_len=8192 ;;        # rulebooks to lay out, as fuzz_rulebook
  *) usage ;;
esac

# --- tools -------------------------------------------------------------------------------
scripts/deps.sh
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! command -v clang++ >/dev/null 2>&1; then
  echo "installing: clang" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang >/dev/null
fi
llvm=$(clang++ --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
missing=()
for p in "libfuzzer-$llvm-dev" "libclang-rt-$llvm-dev"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- build -------------------------------------------------------------------------------
root=$(pwd)
work="${FUZZ_WORK:-$root/build-fuzz/work}/$target"
mkdir -p "$work/corpus" "$work/artifacts" "$work/tmp"
if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S tests/fuzz -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
fi
if ! cmake --build build-fuzz -j"${FUZZ_JOBS:-2}" --target "$target" >"$work/build.txt" 2>&1; then
  grep -E 'error|FAILED' "$work/build.txt" | head -n 40 >&2
  echo "fuzz.sh: building $target failed (all of it: $work/build.txt)" >&2
  exit 1
fi

# --- run ---------------------------------------------------------------------------------
# Reproducers of an earlier run are not this run's findings; scratch files of a run that
# died are of no use.
find "$work/artifacts" "$work/tmp" -mindepth 1 -delete
log="$work/log.txt"
seeds="$root/tests/fuzz/corpus/$target"
dict="$root/tests/fuzz/$target.dict"

echo "fuzz.sh: $target for ${seconds}s (corpus $work/corpus + ${seeds#"$root"/}, max_len $max_len)" >&2
set +e
# The first corpus directory receives new inputs; the checked-in one is only read.
# TMPDIR: the log targets' scratch files stay in the work directory if a run dies.
TMPDIR="$work/tmp" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
  "$root/build-fuzz/$target" "$work/corpus" "$seeds" \
  -dict="$dict" -max_len="$max_len" -max_total_time="$seconds" \
  -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" ${FUZZ_ARGS:-} >"$log" 2>&1
rc=$?
set -e

found=$(find "$work/artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
if [ "$rc" -eq 0 ] && [ -z "$found" ]; then
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' || true)
  echo "fuzz.sh: $target ok: ${runs:-?} runs in ${seconds}s, $cov, no finding" >&2
  exit 0
fi

echo "fuzz.sh: $target FAILED (libFuzzer exit $rc); the end of $log:" >&2
# From the first sanitizer report or failed check on, at most 120 lines.
start=$(grep -nE '^==[0-9]+==|==== decorum fuzz check failed|^ALARM|ERROR: libFuzzer' "$log" | head -n 1 | cut -d: -f1 || true)
if [ -n "$start" ]; then sed -n "${start},$((start + 119))p" "$log" >&2; else tail -n 60 "$log" >&2; fi
if [ -n "$found" ]; then
  for f in $found; do
    echo "fuzz.sh: reproducer: $f ($(stat -c %s "$f") bytes)" >&2
    echo "fuzz.sh:   hex: $(od -An -tx1 -v "$f" | tr -d ' \n' | cut -c 1-400)" >&2
    echo "fuzz.sh:   replay: build-fuzz/$target $f" >&2
  done
else
  echo "fuzz.sh: no reproducer was written (the fuzzer itself failed?)" >&2
fi
exit $((rc == 0 ? 1 : rc))
