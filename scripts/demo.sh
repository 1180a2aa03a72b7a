#!/usr/bin/env bash
# sluice's main job on the embedded default, end to end, on loopback only: starts the mock
# provider (OpenAI-shaped, with real rate limits), runs a batch file through `sluice run`
# (durable queue in SQLite, rate-limited, retried, results in OpenAI's batch output format),
# shows that a rerun resumes rather than resends; then starts `sluice serve` as a first run (no
# config, no provider key: its built-in mock upstream), chats through it, and sends a small batch
# through its OpenAI Files and Batches API.
# Usage: scripts/demo.sh [number-of-requests]   (default 700: about 10 s at 600 requests/min)
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-700}"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Installing what is missing and building (release)"
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
sluice=build/release/apps/sluice/sluice

work=build/demo
rm -rf "$work" && mkdir -p "$work"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# start_listening VAR LOG COMMAND...: starts COMMAND in the background (in this shell, so the
# exit trap stops it) and sets VAR to the port of its "listening on" line.
start_listening() {
  local var=$1 log=$2
  shift 2
  "$@" >"$log" 2>"$log.err" &
  pids+=($!)
  for _ in $(seq 100); do
    if grep -q 'listening on' "$log"; then
      printf -v "$var" '%s' "$(grep -o '[0-9]*$' "$log" | head -1)"
      return
    fi
    sleep 0.1
  done
  echo "demo: $* did not start:" >&2; cat "$log.err" >&2; exit 1
}

say "Starting the mock provider: 600 requests/min, 60000 tokens/min, 50 ms to first byte"
start_listening mock_port "$work/mock.out" "$sluice" mock --port 0 --rpm 600 --tpm 60000 \
  --ttfb 50ms --per-token 1ms --fail-500 0.02 --fail-reset 0.01
echo "mock on http://127.0.0.1:$mock_port (2% of answers are 500s, 1% connection resets)"

cat >"$work/sluice.yaml" <<YAML
data_dir: $work/data
models:
  - name: gpt-4o-mini
    deployments:
      - provider: openai-compatible
        base_url: http://127.0.0.1:$mock_port/v1
        model: gpt-4o-mini
        rpm: 600
        tpm: 60000
YAML

for i in $(seq 1 "$requests"); do
  printf '{"custom_id":"q-%d","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"What is %d times 7?"}],"max_tokens":30}}\n' "$i" "$i"
done >"$work/requests.jsonl"

say "Dry run: validate and estimate, send nothing"
"$sluice" --config "$work/sluice.yaml" run "$work/requests.jsonl" --output "$work/results.jsonl" --dry-run

say "sluice run: $requests requests through the limiter"
"$sluice" --config "$work/sluice.yaml" run "$work/requests.jsonl" \
  --output "$work/results.jsonl" --errors "$work/errors.jsonl"
echo "results: $(wc -l <"$work/results.jsonl") lines in $work/results.jsonl, $(wc -l <"$work/errors.jsonl") in $work/errors.jsonl; the first two:"
head -n 2 "$work/results.jsonl" | cut -c 1-240

say "Running the same command again: it has nothing left to do"
"$sluice" --config "$work/sluice.yaml" run "$work/requests.jsonl" --output "$work/results.jsonl"

say "sluice serve, first run: no config file, no provider key"
# OPENAI_API_KEY is unset here so the demo stays on loopback: with it, serve would route to OpenAI.
mkdir -p "$work/serve"
start_listening serve_port "$work/serve.out" \
  env -u OPENAI_API_KEY -C "$work/serve" "$PWD/$sluice" serve --listen 127.0.0.1:0
cat "$work/serve.out"
api="http://127.0.0.1:$serve_port/v1"
field() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'; }

echo "GET /v1/models -> $(curl -s "$api/models" | cut -c 1-200)"
echo "POST /v1/chat/completions ->"
curl -s "$api/chat/completions" -H 'content-type: application/json' \
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}' | head -c 400
echo  # the answer is relayed as the provider indents it (OpenAI does; so does the mock)

for i in $(seq 1 20); do
  printf '{"custom_id":"s-%d","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Name %d colours"}]}}\n' "$i" "$i"
done >"$work/sample.jsonl"
file_id=$(curl -s "$api/files" -F purpose=batch -F file=@"$work/sample.jsonl" | field id)
echo "POST /v1/files -> $file_id"
batch_id=$(curl -s "$api/batches" -H 'content-type: application/json' \
  -d "{\"input_file_id\":\"$file_id\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}" |
  field id)
echo "POST /v1/batches -> $batch_id"
for _ in $(seq 100); do
  batch=$(curl -s "$api/batches/$batch_id")
  status=$(field status <<<"$batch")
  [[ "$status" == completed || "$status" == failed ]] && break
  sleep 0.1
done
echo "GET /v1/batches/$batch_id -> status $status, request_counts $(grep -o '"request_counts":{[^}]*}' <<<"$batch" | cut -d: -f2-)"
output_id=$(field output_file_id <<<"$batch")
echo "GET /v1/files/$output_id/content (first two lines):"
output=$(curl -s "$api/files/$output_id/content")
head -n 2 <<<"$output" | cut -c 1-240
echo "GET /metrics (excerpt):"
metrics=$(curl -s "http://127.0.0.1:$serve_port/metrics")
grep -E '^sluice_(http_requests_total|batches)' <<<"$metrics" | head -n 6
say "Done"
