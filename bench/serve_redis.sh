#!/usr/bin/env bash
# Section 13 of docs/benchmarks.md: one batch of LINES lines (default 20,000; 40-character
# prompts, max_tokens 16) run by `sluice serve` against the mock (no limits, no latency), first on
# the embedded SQLite store, then on Redis (`store: redis://…`, a redis-server this script starts
# on loopback without persistence). Reports each store's wall time and requests/s, the Redis
# commands per item (INFO commandstats), and checks each output has one line per request with
# every custom_id once. Target: Redis at least half of SQLite's requests/s.
# Usage: bench/serve_redis.sh [path/to/sluice]   (LINES=20000)   Exit 0 if it holds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init serve_redis "${1:-}"
lines="${LINES:-20000}"
command -v redis-server >/dev/null || bench_die "redis-server not found (scripts/setup.sh)"
command -v redis-cli >/dev/null || bench_die "redis-cli not found (scripts/setup.sh)"

bench_machine
bench_start_mock - --seed 7
input="${bench_tmp}/input.jsonl"
bench_generate "${input}" "${lines}" 40 16 16 >/dev/null

# A port nothing answers on.
redis_port=""
for _ in $(seq 50); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/${p}") 2>/dev/null; then redis_port="${p}" && break; fi
done
[[ -n "${redis_port}" ]] || bench_die "no free port for redis-server"
redis-server --port "${redis_port}" --bind 127.0.0.1 --save "" --appendonly no \
  --daemonize no >"${bench_tmp}/redis.log" 2>&1 &
bench_pids+=("$!")
for _ in $(seq 100); do
  redis-cli -p "${redis_port}" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "${redis_port}" ping >/dev/null || bench_die "redis-server did not start"

field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

# run_batch STORE_LINE: serve with that store line (empty: SQLite), one batch, prints
# "seconds results unique_ids".
run_batch() {
  bench_config "${bench_tmp}/sluice.yaml" 1000000000 1000000000000 256 60s
  if [[ -n "$1" ]]; then
    printf '%s\n' "$1" | cat - "${bench_tmp}/sluice.yaml" >"${bench_tmp}/with-store.yaml"
    mv "${bench_tmp}/with-store.yaml" "${bench_tmp}/sluice.yaml"
  fi
  rm -rf "${bench_tmp}/data"
  bench_start_serve - "${bench_tmp}/sluice.yaml"
  local api="${serve_url}/v1" start file_id batch_id batch output end
  start="$(bench_now)"
  file_id="$(curl -sf "${api}/files" -F purpose=batch -F file=@"${input}" | field id)"
  [[ -n "${file_id}" ]] || bench_die "upload failed"
  batch_id="$(curl -sf "${api}/batches" -H 'content-type: application/json' \
    -d "{\"input_file_id\":\"${file_id}\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}" |
    field id)"
  [[ -n "${batch_id}" ]] || bench_die "creating the batch failed"
  batch="$(bench_wait_batch "${api}" "${batch_id}")"
  end="$(bench_now)"
  output="$(field output_file_id <<<"${batch}")"
  curl -sf "${api}/files/${output}/content" >"${bench_tmp}/output.jsonl"
  bench_stop "${serve_pid}"
  local n unique
  n="$(wc -l <"${bench_tmp}/output.jsonl")"
  unique="$(grep -o '"custom_id":"[^"]*"' "${bench_tmp}/output.jsonl" | sort -u | wc -l)"
  awk -v s="${start}" -v e="${end}" -v n="${n}" -v u="${unique}" 'BEGIN {printf "%.2f %d %d\n", e - s, n, u}'
}

read -r sqlite_s sqlite_n sqlite_u <<<"$(run_batch "")"
redis-cli -p "${redis_port}" config resetstat >/dev/null
read -r redis_s redis_n redis_u <<<"$(run_batch "store: redis://127.0.0.1:${redis_port}/0")"
stats="$(redis-cli -p "${redis_port}" info commandstats | tr -d '\r')"
calls="$(awk -F'[=,]' '/^cmdstat_/ {sum += $2} END {print sum + 0}' <<<"${stats}")"
scripts="$(awk -F'[=,]' '/^cmdstat_eval/ {sum += $2} END {print sum + 0}' <<<"${stats}")"
echo "redis commands by count: $(awk -F'[:=,]' '/^cmdstat_/ {print $3, substr($1, 9)}' <<<"${stats}" |
  sort -rn | head -8 | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')"
busy="$(awk -F'[:=,]' '/^cmdstat_eval/ {sum += $5} END {printf "%.2f", sum / 1e6}' <<<"${stats}")"
awk -v ss="${sqlite_s}" -v sn="${sqlite_n}" -v su="${sqlite_u}" -v rs="${redis_s}" \
  -v rn="${redis_n}" -v ru="${redis_u}" -v lines="${lines}" -v calls="${calls}" \
  -v scripts="${scripts}" -v busy="${busy}" 'BEGIN {
  printf "sqlite: %d lines in %.2fs, %.0f requests/s, %d/%d custom_ids once\n", sn, ss, sn / ss, su, lines;
  printf "redis:  %d lines in %.2fs, %.0f requests/s, %d/%d custom_ids once\n", rn, rs, rn / rs, ru, lines;
  printf "redis: %d commands (those run by scripts too), %.2f per item; %d scripts, %.3f per item, %.2fs of Redis time\n",
    calls, calls / lines, scripts, scripts / lines, busy;
  pass = sn == lines && su == lines && rn == lines && ru == lines && (rn / rs) >= 0.5 * (sn / ss);
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
