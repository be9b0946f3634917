#!/usr/bin/env bash
# Installs the Debian packages ckube needs, only those missing. Run as root
# (CI and a fresh Debian 12 machine); prints what it installs, nothing else.
set -eu
PKGS="build-essential pkg-config libmicrohttpd-dev libcurl4-openssl-dev
libjansson-dev libfyaml-dev libcunit1-dev libssl-dev etcd-server etcd-client valgrind
lcov clang libclang-rt-14-dev wrk nginx-light busybox-static iproute2
iptables graphviz curl ca-certificates procps libnghttp2-dev bash-static jq"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ci/deps.sh: missing packages:$missing (run as root to install them)" >&2
  exit 1
fi
echo "ci/deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# nginx-light's postinst tries to start nginx; a policy-rc.d keeps services down.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
apt-get install -y -qq --no-install-recommends $missing >/dev/null
rm -f /usr/sbin/policy-rc.d
