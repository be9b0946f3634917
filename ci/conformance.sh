#!/usr/bin/env bash
# ci/conformance.sh: what `make conformance` runs. With TARGET=url it runs the
# harness against that server; without, it starts a local ckube cluster
# (`ckube up --dir`), runs the harness against it and stops it (`ckube down`)
# even on failure. Reads TARGET KUBECONFIG TOKEN INSECURE FOCUS SKIP PROFILE
# JUNIT LIST TIMEOUT_SCALE KEEP PARALLEL from the environment; reports go to
# reports/. PARALLEL=N runs tests on N workers ([Serial] ones last, alone):
# default 1 against a TARGET, 4 against the local cluster (measured fastest
# and stable on a 2-core machine, see conformance/README.md).
set -u
BUILD=${BUILD:-build}
HARNESS=$BUILD/bin/ckube-conformance
CKUBE=$BUILD/bin/ckube
REPORTS=${REPORTS:-reports}

die() { echo "conformance: $*" >&2; exit 2; }
yes() { case "${1:-}" in 1|true|yes|on) return 0;; *) return 1;; esac; }

[ -x "$HARNESS" ] || die "$HARNESS is missing (run: make all)"

# API coverage of the run (coverage/apicov.c): every endpoint x verb the
# target advertises, and which the harness's request log exercised.
api_coverage() {
  local apicov=$BUILD/coverage/apicov args=()
  [ -x "$apicov" ] || make --no-print-directory "$apicov" >/dev/null 2>&1 || return 0
  while [ $# -gt 0 ]; do
    case $1 in --server|--token) args+=("$1" "$2"); shift 2;; --insecure) args+=("$1"); shift;; *) shift;; esac
  done
  "$apicov" "${args[@]}" --log "$REPORTS/requests.log" --md "$REPORTS/api-coverage.md" \
    --json "$REPORTS/api-coverage.json" | tail -n 3 >&2
}

common=()
[ -n "${FOCUS:-}" ] && common+=(--focus "$FOCUS")
[ -n "${SKIP:-}" ] && common+=(--skip "$SKIP")
[ -n "${TIMEOUT_SCALE:-}" ] && common+=(--timeout-scale "$TIMEOUT_SCALE")

if yes "${LIST:-}"; then
  exec "$HARNESS" --list --profile "${PROFILE:-full}" "${common[@]}"
fi

yes "${KEEP:-}" && common+=(--keep)
mkdir -p "$REPORTS" || die "cannot create $REPORTS/"
outputs=(--junit "${JUNIT:-$REPORTS/junit.xml}" --report "$REPORTS/conformance.md"
         --request-log "$REPORTS/requests.log")

if [ -n "${TARGET:-}" ]; then
  conn=(--server "$TARGET")
  [ -n "${KUBECONFIG:-}" ] && conn+=(--kubeconfig "$KUBECONFIG")
  [ -n "${TOKEN:-}" ] && conn+=(--token "$TOKEN")
  yes "${INSECURE:-}" && conn+=(--insecure)
  "$HARNESS" "${conn[@]}" --profile "${PROFILE:-api}" --parallel "${PARALLEL:-1}" "${common[@]}" "${outputs[@]}"
  rc=$?
  [ "$rc" -lt 2 ] && api_coverage "${conn[@]}"
  [ "$rc" -lt 2 ] && echo "conformance: reports in $REPORTS/ (junit: ${JUNIT:-$REPORTS/junit.xml})" >&2
  exit $rc
fi

# No TARGET: a local ckube cluster for the duration of the run.
[ -x "$CKUBE" ] || die "no TARGET given and $CKUBE does not exist yet; run against a server with: make conformance TARGET=https://host:6443 KUBECONFIG=..."

dir=$(mktemp -d "${TMPDIR:-/tmp}/ckube-conformance.XXXXXX") || die "mktemp failed"
up_pid=""
cleanup() {
  "$CKUBE" down --dir "$dir" >/dev/null 2>&1
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then kill "$up_pid" 2>/dev/null; wait "$up_pid" 2>/dev/null; fi
  if yes "${KEEP:-}"; then echo "conformance: kept $dir (KEEP)" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$CKUBE" up --dir "$dir" >"$dir/up.out" 2>"$dir/up.err" &
up_pid=$!
scale=${TIMEOUT_SCALE:-1}
deadline=$(( $(date +%s) + ${scale%.*} * 60 + 60 ))
server=""
while [ -z "$server" ]; do
  server=$(sed -n 's/^server: *//p' "$dir/up.out" | head -n 1)
  [ -n "$server" ] && break
  if ! kill -0 "$up_pid" 2>/dev/null; then
    wait "$up_pid"; rc=$?
    server=$(sed -n 's/^server: *//p' "$dir/up.out" | head -n 1)
    [ -n "$server" ] && break
    tail -n 20 "$dir/up.err" >&2
    die "ckube up exited ($rc) without printing 'server: URL'"
  fi
  [ "$(date +%s)" -lt "$deadline" ] || { tail -n 20 "$dir/up.err" >&2; die "ckube up printed no 'server: URL' in time"; }
  sleep 0.5
done
conn=(--server "$server")
[ -f "$dir/kubeconfig" ] && conn+=(--kubeconfig "$dir/kubeconfig")

# PROFILE defaults to what the local cluster supports: cluster when a node
# turns Ready within 30s, else api (an apiserver without nodes).
profile=${PROFILE:-}
if [ -z "$profile" ]; then
  profile=api
  for _ in $(seq 1 60); do
    if curl -fsS --max-time 5 "$server/api/v1/nodes" 2>/dev/null | tr -d ' \n\t' \
        | grep -Eq '"type":"Ready","status":"True"|"status":"True","type":"Ready"'; then
      profile=cluster; break
    fi
    sleep 0.5
  done
  echo "conformance: local cluster at $server, profile $profile" >&2
fi

"$HARNESS" "${conn[@]}" --profile "$profile" --parallel "${PARALLEL:-4}" "${common[@]}" "${outputs[@]}"
rc=$?
[ "$rc" -lt 2 ] && api_coverage "${conn[@]}"
[ "$rc" -lt 2 ] && echo "conformance: reports in $REPORTS/ (junit: ${JUNIT:-$REPORTS/junit.xml})" >&2
exit $rc
