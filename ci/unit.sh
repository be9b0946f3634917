#!/usr/bin/env bash
# Runs every CUnit test executable given as arguments, sums CUnit's
# "tests" rows, and ends with the plain line "N passed, N failed".
# CK_VALGRIND=1 runs each under valgrind (leaks and invalid accesses fail it).
set -u
passed=0; failed=0; broken=""
for t in "$@"; do
  [ -x "$t" ] || continue
  if [ "${CK_VALGRIND:-0}" = 1 ]; then
    run=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
         --errors-for-leak-kinds=definite,indirect --track-origins=yes "$t")
  else
    run=("$t")
  fi
  out=$("${run[@]}" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | awk '$1=="tests" && NF>=5 {print $3, $4, $5}' | tail -n 1)
  if [ -z "$line" ]; then
    printf '%s\n' "$out" | tail -n 20
    echo "unit: $t: exited $rc without a CUnit summary" >&2
    failed=$((failed + 1)); broken="$broken $t"; continue
  fi
  read -r ran ok bad <<<"$line"
  passed=$((passed + ok)); failed=$((failed + bad))
  if [ "$rc" != 0 ] || [ "$bad" != 0 ]; then
    printf '%s\n' "$out" | grep -vE '^\s*$' | tail -n 40
    broken="$broken $t"
    [ "$bad" = 0 ] && failed=$((failed + 1))   # a crash or a valgrind error
  fi
  printf 'unit: %-50s %3s ran, %3s passed, %3s failed\n' "${t#*/tests/}" "$ran" "$ok" "$bad"
done
[ -n "$broken" ] && echo "unit: failing:$broken" >&2
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
