#!/usr/bin/env bash
# Scenario 12 of docs/benchmarks.md: sending less. Part 1, prompt caching: 400 chat lines in 10
# groups of 40 that share a 2,000-token system prompt, shuffled, sent once in input order and
# once grouped by prefix (sluice's default), each against a fresh mock whose OpenAI prompt cache
# holds 16 blocks of 128 tokens (two of the prefixes) for 5 minutes. Reports each run's share of
# prompt tokens served from the cache and its cost at gpt-4o-mini's prices (cached input at half
# the input price); target: grouped cost <= 0.75 x input order. Part 2, dedup: 1,000 lines at
# temperature 0 of which 300 repeat an earlier one, sent with dedup off and on; target: 300
# requests not sent and the cost down by the same share. Every line answered once in both parts.
# Usage: bench/send_less.sh [path/to/sluice]   Exit 0 when the targets are met, 1 if not.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init send_less "${1:-}"

groups=10
per_group=40
lines=$((groups * per_group))
bench_machine

# FILE GROUPS PER_GROUP: lines whose system prompt is its group's 8,000 characters (2,000 tokens
# as the mock counts), then a question of its own; in a shuffled order (a fixed permutation).
generate_prefixed() {
  awk -v g="$2" -v k="$3" -v out="$1" 'BEGIN {
    n = g * k;
    for (i = 0; i < n; i++) order[i] = i;
    srand(12);
    for (i = n - 1; i > 0; i--) { j = int(rand() * (i + 1)); t = order[i]; order[i] = order[j]; order[j] = t; }
    for (p = 0; p < n; p++) {
      i = order[p]; group = i % g;
      system_prompt = sprintf("group %02d instructions: ", group);
      while (length(system_prompt) < 8000) system_prompt = system_prompt sprintf("rule %04d of group %02d. ", length(system_prompt), group);
      system_prompt = substr(system_prompt, 1, 8000);
      printf "{\"custom_id\":\"req-%05d\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",", i > out;
      printf "\"body\":{\"model\":\"bench-model\",\"max_tokens\":16,\"messages\":[", i > out;
      printf "{\"role\":\"system\",\"content\":\"%s\"},", system_prompt > out;
      printf "{\"role\":\"user\",\"content\":\"question %05d of group %02d\"}]}}\n", i, group > out;
    }
  }'
}

# FILE: 1,000 lines at temperature 0; line i asks question i mod 700, so 300 repeat one.
generate_repeats() {
  awk -v out="$1" 'BEGIN {
    for (i = 0; i < 1000; i++) {
      printf "{\"custom_id\":\"line-%04d\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",", i > out;
      printf "\"body\":{\"model\":\"bench-model\",\"max_tokens\":32,\"temperature\":0,", i > out;
      printf "\"messages\":[{\"role\":\"user\",\"content\":\"question %04d: the quick brown fox jumps over the lazy dog\"}]}}\n", i % 700 > out;
    }
  }'
}

# CONFIG: bench_config's file, priced as gpt-4o-mini ($ per million tokens).
priced_config() {
  bench_config "$1" 30000 150000000 64 60s
  sed -i 's/^  - name: bench-model$/  - name: bench-model\n    prices: {input: 0.15, cached_input: 0.075, output: 0.60}/' "$1"
}

# OUTPUT: "PROMPT CACHED" token sums over the output file's usage.
cached_share() {
  grep -o '"prompt_tokens":[0-9]*\|"cached_tokens":[0-9]*' "$1" |
    awk -F: '/prompt_tokens/ {p += $2} /cached_tokens/ {c += $2} END {printf "%d %d\n", p, c}'
}

summary_cost() {
  grep -o 'cost of this run: \$[0-9.]*' "${bench_tmp}/summary.txt" | grep -o '[0-9.]*$'
}

