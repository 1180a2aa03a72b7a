#!/usr/bin/env bash
# Scenario 9 of docs/benchmarks.md: finalizing a big batch must not stall other batches' store
# calls or the proxy for more than a bounded slice. Two parts, one run:
# 1. The store alone: bench/finalize_stall (store::SqliteStore, LINES results) reports the latency
#    of other batches' AddResults, LeaseItems and CreateFile (a) with no finalize and (b) while
#    the big batch's output file is written and its items dropped.
# 2. End to end: `sluice serve` against `sluice mock` (no limits, no latency). Two open-loop
#    clients (bench/open_loop_client) run (a) alone for 10 s, then (b) while a LINES-line batch is
#    finalized, from its "finalizing" status to its "completed" log line: chat completions through
#    the proxy (PROXY_RATE=500/s) and GETs of a finished batch, which serve reads on its store
#    thread (PROBE_RATE=50/s).
# Reports p99 and max of each, the ratios (b)/(a) and the longest stall. Target: the longest
# stall of any other call while finalizing stays under 1 s.
# Usage: bench/finalize_stall.sh [path/to/sluice]   (LINES=1000000; PARTS=serve skips part 1)
# Exit 0 if it holds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init finalize_stall "${1:-}"
bench_bin="$(dirname "${sluice}")/../../bench"
for tool in finalize_stall open_loop_client; do
  [[ -x "${bench_bin}/${tool}" ]] || bench_die "no ${tool} in ${bench_bin} (build its release target)"
done
lines="${LINES:-1000000}"
proxy_rate="${PROXY_RATE:-500}"
probe_rate="${PROBE_RATE:-50}"
baseline=10

bench_machine
: >"${bench_tmp}/store.txt"
if [[ "${PARTS:-store,serve}" == *store* ]]; then
  echo "-- 1. the store alone: ${lines} results finalized"
  mkdir "${bench_tmp}/store"
  "${bench_bin}/finalize_stall" "${bench_tmp}/store" "${lines}" >"${bench_tmp}/store.txt"
  grep -v '^result ' "${bench_tmp}/store.txt"
  rm -rf "${bench_tmp}/store"
fi

echo "-- 2. sluice serve: a ${lines}-line batch finalized"
BENCH_LOG_LEVEL=info
bench_start_mock - --seed 7
bench_config "${bench_tmp}/sluice.yaml" 1000000000 1000000000000 256 60s
printf 'files:\n  max_upload_size: 1GiB\n' >>"${bench_tmp}/sluice.yaml"  # 1M lines are ~230 MB
bench_start_serve - "${bench_tmp}/sluice.yaml"
api="${serve_url}/v1"
bench_chat_body "${bench_tmp}/body.json" bench-model
field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

# create_batch LINES: uploads a file of LINES chat requests, creates its batch, prints its id.
create_batch() {
  local input="${bench_tmp}/input-$1.jsonl" file_id
  bench_generate "${input}" "$1" 40 16 16 >/dev/null
  file_id="$(curl -sf "${api}/files" -F purpose=batch -F file=@"${input}" | field id)"
  rm -f "${input}" "${input}.costs"
  [[ -n "${file_id}" ]] || bench_die "upload of $1 lines failed"
  curl -sf "${api}/batches" -H 'content-type: application/json' \
    -d "{\"input_file_id\":\"${file_id}\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}" |
    field id
}
status_of() { curl -sf "${api}/batches/$1" | field status; }

probe_id="$(create_batch 10)"
until [[ "$(status_of "${probe_id}")" == completed ]]; do sleep 0.2; done

# start_clients NAME: both clients in the background until stop_clients (the first 0.5 s, which
# opens the connections, not counted), dumps in NAME-*.txt.
start_clients() {
  "${bench_bin}/open_loop_client" "${api}/chat/completions" "${bench_tmp}/body.json" \
    "${proxy_rate}" 3600 64 0.5 "${bench_tmp}/$1-proxy.txt" >"${bench_tmp}/$1-proxy.log" &
  proxy_client=$!
  "${bench_bin}/open_loop_client" "${api}/batches/${probe_id}" - \
    "${probe_rate}" 3600 8 0.5 "${bench_tmp}/$1-probe.txt" >"${bench_tmp}/$1-probe.log" &
  probe_client=$!
  bench_pids+=("${proxy_client}" "${probe_client}")
}
stop_clients() {
  kill -TERM "${proxy_client}" "${probe_client}"
  wait "${proxy_client}" || bench_die "proxy client: not every request got a 200"
  wait "${probe_client}" || bench_die "probe client: not every request got a 200"
}

