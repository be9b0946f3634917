#!/usr/bin/env bash
# docs-check.sh: runs the commands the docs quote, against a fresh local
# cluster, and fails naming the doc and the command that broke.
#
# Convention: a fenced ```sh block whose previous line is
#   <!-- docs-check -->
# is run as one bash script (set -euo pipefail), in doc order, from the
# repository root, with KUBECONFIG, CKUBE_DIR (the cluster's --dir) and
# PATH=<shim>:$BIN exported, so `ckube ...` and `kubectl ...` work as the
# reader would type them. `<!-- docs-check needs=kubelet -->` runs the block
# only when $BIN/kubelet is built. Each block gets BLOCK_TIMEOUT seconds.
#
# usage: docs-check.sh BIN_DIR [DOC.md...]   (default: docs/*.md)
set -uo pipefail
BIN=$(cd "${1:?usage: docs-check.sh BIN_DIR [docs...]}" && pwd); shift
DOCS=("$@"); [ ${#DOCS[@]} -gt 0 ] || DOCS=(docs/*.md)
BLOCK_TIMEOUT=${BLOCK_TIMEOUT:-30}

work=$(mktemp -d /tmp/ckube-docs-check-XXXXXX)
dir=$work/cluster
cleanup() { "$BIN/ckube" down --dir "$dir" >/dev/null 2>&1; bash "$(dirname "$0")/cluster-reap.sh" "$dir"; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# Extract: one file per block, plus an index "doc<TAB>line<TAB>file<TAB>needs".
mkdir -p "$work/blocks"
awk -v out="$work/blocks" '
  FNR == 1 { marked = 0; inblock = 0 }
  inblock && /^```/ { inblock = 0; close(f); next }
  inblock { print > f; next }
  /^<!-- docs-check( needs=[a-z-]+)? -->[ \t]*$/ {
    marked = 1; needs = ""
    if (match($0, /needs=[a-z-]+/)) needs = substr($0, RSTART + 6, RLENGTH - 6)
    next
  }
  marked && /^```(sh|bash|shell)[ \t]*$/ {
    n++; f = sprintf("%s/%03d.sh", out, n); inblock = 1; marked = 0
    printf "%s\t%d\t%s\t%s\n", FILENAME, FNR, f, needs > (out "/index")
    next
  }
  { marked = 0 }
' "${DOCS[@]}"
[ -s "$work/blocks/index" ] || { echo "docs-check: no <!-- docs-check --> blocks in ${DOCS[*]}"; exit 0; }

# `ckube trace` until main.c dispatches it: a shim routes it to ckube-trace.
mkdir -p "$work/shim"
if "$BIN/ckube" trace pod/x --audit-log /dev/null 2>/dev/null | grep -q 'no writes or events'; then
  ln -s "$BIN/ckube" "$work/shim/ckube"
else
  printf '#!/bin/sh\nif [ "$1" = trace ]; then shift; exec "%s/ckube-trace" "$@"; fi\nexec "%s/ckube" "$@"\n' \
    "$BIN" "$BIN" > "$work/shim/ckube"
  chmod +x "$work/shim/ckube"
fi

up=$("$BIN/ckube" up --dir "$dir" ${CKUBE_UP_FLAGS:-} 2>&1) || { echo "docs-check: ckube up failed: $up"; exit 1; }
export KUBECONFIG=$dir/kubeconfig CKUBE_DIR=$dir PATH="$work/shim:$BIN:$PATH"
echo "docs-check: cluster up in $dir"

pass=0; fail=0; skip=0
while IFS=$'\t' read -r doc line file needs; do
  first=$(grep -v '^\s*#' "$file" | grep -m1 -v '^\s*$')
  if [ -n "$needs" ] && [ ! -x "$BIN/$needs" ]; then
    skip=$((skip + 1)); echo "docs-check: skip $doc:$line (needs $needs): $first"; continue
  fi
  out=$(timeout "$BLOCK_TIMEOUT" bash -euo pipefail "$file" 2>&1); rc=$?
  if [ $rc = 0 ]; then
    pass=$((pass + 1)); echo "docs-check: ok   $doc:$line: $first"
  else
    fail=$((fail + 1))
    echo "docs-check: FAIL $doc:$line (exit $rc$([ $rc = 124 ] && echo ", timed out after ${BLOCK_TIMEOUT}s")): $first"
    printf '%s\n' "$out" | tail -n 15 | sed 's/^/    | /'
  fi
done < "$work/blocks/index"
echo "docs-check: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
