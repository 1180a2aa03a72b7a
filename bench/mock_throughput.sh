#!/usr/bin/env bash
# Measures the mock provider's throughput: `sluice mock` pinned to core 0, wrk (1 thread, 64
# keep-alive connections, 10 s) pinned to core 1, POSTing a small chat completion
# (bench/mock_chat.lua). Builds nothing: pass the sluice binary (Release build recommended).
# Usage: bench/mock_throughput.sh [path/to/sluice]   (default build/release/apps/sluice/sluice)
# Prints wrk's summary, the mock's CPU time, and requests per second.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/.." && pwd)"
sluice="${1:-${repo}/build/release/apps/sluice/sluice}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"

for tool in wrk taskset; do
  command -v "${tool}" >/dev/null || { echo "mock_throughput: ${tool} not found" >&2; exit 2; }
done
[[ -x "${sluice}" ]] || { echo "mock_throughput: no executable at ${sluice}" >&2; exit 2; }

log="$(mktemp)"
taskset -c 0 "${sluice}" mock --host 127.0.0.1 --port 0 >"${log}" 2>&1 &
mock_pid=$!
cleanup() {
  kill "${mock_pid}" 2>/dev/null || true
  wait "${mock_pid}" 2>/dev/null || true
  rm -f "${log}"
}
trap cleanup EXIT

# Wait (up to 10 s) for "listening on http://127.0.0.1:PORT".
url=""
for _ in $(seq 100); do
  url="$(grep -o 'listening on http://[0-9.:]*' "${log}" | head -1 | sed 's/listening on //')" || true
  [[ -n "${url}" ]] && break
  kill -0 "${mock_pid}" 2>/dev/null || { cat "${log}" >&2; exit 1; }
  sleep 0.1
done
[[ -n "${url}" ]] || { echo "mock_throughput: mock did not report its address" >&2; cat "${log}" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/${mock_pid}/stat"; }
before="$(cpu_ticks)"
out="$(taskset -c 1 wrk -t1 -c"${connections}" -d"${duration}" -s "${here}/mock_chat.lua" "${url}/")"
after="$(cpu_ticks)"
echo "${out}"

rps="$(echo "${out}" | awk '/Requests\/sec/ {print $2}')"
total="$(echo "${out}" | awk '/requests in/ {print $1}')"
hz="$(getconf CLK_TCK)"
cpu_s="$(awk -v t="$((after - before))" -v hz="${hz}" 'BEGIN {printf "%.2f", t / hz}')"
per_cpu="$(awk -v n="${total}" -v c="${cpu_s}" 'BEGIN {if (c > 0) printf "%.0f", n / c; else print "n/a"}')"
echo "mock cpu time: ${cpu_s}s; requests per mock cpu-second: ${per_cpu}"
echo "requests/s: ${rps}"
