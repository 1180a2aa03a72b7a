#!/usr/bin/env bash
# The proxy's added latency (docs/benchmarks.md, "Proxy"). bench/open_loop_client sends a small
# chat completion at a fixed rate (RATE=1000 per second, DURATION=10 s after a 1 s warm-up, over
# keep-alive connections; latency from each request's scheduled send time) first straight to the
# mock, then through `sluice serve` to the same mock. The mock (no latency, limits 10^9 rpm and
# 10^12 tpm) and the client share core 1; sluice has core 0 to itself, with the same limits and
# max_in_flight 256, no gateway keys. Reports both latency distributions and the added latency
# (proxy - direct) at p50 and p99. Target: p99 added <= 1 ms.
# Usage: bench/proxy_latency.sh [path/to/sluice] [path/to/open_loop_client]
#   BENCH_RT=10 runs the pinned processes under SCHED_FIFO (see bench_pin in bench/lib.sh).
# Exit 0 when the target is met and every request got a 200, 1 if not.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init proxy_latency "${1:-}"
client="${2:-$(dirname "${sluice}")/../../bench/open_loop_client}"
[[ -x "${client}" ]] || bench_die "no open_loop_client at ${client} (build its release target)"
command -v taskset >/dev/null || bench_die "taskset not found"
rate="${RATE:-1000}"
duration="${DURATION:-10}"
warmup=1
huge_rpm=1000000000
huge_tpm=1000000000000

bench_machine
bench_start_mock 1 --rpm "${huge_rpm}" --tpm "${huge_tpm}" --seed 7
bench_config "${bench_tmp}/sluice.yaml" "${huge_rpm}" "${huge_tpm}" 256 60s
bench_start_serve 0 "${bench_tmp}/sluice.yaml"
bench_chat_body "${bench_tmp}/body.json" bench-model
echo "mock ${mock_url} on core 1 with the client; sluice serve ${serve_url} on core 0"

# measure NAME BASE_URL: runs the client; prints its summary on stderr and its "result" line.
measure() {
  echo "-- $1: ${rate} requests/s for ${duration} s" >&2
  local ok=0
  bench_pin 1
  timeout 120 "${pin[@]}" "${client}" "$2/v1/chat/completions" "${bench_tmp}/body.json" \
    "${rate}" "${duration}" 64 "${warmup}" >"${bench_tmp}/$1.txt" || ok=$?
  cat "${bench_tmp}/$1.txt" >&2
  [[ "${ok}" -eq 0 ]] || bench_die "$1: not every request got a 200"
  grep '^result ' "${bench_tmp}/$1.txt"
}

direct="$(measure direct "${mock_url}")"
before="$(bench_cpu_seconds "${serve_pid}")"
ticks="$(bench_cpu_ticks)"
proxy="$(measure proxy "${serve_url}")"
busy0="$(bench_core_busy "${ticks}" "$(bench_cpu_ticks)" 0)"
sluice_cpu="$(awk -v a="$(bench_cpu_seconds "${serve_pid}")" -v b="${before}" 'BEGIN {print a - b}')"
stats="$(bench_mock_stats)"
echo "mock: $(bench_stat "${stats}" received) received, $(bench_stat "${stats}" rate_limited) rate-limited"

awk -v d="${direct}" -v p="${proxy}" -v limited="$(bench_stat "${stats}" rate_limited)" \
  -v cpu="${sluice_cpu}" -v busy0="${busy0}" -v rate="${rate}" -v s="$((duration + warmup))" 'BEGIN {
  split(d, dv, /[ =]/); split(p, pv, /[ =]/);
  for (i = 2; i < length(dv); i += 2) { direct[dv[i]] = dv[i + 1]; proxy[pv[i]] = pv[i + 1] }
  printf "latency (us)   %8s %8s %8s %8s %8s\n", "p50", "p90", "p99", "p99.9", "max";
  printf "direct         %8.0f %8.0f %8.0f %8.0f %8.0f\n", direct["p50"], direct["p90"],
    direct["p99"], direct["p999"], direct["max"];
  printf "through sluice %8.0f %8.0f %8.0f %8.0f %8.0f\n", proxy["p50"], proxy["p90"],
    proxy["p99"], proxy["p999"], proxy["max"];
  add50 = proxy["p50"] - direct["p50"]; add99 = proxy["p99"] - direct["p99"];
  printf "during the proxy run (warm-up included): sluice cpu %.2f s = %.0f us per request; core 0 busy %d %% (sluice %.0f %%, the rest other processes)\n",
    cpu, 1e6 * cpu / (rate * s), busy0, 100 * cpu / s;
  printf "added latency: p50 %.0f us, p99 %.0f us; target p99 <= 1000 us\n", add50, add99;
  pass = add99 <= 1000 && limited == 0;
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
