#!/usr/bin/env bash
# integration_binding.sh: starts the real apiserver (memory storage) and the
# scheduler, creates 3 nodes (one tainted control-plane, one too small) and
# a pod, and checks the binding, the Scheduled event, and a FailedScheduling
# message for a pod that fits nowhere; then that a Succeeded pod no longer
# counts against its node's pods allocatable.
# Usage: APISERVER=build/bin/apiserver SCHEDULER=build/bin/scheduler bash reference/scheduler/tests/integration_binding.sh
set -euo pipefail
APISERVER=${APISERVER:-build/bin/apiserver}
SCHEDULER=${SCHEDULER:-build/bin/scheduler}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
"$APISERVER" --storage-backend memory --port 0 --port-file "$tmp/port" >"$tmp/apiserver.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$tmp/port")"
post() { curl -sf -H 'Content-Type: application/json' -X POST "$url$1" -d "$2" >/dev/null; }
node() { # name cpu taints
  post /api/v1/nodes "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"$1\",\"labels\":{\"kubernetes.io/hostname\":\"$1\"}},\"spec\":{\"taints\":$3},\"status\":{\"allocatable\":{\"cpu\":\"$2\",\"memory\":\"8Gi\",\"pods\":\"110\"},\"capacity\":{\"cpu\":\"$2\",\"memory\":\"8Gi\",\"pods\":\"110\"}}}"
}
pod() { # name cpu
  post /api/v1/namespaces/default/pods "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"$1\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":\"$2\"}}}]}}"
}
node cp 4 '[{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}]'
node small 500m '[]'
node big 4 '[]'
"$SCHEDULER" --master "$url" --leader-elect=false >"$tmp/scheduler.log" 2>&1 &
pids+=($!)
pod web 1
pod huge 8
fail() { echo "FAIL: $*"; cat "$tmp/scheduler.log"; exit 1; }
for _ in $(seq 100); do
  n=$(curl -sf "$url/api/v1/namespaces/default/pods/web" | jq -r '.spec.nodeName // ""')
  [ -n "$n" ] && break; sleep 0.1
done
[ "$n" = big ] || fail "web bound to '$n', want big"
sleep 1
events=$(curl -sf "$url/api/v1/namespaces/default/events")
echo "$events" | jq -e '.items[] | select(.reason=="Scheduled" and .message=="Successfully assigned default/web to big" and .source.component=="default-scheduler")' >/dev/null || fail "no Scheduled event"
want='0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.'
echo "$events" | jq -e --arg m "$want" '.items[] | select(.reason=="FailedScheduling" and .type=="Warning" and .message==$m)' >/dev/null || fail "no FailedScheduling event: $(echo "$events" | jq -r '.items[].message')"
curl -sf "$url/api/v1/namespaces/default/pods/huge" | jq -e --arg m "$want" '.status.conditions[] | select(.type=="PodScheduled" and .status=="False" and .reason=="Unschedulable" and .message==$m)' >/dev/null || fail "no PodScheduled=False condition"
# A node with room for one pod: once its pod Succeeded, the next one fits
# (the scheduler's pod informer leaves terminal pods out).
post /api/v1/nodes '{"apiVersion":"v1","kind":"Node","metadata":{"name":"one","labels":{"kubernetes.io/hostname":"one"}},"status":{"allocatable":{"cpu":"4","memory":"8Gi","pods":"1"},"capacity":{"cpu":"4","memory":"8Gi","pods":"1"}}}'
pinned() { post /api/v1/namespaces/default/pods "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"$1\"},\"spec\":{\"nodeSelector\":{\"kubernetes.io/hostname\":\"one\"},\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"; }
bound() { # pod node
  for _ in $(seq 100); do
    [ "$(curl -sf "$url/api/v1/namespaces/default/pods/$1" | jq -r '.spec.nodeName // ""')" = "$2" ] && return 0; sleep 0.1
  done
  return 1
}
pinned first
bound first one || fail "first not bound to one"
curl -sf -X PATCH -H 'Content-Type: application/merge-patch+json' "$url/api/v1/namespaces/default/pods/first/status" -d '{"status":{"phase":"Succeeded"}}' >/dev/null
pinned second
bound second one || fail "second not bound to one after first Succeeded: $(curl -sf "$url/api/v1/namespaces/default/pods/second" | jq -c .status)"
echo "PASS: binding, Scheduled event, FailedScheduling event and PodScheduled condition, terminal pods free their node"
