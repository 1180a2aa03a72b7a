#!/usr/bin/env bash
# The scenario benchmark of docs/benchmarks.md: how close `sluice run` comes to the least time a
# provider's limits allow, and how often it trips them, against two baselines run on the same
# file and the same mock: `naive` (bench/baseline_client with no limiter: fixed concurrency,
# retries after the provider's retry-after) and `buckets` (bench/baseline_client with rpm/tpm
# buckets from the configuration, no correction, a 15 s global pause after any 429).
# Each run gets a fresh `sluice mock --record`, whose request log says when each request arrived
# and when its answer was due; bench/waits.awk turns that into waits.
# Usage: bench/scenarios.sh [SCENARIO...]   (default: tokens-bound requests-bound wrong-config
#        mixed-sizes; also: inferred-limits, learned-limits)
# Env: SLUICE, BASELINE (the binaries; default build/release/...), CLIENTS (default
#      "sluice naive buckets"), SCALE (default 1; e.g. 0.2 for a quick check of the script: fewer
#      requests, mostly the first minute's burst). Exit 0 when sluice meets the targets of every
#      scenario run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init scenarios "${SLUICE:-}"
baseline="${BASELINE:-$(dirname "${sluice}")/../../bench/baseline_client}"
[[ -x "${baseline}" ]] || bench_die "no baseline_client at ${baseline} (build target baseline_client)"
[[ -x /usr/bin/time ]] || bench_die "/usr/bin/time not found (Debian package time)"
clients="${CLIENTS:-sluice naive buckets}"
scale="${SCALE:-1}"

# scenario NAME: the mock's real limits, sluice's configured ones, the file and the targets.
scenario() {
  mock_flags=()
  check_waits=0
  case "$1" in
    tokens-bound)  # tpm binds: 2 minutes of token budget, prompts of 100 characters
      real_rpm=6000 real_tpm=300000 conf_rpm=6000 conf_tpm=300000 in_flight=64
      gen=(4800 100 100 50 150) min_speed=0.97 max_429=0.005 ;;
    requests-bound)  # rpm binds: 2 minutes of request budget, short prompts
      real_rpm=3000 real_tpm=10000000 conf_rpm=3000 conf_tpm=10000000 in_flight=64
      gen=(6000 40 40 16 16) min_speed=0.97 max_429=0.005 ;;
    wrong-config)  # sluice is told twice the real tpm; the mock states its limits
      real_rpm=6000 real_tpm=300000 conf_rpm=6000 conf_tpm=600000 in_flight=64
      gen=(4800 100 100 50 150) min_speed=0.90 max_429=0.02 ;;
    inferred-limits)  # as wrong-config, but the mock does not state limits: they are inferred
      real_rpm=6000 real_tpm=300000 conf_rpm=6000 conf_tpm=600000 in_flight=64
      mock_flags=(--no-limit-headers)
      gen=(4800 100 100 50 150) min_speed=0.90 max_429=0.02 ;;
    learned-limits)  # sluice is told no limits at all (the buckets baseline then has none)
      real_rpm=6000 real_tpm=300000 conf_rpm=0 conf_tpm=0 in_flight=64
      gen=(4800 100 100 50 150) min_speed=0.90 max_429=0.02 ;;
    mixed-sizes)  # prompts of 50..20,000 tokens; tpm binds
      real_rpm=10000 real_tpm=2000000 conf_rpm=10000 conf_tpm=2000000 in_flight=256
      gen=(400 200 80000 50 150) min_speed=0.95 max_429=1 check_waits=1 ;;
    *) bench_die "unknown scenario $1" ;;
  esac
}

# quantiles: numbers on stdin -> "median max" (nan nan when there are none).
quantiles() {
  sort -n | awk '{v[NR] = $1} END {
    if (NR == 0) print "nan nan"; else printf "%.3f %.3f\n", v[int((NR + 1) / 2)], v[NR] }'
}

