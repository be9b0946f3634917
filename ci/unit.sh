#!/usr/bin/env bash
# Runs every CUnit test executable given as arguments, sums CUnit's
# "tests" rows, and ends with the plain line "N passed, N failed".
# CK_VALGRIND=1 runs each under valgrind (leaks and invalid accesses fail it).
# CK_JOBS=N runs N test executables at once (default: the number of CPUs
# under valgrind, 1 otherwise); results are reported in argument order.
set -u
passed=0; failed=0; broken=""
if [ "${CK_VALGRIND:-0}" = 1 ]; then jobs=${CK_JOBS:-$(nproc 2>/dev/null || echo 1)}; else jobs=${CK_JOBS:-1}; fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run_one() { # index test
  local i=$1 t=$2 run
  if [ "${CK_VALGRIND:-0}" = 1 ]; then
    run=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
         --errors-for-leak-kinds=definite,indirect --track-origins=yes "$t")
  else
    run=("$t")
  fi
  "${run[@]}" >"$out/$i.log" 2>&1
  echo $? >"$out/$i.rc"
}

i=0
for t in "$@"; do
  [ -x "$t" ] || continue
  i=$((i + 1))
  run_one "$i" "$t" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n 2>/dev/null || sleep 0.1; done
done
wait

i=0
for t in "$@"; do
  [ -x "$t" ] || continue
  i=$((i + 1))
  rc=$(cat "$out/$i.rc")
  line=$(awk '$1=="tests" && NF>=5 {print $3, $4, $5}' "$out/$i.log" | tail -n 1)
  if [ -z "$line" ]; then
    tail -n 20 "$out/$i.log"
    echo "unit: $t: exited $rc without a CUnit summary" >&2
    failed=$((failed + 1)); broken="$broken $t"; continue
  fi
  read -r ran ok bad <<<"$line"
  passed=$((passed + ok)); failed=$((failed + bad))
  if [ "$rc" != 0 ] || [ "$bad" != 0 ]; then
    grep -vE '^\s*$' "$out/$i.log" | tail -n 40
    broken="$broken $t"
    [ "$bad" = 0 ] && failed=$((failed + 1))   # a crash or a valgrind error
  fi
  printf 'unit: %-50s %3s ran, %3s passed, %3s failed\n' "${t#*/tests/}" "$ran" "$ok" "$bad"
done
[ -n "$broken" ] && echo "unit: failing:$broken" >&2
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
