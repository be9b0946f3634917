#!/usr/bin/env bash
# cluster-reap.sh DIR: after `ckube down --dir DIR`, kills (by pid) what the
# cluster's kubelets left behind: their forked pod/container processes keep
# the kubelet's command line (--master http://<ip>:<apiserver port>) and
# outlive `ckube down` today (reported to the launcher/kubelet owners).
dir=${1:?usage: cluster-reap.sh DIR}
port=$(cat "$dir/apiserver.port" 2>/dev/null) || exit 0
[ -n "$port" ] || exit 0
for p in /proc/[0-9]*; do
  args=$( { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null) || continue
  case "$args" in
    *"/kubelet "*"--master http://"*":$port "*) kill -9 "${p#/proc/}" 2>/dev/null ;;
  esac
done
exit 0
