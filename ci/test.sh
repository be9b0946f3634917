#!/usr/bin/env bash
# ci/test.sh: what `make test` runs after building: the CUnit unit tests,
# then each end-to-end stage that exists (harness self-test, fuzz corpus
# replay, docs commands, valgrind, sanitizers). Every stage's verdict counts;
# the last line is "N passed, N failed" over unit tests and stages together.
# CK_SKIP_MEMCHECK=1 / CK_SKIP_SANITIZE=1 leave the slow memory stages out
# for a quick local run; CI runs everything.
set -u
BUILD=${BUILD:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

bash ci/unit.sh "$@" | tee "$log"
read -r passed failed < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ {print $1, $3}' "$log" | tail -n 1)
passed=${passed:-0}; failed=${failed:-1}

stage() { # name command...
  local name=$1; shift
  local t0=$(date +%s)
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1)); echo "stage: $name ok ($(( $(date +%s) - t0 ))s)"
  else
    failed=$((failed + 1)); echo "stage: $name FAILED ($(( $(date +%s) - t0 ))s)"
  fi
}
[ -f ci/harness_selftest.sh ] && stage "harness self-test" bash ci/harness_selftest.sh "$BUILD"
# Component integration scripts (real apiserver on the memory backend plus
# the component under test): reference/<component>/tests/integration_*.sh.
for s in reference/*/tests/integration_*.sh; do
  [ -f "$s" ] && stage "integration ${s#reference/}" env APISERVER="$BUILD/bin/apiserver" \
    SCHEDULER="$BUILD/bin/scheduler" bash "$s"
done
grep -qs '^fuzz-regress:' fuzz/fuzz.mk && stage "fuzz corpus replay" make --no-print-directory fuzz-regress
grep -qs '^docs-check:' docs/docs.mk && stage "docs commands" make --no-print-directory docs-check
# The memory checks CI owes every change: valgrind and ASan+UBSan over the
# unit tests, each also under a harness run against the apiserver.
[ "${CK_SKIP_MEMCHECK:-0}" = 1 ] || stage "valgrind" bash ci/memcheck.sh "$BUILD" "$@"
[ "${CK_SKIP_SANITIZE:-0}" = 1 ] || stage "sanitizers" make --no-print-directory sanitize
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
