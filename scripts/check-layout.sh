#!/usr/bin/env bash
# scripts/check-layout.sh — fails when a file of one pipeline stage includes a later stage
# (issue 12). Stages in order: base syntax rulebook check compile read eval tally report api cli.
set -euo pipefail
cd "$(dirname "$0")/.."
order=(base syntax rulebook check compile read eval tally report api cli)
rank() { for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }
bad=0
while IFS= read -r f; do
  stage=$(echo "$f" | sed -E 's#^(src|include/decorum)/([a-z]+)/.*#\2#')
  r=$(rank "$stage")
  [ "$r" -ge 0 ] || continue
  while IFS= read -r inc; do
    s2=$(echo "$inc" | sed -E 's#.*"(decorum/)?([a-z]+)/.*#\2#')
    r2=$(rank "$s2")
    if [ "$r2" -gt "$r" ]; then echo "$f ($stage) includes $inc (a later stage: $s2)"; bad=1; fi
  # Public headers ("decorum/<stage>/…") and, from src/, the stages' internal ones ("<stage>/…").
  done < <(grep -oE '#include "(decorum/)?[a-z]+/[^"]+"' "$f" || true)
done < <(git ls-files src include | grep -E '\.(cpp|hpp)$')
[ "$bad" -eq 0 ] && echo "layout: no include from an earlier stage of a later one"
exit "$bad"
