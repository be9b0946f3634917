#!/usr/bin/env bash
# conformance.sh: runs the conformance harness (API profile) against an
# apiserver on memory storage, both from a coverage build, and stops the
# apiserver with SIGTERM so its gcov counters are written (called by
# coverage.mk). Usage: conformance.sh <build-dir> <request-log>
set -u
b=$1; log=$2
api=$b/bin/apiserver; harness=$b/bin/ckube-conformance
if [ ! -x "$api" ] || [ ! -x "$harness" ]; then
  echo "coverage: $api or $harness missing; conformance run skipped"
  exit 0
fi
dir=$(mktemp -d)
portfile=$dir/port
"$api" --storage-backend memory --port 0 --port-file "$portfile" >"$dir/apiserver.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.1; done
if [ ! -s "$portfile" ]; then
  echo "coverage: apiserver did not start:"; tail -5 "$dir/apiserver.log"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"; exit 1
fi
port=$(cat "$portfile")
mkdir -p "$(dirname "$log")"
"$harness" --server "http://127.0.0.1:$port" --profile api --request-log "$log" \
  --report "$dir/conformance.md" > "$dir/harness.out" 2>&1
rc=$?
tail -3 "$dir/harness.out"
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$dir"
echo "coverage: conformance harness exited $rc (failures do not stop coverage); request log $log"
exit 0
