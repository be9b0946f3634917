#!/usr/bin/env bash
# ci/memcheck.sh BUILD: the memory checks of `make memcheck` and `make test`:
# every unit test under valgrind (ci/unit.sh, CK_VALGRIND=1), then a short
# conformance run against an apiserver that itself runs under valgrind
# (memory backend): no leak, no invalid access, in the server's own code path.
set -u
BUILD=${1:-build}
shift || true
say() { echo "memcheck: $*"; }
command -v valgrind >/dev/null || { say "valgrind is not installed (make deps)"; exit 2; }
tmp_unit=$(mktemp)
CK_VALGRIND=1 bash ci/unit.sh "$@" >"$tmp_unit" 2>&1
unit_rc=$?
# the summary, or on a failure everything but the per-test ok lines
if [ "$unit_rc" = 0 ]; then tail -n 1 "$tmp_unit"; else grep -vE '^unit: .* 0 failed$' "$tmp_unit"; fi
rm -f "$tmp_unit"

tmp=$(mktemp -d) || exit 2
trap 'kill $as_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --log-file="$tmp/valgrind.log" \
  "$BUILD/bin/apiserver" --storage-backend memory --port 0 --port-file "$tmp/port" --etcd-compaction-interval 5s -v 0 >"$tmp/apiserver.log" 2>&1 &
as_pid=$!
for _ in $(seq 200); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || { say "apiserver under valgrind did not start"; exit 1; }
server=http://127.0.0.1:$(cat "$tmp/port")
"$BUILD/bin/ckube-conformance" --server "$server" --profile api \
  --focus '^api\.(crud|watch|patch|errors|list)\.' --timeout-scale 4 >"$tmp/harness.out" 2>&1
harness_rc=$?
kill -TERM $as_pid; wait $as_pid; server_rc=$?
grep -E "tests +[0-9]" "$tmp/harness.out" | tail -n 1
if [ "$server_rc" = 99 ] || grep -q "==[0-9]*==" "$tmp/valgrind.log"; then
  head -n 40 "$tmp/valgrind.log"
  say "FAIL: valgrind found errors in the apiserver during a harness run"
  exit 1
fi
[ "$harness_rc" = 0 ] || { tail -n 20 "$tmp/harness.out"; say "FAIL: harness run under valgrind failed"; exit 1; }
[ "$unit_rc" = 0 ] || { say "FAIL: unit tests under valgrind"; exit 1; }
say "OK: unit tests and an apiserver harness run are valgrind-clean"
