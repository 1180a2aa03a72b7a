#!/usr/bin/env bash
# Scenario 3 of docs/benchmarks.md: correctness under faults. The mock (no limits, no latency)
# answers 5 % of requests with a 500 and resets the connection mid-body on 2 %; `sluice run`
# retries them. Checks that every line of the 20,000-line file ends with exactly one result
# (each custom_id exactly once across the output and errors files, no stranger) and that every
# successful answer's content holds `mock:` and its own request's unique text (so no answer was
# attached to the wrong line). Reports the counts and PASS/FAIL.
# Usage: bench/run_faults.sh [path/to/sluice]   (LINES=20000)   Exit 0 on PASS, 1 on FAIL.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init run_faults "${1:-}"
lines="${LINES:-20000}"

bench_machine
read -r n _ < <(bench_generate "${bench_tmp}/input.jsonl" "${lines}" 60 40 60)
echo "input: ${n} requests; mock --fail-500 0.05 --fail-reset 0.02"
bench_start_mock - --fail-500 0.05 --fail-reset 0.02 --seed 11
bench_config "${bench_tmp}/sluice.yaml" 1000000000 1000000000000 64 30s

start="$(bench_now)"
timeout 600 "${sluice}" --config "${bench_tmp}/sluice.yaml" run "${bench_tmp}/input.jsonl" \
  --output "${bench_tmp}/output.jsonl" --errors "${bench_tmp}/errors.jsonl" \
  >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" ||
  bench_run_failed
end="$(bench_now)"
cat "${bench_tmp}/summary.txt"
stats="$(bench_mock_stats)"
echo "mock: $(bench_stat "${stats}" received) received, $(bench_stat "${stats}" answered) answered," \
  "$(bench_stat "${stats}" http_500) x 500, $(bench_stat "${stats}" reset) resets," \
  "$(bench_stat "${stats}" duplicate_requests) repeated bodies"
awk -v s="${start}" -v e="${end}" 'BEGIN {printf "wall time %.2fs\n", e - s}'

# The unique text of line i is "unique-<i as 7 digits>-<salt>"; the salt is the file's.
salt="$(head -1 "${bench_tmp}/input.jsonl" | grep -o 'unique-[0-9]*-[0-9]*' | cut -d- -f3)"
awk -v n="${n}" -v salt="${salt}" -f "${bench_here}/check_results.awk" \
  "${bench_tmp}/output.jsonl" "${bench_tmp}/errors.jsonl"
