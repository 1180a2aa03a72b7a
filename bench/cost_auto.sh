#!/usr/bin/env bash
# Scenario 14 of docs/benchmarks.md: the seed's claim, "batch processing reduces AI API costs by
# up to 40%". One mixed workload with a 24 h window — 240 chat lines in 6 groups sharing a
# 2,000-token system prompt (shuffled, 30 of them repeat an earlier line, temperature 0) and 160
# embeddings lines (40 repeats) — on a low-tier account (gpt-4o-mini 1,000 tpm: real time needs
# about 8 h) priced from the shipped table. Run 1, naive: `--mode realtime --dedup off
# --send-order input`. Run 2, `--mode auto` (which picks the providers' batch API), killed with
# SIGKILL once its first provider batches exist and run again. Both against `sluice mock` with
# its batch API (3 s turnaround) and prompt cache on. Checks: every line answered exactly once in
# both runs, no line submitted twice upstream, the auto summary's whole-batch cost equal to the
# output lines' usage priced at the batch discount (counted once across the kill), and auto at
# most 0.60 x naive (at least 40 % cheaper) with both inside the 24 h window.
# The mock's prompt cache holds CACHE_BLOCKS (default 16) blocks of 128 tokens: two of the six
# prefixes. Its batch API does not simulate the cache, so a bigger cache favours the naive run.
# Usage: [CACHE_BLOCKS=N] bench/cost_auto.sh [path/to/sluice]   Exit 0 when every check passes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init cost_auto "${1:-}"
bench_machine

chat_lines=240
embedding_lines=160
lines=$((chat_lines + embedding_lines))
distinct=$((lines - 30 - 40))

# FILE: the mixed workload, shuffled with a fixed permutation.
generate_mixed() {
  awk -v out="$1" -v nc="${chat_lines}" -v ne="${embedding_lines}" 'BEGIN {
    n = nc + ne;
    for (i = 0; i < n; i++) order[i] = i;
    srand(14);
    for (i = n - 1; i > 0; i--) { j = int(rand() * (i + 1)); t = order[i]; order[i] = order[j]; order[j] = t; }
    for (p = 0; p < n; p++) {
      i = order[p];
      if (i < nc) {
        q = i % 210; group = q % 6;  # lines 210..239 repeat lines 0..29
        system_prompt = sprintf("group %02d instructions: ", group);
        while (length(system_prompt) < 8000) system_prompt = system_prompt sprintf("rule %04d of group %02d. ", length(system_prompt), group);
        system_prompt = substr(system_prompt, 1, 8000);
        printf "{\"custom_id\":\"chat-%04d\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",", i > out;
        printf "\"body\":{\"model\":\"gpt-4o-mini\",\"max_tokens\":16,\"temperature\":0,\"messages\":[", i > out;
        printf "{\"role\":\"system\",\"content\":\"%s\"},", system_prompt > out;
        printf "{\"role\":\"user\",\"content\":\"question %04d of group %02d\"}]}}\n", q, group > out;
      } else {
        d = (i - nc) % 120;  # embeddings 120..159 repeat 0..39
        printf "{\"custom_id\":\"embed-%04d\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",", i - nc > out;
        printf "\"body\":{\"model\":\"text-embedding-3-small\",\"input\":\"document %04d: the quick brown fox jumps over the lazy dog\"}}\n", d > out;
      }
    }
  }'
}

# CONFIG TPM: both models on the mock as openai deployments, priced by the shipped table (no
# prices: key), gpt-4o-mini at TPM tokens a minute.
write_config() {
  cat >"$1" <<EOF
data_dir: ${bench_tmp}/data-$(basename "$1" .yaml)
log_level: info
provider_batches: {max_lines: 60, poll_interval: 250ms, max_poll_interval: 1s}
models:
  - name: gpt-4o-mini
    deployments:
      - {provider: openai, base_url: ${mock_url}/v1, api_key: sk-bench, rpm: 10000, tpm: $2, max_in_flight: 32}
  - name: text-embedding-3-small
    deployments:
      - {provider: openai, base_url: ${mock_url}/v1, api_key: sk-bench, rpm: 10000, tpm: 10000000, max_in_flight: 32}
EOF
}

