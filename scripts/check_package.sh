#!/usr/bin/env bash
# Checks that sluice works as installed, outside the build tree. Usage:
#   scripts/check_package.sh install BUILD_DIR   # cmake --install into a scratch prefix
#   scripts/check_package.sh deb BUILD_DIR       # cpack -G DEB, then dpkg-deb -x into a scratch dir
# Either way the installed `sluice --version` must print the version, and a dry run must count
# tokens exactly with the vocabularies the package carries (share/sluice/tokenizers), fall back to
# the estimate when SLUICE_TOKENIZER_DIR points elsewhere, and when the vocabularies are gone.
# Builds nothing: run it after the build (ctest runs it as the tests install_prefix and
# deb_package).
set -euo pipefail
shopt -s inherit_errexit
mode="${1:?usage: check_package.sh install|deb BUILD_DIR}"
build="$(cd "${2:?usage: check_package.sh install|deb BUILD_DIR}" && pwd)"
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

fail() { echo "check_package ($mode): $*" >&2; exit 1; }

install_into_prefix() {
  cmake --install "$build" --prefix "$scratch/prefix" >/dev/null || fail "cmake --install failed"
  echo "$scratch/prefix"
}

install_from_deb() {
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/cpack" >/dev/null ||
    fail "cpack -G DEB failed"
  local deb
  deb="$(ls "$scratch"/cpack/sluice_*.deb)"
  [ "$(dpkg-deb -f "$deb" Package)" = sluice ] || fail "$deb is not package sluice"
  [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "$deb is not version $version"
  local depends
  depends="$(dpkg-deb -f "$deb" Depends)"
  for lib in libc6 libstdc++6 libssl3 libsqlite3-0; do
    [[ "$depends" == *"$lib"* ]] || fail "Depends of $deb lacks $lib: $depends"
  done
  # Every dependency is a package this (Debian) machine has installed, or one an installed
  # package provides (libspdlog1.10 provides libspdlog1.10-fmt9), so apt can satisfy it.
  local installed package
  installed=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Provides}\n' |
    sed -n 's/^ii *//p' | sed 's/ *([^)]*)//g; s/,/ /g' | tr '\n' ' ') "
  for package in $(echo "$depends" | tr ',' '\n' | sed 's/ *(.*)//; s/^ *//'); do
    [[ "$installed" == *" $package "* ]] ||
      fail "Depends of $deb names $package, which nothing installed here provides"
  done
  dpkg-deb -x "$deb" "$scratch/root"
  echo "$scratch/root/usr"
}

case "$mode" in
  install) prefix="$(install_into_prefix)" ;;
  deb) prefix="$(install_from_deb)" ;;
  *) fail "unknown mode $mode (install or deb)" ;;
esac

bin="$prefix/bin/sluice"
[ -x "$bin" ] || fail "no executable $bin"
for file in o200k_base.tiktoken cl100k_base.tiktoken; do
  [ -f "$prefix/share/sluice/tokenizers/$file" ] || fail "no $prefix/share/sluice/tokenizers/$file"
done
[ "$("$bin" --version)" = "sluice $version" ] || fail "--version printed '$("$bin" --version)'"

# A dry run sends nothing, so the deployment's address is never dialled.
work="$scratch/work"
mkdir -p "$work"
cat >"$work/sluice.yaml" <<'YAML'
data_dir: ./data
models:
  - name: gpt-4o-mini
    deployments:
      - provider: openai-compatible
        base_url: http://127.0.0.1:9/v1
        api_key: sk-never-sent
YAML
printf '%s\n' \
  '{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}]}}' \
  '{"custom_id":"b","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How many tokens is this?"}]}}' \
  >"$work/in.jsonl"
# Started through PATH, as a user would: argv[0] is then "sluice", and only /proc/self/exe leads
# to the vocabularies.
dry_run() {
  (cd "$work" && env -u SLUICE_TOKENIZER_DIR PATH="$prefix/bin:$PATH" "$@" sluice \
    --config sluice.yaml run in.jsonl --output out.jsonl --dry-run 2>&1) ||
    fail "the dry run failed"
}

out="$(dry_run)"
[[ "$out" == *"dry run: 2 requests, 0 invalid lines"* ]] || fail "dry run printed: $out"
[[ "$out" == *"prompt tokens: exact"* ]] || fail "installed vocabularies not used: $out"
mkdir "$work/empty"
out="$(dry_run SLUICE_TOKENIZER_DIR="$work/empty")"
[[ "$out" == *"about 4 characters a token"* ]] || fail "SLUICE_TOKENIZER_DIR did not override: $out"
mv "$prefix/share/sluice/tokenizers" "$scratch/moved"
out="$(dry_run)"
[[ "$out" == *"about 4 characters a token"* ]] ||
  fail "found vocabularies outside the install: $out"
echo "check_package ($mode): $bin runs, reports sluice $version and counts tokens exactly"
