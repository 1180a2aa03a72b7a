#!/usr/bin/env bash
# Scenario of docs/benchmarks.md "two deployments": one model on two mocks whose rpm limits differ
# (B grants twice A's), routed by the default expected-finish strategy. Three runs of `sluice run`
# against fresh mocks: A alone, B alone (the baselines) and A + B. Each run's file holds one
# minute's burst of its deployments plus DURATION seconds of their refill, so the least time it can
# take is DURATION + one latency; a run's ratio is that least time over its wall time, i.e. its
# achieved throughput over the sum of its configured limits. Target: the A + B ratio >= 0.95.
# Then a fourth run on A + B kills B (SIGKILL: connection refused from then on) once it has received
# half a minute's requests, measures the time from the kill to the log's "circuit breaker open"
# line, restarts B on the same port and measures the time to "closed"; every line must succeed.
# Usage: bench/two_deployments.sh [path/to/sluice]  (RPM_A=1200 RPM_B=2400 DURATION=20)
# Exit 0 if the ratio holds and the breaker opened and closed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init two_deployments "${1:-}"
rpm_a="${RPM_A:-1200}"
rpm_b="${RPM_B:-2400}"
duration="${DURATION:-20}"
ttfb_ms=100
mock_args=(--ttfb "${ttfb_ms}ms" --seed 3)

bench_machine

# mock NAME RPM [PORT]: starts a mock granting RPM on PORT (default any free one); sets
# ${NAME}_url and ${NAME}_pid.
mock() {
  bench_start_server "mock_$1" - mock --host 127.0.0.1 --port "${3:-0}" --rpm "$2" "${mock_args[@]}"
  printf -v "$1_url" '%s' "${server_url}"
  printf -v "$1_pid" '%s' "${server_pid}"
}

# config FILE URL:RPM...: one model "bench-model" on a deployment per URL:RPM.
config() {
  local file="$1"
  shift
  {
    echo "data_dir: ${bench_tmp}/data"
    echo "log_level: info"
    echo "breaker: {consecutive_failures: 5, cooldown: 500ms}"
    echo "models:"
    echo "  - name: bench-model"
    echo "    deployments:"
    local entry
    for entry in "$@"; do
      echo "      - provider: openai-compatible"
      echo "        base_url: ${entry% *}/v1"
      echo "        api_key: sk-bench"
      echo "        rpm: ${entry#* }"
      echo "        tpm: 1000000000"
      echo "        max_in_flight: 64"
    done
  } >"${file}"
}

# run NAME LINES URL:RPM...: one `sluice run` of LINES requests; prints its wall time (s).
run() {
  local name="$1" lines="$2"
  shift 2
  rm -rf "${bench_tmp}/data"
  config "${bench_tmp}/${name}.yaml" "$@"
  bench_generate "${bench_tmp}/${name}.jsonl" "${lines}" 40 16 16 >/dev/null
  bench_time_run 600 "${bench_tmp}/${name}.yaml" "${bench_tmp}/${name}.jsonl" \
    "${bench_tmp}/${name}.out" "${lines}"
}

# lines RPM: a minute's burst plus DURATION seconds of refill.
lines() { echo $(($1 + $1 * duration / 60)); }

# report NAME WALL RPM: prints NAME's lines, wall time, least time and their ratio.
report() {
  awk -v n="$1" -v w="$2" -v d="${duration}" -v t="${ttfb_ms}" -v r="$3" 'BEGIN {
    least = d + t / 1000
    printf "%s (%d rpm): %d lines in %.2f s, least %.2f s: throughput / limits %.3f\n",
      n, r, r + r * d / 60, w, least, least / w
  }'
}

# split URL: "R received, L answered 429" of the mock at URL.
split() {
  local stats
  stats="$(curl -s --max-time 30 "$1/mock/stats")"
  echo "$(bench_stat "${stats}" received) received, $(bench_stat "${stats}" rate_limited) answered 429"
}