# OUTPUT: dies unless OUTPUT answers each of the file's custom_ids exactly once, all with 200.
check_once() {
  local answered distinct_ids ok
  answered="$(wc -l <"$1")"
  distinct_ids="$(grep -o '"custom_id":"[^"]*"' "$1" | sort -u | wc -l)"
  ok="$(grep -c '"status_code":200' "$1" || true)"
  [[ "${answered}" -eq "${lines}" && "${distinct_ids}" -eq "${lines}" && "${ok}" -eq "${lines}" ]] ||
    bench_die "$(basename "$1"): ${answered} lines, ${distinct_ids} custom_ids, ${ok} answered for ${lines}"
}

# OUTPUT DISCOUNT: the output's cost from each line's usage at the shipped prices x DISCOUNT;
# a line answered with another's answer (sluice_duplicate_of) was billed nothing.
priced_output() {
  awk -v discount="$2" '
    function field(name,   at) {
      if (!match($0, "\"" name "\":[0-9]+")) return 0;
      at = substr($0, RSTART, RLENGTH); sub(/.*:/, "", at); return at + 0;
    }
    /"sluice_duplicate_of"/ { next }
    /"object":"embedding"|"object":"list"/ { cost += field("prompt_tokens") * 0.02; next }
    { p = field("prompt_tokens"); c = field("cached_tokens"); o = field("completion_tokens");
      cost += (p - c) * 0.15 + c * 0.075 + o * 0.6 }
    END { printf "%.6f\n", cost * discount / 1e6 }' "$1"
}

generate_mixed "${bench_tmp}/mixed.jsonl"
echo "workload: ${lines} lines (${chat_lines} chat in 6 groups sharing a 2,000-token system prompt, ${embedding_lines} embeddings), $((lines - distinct)) repeats, 24h window"

cache_blocks="${CACHE_BLOCKS:-16}"
echo "mock prompt cache: ${cache_blocks} blocks of 128 tokens, 10 min; batch turnaround 3 s"
bench_start_mock - --batch-turnaround 3s --prompt-cache-blocks "${cache_blocks}" --prompt-cache-ttl 10m \
  --seed 14 --compact-json
write_config "${bench_tmp}/limited.yaml" 1000
write_config "${bench_tmp}/naive.yaml" 100000000
"${sluice}" --config "${bench_tmp}/limited.yaml" run "${bench_tmp}/mixed.jsonl" --output /dev/null \
  --dry-run --dedup off >"${bench_tmp}/dry.txt" 2>&1 || { cat "${bench_tmp}/dry.txt" >&2; bench_die "dry run failed"; }
least="$(grep -o 'least time at the configured limits: [^ ]*' "${bench_tmp}/dry.txt" | sed 's/.*: //')"
echo "real time at the account's limits needs ${least} (inside the 24h window)"

# Run 1: naive real time. Its pace does not change its cost, so it runs against the mock without
# the account's limit; the dry run above says what that limit would make it take.
start="$(bench_now)"
timeout 600 "${sluice}" --config "${bench_tmp}/naive.yaml" run "${bench_tmp}/mixed.jsonl" \
  --output "${bench_tmp}/naive.jsonl" --mode realtime --dedup off --send-order input \
  >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" || bench_run_failed
naive_wall="$(awk -v s="${start}" -v e="$(bench_now)" 'BEGIN {printf "%.1f", e - s}')"
check_once "${bench_tmp}/naive.jsonl"
naive_cost="$(grep -o 'cost of this run: \$[0-9.]*' "${bench_tmp}/summary.txt" | grep -o '[0-9.]*$')"
naive_priced="$(priced_output "${bench_tmp}/naive.jsonl" 1)"
naive_cached="$(grep -o '"prompt_tokens":[0-9]*\|"cached_tokens":[0-9]*' "${bench_tmp}/naive.jsonl" |
  awk -F: '/prompt/ {p += $2} /cached/ {c += $2} END {printf "%.1f", 100 * c / p}')"
