#!/usr/bin/env bash
# Scenario 4 of docs/benchmarks.md: memory stays bounded by the dispatch window, not the file.
# A 1,000,000-line file (40-character prompts, max_tokens 16) runs end to end against the mock
# (no limits, no latency); reports the peak resident set of `sluice run` (target < 300 MB),
# from GNU time's "Maximum resident set size" (Debian package `time`), else from the kernel's
# VmHWM polled every 0.2 s (which can miss a peak in the last 0.2 s before exit).
# Usage: bench/run_memory.sh [path/to/sluice]   (LINES=1000000)   Exit 0 under 300 MB, else 1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init run_memory "${1:-}"
lines="${LINES:-1000000}"

bench_machine
read -r n _ < <(bench_generate "${bench_tmp}/input.jsonl" "${lines}" 40 16 16)
echo "input: ${n} requests, $(du -m "${bench_tmp}/input.jsonl" | cut -f1) MB"
bench_start_mock - --seed 7
bench_config "${bench_tmp}/sluice.yaml" 1000000000 1000000000000 256 60s

run=(timeout 1800 "${sluice}" --config "${bench_tmp}/sluice.yaml" run "${bench_tmp}/input.jsonl"
  --output "${bench_tmp}/output.jsonl")
start="$(bench_now)"
gnu_time="${GNU_TIME-/usr/bin/time}"  # GNU_TIME= (empty) forces the polling fallback
if [[ -n "${gnu_time}" && -x "${gnu_time}" ]]; then
  method="GNU time -v"
  "${gnu_time}" -v -o "${bench_tmp}/time.txt" "${run[@]}" >"${bench_tmp}/summary.txt" \
    2>"${bench_tmp}/run.log" ||
    bench_run_failed
  peak_kb="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "${bench_tmp}/time.txt")"
else
  method="VmHWM polled every 0.2 s"
  "${run[@]}" >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" &
  run_pid=$!
  bench_pids+=("${run_pid}")
  peak_kb=0
  # `timeout` is the parent; sluice is its child.
  while kill -0 "${run_pid}" 2>/dev/null; do
    for child in $(cat "/proc/${run_pid}/task/${run_pid}/children" 2>/dev/null); do
      kb="$(awk '/^VmHWM:/ {print $2}' "/proc/${child}/status" 2>/dev/null || true)"
      [[ -n "${kb}" && "${kb}" -gt "${peak_kb}" ]] && peak_kb="${kb}"
    done
    sleep 0.2
  done
  wait "${run_pid}" ||
    bench_run_failed
fi
end="$(bench_now)"
cat "${bench_tmp}/summary.txt"
results="$(wc -l <"${bench_tmp}/output.jsonl")"
echo "data_dir: $(du -sm "${bench_tmp}/data" | cut -f1) MB; output: $(du -m "${bench_tmp}/output.jsonl" | cut -f1) MB"

awk -v s="${start}" -v e="${end}" -v kb="${peak_kb}" -v m="${method}" -v res="${results}" \
  -v n="${n}" 'BEGIN {
  printf "wall time %.1fs; %d/%d results\n", e - s, res, n;
  printf "peak RSS of sluice run: %.1f MB (%s); target < 300 MB\n", kb / 1024, m;
  pass = kb / 1024 < 300 && res == n;
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
