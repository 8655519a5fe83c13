#!/usr/bin/env bash
# bench/compare.sh — entry point for "is this change free?": builds decorum at an older
# revision (a git worktree) and at the working tree, checks that both give byte-identical
# reports on the benchmark logs and on examples/, then times both builds on the same logs in
# one run, alternating old and new so a burst of other work on the machine hits both alike.
# Prints a Markdown table of median wall times.
#
#   bench/compare.sh OLD_REV [--new REV] [--time-only] [--records N] [--runs R] [--scratch DIR]
#
# --new REV compares two revisions (both built in worktrees) instead of OLD_REV and the
# working tree.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "bench/compare.sh: $*" >&2; exit 1; }
(($#)) || die "usage: bench/compare.sh OLD_REV [--records N] [--runs R] [--scratch DIR]"
old_rev=$1
shift
records=1000000
runs=5
new_rev=""
check=1
scratch="${TMPDIR:-/tmp}/decorum-bench"
while (($#)); do
  case "$1" in
    --new) new_rev=$2; shift ;;
    --time-only) check=0 ;;  # when the reports are meant to differ (a new report key)
    --records) records=$2; shift ;;
    --runs) runs=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
old_sha=$(git -C "$repo" rev-parse --verify "$old_rev^{commit}") || die "no revision $old_rev"
new_src="$repo"
new_build="$repo/build-bench"
if [[ -n $new_rev ]]; then
  new_sha=$(git -C "$repo" rev-parse --verify "$new_rev^{commit}") || die "no revision $new_rev"
  new_src="$scratch/worktree-$new_sha"
  new_build="$scratch/build-$new_sha"
  [[ -d $new_src ]] || git -C "$repo" worktree add --detach "$new_src" "$new_sha" >/dev/null
fi
old_src="$scratch/worktree-$old_sha"
old_build="$scratch/build-$old_sha"
mkdir -p "$scratch"

[[ -d $old_src ]] || git -C "$repo" worktree add --detach "$old_src" "$old_sha" >/dev/null
for pair in "$new_src:$new_build" "$old_src:$old_build"; do
  src=${pair%%:*} bld=${pair#*:}
  [[ -f $bld/build.ninja ]] || cmake -S "$src" -B "$bld" -G Ninja -DDECORUM_BUILD_BENCH=ON -DDECORUM_BUILD_TESTS=OFF >/dev/null
  ninja -C "$bld" decorum_cli decorum_bench_gen >/dev/null
done
new="$new_build/decorum" old="$old_build/decorum"
rules="$repo/bench/rules/bench.yaml"

logs=()
for fmt in jsonl csv; do
  f="$scratch/log-$records-e1000-s42.$fmt"
  [[ -s $f ]] || "$new_build/bench/decorum_bench_gen" --records "$records" --employees 1000 --seed 42 --format "$fmt" -o "$f"
  logs+=("$f")
done

# Same bytes first: a timing of different output means nothing.
same() {  # same LABEL ARGS...: both builds, identical stdout
  "$old" "${@:2}" >"$scratch/old.out" 2>/dev/null || true
  "$new" "${@:2}" >"$scratch/new.out" 2>/dev/null || true
  cmp -s "$scratch/old.out" "$scratch/new.out" || die "$1: reports differ between $old_rev and ${new_rev:-the working tree}"
  echo "identical: $1 ($(md5sum <"$scratch/new.out" | cut -c1-12))"
}
((check)) && for f in "${logs[@]}"; do
  for format in json csv table; do same "$(basename "$f") --format $format --findings" score -r "$rules" --format "$format" --findings "$f"; done
done
((check)) && for format in json csv table; do
  same "examples --format $format --findings" score --format "$format" --findings "$repo"/examples/nov-2026.jsonl "$repo"/examples/nov-2026-front-desk.csv
done

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo
echo "| log | threads | $old_rev (s) | ${new_rev:-working tree} (s) | new / old |"
echo "|---|---:|---:|---:|---:|"
for f in "${logs[@]}"; do
  for j in 1 2; do
    : >"$scratch/t.old"
    : >"$scratch/t.new"
    for ((r = 0; r < runs; ++r)); do
      for side in old new; do
        bin=$old
        [[ $side == new ]] && bin=$new
        t0=$(date +%s%N)
        "$bin" score -r "$rules" --format json -j "$j" "$f" >/dev/null
        t1=$(date +%s%N)
        echo "$(((t1 - t0) / 1000000))" >>"$scratch/t.$side"
      done
    done
    mo=$(median <"$scratch/t.old")
    mn=$(median <"$scratch/t.new")
    awk -v f="$(basename "$f")" -v j="$j" -v o="$mo" -v n="$mn" \
      'BEGIN {printf "| %s | %d | %.3f | %.3f | %.3f |\n", f, j, o / 1000, n / 1000, n / o}'
  done
done