# run_client KIND: one run of sluice, naive or buckets against a fresh mock. Prints its row and
# leaves "speed share_429 wait_ratio complete" in $bench_tmp/KIND/verdict.
run_client() {
  local kind="$1" dir="${bench_tmp}/${name}/$1"
  rm -rf "${dir}" "${bench_tmp}/data"
  mkdir -p "${dir}"
  bench_start_mock - --rpm "${real_rpm}" --tpm "${real_tpm}" --ttfb 300ms --per-token 0ms \
    --jitter 0.3 --seed 7 --record "${mock_flags[@]}"
  local cmd=()
  case "${kind}" in
    sluice)
      BENCH_LOG_LEVEL=info bench_config "${dir}/sluice.yaml" "${conf_rpm}" "${conf_tpm}" \
        "${in_flight}" 60s
      cmd=("${sluice}" --config "${dir}/sluice.yaml" run "${input}" --output "${dir}/out.jsonl"
           --errors "${dir}/errors.jsonl") ;;
    naive) cmd=("${baseline}" "${input}" "${mock_url}" --concurrency "${in_flight}") ;;
    buckets) cmd=("${baseline}" "${input}" "${mock_url}" --concurrency "${in_flight}"
                  --rpm "${conf_rpm}" --tpm "${conf_tpm}" --pause 15s) ;;
    *) bench_die "unknown client ${kind}" ;;
  esac
  local deadline start end status=0 stats
  deadline="$(awk -v m="${minimum}" 'BEGIN {printf "%d", m * 2 + 30}')"
  start="$(bench_now)"
  timeout "${deadline}" /usr/bin/time -f %M -o "${dir}/rss" "${cmd[@]}" \
    >"${dir}/stdout" 2>"${dir}/stderr" || status=$?
  end="$(bench_now)"
  stats="$(bench_mock_stats)"
  curl -s --max-time 30 "${mock_url}/mock/requests" >"${dir}/requests.tsv"
  kill "${mock_pid}" 2>/dev/null || true
  wait "${mock_pid}" 2>/dev/null || true
  awk -v tpm="${real_tpm}" -v rpm="${real_rpm}" -f "${bench_here}/waits.awk" \
    "${input}.costs" "${dir}/requests.tsv" >"${dir}/waits"
  local waits lags
  waits="$(cut -d' ' -f1 "${dir}/waits" | quantiles)"
  lags="$(cut -d' ' -f2 "${dir}/waits" | quantiles)"
  awk -v k="${kind}" -v s="${start}" -v e="${end}" -v m="${minimum}" -v n="${n}" \
    -v rc="$(bench_stat "${stats}" received)" -v rl="$(bench_stat "${stats}" rate_limited)" \
    -v dup="$(bench_stat "${stats}" duplicates)" -v ok="$(bench_stat "${stats}" answered)" \
    -v rt="$(grep -o '[0-9]* retries' "${dir}/stdout" | head -1 | cut -d' ' -f1)" \
    -v rss="$(tail -1 "${dir}/rss" 2>/dev/null)" -v st="${status}" -v waits="${waits}" \
    -v lags="${lags}" -v verdict="${dir}/verdict" 'BEGIN {
    split(waits, w, " "); split(lags, l, " ");
    wall = e - s; speed = m / wall; share = rc > 0 ? rl / rc : 0;
    ratio = w[1] > 0 ? w[2] / w[1] : 0;
    note = st != 0 ? sprintf("  (exit %d; %d of %d answered)", st, ok, n) : "";
    printf "   %-8s %8.2fs %6.3f %6d %6.2f%% %7d %6d %7.1f MB %7.3fs %7.3fs %5.1f %7.3fs %7.3fs%s\n",
      k, wall, speed, rl, share * 100, rt, dup, rss / 1024, w[1] / 1000, w[2] / 1000, ratio,
      l[1] / 1000, l[2] / 1000, note;
    printf "%.4f %.5f %.2f %d\n", speed, share, ratio, st == 0 && ok == n > verdict }'
  if [[ "${kind}" == sluice ]]; then
    grep -h 'provider limits are' "${dir}/stderr" | sed 's/^.*info *//; s/^/     log: /' || true
  fi
}

[[ $# -gt 0 ]] || set -- tokens-bound requests-bound wrong-config mixed-sizes
bench_machine
verdict=0
for name in "$@"; do
  scenario "${name}"
  input="${bench_tmp}/${name}.jsonl"
  count="$(awk -v n="${gen[0]}" -v s="${scale}" 'BEGIN {printf "%d", n * s + 0.5}')"
  read -r n tokens < <(bench_generate_sizes "${input}" "${count}" "${gen[@]:1}")
  # The least time: the first minute's budget at once, the rest at the refill rate, plus one
  # mean latency (300 ms).
  minimum="$(awk -v n="${n}" -v k="${tokens}" -v r="${real_rpm}" -v t="${real_tpm}" 'BEGIN {
    by_tokens = (k - t) / (t / 60); by_requests = (n - r) / (r / 60);
    m = by_tokens > by_requests ? by_tokens : by_requests; if (m < 0) m = 0;
    printf "%.2f", m + 0.3 }')"
  mock_url=http://127.0.0.1:9 bench_config "${bench_tmp}/dry-run.yaml" 1 1 1
  estimate="$("${sluice}" --config "${bench_tmp}/dry-run.yaml" run "${input}" --dry-run \
    --output "${bench_tmp}/dry-run.jsonl" 2>/dev/null | awk -F'= ' '/^estimated tokens:/ {print $2}' || true)"
  echo
  echo "== ${name}: mock rpm ${real_rpm}, tpm ${real_tpm}${mock_flags[*]:+, ${mock_flags[*]}}," \
    "300 ms ± 30 %; configured rpm ${conf_rpm}, tpm ${conf_tpm}, max_in_flight ${in_flight}"
  echo "   ${n} requests; ${tokens} tokens as the mock charges them, ${estimate:-?} as sluice" \
    "estimates them; least time ${minimum} s"
  [[ "${estimate}" == "${tokens}" ]] ||
    echo "   WARNING: sluice's estimate differs from the mock's charge"
  printf "   %-8s %9s %6s %6s %7s %7s %6s %10s %8s %8s %5s %8s %8s\n" client wall speed 429s \
    share retries "sent>1" "peak RSS" "wait50" "waitmax" ratio "lag50" "lagmax"
  for kind in ${clients}; do
    run_client "${kind}"
  done
  if [[ " ${clients} " == *" sluice "* ]]; then
    read -r speed share ratio complete <"${bench_tmp}/${name}/sluice/verdict"
    if awk -v s="${speed}" -v q="${share}" -v r="${ratio}" -v c="${complete}" \
      -v ms="${min_speed}" -v mq="${max_429}" -v cw="${check_waits}" \
      'BEGIN { exit !(c == 1 && s >= ms && q <= mq && (cw == 0 || r <= 3)) }'; then
      echo "   sluice PASS (speed >= ${min_speed}, 429s <= ${max_429}$( ((check_waits)) && echo ', wait max <= 3 x median'))"
    else
      echo "   sluice FAIL (targets: speed >= ${min_speed}, 429s <= ${max_429}$( ((check_waits)) && echo ', wait max <= 3 x median'))"
      verdict=1
    fi
  fi
done
exit "${verdict}"
