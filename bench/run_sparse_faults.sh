#!/usr/bin/env bash
# Scenario of docs/benchmarks.md "sparse 5xx": random, sparse overload errors must not collapse
# the concurrency window. The same 3,000-line file runs twice through `sluice run` against the
# mock (300 ms to first byte, no limits, max_in_flight 64): fault-free, then with 2 % of
# requests answered 503 at random (retried). Reports both wall times and their ratio; target:
# the faulty run takes at most 1.3 × the fault-free one. Both runs check one result per line.
# Usage: bench/run_sparse_faults.sh [path/to/sluice]   (LINES=3000 RATE=0.02)   Exit 0 if it holds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init run_sparse_faults "${1:-}"
lines="${LINES:-3000}"
rate="${RATE:-0.02}"

bench_machine
bench_generate "${bench_tmp}/input.jsonl" "${lines}" 60 16 16 >/dev/null

# run NAME MOCK_ARGS...: one run on a fresh mock and data_dir; prints its wall time in seconds.
run() {
  local name="$1"
  shift
  bench_start_mock - --ttfb 300ms --seed 5 "$@"
  rm -rf "${bench_tmp}/data"
  bench_config "${bench_tmp}/sluice.yaml" 1000000000 1000000000000 64 30s
  local wall stats
  wall="$(bench_time_run 900 "${bench_tmp}/sluice.yaml" "${bench_tmp}/input.jsonl" \
    "${bench_tmp}/${name}.jsonl" "${lines}")"
  stats="$(bench_mock_stats)"
  bench_stop "${mock_pid}"
  echo "${name}: $(bench_stat "${stats}" received) requests, $(bench_stat "${stats}" http_503) x 503" >&2
  echo "${wall}"
}

clean="$(run clean)"
faulty="$(run faulty --fail-503 "${rate}")"
awk -v c="${clean}" -v f="${faulty}" -v r="${rate}" 'BEGIN {
  ratio = f / c
  printf "fault-free %.2f s, %.0f%% random 503s %.2f s: ratio %.2f (target <= 1.30) %s\n",
    c, 100 * r, f, ratio, ratio <= 1.3 ? "PASS" : "FAIL"
  exit ratio <= 1.3 ? 0 : 1
}'
