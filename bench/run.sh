#!/usr/bin/env bash
# bench/run.sh — entry point of the benchmark (issue #5). Builds the bench tools and decorum,
# generates logs in a scratch directory, checks that `decorum score` gives byte-identical
# reports with 1 thread and with all threads (and counts every record) before timing
# anything, then times each scenario (best wall time of --runs rounds, default 3; peak RSS
# from /usr/bin/time -v) and writes bench/RESULTS.md.
#
#   bench/run.sh [--large] [--records N] [--employees E] [--seed S] [--runs R]
#                [--build-dir DIR] [--scratch DIR] [--output FILE] [--no-build]
#
# --large adds a 10 M-record round (where the memory target is judged). Logs are kept in
# the scratch directory (default ${TMPDIR:-/tmp}/decorum-bench) and reused while the
# generator is unchanged, since generating is not what is measured.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
records=1000000
large=0
employees=1000
seed=42
runs=3
build="$repo/build-bench"
scratch="${TMPDIR:-/tmp}/decorum-bench"
output="$repo/bench/RESULTS.md"
do_build=1

die() { echo "bench/run.sh: $*" >&2; exit 1; }
while (($#)); do
  case "$1" in
    --large) large=1 ;;
    --records) records=$2; shift ;;
    --employees) employees=$2; shift ;;
    --seed) seed=$2; shift ;;
    --runs) runs=$2; shift ;;
    --build-dir) build=$2; shift ;;
    --scratch) scratch=$2; shift ;;
    --output) output=$2; shift ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install -y time)"
command -v jq >/dev/null || die "jq is missing (apt-get install -y jq)"
threads=$(nproc)
rules="$repo/bench/rules/bench.yaml"
# The same rulebook plus 5 window and 3 deadline rules (issue #13, SPEC §8).
across_rules="$repo/bench/rules/bench-across.yaml"

if ((do_build)); then
  # -j1: the benchmark machine is shared; a parallel build would disturb other work.
  if [[ ! -f "$build/build.ninja" ]]; then
    cmake -S "$repo" -B "$build" -G Ninja -DDECORUM_BUILD_BENCH=ON -DDECORUM_BUILD_TESTS=OFF >/dev/null
  fi
  ninja -C "$build" -j1 decorum_bench_gen decorum_bench_parse_jsonl decorum_bench_split_csv decorum_cli >/dev/null
fi
gen="$build/bench/decorum_bench_gen"
parse="$build/bench/decorum_bench_parse_jsonl"
split="$build/bench/decorum_bench_split_csv"
decorum="$build/decorum"
for b in "$gen" "$parse" "$split" "$decorum"; do [[ -x $b ]] || die "$b not built"; done
mkdir -p "$scratch"

