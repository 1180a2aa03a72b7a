# Shared helpers of the bench/run_*.sh scripts (sourced, not run). Every script: takes the sluice
# binary as $1 (default build/release/apps/sluice/sluice), works in a temp dir it removes, talks
# to loopback only, and kills the processes it started on exit.
# Needs bash, awk, curl, timeout (coreutils); taskset where a script pins cores.

bench_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_repo="$(cd "${bench_here}/.." && pwd)"
bench_pids=()
bench_tmp=""

# bench_init NAME [sluice]: sets $sluice and $bench_tmp, installs the cleanup trap.
bench_init() {
  bench_name="$1"
  sluice="${2:-${bench_repo}/build/release/apps/sluice/sluice}"
  [[ -x "${sluice}" ]] || bench_die "no executable at ${sluice} (build the release preset first)"
  for tool in awk curl timeout; do
    command -v "${tool}" >/dev/null || bench_die "${tool} not found"
  done
  bench_tmp="$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_die() {
  echo "${bench_name:-bench}: $*" >&2
  exit 2
}

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do
    kill "${pid}" 2>/dev/null || true
  done
  for pid in "${bench_pids[@]}"; do
    wait "${pid}" 2>/dev/null || true
  done
  if [[ -n "${bench_tmp}" && -z "${KEEP:-}" ]]; then
    rm -rf "${bench_tmp}"
  elif [[ -n "${bench_tmp}" ]]; then
    echo "${bench_name}: kept ${bench_tmp}" >&2
  fi
}

# bench_start_mock CPU ARGS...: starts `sluice mock --port 0 ARGS` (pinned to CPU unless CPU is
# "-") and sets $mock_url (http://127.0.0.1:PORT) and $mock_pid.
bench_start_mock() {
  local cpu="$1"
  shift
  bench_start_server mock "${cpu}" mock --host 127.0.0.1 --port 0 "$@"
  mock_pid="${server_pid}"
  mock_url="${server_url}"
}

# bench_start_serve CPU CONFIG: starts `sluice --config CONFIG serve` (pinned to CPU unless CPU is
# "-"; the config should listen on 127.0.0.1:0) and sets $serve_url and $serve_pid.
bench_start_serve() {
  bench_start_server serve "$1" --config "$2" serve
  serve_pid="${server_pid}"
  serve_url="${server_url}"
}

# bench_start_server NAME CPU ARGS...: starts `sluice ARGS` with its output in $bench_tmp/NAME.log,
# waits (up to 10 s) for its "listening on http://HOST:PORT" line and sets $server_url and
# $server_pid.
bench_start_server() {
  local name="$1" cpu="$2"
  local log="${bench_tmp}/${name}.log"
  shift 2
  : >"${log}"  # before the child opens it, so that the first grep finds it
  bench_pin "${cpu}"
  "${pin[@]}" "${sluice}" "$@" >"${log}" 2>&1 &
  server_pid=$!
  bench_pids+=("${server_pid}")
  server_url=""
  local _
  for _ in $(seq 100); do
    server_url="$(grep -o 'listening on http://[0-9.:]*' "${log}" | head -1 | sed 's/listening on //')" || true
    [[ -n "${server_url}" ]] && return 0
    kill -0 "${server_pid}" 2>/dev/null || { cat "${log}" >&2; bench_die "${name} exited"; }
    sleep 0.1
  done
  cat "${log}" >&2
  bench_die "${name} did not report its address"
}

# bench_pin CPU: sets the array $pin to the command prefix that runs a command on core CPU
# (empty if CPU is "-"), so that `"${pin[@]}" command &` leaves the command's own pid in $!.
# With BENCH_RT=PRIORITY (needs root or CAP_SYS_NICE) a pinned command also runs under the
# real-time policy SCHED_FIFO at that priority, so that other processes on a shared machine cannot
# preempt it (the kernel still leaves them 5 % of each core: kernel.sched_rt_runtime_us).
bench_pin() {
  pin=()
  [[ "$1" == "-" ]] && return 0
  [[ -z "${BENCH_RT:-}" ]] || pin=(chrt -f "${BENCH_RT}")
  pin+=(taskset -c "$1")
}

# bench_stop PID: stops a process started by this script and waits for it.
bench_stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# bench_cpu_seconds PID: the user + sys CPU time a process has used so far (all its threads).
bench_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$1/stat"
}

# bench_cpu_ticks: one line per core, "busy total" jiffies since boot (busy: user, nice, system,
# irq, softirq, steal; total adds idle and iowait). Two snapshots give each core's busy share.
bench_cpu_ticks() {
  awk '/^cpu[0-9]/ {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat
}

# bench_core_busy BEFORE AFTER CORE: the percentage of the time core CORE was busy (with anything,
# ours or not) between two bench_cpu_ticks snapshots.
bench_core_busy() {
  paste -d' ' <(printf '%s\n' "$1") <(printf '%s\n' "$2") |
    awk -v core="$3" 'NR == core + 1 {printf "%.0f\n", 100 * ($3 - $1) / ($4 - $2)}'
}

