#!/usr/bin/env bash
# Scenario 1 of docs/benchmarks.md: how close `sluice run` comes to the least time a provider's
# limits allow. The mock grants rpm 6000 / tpm 300000 and answers after 300 ms ± 30 %; the file
# holds about 2.5 minutes of token budget (~6,000 requests of 100 prompt characters and
# max_tokens 50..150), so the tokens bucket binds. Reports the wall time, the theoretical
# minimum, their ratio (target <= 1.10) and the share of requests the mock answered 429
# (target <= 1 %). SCALE=0.2 shrinks the part beyond the first minute's burst (~18 s + burst).
# Usage: bench/run_rate_limited.sh [path/to/sluice]   Exit 0 when both targets are met, 1 if not.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init run_rate_limited "${1:-}"

scale="${SCALE:-1}"
rpm=6000
tpm=300000
ttfb_s=0.3
prompt_chars=100
# Mean charge per request: ceil(100 / 4) + mean(50..150) = 125 tokens.
requests="$(awk -v t="${tpm}" -v s="${scale}" 'BEGIN {printf "%d", t * (1 + 1.5 * s) / 125 + 0.5}')"

bench_machine
read -r n tokens < <(bench_generate "${bench_tmp}/input.jsonl" "${requests}" "${prompt_chars}" 50 150)
minimum="$(awk -v n="${n}" -v k="${tokens}" -v r="${rpm}" -v t="${tpm}" -v l="${ttfb_s}" 'BEGIN {
  by_tokens = (k - t) / (t / 60); by_requests = (n - r) / (r / 60);
  m = by_tokens > by_requests ? by_tokens : by_requests; if (m < 0) m = 0;
  printf "%.2f", m + l }')"
echo "input: ${n} requests, ${tokens} admission tokens (${scale} scale); limits rpm ${rpm}, tpm ${tpm}"

bench_start_mock - --rpm "${rpm}" --tpm "${tpm}" --ttfb 300ms --per-token 0ms --jitter 0.3 \
  --seed 7
bench_config "${bench_tmp}/sluice.yaml" "${rpm}" "${tpm}" 64 60s

deadline="$(awk -v m="${minimum}" 'BEGIN {printf "%d", m * 3 + 60}')"
start="$(bench_now)"
timeout "${deadline}" "${sluice}" --config "${bench_tmp}/sluice.yaml" run "${bench_tmp}/input.jsonl" \
  --output "${bench_tmp}/output.jsonl" --errors "${bench_tmp}/errors.jsonl" \
  >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" ||
  bench_run_failed
end="$(bench_now)"
cat "${bench_tmp}/summary.txt"

stats="$(bench_mock_stats)"
received="$(bench_stat "${stats}" received)"
answered="$(bench_stat "${stats}" answered)"
limited="$(bench_stat "${stats}" rate_limited)"
results=$(($(wc -l <"${bench_tmp}/output.jsonl") + $(wc -l <"${bench_tmp}/errors.jsonl")))
echo "mock: ${received} received, ${answered} answered, ${limited} answered 429"

awk -v s="${start}" -v e="${end}" -v m="${minimum}" -v rl="${limited}" -v rc="${received}" \
  -v res="${results}" -v n="${n}" -v ok="${answered}" 'BEGIN {
  wall = e - s; ratio = wall / m; share = rc > 0 ? rl / rc : 0;
  printf "wall time %.2fs (process start to exit); theoretical minimum %.2fs\n", wall, m;
  printf "ratio %.3f (target <= 1.10); 429 share %.2f%% (target <= 1%%); %d/%d results, %d answered\n",
    ratio, share * 100, res, n, ok;
  pass = ratio <= 1.10 && share <= 0.01 && res == n && ok == n;
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