before="$(bench_mock_stats)"
batch_lines_before="$(printf '%s' "${before}" | grep -o '"lines":[0-9]*' | cut -d: -f2)"

# Run 2: auto, at the account's limits, killed once its first provider batches exist.
auto_args=(--config "${bench_tmp}/limited.yaml" run "${bench_tmp}/mixed.jsonl"
  --output "${bench_tmp}/auto.jsonl" --mode auto)
start="$(bench_now)"
"${sluice}" "${auto_args[@]}" >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" &
auto_pid=$!
bench_pids+=("${auto_pid}")
for _ in $(seq 300); do
  grep -q 'provider batch .* created' "${bench_tmp}/run.log" 2>/dev/null && break
  kill -0 "${auto_pid}" 2>/dev/null || break
  sleep 0.05
done
kill -0 "${auto_pid}" 2>/dev/null || bench_run_failed
kill -9 "${auto_pid}"
wait "${auto_pid}" 2>/dev/null || true
decision="$(grep -o 'auto chose [a-z]*' "${bench_tmp}/run.log" | head -1)"
echo "auto run killed with SIGKILL after: $(grep -c 'provider batch .* created' "${bench_tmp}/run.log") provider batches created"
timeout 600 "${sluice}" "${auto_args[@]}" >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" ||
  bench_run_failed
auto_wall="$(awk -v s="${start}" -v e="$(bench_now)" 'BEGIN {printf "%.1f", e - s}')"
check_once "${bench_tmp}/auto.jsonl"
auto_cost="$(grep -o 'cost of the whole batch, earlier runs included: \$[0-9.]*' "${bench_tmp}/summary.txt" | grep -o '[0-9.]*$')"
[[ -n "${auto_cost}" ]] || bench_run_failed
auto_priced="$(priced_output "${bench_tmp}/auto.jsonl" 0.5)"
after="$(bench_mock_stats)"
batch_lines="$(( $(printf '%s' "${after}" | grep -o '"lines":[0-9]*' | cut -d: -f2) - batch_lines_before ))"
saved="$(grep -o 'dedup: [0-9]* requests not sent' "${bench_tmp}/summary.txt" | grep -o '[0-9]*' || echo 0)"
grep '^mode: ' "${bench_tmp}/summary.txt" || true

awk -v nc="${naive_cost}" -v np="${naive_priced}" -v ac="${auto_cost}" -v ap="${auto_priced}" \
  -v bl="${batch_lines}" -v d="${distinct}" -v sv="${saved}" -v nw="${naive_wall}" \
  -v aw="${auto_wall}" -v dec="${decision}" -v nch="${naive_cached}" 'BEGIN {
  printf "naive real time: cost $%.4f (output lines priced: $%.4f), wall %ss, %.1f%% of prompt tokens cached\n", nc, np, nw, nch;
  printf "auto (%s), killed and resumed: cost $%.4f (output lines priced at the batch discount: $%.4f), wall %ss\n", dec, ac, ap, aw;
  printf "auto: %d lines submitted in provider batches for %d distinct requests; %d repeats not sent\n", bl, d, sv;
  printf "auto / naive: %.3f (%.1f%% cheaper; target >= 40%%)\n", ac / nc, 100 * (1 - ac / nc);
  # The summary prints the whole batch to 6 decimals and one run to 4.
  same = absval(ac - ap) <= 5e-7 && absval(nc - np) <= 5e-5;
  pass = same && bl == d && ac <= 0.60 * nc && dec == "auto chose provider";
  if (!same) print "cost counted differently from the output lines";
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }
  function absval(x) { return x < 0 ? -x : x }'
