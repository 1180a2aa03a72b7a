#!/usr/bin/env bash
# Scenario 7 of docs/benchmarks.md: memory of `sluice serve` stays bounded by its in-flight
# limits, not by how many batches it drives at once. BATCHES files of LINES lines each
# (default 20 × 50,000; 40-character prompts, max_tokens 16) are uploaded through the Files API
# and all created as batches at once against the mock (no limits, no latency); the script waits
# for every batch to complete, checks each output file has one line per request, and reports
# the peak resident set of `sluice serve` (the kernel's VmHWM, read while serve still runs, so no
# peak is missed). Target: under 300 MB.
# Usage: bench/serve_memory.sh [path/to/sluice]   (BATCHES=20 LINES=50000)   Exit 0 if it holds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init serve_memory "${1:-}"
batches="${BATCHES:-20}"
lines="${LINES:-50000}"

bench_machine
bench_start_mock - --seed 7
bench_config "${bench_tmp}/sluice.yaml" 1000000000 1000000000000 256 60s
bench_start_serve - "${bench_tmp}/sluice.yaml"
api="${serve_url}/v1"
field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

start="$(bench_now)"
ids=()
for b in $(seq "${batches}"); do
  input="${bench_tmp}/input-${b}.jsonl"
  bench_generate "${input}" "${lines}" 40 16 16 >/dev/null
  file_id="$(curl -sf "${api}/files" -F purpose=batch -F file=@"${input}" | field id)"
  rm -f "${input}" "${input}.costs"
  [[ -n "${file_id}" ]] || bench_die "upload ${b} failed"
  batch_id="$(curl -sf "${api}/batches" -H 'content-type: application/json' \
    -d "{\"input_file_id\":\"${file_id}\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}" |
    field id)"
  [[ -n "${batch_id}" ]] || bench_die "creating batch ${b} failed"
  ids+=("${batch_id}")
done
echo "created ${batches} batches of ${lines} lines in $(awk -v s="${start}" -v e="$(bench_now)" 'BEGIN {printf "%.1f", e - s}') s"

outputs=()
for id in "${ids[@]}"; do
  batch="$(bench_wait_batch "${api}" "${id}")"
  outputs+=("$(field output_file_id <<<"${batch}")")
done
end="$(bench_now)"
peak_kb="$(awk '/^VmHWM:/ {print $2}' "/proc/${serve_pid}/status")"

results=0
for output in "${outputs[@]}"; do
  n="$(curl -sf "${api}/files/${output}/content" | wc -l)"
  [[ "${n}" -eq "${lines}" ]] || echo "output ${output}: ${n} lines, expected ${lines}" >&2
  results=$((results + n))
done
expected=$((batches * lines))
awk -v s="${start}" -v e="${end}" -v kb="${peak_kb}" -v res="${results}" -v n="${expected}" \
  -v b="${batches}" 'BEGIN {
  printf "wall time %.1fs; %d/%d results; %.0f requests/s\n", e - s, res, n, res / (e - s);
  printf "peak RSS of sluice serve with %d batches at once: %.1f MB (VmHWM); target < 300 MB\n", b, kb / 1024;
  pass = kb / 1024 < 300 && res == n;
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
