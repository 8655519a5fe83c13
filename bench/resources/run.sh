#!/usr/bin/env bash
# bench/resources/run.sh — the resource-bound scenario (issue 11): peak memory of `decorum
# score` on a ~1 GB log (JSON Lines and CSV, one thread and all), and the wall time and peak
# memory of `decorum check` on a 10,000-rule rulebook and on 100,000-phrase sets (one phrase
# per line, and all on one line, the shape whose position lookups were quadratic). Before
# anything is timed, the scores of -j 1 and -j N are compared byte for byte and must count
# every generated record, and each check must report "ok". Writes its section of
# bench/RESULTS.md (between the resources markers), keeping the rest.
#
#   bench/resources/run.sh [--build-dir DIR] [--scratch DIR] [--no-build] [--gb N]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$repo/build-bench"
scratch="${TMPDIR:-/tmp}/decorum-bench"
output="$repo/bench/RESULTS.md"
do_build=1
records=6000000  # ~1.05 GB of JSON Lines at ~175 bytes a record
while (($#)); do
  case "$1" in
    --build-dir) build=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    --no-build) do_build=0 ;;
    --records) records=$2; shift ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bench/resources/run.sh: unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is missing (apt-get install -y jq)" >&2; exit 1; }
if ((do_build)); then
  [[ -f $build/build.ninja ]] || cmake -S "$repo" -B "$build" -G Ninja -DDECORUM_BUILD_BENCH=ON -DDECORUM_BUILD_TESTS=OFF >/dev/null
  ninja -C "$build" -j1 decorum_bench_gen decorum_cli >/dev/null
fi
decorum="$build/decorum"
mkdir -p "$scratch"
threads=$(nproc)
rules="$repo/bench/rules/bench.yaml"

# One measured run: wall seconds and peak RSS (MiB) of a command, into $wall and $rss.
measure() {
  /usr/bin/time -f '%e %M' -o "$scratch/time.txt" "$@" >/dev/null 2>"$scratch/stderr.txt" || {
    cat "$scratch/stderr.txt" >&2
    echo "failed: $*" >&2
    exit 1
  }
  read -r wall peak_kb <"$scratch/time.txt"
  rss=$(awk -v k="$peak_kb" 'BEGIN{printf "%.1f", k / 1024}')
}

rows=()
for fmt in jsonl csv; do
  log="$scratch/log-$records-e1000-s42.$fmt"
  [[ -s $log ]] || "$build/bench/decorum_bench_gen" --records "$records" --employees 1000 --seed 42 --format "$fmt" -o "$log"
  mb=$(awk -v b="$(stat -c %s "$log")" 'BEGIN{printf "%.0f", b / 1e6}')
  # Checked first: both thread counts give the same bytes and count every record.
  "$decorum" score -r "$rules" --format json -j 1 -o "$scratch/one.json" "$log" 2>/dev/null
  "$decorum" score -r "$rules" --format json -j "$threads" -o "$scratch/all.json" "$log" 2>/dev/null
  cmp -s "$scratch/one.json" "$scratch/all.json" || { echo "-j 1 and -j $threads differ on $log" >&2; exit 1; }
  [[ $(jq '.input.records' "$scratch/one.json") == "$records" ]] || { echo "records lost on $log" >&2; exit 1; }
  for j in 1 "$threads"; do
    measure "$decorum" score -r "$rules" --format json -j "$j" -o "$scratch/score.json" "$log"
    rows+=("| \`score -j $j\` on a $mb MB $fmt log ($records records) | $wall | $rss |")
  done
done

gen="/usr/bin/python3 $repo/bench/resources/gen_rulebook.py"
declare -A books=(
  [rules-10000]="rules 10000"
  [phrases-25000-flow]="phrases 25000 flow"
  [phrases-100000-flow]="phrases 100000 flow"
  [phrases-100000-lines]="phrases 100000 lines"
)
for name in rules-10000 phrases-25000-flow phrases-100000-flow phrases-100000-lines; do
  book="$scratch/$name.yaml"
  $gen ${books[$name]} "$book"
  "$decorum" check "$book" | grep -q ": ok," || { echo "$book does not check" >&2; exit 1; }
  kb=$(awk -v b="$(stat -c %s "$book")" 'BEGIN{printf "%.0f", b / 1024}')
  best=""
  for _ in 1 2 3; do
    measure "$decorum" check "$book"
    if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$wall; best_rss=$rss; fi
  done
  rows+=("| \`check\` $name ($kb KiB; gen_rulebook.py ${books[$name]}) | $best | $best_rss |")
done

section=$(
  echo "<!-- resources:begin -->"
  echo "## Resource bounds (issue 11, bench/resources/run.sh)"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg); $threads cores"
  echo "- decorum: $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet || echo ' (with uncommitted changes)'), built in $(basename "$build")/"
  echo "- Scores were checked first: -j 1 and -j $threads byte-identical, every record counted."
  echo "- check: best wall time of 3 runs."
  echo
  echo "| run | wall s | peak RSS MiB |"
  echo "|---|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo "<!-- resources:end -->"
)
if [[ -f $output ]] && grep -q '<!-- resources:begin -->' "$output"; then
  awk -v sec="$section" '
    /<!-- resources:begin -->/ { print sec; skip = 1; next }
    /<!-- resources:end -->/ { skip = 0; next }
    !skip { print }' "$output" >"$output.new"
  mv "$output.new" "$output"
else
  printf '\n%s\n' "$section" >>"$output"
fi
echo "wrote $output" >&2