mock a "${rpm_a}"
wall_a="$(run alone_a "$(lines "${rpm_a}")" "${a_url} ${rpm_a}")"
echo "A alone: $(split "${a_url}")"
bench_stop "${a_pid}"
mock b "${rpm_b}"
wall_b="$(run alone_b "$(lines "${rpm_b}")" "${b_url} ${rpm_b}")"
echo "B alone: $(split "${b_url}")"
bench_stop "${b_pid}"
mock a "${rpm_a}"
mock b "${rpm_b}"
sum=$((rpm_a + rpm_b))
wall_ab="$(run both "$(lines "${sum}")" "${a_url} ${rpm_a}" "${b_url} ${rpm_b}")"
echo "A + B split: A $(split "${a_url}"); B $(split "${b_url}")"
bench_stop "${a_pid}"
bench_stop "${b_pid}"
report "A alone" "${wall_a}" "${rpm_a}"
report "B alone" "${wall_b}" "${rpm_b}"
report "A + B" "${wall_ab}" "${sum}"
ratio="$(awk -v w="${wall_ab}" -v d="${duration}" -v t="${ttfb_ms}" \
  'BEGIN {printf "%.3f", (d + t / 1000) / w}')"

# The breaker: B dies halfway through a run on A + B, then comes back on its port.
mock a "${rpm_a}"
mock b "${rpm_b}"
b_port="${b_url##*:}"
rm -rf "${bench_tmp}/data"
config "${bench_tmp}/dies.yaml" "${a_url} ${rpm_a}" "${b_url} ${rpm_b}"
lines_dies="$(lines "${sum}")"
bench_generate "${bench_tmp}/dies.jsonl" "${lines_dies}" 40 16 16 >/dev/null
timeout 600 "${sluice}" --config "${bench_tmp}/dies.yaml" run "${bench_tmp}/dies.jsonl" \
  --output "${bench_tmp}/dies.out" >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" &
run_pid=$!
bench_pids+=("${run_pid}")
mock_url="${b_url}"
until [[ "$(bench_stat "$(bench_mock_stats)" received)" -ge $((rpm_b / 2)) ]]; do sleep 0.05; done
kill -9 "${b_pid}"
wait "${b_pid}" 2>/dev/null || true
killed="$(bench_now)"
# logged STATE: waits for B's breaker to log STATE while the run goes on.
logged() {
  until grep -q "bench-model#1: circuit breaker $1" "${bench_tmp}/run.log"; do
    kill -0 "${run_pid}" 2>/dev/null || bench_die "the run ended before the breaker was $1"
    sleep 0.01
  done
}
logged open
opened="$(bench_now)"
mock b "${rpm_b}" "${b_port}"
restarted="$(bench_now)"
logged closed
closed="$(bench_now)"
wait "${run_pid}" || bench_run_failed
results="$(wc -l <"${bench_tmp}/dies.out")"
failed="$(grep -c '"error":{' "${bench_tmp}/dies.out" || true)"
mock_url="${b_url}"
back="$(bench_stat "$(bench_mock_stats)" received)"
awk -v k="${killed}" -v o="${opened}" -v r="${restarted}" -v c="${closed}" -v n="${results}" \
  -v f="${failed}" -v b="${back}" 'BEGIN {
  printf "B killed mid-run: breaker open %.3f s after the kill, closed %.3f s after B was back; ",
    o - k, c - r
  printf "%d results, %d failed; %d requests reached B after it came back\n", n, f, b
}'
awk -v r="${ratio}" -v n="${results}" -v l="${lines_dies}" -v f="${failed}" -v b="${back}" 'BEGIN {
  ok = r >= 0.95 && n == l && f == 0 && b > 0
  printf "A + B throughput / sum of limits %.3f (target >= 0.95) %s\n", r, ok ? "PASS" : "FAIL"
  exit ok ? 0 : 1
}'
