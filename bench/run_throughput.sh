#!/usr/bin/env bash
# Scenario 2 of docs/benchmarks.md: `sluice run`'s own overhead. The mock has no limits and no
# latency and is pinned to core 0; a 100,000-line file (40-character prompts, max_tokens 16) runs
# end to end (ingest into SQLite, dispatch, results, output file) with `sluice run` pinned to
# core 1, its limits huge and max_in_flight 256. Beside it, in the same run and on the same
# cores, the naive baseline: bench/baseline_client without limits (a fixed-concurrency loop on
# http::Client with no limiter, store or output) sends the same file's bodies to the same mock,
# once before and once after sluice. Reports both rates and sluice / baseline (target: sluice >= 10,000 requests/s).
# Usage: bench/run_throughput.sh [path/to/sluice] [path/to/baseline_client]   (LINES=100000)
# Exit 0 when the target is met, 1 if not.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init run_throughput "${1:-}"
naive="${2:-$(dirname "${sluice}")/../../bench/baseline_client}"
[[ -x "${naive}" ]] || bench_die "no baseline_client at ${naive} (ninja -C build/release baseline_client)"
command -v taskset >/dev/null || bench_die "taskset not found"
lines="${LINES:-100000}"
concurrency=256

bench_machine
read -r n _ < <(bench_generate "${bench_tmp}/input.jsonl" "${lines}" 40 16 16)
echo "input: ${n} requests; mock pinned to core 0, client under test pinned to core 1"
bench_start_mock 0 --seed 7
bench_config "${bench_tmp}/sluice.yaml" 1000000000 1000000000000 "${concurrency}" 60s

# Each client's CPU time (user + sys) is recorded too: under load from other processes, requests
# per CPU-second is the steadier comparison. TIMEFORMAT makes bash's `time` print "real user sys".
TIMEFORMAT='%R %U %S'
# baseline NAME: runs baseline_client (no limits); prints "requests/s cpu_seconds".
baseline() {
  curl -s --max-time 10 -X POST "${mock_url}/mock/reset" >/dev/null
  { time timeout 300 taskset -c 1 "${naive}" "${bench_tmp}/input.jsonl" "${mock_url}" \
      --concurrency "${concurrency}" >"${bench_tmp}/$1.txt"; } 2>"${bench_tmp}/$1.time"
  cat "${bench_tmp}/$1.txt" >&2
  awk '/^requests\/s:/ {printf "%s ", $2}' "${bench_tmp}/$1.txt"
  awk '{print $2 + $3}' "${bench_tmp}/$1.time"
}

echo "-- baseline (baseline_client, ${concurrency} concurrent), before" >&2
read -r base1 base1_cpu < <(baseline before)

echo "-- sluice run (max_in_flight ${concurrency})"
curl -s --max-time 10 -X POST "${mock_url}/mock/reset" >/dev/null
start="$(bench_now)"
{ time timeout 600 taskset -c 1 "${sluice}" --config "${bench_tmp}/sluice.yaml" run \
  "${bench_tmp}/input.jsonl" --output "${bench_tmp}/output.jsonl" \
  >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log"; } 2>"${bench_tmp}/sluice.time" ||
  bench_run_failed
end="$(bench_now)"
sluice_cpu="$(awk '{print $2 + $3}' "${bench_tmp}/sluice.time")"
cat "${bench_tmp}/summary.txt"
answered="$(bench_stat "$(bench_mock_stats)" answered)"
results="$(wc -l <"${bench_tmp}/output.jsonl")"

echo "-- baseline (baseline_client, ${concurrency} concurrent), after" >&2
read -r base2 base2_cpu < <(baseline after)

awk -v s="${start}" -v e="${end}" -v n="${n}" -v b1="${base1}" -v b2="${base2}" \
  -v c="${sluice_cpu}" -v c1="${base1_cpu}" -v c2="${base2_cpu}" -v res="${results}" \
  -v ok="${answered}" 'BEGIN {
  wall = e - s; rate = n / wall; base = (b1 + b2) / 2;
  printf "sluice run: %d requests in %.2fs (process start to exit) = %.0f requests/s; %d results, %d answered by the mock\n",
    n, wall, rate, res, ok;
  printf "baseline: %.0f and %.0f requests/s (mean %.0f)\n", b1, b2, base;
  printf "sluice / baseline = %.2f; target >= 10000 requests/s\n", rate / base;
  printf "cpu (user+sys): sluice %.2fs = %.0f requests per cpu-second; baseline %.2fs and %.2fs = %.0f per cpu-second\n",
    c, n / c, c1, c2, 2 * n / (c1 + c2);
  pass = rate >= 10000 && res == n && ok == n;
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