start_clients alone
sleep $((baseline + 1))
stop_clients

big_id="$(create_batch "${lines}")"
echo "batch ${big_id} created at $(date -u +%H:%M:%S)"
while :; do
  status="$(status_of "${big_id}")"
  case "${status}" in
    finalizing | completed) break ;;
    failed | expired | cancelled) bench_die "batch ${big_id} ended ${status}" ;;
  esac
  kill -0 "${serve_pid}" 2>/dev/null || bench_die "serve exited"
  sleep 0.1
done
finalizing_at="$(bench_now)"
# Only now: load during the run itself would queue up behind the batch's own requests on this
# small machine and carry its backlog into the window.
start_clients finalize
if [[ "${status}" != finalizing ]]; then  # finalized between two polls: the batch's own second
  finalizing_at="$(curl -sf "${api}/batches/${big_id}" | grep -o '"finalizing_at":[0-9]*' | cut -d: -f2)"
fi
until grep -q "batch ${big_id} completed" "${bench_tmp}/serve.log"; do sleep 0.1; done
stamp="$(grep "batch ${big_id} completed" "${bench_tmp}/serve.log" | head -1 | cut -d' ' -f1,2)"
completed_at="$(date -d "${stamp}" +%s.%N)"
sleep 1
stop_clients
total="$(curl -sf "${api}/batches/${big_id}" | grep -o '"completed":[0-9]*' | cut -d: -f2)"
[[ "${total}" -eq "${lines}" ]] || bench_die "batch ${big_id}: ${total} of ${lines} completed"

# stats DUMP [FROM TO]: "n p50 p99 max" in ms of the requests scheduled in [FROM, TO] (unix s).
stats() {
  awk -v from="${2:-0}" -v to="${3:-1e12}" '$1 / 1e6 >= from && $1 / 1e6 <= to {print $2 / 1000}' \
    "$1" | sort -n | awk '{v[NR] = $1} END {
      if (NR == 0) {print "0 0 0 0"; exit}
      p50 = int(0.50 * NR + 0.999999); p99 = int(0.99 * NR + 0.999999);
      printf "%d %.2f %.2f %.2f\n", NR, v[p50], v[p99], v[NR] }'
}
finalize_s="$(awk -v a="${finalizing_at}" -v b="${completed_at}" 'BEGIN {printf "%.1f", b - a}')"
echo "finalize of ${lines} lines in serve: ${finalize_s} s from the status finalizing to the log's completed"

{
  grep '^result call=' "${bench_tmp}/store.txt" | sed 's/^result call=//; s/[a-z0-9_]*=//g'
  for who in proxy probe; do
    echo "serve-${who} $(stats "${bench_tmp}/alone-${who}.txt") $(stats "${bench_tmp}/finalize-${who}.txt" "${finalizing_at}" "${completed_at}")"
  done
} | awk '
  NF == 7 { a50[$1] = $2; a99[$1] = $3; amax[$1] = $4; b50[$1] = $5; b99[$1] = $6; bmax[$1] = $7;
            order[++n] = $1; next }
  NF == 9 { a50[$1] = $3; a99[$1] = $4; amax[$1] = $5; b50[$1] = $7; b99[$1] = $8; bmax[$1] = $9;
            order[++n] = $1 }
  END {
    printf "%-13s %8s %8s %9s | %8s %8s %9s | %7s %7s\n", "latency (ms)", "(a) p50", "p99", "max",
      "(b) p50", "p99", "max", "b/a p99", "b/a max";
    for (i = 1; i <= n; i++) {
      k = order[i];
      printf "%-13s %8.2f %8.2f %9.2f | %8.2f %8.2f %9.2f | %6.1f %7.1f\n", k, a50[k], a99[k],
        amax[k], b50[k], b99[k], bmax[k], (a99[k] > 0 ? b99[k] / a99[k] : 0),
        (amax[k] > 0 ? bmax[k] / amax[k] : 0);
      if (bmax[k] > longest) { longest = bmax[k]; who = k }
    }
    printf "longest stall while finalizing: %.0f ms (%s); target < 1000 ms\n", longest, who;
    pass = longest < 1000;
    print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