# bench_config FILE RPM TPM MAX_IN_FLIGHT [TIMEOUT]: a sluice.yaml with one model "bench-model"
# on one openai-compatible deployment at $mock_url, data in $bench_tmp/data; `sluice serve` with
# it listens on 127.0.0.1:0 (any free port).
bench_config() {
  cat >"$1" <<EOF
listen: 127.0.0.1:0
data_dir: ${bench_tmp}/data
log_level: ${BENCH_LOG_LEVEL:-warn}
models:
  - name: bench-model
    deployments:
      - provider: openai-compatible
        base_url: ${mock_url}/v1
        api_key: sk-bench
        rpm: $2
        tpm: $3
        max_in_flight: $4
        timeout: ${5:-60s}
EOF
}

# bench_wait_batch API ID: asks GET API/batches/ID (API: serve's .../v1) until the batch is
# completed and prints its JSON; dies when it ends otherwise or when serve ($serve_pid) exits.
bench_wait_batch() {
  local batch status
  while :; do
    batch="$(curl -sf "$1/batches/$2")"
    status="$(printf '%s' "${batch}" | grep -o '"status":"[^"]*"' | head -1 | cut -d'"' -f4)"
    case "${status}" in
      completed) break ;;
      failed | expired | cancelled) bench_die "batch $2 ended ${status}: ${batch}" ;;
    esac
    kill -0 "${serve_pid}" 2>/dev/null || bench_die "serve exited"
    sleep 0.2
  done
  printf '%s\n' "${batch}"
}

# bench_stat JSON NAME: a top-level (or faults.) integer of /mock/stats' JSON.
bench_stat() {
  printf '%s' "$1" | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2
}

# bench_run_failed: shows what a failed `sluice run` printed (summary.txt, run.log in bench_tmp)
# and stops.
# bench_time_run TIMEOUT CONFIG INPUT OUTPUT LINES: one `sluice run` of INPUT into OUTPUT (its
# summary in summary.txt, its log in run.log, shown if it fails); dies unless OUTPUT holds LINES
# results; prints the run's wall time in seconds.
bench_time_run() {
  local limit="$1" config="$2" input="$3" output="$4" lines="$5" start end results
  start="$(bench_now)"
  timeout "${limit}" "${sluice}" --config "${config}" run "${input}" --output "${output}" \
    >"${bench_tmp}/summary.txt" 2>"${bench_tmp}/run.log" || bench_run_failed
  end="$(bench_now)"
  results="$(wc -l <"${output}")"
  [[ "${results}" -eq "${lines}" ]] ||
    bench_die "$(basename "${output}"): ${results} results for ${lines} lines"
  awk -v s="${start}" -v e="${end}" 'BEGIN {printf "%.2f\n", e - s}'
}

bench_run_failed() {
  cat "${bench_tmp}/summary.txt" "${bench_tmp}/run.log" >&2
  bench_die "sluice run failed"
}

bench_mock_stats() {
  curl -s --max-time 30 "${mock_url}/mock/stats"
}

# bench_now: seconds since the epoch, with nanoseconds.
bench_now() {
  date +%s.%N
}

# bench_machine: one line on the machine and its load, for the record.
bench_machine() {
  echo "machine: $(nproc) cpus ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')); load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
}

# bench_generate FILE N PROMPT_CHARS MAX_TOKENS_MIN MAX_TOKENS_MAX: writes N chat requests for
# "bench-model", one user message each of exactly PROMPT_CHARS ASCII characters (at least 40)
# that starts with the line's unique text "unique-<i>-<salt>", max_tokens spread evenly over
# [MIN, MAX]. Prints "REQUESTS TOKENS": TOKENS is what the mock charges at admission, the sum of
# ceil(PROMPT_CHARS / 4) + max_tokens.
bench_generate() {
  bench_generate_sizes "$1" "$2" "$3" "$3" "$4" "$5"
}

# bench_generate_sizes FILE N CHARS_MIN CHARS_MAX MAX_TOKENS_MIN MAX_TOKENS_MAX: as
# bench_generate, with each prompt's length spread evenly over [CHARS_MIN, CHARS_MAX] (in a
# scrambled order: line i gets MIN + (i * 104729) mod the span). Also writes FILE.costs, one
# "unique-<i>-<salt> CHARGE" line per request in input order (what the mock charges for it).
bench_generate_sizes() {
  awk -v n="$2" -v cmin="$3" -v cmax="$4" -v lo="$5" -v hi="$6" -v salt="$RANDOM$RANDOM" \
    -v out="$1" -v costs="$1.costs" '
    BEGIN {
      pad = "the quick brown fox jumps over the lazy dog ";
      while (length(pad) < cmax) pad = pad pad;
      span = hi - lo + 1;
      cspan = cmax - cmin + 1;
      tokens = 0;
      for (i = 0; i < n; i++) {
        label = sprintf("unique-%07d-%s", i, salt);
        chars = cmin + (i * 104729) % cspan;
        content = substr(label " " pad, 1, chars);
        max_tokens = lo + (i * 7919) % span;
        charge = int((chars + 3) / 4) + max_tokens;
        tokens += charge;
        printf "{\"custom_id\":\"req-%07d\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",", i > out;
        printf "\"body\":{\"model\":\"bench-model\",\"max_tokens\":%d,", max_tokens > out;
        printf "\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}}\n", content > out;
        printf "%s %d\n", label, charge > costs;
      }
      close(out);
      close(costs);
      printf "%d %d\n", n, tokens;
    }'
}

# bench_chat_body FILE MODEL: writes the small chat completion of bench/mock_chat.lua for MODEL.
bench_chat_body() {
  printf '%s' '{"model":"'"$2"'","max_tokens":16,"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}]}' >"$1"
}