# NAME RUN-FLAGS...: a run of prefixed.jsonl against a fresh mock; sets $prompt, $cached, $cost.
prefix_run() {
  local name="$1"
  shift
  bench_start_mock - --prompt-cache-blocks 16 --prompt-cache-ttl 5m --seed 3 --compact-json
  priced_config "${bench_tmp}/${name}.yaml"
  timeout 300 "${sluice}" --config "${bench_tmp}/${name}.yaml" run "${bench_tmp}/prefixed.jsonl" \
    --output "${bench_tmp}/${name}.jsonl" --force "$@" >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" ||
    bench_run_failed
  [[ "$(wc -l <"${bench_tmp}/${name}.jsonl")" -eq "${lines}" ]] || bench_die "${name}: lines missing"
  grep -c '"status_code":200' "${bench_tmp}/${name}.jsonl" | grep -qx "${lines}" || bench_die "${name}: failures"
  read -r prompt cached < <(cached_share "${bench_tmp}/${name}.jsonl")
  cost="$(summary_cost)"
  bench_stop "${mock_pid}"
}

generate_prefixed "${bench_tmp}/prefixed.jsonl" "${groups}" "${per_group}"
echo "part 1: ${lines} lines, ${groups} groups sharing a 2,000-token system prompt, shuffled"
prefix_run input --send-order input
p_in="${prompt}" c_in="${cached}" cost_in="${cost}"
prefix_run grouped
p_gr="${prompt}" c_gr="${cached}" cost_gr="${cost}"
awk -v pi="${p_in}" -v ci="${c_in}" -v ki="${cost_in}" -v pg="${p_gr}" -v cg="${c_gr}" -v kg="${cost_gr}" 'BEGIN {
  printf "input order: %d prompt tokens, %d cached (%.1f%%), cost $%.4f\n", pi, ci, 100 * ci / pi, ki;
  printf "grouped:     %d prompt tokens, %d cached (%.1f%%), cost $%.4f\n", pg, cg, 100 * cg / pg, kg;
  printf "grouped / input order: cost %.3f (target <= 0.75)\n", kg / ki }'

generate_repeats "${bench_tmp}/repeats.jsonl"
echo "part 2: 1000 lines at temperature 0, 300 of them repeats"
# MODE: a run of repeats.jsonl with --dedup MODE; sets $sent, $cost, $saved.
dedup_run() {
  bench_start_mock - --seed 4 --compact-json
  priced_config "${bench_tmp}/dedup-$1.yaml"
  timeout 300 "${sluice}" --config "${bench_tmp}/dedup-$1.yaml" run "${bench_tmp}/repeats.jsonl" \
    --output "${bench_tmp}/dedup-$1.jsonl" --dedup "$1" --force >"${bench_tmp}/summary.txt" \
    2>"${bench_tmp}/run.log" || bench_run_failed
  [[ "$(wc -l <"${bench_tmp}/dedup-$1.jsonl")" -eq 1000 ]] || bench_die "dedup $1: lines missing"
  saved="$(grep -o 'dedup: [0-9]* requests not sent' "${bench_tmp}/summary.txt" | grep -o '[0-9]*' || echo 0)"
  sent="$(bench_stat "$(bench_mock_stats)" received)"
  cost="$(summary_cost)"
  bench_stop "${mock_pid}"
}
dedup_run off
sent_off="${sent}" cost_off="${cost}"
dedup_run auto
sent_on="${sent}" cost_on="${cost}" saved_on="${saved}"
awk -v so="${sent_off}" -v ko="${cost_off}" -v sn="${sent_on}" -v kn="${cost_on}" -v sv="${saved_on}" \
  -v pi="${cost_in}" -v pg="${cost_gr}" 'BEGIN {
  printf "dedup off: %d requests sent, cost $%.4f\n", so, ko;
  printf "dedup on:  %d requests sent, cost $%.4f; %d requests not sent, $%.4f saved (%.1f%%)\n",
    sn, kn, sv, ko - kn, 100 * (ko - kn) / ko;
  pass = pg <= 0.75 * pi && so == 1000 && sn == 700 && sv == 300 && kn < 0.75 * ko;
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1 }'
