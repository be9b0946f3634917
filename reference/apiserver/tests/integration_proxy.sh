#!/usr/bin/env bash
# integration_proxy.sh: the proxy subresources over real sockets. A real
# apiserver (memory storage) proxies nodes/<n>/proxy to a busybox httpd
# standing in for the kubelet; checks what upstream's UpgradeAwareHandler
# passes through: the backend's status code, the query string, a redirect's
# Location rewritten under the proxy path, and the ./proxy -> ./proxy/
# redirect keeping the query.
# Usage: APISERVER=build/bin/apiserver bash reference/apiserver/tests/integration_proxy.sh
set -euo pipefail
APISERVER=${APISERVER:-build/bin/apiserver}
BUSYBOX=${BUSYBOX:-/bin/busybox}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$tmp/www/cgi-bin" "$tmp/www/dir"
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "q=$QUERY_STRING"\n' >"$tmp/www/cgi-bin/q"
chmod +x "$tmp/www/cgi-bin/q"
echo hi >"$tmp/www/dir/index.html"
port=$(( 20000 + RANDOM % 20000 ))
"$BUSYBOX" httpd -f -p "127.0.0.1:$port" -h "$tmp/www" &
pids+=($!)
"$APISERVER" --storage-backend memory --port 0 --port-file "$tmp/port" >"$tmp/apiserver.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$tmp/port")"
curl -sf -H 'Content-Type: application/json' -X POST "$url/api/v1/nodes" -d '{"metadata":{"name":"n1"}}' >/dev/null
curl -sf -H 'Content-Type: application/merge-patch+json' -X PATCH "$url/api/v1/nodes/n1/status" \
  -d "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":$port}}}}" >/dev/null
base="$url/api/v1/nodes/n1/proxy"

code=$(curl -s -o /dev/null -w '%{http_code}' "$base/nope")
[ "$code" = 404 ] || fail "a backend 404 came back as $code"
body=$(curl -sf "$base/cgi-bin/q?a=b&c=d%20e")
[ "$body" = "q=a=b&c=d%20e" ] || fail "the query did not reach the backend as sent: '$body'"
loc=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$base/dir")
[ "$loc" = "302 $base/dir/" ] || fail "the backend's redirect came back as '$loc', want '302 $base/dir/'"
loc=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$url/api/v1/nodes/n1/proxy?x=1")
[ "$loc" = "301 $base/?x=1" ] || fail "./proxy redirected as '$loc', want '301 $base/?x=1'"
echo "PASS: proxy passes the backend's status, the query and rewritten redirects"
