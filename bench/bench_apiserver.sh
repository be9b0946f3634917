#!/usr/bin/env bash
# bench_apiserver.sh: the apiserver's throughput and latency on loopback,
# each figure next to its yardstick: GET of one pod vs nginx serving the same
# JSON as a static file; creates vs raw etcd puts through the same v3 JSON
# gateway; p50/p99 at 1, 16 and 64 connections (wrk). Prints figures and
# ratios; asserts nothing.
set -eu
APISERVER=${1:-build/bin/apiserver}
DUR=${BENCH_SECONDS:-5}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

EP=$(port); PP=$(port); AP=$(port); NP=$(port)
etcd --data-dir "$work/etcd" --listen-client-urls http://127.0.0.1:$EP --advertise-client-urls http://127.0.0.1:$EP \
     --listen-peer-urls http://127.0.0.1:$PP --initial-advertise-peer-urls http://127.0.0.1:$PP \
     --initial-cluster default=http://127.0.0.1:$PP >"$work/etcd.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -sf http://127.0.0.1:$EP/health >/dev/null && break; sleep 0.1; done
"$APISERVER" --etcd-servers http://127.0.0.1:$EP --port $AP -v 0 >"$work/apiserver.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -sf http://127.0.0.1:$AP/readyz >/dev/null && break; sleep 0.1; done
S=http://127.0.0.1:$AP
curl -sf -X POST -H 'Content-Type: application/json' $S/api/v1/namespaces/default/pods -d \
  '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bench","labels":{"app":"bench"}},"spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}}' >/dev/null
mkdir -p "$work/www"; curl -sf $S/api/v1/namespaces/default/pods/bench > "$work/www/pod.json"
cat > "$work/nginx.conf" <<NGX
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$NP; root $work/www;
       location / { default_type application/json; } } }
NGX
nginx -c "$work/nginx.conf" >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 50); do curl -sf http://127.0.0.1:$NP/pod.json >/dev/null && break; sleep 0.1; done

# wrk: requests/s and latency percentiles (ms) from its --latency report.
run() { # conns url [script]
  local c=$1 url=$2 script=${3:-}
  wrk -t $(( c < 2 ? 1 : 2 )) -c "$c" -d "${DUR}s" --latency ${script:+-s "$script"} "$url" 2>/dev/null |
  awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2}
       function ms(x){ if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
       END {printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99)}'
}
cat > "$work/create.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"b-"},"data":{"k":"v"}}'
  return wrk.format("POST", "/api/v1/namespaces/default/configmaps", {["Content-Type"]="application/json"}, body)
end
LUA
cat > "$work/put.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local key = "/registry/configmaps/default/b-" .. math.random(1, 1000000000)
  local b64 = "L3JlZ2lzdHJ5L2NvbmZpZ21hcHMvZGVmYXVsdC9i" -- fixed prefix is fine: etcd stores every put
  local body = '{"key":"' .. b64 .. math.random(10000000, 99999999) .. '","value":"eyJhcGlWZXJzaW9uIjoidjEifQ=="}'
  return wrk.format("POST", "/v3/kv/put", {["Content-Type"]="application/json"}, body)
end
LUA
printf '%-44s %10s %9s %9s\n' "benchmark (${DUR}s each)" "req/s" "p50 ms" "p99 ms"
declare -A R
for c in 1 16 64; do
  R[ng$c]=$(run $c http://127.0.0.1:$NP/pod.json)
  R[get$c]=$(run $c $S/api/v1/namespaces/default/pods/bench)
  R[put$c]=$(run $c http://127.0.0.1:$EP/v3/kv/put "$work/put.lua")
  R[cr$c]=$(run $c $S/api/v1/namespaces/default/configmaps "$work/create.lua")
  printf '%-44s %10s %9s %9s\n' "nginx GET static pod.json, $c conns" ${R[ng$c]}
  printf '%-44s %10s %9s %9s\n' "apiserver GET pod, $c conns" ${R[get$c]}
  printf '%-44s %10s %9s %9s\n' "etcd raw put via gateway, $c conns" ${R[put$c]}
  printf '%-44s %10s %9s %9s\n' "apiserver create configmap, $c conns" ${R[cr$c]}
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
for c in 1 16 64; do
  g=$(echo ${R[get$c]} | cut -d' ' -f1); n=$(echo ${R[ng$c]} | cut -d' ' -f1)
  cr=$(echo ${R[cr$c]} | cut -d' ' -f1); p=$(echo ${R[put$c]} | cut -d' ' -f1)
  echo "ratio at $c conns: GET apiserver/nginx = $(ratio $g $n) (goal >= 0.5); create/etcd put = $(ratio $cr $p) (goal >= 0.7)"
done
echo "mutating p99 at 64 conns: $(echo ${R[cr64]} | cut -d' ' -f3) ms (goal <= 20 ms)"