# Paths in RESULTS.md are shown relative to the repository and the scratch directory, so
# the commands can be pasted on another machine.
show() {
  local s="$*"
  s=${s//$build/build-bench}
  s=${s//$repo\//}
  s=${s//$scratch/\$SCRATCH}
  echo "$s"
}

now_ns() { date +%s%N; }

# log_file N FORMAT: generates the log unless a current one is there; prints its path.
log_file() {
  local n=$1 fmt=$2
  local f="$scratch/log-$n-e$employees-s$seed.$fmt"
  if [[ ! -s $f || $gen -nt $f ]]; then
    echo "generating $f" >&2
    local t0 t1
    t0=$(now_ns)
    "$gen" --records "$n" --employees "$employees" --seed "$seed" --format "$fmt" -o "$f.tmp"
    t1=$(now_ns)
    mv "$f.tmp" "$f"
    echo "  $(awk -v ns=$((t1 - t0)) 'BEGIN{printf "%.2f", ns/1e9}') s" >&2
  fi
  echo "$f"
}

# check_reports N FILE: the reports decorum gives with 1 and with all threads must be
# byte-identical and count all N records; a timing of wrong or unstable output means nothing.
check_reports() {
  local n=$1 f=$2 base rb=${3:-$rules}
  base="$scratch/report-$(basename "$rb" .yaml)-$(basename "$f")"
  "$decorum" score -r "$rb" --format json -j 1 "$f" >"$base.j1.json" || die "decorum score -j 1 $f failed"
  "$decorum" score -r "$rb" --format json -j "$threads" "$f" >"$base.j$threads.json" ||
    die "decorum score -j $threads $f failed"
  cmp -s "$base.j1.json" "$base.j$threads.json" ||
    die "reports differ between -j 1 and -j $threads for $f (see $base.j*.json); not timing"
  local read scored
  read=$(jq '.input.records' "$base.j1.json")
  scored=$(jq '.input.scored' "$base.j1.json")
  [[ $read == "$n" ]] || die "input.records is $read, expected $n, for $f"
  [[ $scored == "$n" ]] || echo "bench/run.sh: warning: only $scored of $n records scored in $f" >&2
  echo "$base.j1.json"
}

# Scenarios are registered first and then run round-robin, $runs rounds: on a shared
# machine a burst of someone else's work then spoils one run of each scenario rather than
# every run of one, and the best-of-runs stays meaningful.
declare -a rows=() scen_name=() scen_n=() scen_file=()
declare -A best_rate=() peak_mb=() cores_used=()
scenario() {  # scenario NAME N FILE CMD...
  local i=${#scen_name[@]}
  scen_name+=("$1")
  scen_n+=("$2")
  scen_file+=("$3")
  shift 3
  declare -ga "scen_cmd_$i"
  local -n cmd="scen_cmd_$i"
  cmd=("$@")
}

# run_scenarios: times every registered scenario; best wall time, peak RSS over all runs.
run_scenarios() {
  local count=${#scen_name[@]} i r t0 t1 kb cpu
  local -a best_ns=() best_cpu=() rss_kb=()
  for ((r = 0; r < runs; ++r)); do
    for ((i = 0; i < count; ++i)); do
      local -n cmd="scen_cmd_$i"
      t0=$(now_ns)
      /usr/bin/time -v -o "$scratch/time.txt" "${cmd[@]}" >"$scratch/out.txt" 2>"$scratch/err.txt" ||
        die "${scen_name[i]} failed: $(show "${cmd[*]}") (see $scratch/err.txt)"
      t1=$(now_ns)
      kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$scratch/time.txt")
      cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$scratch/time.txt")
      if ((kb > ${rss_kb[i]:-0})); then rss_kb[i]=$kb; fi
      if ((${best_ns[i]:-0} == 0 || t1 - t0 < best_ns[i])); then
        best_ns[i]=$((t1 - t0))
        best_cpu[i]=$cpu
      fi
      unset -n cmd
    done
    echo "  round $((r + 1))/$runs done" >&2
  done
  for ((i = 0; i < count; ++i)); do
    local name=${scen_name[i]} n=${scen_n[i]} bytes line key
    bytes=$(stat -c %s "${scen_file[i]}")
    line=$(awk -v n="$n" -v b="$bytes" -v ns="${best_ns[i]}" -v kb="${rss_kb[i]}" -v name="$name" -v cpu="${best_cpu[i]}" 'BEGIN {
      s = ns / 1e9
      printf "| %s | %d | %.1f | %.3f | %.2f | %.2f M | %.1f | %.1f |", name, n, b / 1e6, s, cpu, n / s / 1e6, b / 1e6 / s, kb / 1024
    }')
    rows+=("$line")
    key="$name/$n"
    best_rate[$key]=$(awk -v n="$n" -v ns="${best_ns[i]}" 'BEGIN{printf "%.0f", n / (ns / 1e9)}')
    peak_mb[$key]=$(awk -v kb="${rss_kb[i]}" 'BEGIN{printf "%.1f", kb / 1024}')
    cores_used[$key]=$(awk -v cpu="${best_cpu[i]}" -v ns="${best_ns[i]}" 'BEGIN{printf "%.2f", cpu / (ns / 1e9)}')
    echo "$line" >&2
    local -n cmd="scen_cmd_$i"
    commands+=("$(show "${cmd[*]}")")
    unset -n cmd
  done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -a commands=() gen_commands=() sizes=("$records")
((large)) && [[ $records != 10000000 ]] && sizes+=(10000000)
notes=()
same_formats=1
for n in "${sizes[@]}"; do
  jsonl=$(log_file "$n" jsonl)
  csv=$(log_file "$n" csv)
  gen_commands+=("$(show "$gen --records $n --employees $employees --seed $seed --format jsonl -o $jsonl")")
  gen_commands+=("$(show "$gen --records $n --employees $employees --seed $seed --format csv -o $csv")")

  echo "checking reports for $n records" >&2
  rj=$(check_reports "$n" "$jsonl")
  rc=$(check_reports "$n" "$csv")
  # Both files hold the same logical records, so the tallies must agree too; a difference
  # is a decorum bug worth a note, though it does not make the timings wrong.
  if ! cmp -s "$rj" "$rc"; then
    same_formats=0
    notes+=("At $n records the JSONL and CSV reports differ ($(show "$rj") vs $(show "$rc")).")
    echo "bench/run.sh: warning: JSONL and CSV reports differ at $n records" >&2
  fi

  scenario parse_jsonl "$n" "$jsonl" "$parse" "$jsonl"
  scenario "score_jsonl -j 1" "$n" "$jsonl" "$decorum" score -r "$rules" --format json -j 1 -o "$scratch/score.json" "$jsonl"
  if ((threads > 1)); then
    scenario "score_jsonl -j $threads" "$n" "$jsonl" "$decorum" score -r "$rules" --format json -j "$threads" -o "$scratch/score.json" "$jsonl"
  fi
  check_reports "$n" "$jsonl" "$across_rules" >/dev/null
  scenario "score_jsonl across -j 1" "$n" "$jsonl" "$decorum" score -r "$across_rules" --format json -j 1 -o "$scratch/score.json" "$jsonl"
  if ((threads > 1)); then
    scenario "score_jsonl across -j $threads" "$n" "$jsonl" "$decorum" score -r "$across_rules" --format json -j "$threads" -o "$scratch/score.json" "$jsonl"
  fi
  scenario split_csv "$n" "$csv" "$split" "$csv"
  scenario "score_csv -j 1" "$n" "$csv" "$decorum" score -r "$rules" --format json -j 1 -o "$scratch/score.json" "$csv"
  if ((threads > 1)); then
    scenario "score_csv -j $threads" "$n" "$csv" "$decorum" score -r "$rules" --format json -j "$threads" -o "$scratch/score.json" "$csv"
  fi
done
echo "timing ${#scen_name[@]} scenarios, $runs rounds" >&2
run_scenarios

# A -j N run that keeps only one core busy means decorum did not (yet) use the threads;
# say so, or the thread ratio would read as a scaling result.
if ((threads > 1)); then
  for n in "${sizes[@]}"; do
    for fmt in jsonl csv; do
      used=${cores_used["score_$fmt -j $threads/$n"]}
      if awk -v u="$used" 'BEGIN{exit !(u < 1.2)}'; then
        notes+=("\`decorum score -j $threads\` on $fmt at $n records kept $used cores busy (CPU time ÷ wall time): it ran single-threaded.")
      fi
    done
  done
fi

# ---- targets (issue #5): judged at every size, memory at 10 M
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b == 0) print "n/a"; else printf "%.0f%%", 100 * a / b }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN{ print (v + 0 >= t + 0) ? "met" : "**not met**" }'; }
mrate() { awk -v r="$1" 'BEGIN{printf "%.2f M", r / 1e6}'; }

targets=()
for n in "${sizes[@]}"; do
  at="$(awk -v n="$n" 'BEGIN{printf "%g M", n / 1e6}')"
  sj1=${best_rate["score_jsonl -j 1/$n"]}
  sc1=${best_rate["score_csv -j 1/$n"]}
  pj=${best_rate["parse_jsonl/$n"]}
  sc=${best_rate["split_csv/$n"]}
  targets+=("| $at | decorum JSONL, 1 thread ÷ simdjson parse-only | $(pct "$sj1" "$pj") | ≥ 45% | $(verdict "$(ratio "$sj1" "$pj")" 0.45) |")
  targets+=("| $at | decorum JSONL, 1 thread | $(mrate "$sj1") rec/s | ≥ 2 M rec/s | $(verdict "$sj1" 2000000) |")
  targets+=("| $at | decorum CSV, 1 thread ÷ CSV split-only | $(pct "$sc1" "$sc") | ≥ 45% | $(verdict "$(ratio "$sc1" "$sc")" 0.45) |")
  targets+=("| $at | decorum CSV, 1 thread | $(mrate "$sc1") rec/s | ≥ 2.5 M rec/s | $(verdict "$sc1" 2500000) |")
  if ((threads > 1)); then
    for fmt in jsonl csv; do
      a=${best_rate["score_$fmt -j $threads/$n"]}
      b=${best_rate["score_$fmt -j 1/$n"]}
      targets+=("| $at | decorum ${fmt^^}, $threads threads ÷ 1 thread | $(ratio "$a" "$b")× | ≥ 1.7× (2 threads) | $(verdict "$(ratio "$a" "$b")" 1.7) |")
    done
  fi
done
if ((large)); then
  worst=0
  for k in "${!peak_mb[@]}"; do
    [[ $k == score*/10000000 ]] || continue
    worst=$(awk -v a="$worst" -v b="${peak_mb[$k]}" 'BEGIN{print (b > a) ? b : a}')
  done
  targets+=("| 10 M | decorum peak RSS (worst scenario) | $worst MiB | < 100 MB | $(awk -v w="$worst" 'BEGIN{print (w < 100) ? "met" : "**not met**"}') |")
else
  targets+=("| 10 M | decorum peak RSS | not measured (run with --large) | < 100 MB | – |")
fi

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain 2>/dev/null | grep -q . && echo " (with uncommitted changes)" || true)
{
  echo "# decorum benchmark results"
  echo
  echo "Written by \`bench/run.sh\`; do not edit by hand. Each scenario (one folder under"
  echo "\`bench/\`, see its README.md) ran $runs times, round-robin, on a warm page cache; the table shows the best"
  echo "wall time (and the user+system CPU time of that run) and the highest peak RSS."
  echo "records/s and MB/s are from wall time; MB = 10^6 bytes of input; RSS in MiB. The machine"
  echo "is shared: the load average is given so a contended run can be recognised."
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Machine: $threads cores (nproc), $cpu, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "- decorum: $rev$dirty, $("$decorum" --version 2>/dev/null || echo '?'), built Release (-O3, no -march) in build-bench/"
  echo "- Compiler: $(c++ --version | head -1); simdjson $(dpkg-query -W -f '${Version}' libsimdjson-dev 2>/dev/null || echo '?')"
  echo "- Logs: $employees employees, seed $seed; rulebook bench/rules/bench.yaml (30 rules)"
  for n in "${sizes[@]}"; do
    for fmt in jsonl csv; do
      f="$scratch/log-$n-e$employees-s$seed.$fmt"
      echo "  - $(basename "$f"): $(awk -v b="$(stat -c %s "$f")" -v n="$n" 'BEGIN{printf "%.1f MB, %.0f bytes/record", b/1e6, b/n}')"
    done
  done
  echo "- Checked before timing: \`decorum score --format json\` with \`-j 1\` and \`-j $threads\` give byte-identical"
  echo "  reports, and \`input.records\` equals the number generated (JSONL and CSV, every size)."
  if ((same_formats)); then
    echo "- The JSONL and CSV files hold the same records, and their reports are byte-identical too."
  fi
  for note in "${notes[@]+"${notes[@]}"}"; do echo "- Note: $note"; done
  echo
  echo "| scenario | records | MB | best wall s | its CPU s | records/s | MB/s | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for r in "${rows[@]}"; do echo "$r"; done
  echo
  echo "## Targets (issue #5)"
  echo
  echo "| records | measure | value | target | |"
  echo "|---|---|---:|---|---|"
  for t in "${targets[@]}"; do echo "$t"; done
  echo
  echo "What limits single-thread throughput, measured with perf and callgrind, is in"
  echo "\`bench/README.md\` (section \"What limits throughput\")."
  echo
  echo "## Commands"
  echo
  echo "\`SCRATCH\` is the scratch directory (\`$scratch\` here, outside the repository)."
  echo
  echo '```sh'
  echo "cmake -S . -B build-bench -G Ninja -DDECORUM_BUILD_BENCH=ON -DDECORUM_BUILD_TESTS=OFF"
  echo "ninja -C build-bench -j1 decorum_bench_gen decorum_bench_parse_jsonl decorum_bench_split_csv decorum_cli"
  echo "bench/run.sh$( ((large)) && echo ' --large')$( [[ $records != 1000000 ]] && echo " --records $records")$( ((runs != 3)) && echo " --runs $runs")   # all of the below"
  for c in "${gen_commands[@]}"; do echo "$c"; done
  # each timed command once, in table order
  printf '%s\n' "${commands[@]}" | awk '!seen[$0]++'
  echo '```'
} >"$output.new"
# The resource-bound section is bench/resources/run.sh's, the others measured by hand
# (rules across records, the HTML report); keep them.
if [[ -f $output ]]; then
  for section in resources across html; do
    sed -n "/<!-- $section:begin -->/,/<!-- $section:end -->/p" "$output" | { grep -q . && { echo; cat; } || true; } >>"$output.new"
  done
fi
mv "$output.new" "$output"
echo "wrote $(show "$output")" >&2
