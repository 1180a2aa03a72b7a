-- wrk script of bench/mock_throughput.sh and bench/proxy_throughput.sh: POSTs one small chat
-- completion per request for model $BENCH_MODEL (default gpt-4o-mini). The same body as
-- bench_chat_body in bench/lib.sh.
local model = os.getenv("BENCH_MODEL") or "gpt-4o-mini"
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.body = '{"model":"' .. model .. '","max_tokens":16,"messages":[' ..
           '{"role":"system","content":"You are terse."},' ..
           '{"role":"user","content":"Say hello to the benchmark."}]}'
