#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan+UBSan) and runs each one for a fixed
# time on its seed corpus (fuzz/corpus/<target>/, read only; new inputs go to build/fuzz/corpus/).
# Fails on the first crash, leak, sanitizer report or timeout, naming the input that caused it.
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]   (default: 20 s, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift $(($# > 0 ? 1 : 0))
all=(fuzz_request_line fuzz_line_reader fuzz_http_request fuzz_multipart fuzz_config fuzz_sse
  fuzz_upstream_answer)
targets=("${all[@]}")
[ $# -gt 0 ] && targets=("$@")

declare -A dict=([fuzz_request_line]=json [fuzz_upstream_answer]=json [fuzz_http_request]=http
  [fuzz_multipart]=multipart [fuzz_sse]=sse [fuzz_config]=yaml)

# A UBSan report shows where it happened; ASan also reports leaks (libFuzzer's -detect_leaks=1).
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
source scripts/compiler_cache.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
out=build/fuzz/runs
mkdir -p "$out"
for target in "${targets[@]}"; do
  work="build/fuzz/corpus/$target"
  mkdir -p "$work"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
    -artifact_prefix="$out/$target-")
  [ -n "${dict[$target]:-}" ] && args+=(-dict="fuzz/dict/${dict[$target]}.dict")
  log="$out/$target.log"
  if ! "build/fuzz/fuzz/$target" "${args[@]}" "$work" "fuzz/corpus/$target" >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz.sh: $target failed; the input is $(ls -t "$out/$target-"* 2>/dev/null | head -n 1)" >&2
    exit 1
  fi
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  rate=$(grep -o 'average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  echo "$target: ${seconds}s, ${rate:-?} exec/s, $(grep -o 'cov: [0-9]*' <<<"$done_line"), 0 crashes"
done
