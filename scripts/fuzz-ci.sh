#!/usr/bin/env bash
# scripts/fuzz-ci.sh — CI's fuzzing pass: every libFuzzer target of tests/fuzz/ for
# ${FUZZ_SECONDS:-60} seconds each (scripts/fuzz.sh), all of them even when one fails; fails
# when any target found a crash, leak, timeout or out-of-memory, or did not build.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
targets=(fuzz_rulebook fuzz_expr fuzz_jsonl fuzz_csv fuzz_appeals fuzz_fmt)
passed=0
failed=0
failures=()
for t in "${targets[@]}"; do
  if bash scripts/fuzz.sh "$t" "$seconds"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$t")
  fi
done
[ ${#failures[@]} -eq 0 ] || echo "fuzz-ci.sh: findings in: ${failures[*]} (reproducers under build-fuzz/work/*/artifacts)" >&2
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
