#!/usr/bin/env bash
# summary.sh: per-component line and branch coverage from an lcov tracefile
# (called by coverage.mk). Prints a table and writes it as Markdown.
# Usage: summary.sh <coverage.info> <summary.md> <min-line-%> <min-branch-%>
# Exits 1 when the whole-project line or branch figure is under its minimum.
set -u
info=$1; out=$2; min_lines=$3; min_branches=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
components=("reference/lib/api" "reference/lib/store" "reference/lib/client" "reference/lib/util"
            "reference/lib/node" "reference/apiserver" "reference/scheduler" "reference/controller-manager"
            "reference/cloud-controller-manager" "reference/kubelet" "reference/kube-proxy" "conformance")

# lcov --summary prints "lines......: 71.2% (123 of 456 lines)" and the same for branches.
figures() {
  lcov --rc lcov_branch_coverage=1 --summary "$1" 2>&1 |
    awk '/lines\.*:/ {l=$2" "$3" "$4" "$5} /branches\.*:/ {b=$2" "$3" "$4" "$5} END {print l "|" b}'
}
pct() { printf '%s' "$1" | awk '{sub("%","",$1); print ($1 == "" ? "n/a" : $1)}'; }

{
  echo "# Code coverage"
  echo
  echo "Unit tests, plus the conformance harness (API profile) against an apiserver on memory storage when both are built; gcc --coverage in build-cov/."
  echo "HTML: coverage/html/index.html"
  echo
  echo "| component | lines | line % | branches | branch % |"
  echo "|---|---:|---:|---:|---:|"
} > "$out"
printf '%-36s %9s %20s %9s %20s\n' COMPONENT "LINE %" LINES "BRANCH %" BRANCHES
for c in "${components[@]}" ALL; do
  if [ "$c" = ALL ]; then f=$info; else
    lcov --rc lcov_branch_coverage=1 --extract "$info" "*/$c/*" -o "$tmp/c.info" >/dev/null 2>&1 || continue
    f=$tmp/c.info
  fi
  IFS='|' read -r l b <<<"$(figures "$f")"
  [ -z "$l" ] && continue
  lp=$(pct "$l"); bp=$(pct "$b")
  lc=$(printf '%s' "$l" | sed -E 's/.*\(([0-9]+) of ([0-9]+).*/\1\/\2/')
  bc=$(printf '%s' "$b" | sed -E 's/.*\(([0-9]+) of ([0-9]+).*/\1\/\2/')
  [ -z "$b" ] && { bc="-"; bp="n/a"; }
  printf '%-36s %9s %20s %9s %20s\n' "$c" "$lp" "$lc" "$bp" "$bc"
  printf '| %s | %s | %s | %s | %s |\n' "$c" "$lc" "$lp" "$bc" "$bp" >> "$out"
  [ "$c" = ALL ] && { all_l=$lp; all_b=$bp; }
done
echo >> "$out"
echo "Thresholds (coverage.mk): lines >= ${min_lines}%, branches >= ${min_branches}%." >> "$out"
fail=0
awk -v a="${all_l:-0}" -v m="$min_lines" 'BEGIN {exit !(a+0 < m+0)}' && { echo "coverage: lines ${all_l}% under the ${min_lines}% threshold"; fail=1; }
awk -v a="${all_b:-0}" -v m="$min_branches" 'BEGIN {exit !(a+0 < m+0)}' && { echo "coverage: branches ${all_b}% under the ${min_branches}% threshold"; fail=1; }
echo "coverage: summary in $out"
exit $fail
