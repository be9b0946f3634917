#!/usr/bin/env bash
# trace-scenario.sh: the create-pod flow on a fresh cluster. Starts
# `ckube up`, creates a pod and a one-replica ReplicaSet, waits for them to
# settle, prints `ckube trace` of each (as a transcript: "$ command" then its
# output), deletes them, and always stops the cluster.
#
# usage: trace-scenario.sh BIN_DIR [--update DOC.md]
#   --update DOC  replaces the text between "<!-- trace:begin -->" and
#                 "<!-- trace:end -->" in DOC with the transcript.
set -uo pipefail
BIN=$(cd "${1:?usage: trace-scenario.sh BIN_DIR [--update DOC.md]}" && pwd); shift
UPDATE=""; [ "${1:-}" = --update ] && UPDATE=${2:?--update needs a file}
WAIT=${WAIT:-20}   # seconds to wait for Running when a node exists

work=$(mktemp -d /tmp/ckube-trace-XXXXXX)
dir=$work/cluster
cleanup() { "$BIN/ckube" down --dir "$dir" >/dev/null 2>&1; bash "$(dirname "$0")/cluster-reap.sh" "$dir"; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# `ckube trace` until main.c dispatches it (see docs-check.sh).
if "$BIN/ckube" trace pod/x --audit-log /dev/null 2>/dev/null | grep -q 'no writes or events'; then
  trace() { "$BIN/ckube" trace "$@"; }
else
  trace() { "$BIN/ckube-trace" "$@"; }
fi
"$BIN/ckube" up --dir "$dir" ${CKUBE_UP_FLAGS:-} >/dev/null 2>"$work/up.err" ||
  { cat "$work/up.err" >&2; exit 1; }
export KUBECONFIG=$dir/kubeconfig

transcript=$work/transcript
show() { # show CMD...: echo it as typed (with the tmp dir as $D), then run it
  local shown="$*"; shown=${shown//$dir/\$D}
  printf '$ %s\n' "$shown" >> "$transcript"
  ( cd "$work" && "$@" ) 2>&1 | sed "s#$dir#\$D#g" >> "$transcript"
}

cat > "$work/hello.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
  - name: hello
    image: busybox
    command: ["sleep", "3600"]
YAML
cat > "$work/hello-rs.yaml" <<'YAML'
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: hello-rs
spec:
  replicas: 1
  selector:
    matchLabels: {app: hello-rs}
  template:
    metadata:
      labels: {app: hello-rs}
    spec:
      containers:
      - name: hello
        image: busybox
        command: ["sleep", "3600"]
YAML

nodes=$(kubectl get nodes -o name 2>/dev/null | wc -l)
: > "$transcript"
printf '# cluster: %s node(s)%s\n' "$nodes" "$([ "$nodes" = 0 ] && echo ' (no node: no kubelet running, pods stay Pending)')" >> "$transcript"
show kubectl apply -f hello.yaml
show kubectl apply -f hello-rs.yaml
if [ "$nodes" -gt 0 ]; then
  kubectl wait --for=condition=Ready pod/hello --timeout="${WAIT}s" >/dev/null 2>&1
  kubectl wait --for=condition=Ready pod -l app=hello-rs --timeout="${WAIT}s" >/dev/null 2>&1
else
  sleep 2   # the scheduler and the ReplicaSet controller act within a second
fi
show kubectl get pods -o wide
# A short grace period: `sleep` as PID 1 ignores SIGTERM, so the kubelet
# would otherwise wait the default 30 s before killing it.
show kubectl delete pod hello --grace-period=2 --wait=false
kubectl wait --for=delete pod/hello --timeout="${WAIT}s" >/dev/null 2>&1 || sleep 1
show trace pod/hello --dir "$dir"
rspod=$(kubectl get pods -l app=hello-rs -o jsonpath='{.items[0].metadata.name}' 2>/dev/null)
show trace rs/hello-rs --dir "$dir"
[ -n "$rspod" ] && show trace "pod/$rspod" --dir "$dir"
sed -i 's/^\$ trace /$ ckube trace /' "$transcript"

if [ -n "$UPDATE" ]; then
  awk -v t="$transcript" '
    /<!-- trace:begin -->/ { print; print "```text"; while ((getline l < t) > 0) print l; print "```"; skip=1; next }
    /<!-- trace:end -->/ { skip=0 }
    !skip { print }' "$UPDATE" > "$work/doc" && cat "$work/doc" > "$UPDATE"
  echo "trace-scenario: updated $UPDATE"
else
  cat "$transcript"
fi
