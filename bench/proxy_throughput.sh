#!/usr/bin/env bash
# The most requests/s `sluice serve` proxies on one core (docs/benchmarks.md, "Proxy"). wrk (1
# thread, CONNECTIONS=64 keep-alive connections, DURATION=10s) POSTs a small chat completion
# (bench/mock_chat.lua):
#   1. baseline: straight to the mock, the mock alone on core 0, wrk on core 1;
#   2. proxy: to `sluice serve` alone on core 0 (event loop, store and counting threads), whose
#      one deployment is a mock on core 1, sharing that core with wrk.
# Both mocks have no latency and limits of 10^9 rpm / 10^12 tpm; sluice has the same limits,
# max_in_flight 256 and no gateway keys, so no limit can bind. Reports both rates, their ratio,
# each process's CPU use and each core's busy share, and says what bounded the proxy's figure:
# sluice's core, other processes on it (a shared machine), or core 1, where wrk and the mock share
# a core in run 2.
# Usage: bench/proxy_throughput.sh [path/to/sluice]   Exit 0 when the proxy reaches 10,000/s.
#   BENCH_RT=10 runs the pinned processes under SCHED_FIFO (see bench_pin in bench/lib.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init proxy_throughput "${1:-}"
for tool in wrk taskset; do
  command -v "${tool}" >/dev/null || bench_die "${tool} not found"
done
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
huge_rpm=1000000000
huge_tpm=1000000000000
export BENCH_MODEL=bench-model

# load URL SECONDS: runs wrk on core 1 against URL; its output in $bench_tmp/wrk.txt, its CPU
# seconds (user + sys) printed.
TIMEFORMAT='%U %S'
load() {
  bench_pin 1
  { time "${pin[@]}" wrk -t1 -c"${connections}" -d"$2" -s "${bench_here}/mock_chat.lua" \
      "$1/" >"${bench_tmp}/wrk.txt"; } 2>"${bench_tmp}/wrk.time"
  awk '{printf "%.2f\n", $1 + $2}' "${bench_tmp}/wrk.time"
}
# checked NAME: wrk's summary of the last load, after checking every answer was a 2xx (if not,
# sluice's counts of the statuses it sent are shown, when it runs).
checked() {
  if grep -q 'Non-2xx' "${bench_tmp}/wrk.txt"; then
    cat "${bench_tmp}/wrk.txt" >&2
    [[ -z "${serve_url:-}" ]] ||
      curl -s --max-time 10 "${serve_url}/metrics" | grep '^sluice_http_requests_total' >&2
    bench_die "$1: some answers were not 2xx"
  fi
  cat "${bench_tmp}/wrk.txt"
}
rps() { awk '/Requests\/sec/ {print $2}' "${bench_tmp}/wrk.txt"; }
seconds() { awk '/requests in/ {sub(/s,$/, "", $4); print $4}' "${bench_tmp}/wrk.txt"; }

bench_machine
echo "-- baseline: the mock alone on core 0, wrk -t1 -c${connections} on core 1, ${duration}"
bench_start_mock 0 --rpm "${huge_rpm}" --tpm "${huge_tpm}" --seed 7
before="$(bench_cpu_seconds "${mock_pid}")"
ticks="$(bench_cpu_ticks)"
base_wrk_cpu="$(load "${mock_url}" "${duration}")"
base_busy0="$(bench_core_busy "${ticks}" "$(bench_cpu_ticks)" 0)"
base_mock_cpu="$(awk -v a="$(bench_cpu_seconds "${mock_pid}")" -v b="${before}" 'BEGIN {print a - b}')"
checked baseline
base_rps="$(rps)"
base_s="$(seconds)"
bench_stop "${mock_pid}"

echo "-- proxy: sluice serve alone on core 0; the mock and wrk -t1 -c${connections} on core 1, ${duration}"
bench_start_mock 1 --rpm "${huge_rpm}" --tpm "${huge_tpm}" --seed 7
bench_config "${bench_tmp}/sluice.yaml" "${huge_rpm}" "${huge_tpm}" 256 60s
bench_start_serve 0 "${bench_tmp}/sluice.yaml"
load "${serve_url}" 2s >/dev/null  # warm-up: connections, vocabularies, allocator
checked warm-up >/dev/null
sluice_before="$(bench_cpu_seconds "${serve_pid}")"
mock_before="$(bench_cpu_seconds "${mock_pid}")"
ticks="$(bench_cpu_ticks)"
wrk_cpu="$(load "${serve_url}" "${duration}")"
after="$(bench_cpu_ticks)"
busy0="$(bench_core_busy "${ticks}" "${after}" 0)"
busy1="$(bench_core_busy "${ticks}" "${after}" 1)"
sluice_cpu="$(awk -v a="$(bench_cpu_seconds "${serve_pid}")" -v b="${sluice_before}" 'BEGIN {print a - b}')"
mock_cpu="$(awk -v a="$(bench_cpu_seconds "${mock_pid}")" -v b="${mock_before}" 'BEGIN {print a - b}')"
checked proxy
proxy_rps="$(rps)"
proxy_s="$(seconds)"
stats="$(bench_mock_stats)"
limited="$(bench_stat "${stats}" rate_limited)"
echo "mock: $(bench_stat "${stats}" received) received, ${limited} rate-limited"

# What bounded the proxy's figure: sluice's own core (sluice busy nearly all the time), other
# processes on that core (core 0 busy, but not with sluice), or core 1 (busy with the mock + wrk).
awk -v b="${base_rps}" -v bs="${base_s}" -v bm="${base_mock_cpu}" -v bw="${base_wrk_cpu}" \
  -v bb0="${base_busy0}" -v p="${proxy_rps}" -v ps="${proxy_s}" -v sc="${sluice_cpu}" \
  -v mc="${mock_cpu}" -v wc="${wrk_cpu}" -v b0="${busy0}" -v b1="${busy1}" \
  -v limited="${limited}" 'BEGIN {
  printf "baseline (the mock alone on core 0): %.0f requests/s; core 0 busy %d %%, the mock %.0f %% of it; wrk %.0f %% of core 1\n",
    b, bb0, 100 * bm / bs, 100 * bw / bs;
  sluice = 100 * sc / ps; ours1 = 100 * (mc + wc) / ps;
  printf "through sluice serve: %.0f requests/s; core 0 busy %d %%, sluice %.0f %% of it; core 1 busy %d %%, the mock %.0f %% + wrk %.0f %%\n",
    p, b0, sluice, b1, 100 * mc / ps, 100 * wc / ps;
  printf "proxy / baseline = %.2f; requests per sluice cpu-second: %.0f; target >= 10000 requests/s\n",
    p / b, p * ps / sc;
  if (sluice >= 90) print "bound: sluice had its core nearly all the time: this is its ceiling on this core";
  else if (b0 >= 90) printf "bound: other processes took %.0f %% of sluice'"'"'s core: the shared machine bounds this figure\n", b0 - sluice;
  else if (ours1 >= 85) print "bound: core 1 (the mock + wrk) was saturated: it bounds this figure, not sluice";
  else print "bound: no core was saturated";
  pass = p >= 10000 && limited == 0;
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
